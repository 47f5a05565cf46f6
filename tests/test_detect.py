"""The table pass: columns judged as columns, scattered values found, people counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spillguard.detect import PeopleLedger, detect_table
from spillguard.model import Location, Surface, TablePart
from spillguard.plugins import detectors

DETS = detectors()


def _table(header: list[str], rows: Sequence[Sequence[Any]], surface: Surface) -> TablePart:
    return TablePart(
        header=header,
        rows=[(i + 2, list(r)) for i, r in enumerate(rows)],
        location=Location("t.xlsx", surface, "Sheet1!A1"),
        column_labels=[chr(65 + i) for i in range(len(header))],
        sheet="Sheet1",
    )


def test_scattered_ids_after_the_sample_are_found_in_code_columns() -> None:
    rows: list[list[str]] = [[f"INV-2023-{i:06d}", "Paid"] for i in range(400)]
    rows[350][0] = "SSN 078-05-1121"  # a different shape from the sampled codes
    outcome = detect_table(
        _table(["Reference", "Status"], rows, Surface.VISIBLE), DETS, PeopleLedger()
    )
    hits = [h for h in outcome.hits if h.entity == "US_SSN"]
    assert len(hits) == 1
    assert hits[0].count == 1
    assert hits[0].where.startswith("Sheet1!A352")


def test_ids_in_a_free_text_column_are_found_cell_by_cell() -> None:
    note = "The request was processed and forwarded to the regional office for review"
    rows = [[f"R{i}", note] for i in range(300)]
    rows[299][1] = note + "; applicant SSN 078-05-1121 on file"
    outcome = detect_table(_table(["ID", "Notes"], rows, Surface.VISIBLE), DETS, PeopleLedger())
    (hit,) = [h for h in outcome.hits if h.entity == "US_SSN"]
    assert hit.count == 1
    assert "free-text" in hit.explanation


def test_people_who_share_a_name_are_not_merged() -> None:
    ranks = ["Constable", "Sergeant", "Inspector"]
    rows = [["Smith", "J", ranks[i % 3], f"Station {i}"] for i in range(30)]
    rows += [["Okonkwo", "A", "Constable", "Station 1"]] * 2  # a duplicated row is one person
    ledger = PeopleLedger()
    outcome = detect_table(
        _table(["Surname", "Initials", "Rank", "Location"], rows, Surface.HIDDEN_SHEET),
        DETS,
        ledger,
    )
    assert outcome.records is not None
    assert outcome.records.people == 31


def test_aggregate_table_with_countries_is_not_about_people() -> None:
    rows = [["Guatemala", 120], ["Honduras", 98], ["El Salvador", 45], ["Mexico", 3]] * 10
    outcome = detect_table(
        _table(["Country of Citizenship", "Detained"], rows, Surface.VISIBLE), DETS, PeopleLedger()
    )
    assert outcome.records is None
    assert outcome.hits == []


def test_each_full_name_column_is_another_person() -> None:
    victims = [f"{g} {s}" for g in ("Maria", "Jose", "Ana", "Luis") for s in ("Lopez", "Perez")]
    witnesses = ["Chukwuemeka Okonkwo", "Amina Mohammed"]
    rows = [[f"CR/{i:05d}/23", "Burglary", v, witnesses[i % 2]] for i, v in enumerate(victims)]
    outcome = detect_table(
        _table(
            ["Crime Reference", "Offence", "Victim Name", "Witness Name"],
            rows,
            Surface.HIDDEN_SHEET,
        ),
        DETS,
        PeopleLedger(),
    )
    assert outcome.records is not None
    assert outcome.records.people == len(victims) + len(witnesses)


def test_text_under_a_redaction_box_is_covered_text_whatever_it_says() -> None:
    from spillguard.assess import assess
    from spillguard.detect import TextCollector
    from spillguard.model import TextPart
    from spillguard.policy import DEFAULT_POLICY

    ledger = PeopleLedger()
    tc = TextCollector(ledger)
    loc = Location("f.pdf", Surface.REDACTION_OVERLAY, "page 2 (72,700,300,712)")
    tc.add_part(TextPart("the informant met them at the usual place", loc, "covered"), DETS)
    tc.finish()
    hits = tc.hits()
    (covered,) = [h for h in hits if h.entity == "COVERED_TEXT"]
    assert covered.where == "page 2 (72,700,300,712)"
    assert "informant" not in covered.sample
    verdict, findings, _ = assess(hits, [], [], DEFAULT_POLICY)
    assert verdict.value == "block"
    assert findings[0].entity == "COVERED_TEXT"
