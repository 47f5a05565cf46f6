"""Column classification: judge each column of a table from its header and a sample of values.

Headers are the strongest signal there is, so tables are never flattened into text. A column is
labelled with an entity when its header names one and its values fit, or when its values fit
strongly on their own (headerless tables). Columns that hold free text are scanned cell by cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from spillguard.detectors.base import TextDetector
from spillguard.detectors.headers import classify_header
from spillguard.detectors.names import name_cell_score, nationality_cell_score
from spillguard.detectors.patterns.date_of_birth import cell_date
from spillguard.detectors.patterns.street_address import (
    street_address_score as _street_address_score,
)
from spillguard.entities import HEADER_ONLY

#: how many rows of a table are looked at before its columns are labelled
SAMPLE_ROWS = 150


class Mode(StrEnum):
    ENTITY = "entity"  # the column holds one entity: count, key, sample
    TEXT = "text"  # free text: every cell goes through every detector
    SCREEN = "screen"  # short codes: every cell goes through the validated patterns
    SKIP = "skip"  # numbers or nothing


@dataclass(slots=True)
class ColumnPlan:
    index: int
    header: str
    label: str
    mode: Mode
    entity: str | None = None
    confidence: float = 0.0
    detector: str = ""
    explanation: str = ""
    #: a weak label counts only when the table turns out to be about people
    weak: bool = False
    #: the header phrase that named the entity ("last name", "initials", "full name")
    keyword: str = ""
    #: value shapes the sample shows to be harmless codes (screened columns only)
    quiet_shapes: frozenset[str] = frozenset()
    #: framing for the detectors that validate the cells, when the header gives none (a column
    #: of birth dates in a table without a header is validated as "date of birth")
    context: str = ""


_NUMBER = re.compile(r"^[\s$€£¥+\-]*[\d,]*\.?\d+\s*%?$")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_PHONE_SHAPE = re.compile(r"(?=(?:\D*\d){7,15}\D*$)\+?[\d\s().\-/]{7,24}")


def birth_dates_score(values: Sequence[str], *, today: dt.date | None = None) -> float:
    """How much a column of dates looks like birth dates: plausible ages, spread over decades.

    For tables without a header: event dates cluster within months or a few years, birth dates
    spread over decades and all lie 0-110 years back.
    """
    today = today or dt.date.today()
    years: list[int] = []
    for v in values:
        date = cell_date(v, today=today)
        if date is None:
            continue
        year = date.year
        if not today.year - 110 <= year <= today.year:
            return 0.0
        years.append(year)
    if len(years) < max(5, 0.8 * len(values)):
        return 0.0
    mean = sum(years) / len(years)
    spread = (sum((y - mean) ** 2 for y in years) / len(years)) ** 0.5
    return 1.0 if spread >= 8 else 0.0


def looks_numeric(value: str) -> bool:
    return bool(_NUMBER.match(value))


def street_address_score(value: str) -> float:
    """1.0 when the cell is a street address (see `patterns.street_address`)."""
    return _street_address_score(value)


def _covers(value: str, start: int, end: int) -> bool:
    core = value.strip()
    return (end - start) >= 0.7 * len(core)


#: a detector that matches none of a column's first sampled values is not asked about the rest
_PROBE = 16
#: shares of a column's values are estimated from this many sampled values
_ESTIMATE = 50


def _pattern_fraction(
    detector: TextDetector, values: Sequence[str], header: str
) -> tuple[float, dict[str, int], float]:
    """Fraction of values the detector matches as a whole cell, per entity, and mean confidence."""
    hits: dict[str, int] = {}
    conf_sum = 0.0
    values = values[:_ESTIMATE]
    for i, v in enumerate(values):
        if i == _PROBE and not hits:
            return 0.0, hits, 0.0  # none of the first values matches: the column is not this
        seen: set[str] = set()
        for m in detector.find(v, context=header):
            if m.entity not in seen and _covers(v, m.start, m.end):
                seen.add(m.entity)
                hits[m.entity] = hits.get(m.entity, 0) + 1
                conf_sum += m.confidence
        del seen
    total = sum(hits.values())
    best = max(hits.values(), default=0)
    return (best / len(values) if values else 0.0), hits, (conf_sum / total if total else 0.0)


def _fraction(values: Sequence[str], test: Callable[[str], bool]) -> float:
    """Share of `values` that pass `test`; 0 when none of the first `_PROBE` do."""
    n = 0
    values = values[:_ESTIMATE]
    for i, v in enumerate(values):
        if i == _PROBE and n == 0:
            return 0.0
        if test(v):
            n += 1
    return n / len(values) if values else 0.0


def plan_columns(
    header: Sequence[str],
    labels: Sequence[str],
    sample: Sequence[Sequence[str]],
    detectors: Sequence[TextDetector],
) -> list[ColumnPlan]:
    """Label each column. `sample` rows are already strings ('' for empty)."""
    width = max([len(header), *(len(r) for r in sample)], default=0)
    plans: list[ColumnPlan] = []
    pattern_detectors = [d for d in detectors if d.id not in ("person-name", "nationality")]
    for j in range(width):
        head = header[j] if j < len(header) else ""
        lab = labels[j] if j < len(labels) else f"column {j + 1}"
        values = [r[j].strip() for r in sample if j < len(r) and r[j].strip()]
        plans.append(_plan_one(j, head, lab, values, pattern_detectors))
    return plans


def _plan_one(
    j: int, head: str, lab: str, values: list[str], pattern_detectors: Sequence[TextDetector]
) -> ColumnPlan:
    plan = ColumnPlan(index=j, header=head, label=lab, mode=Mode.SCREEN)
    hints = classify_header(head) if head else []
    hint = hints[0] if hints else None
    if not values:
        plan.mode = Mode.SCREEN if hint is None else Mode.ENTITY
        if hint is not None:
            plan.entity = hint.entity
            plan.confidence = hint.weight * 0.5
            plan.detector = "column-header"
            plan.explanation = f"column header names {hint.keyword!r}; no values in the sample"
        return plan

    numeric = sum(1 for v in values if looks_numeric(v)) / len(values)
    avg_len = sum(len(v) for v in values) / len(values)
    avg_words = sum(v.count(" ") + 1 for v in values) / len(values)

    # Value evidence from the validated patterns, judged with the header as context.
    best_entity: str | None = None
    best_frac = 0.0
    best_conf = 0.0
    best_det = ""
    for det in pattern_detectors:
        frac, hits, conf = _pattern_fraction(det, values, head)
        if not hits:
            continue
        ent = max(hits, key=lambda e: hits[e])
        if frac > best_frac:
            best_entity, best_frac, best_conf, best_det = ent, frac, conf, det.id
    numbers = best_frac >= 0.9 or numeric >= 0.9  # IDs, phone numbers, counts: not words
    person_frac = 0.0 if numbers else _fraction(values, lambda v: name_cell_score(v) >= 0.5)
    nat_frac = (
        0.0
        if numbers
        else _fraction(values, lambda v: nationality_cell_score(v, header=head) >= 0.5)
    )
    street_frac = (
        0.0 if numeric >= 0.9 else _fraction(values, lambda v: street_address_score(v) >= 0.5)
    )
    value_scores: dict[str, tuple[float, float, str]] = {}
    if best_entity:
        value_scores[best_entity] = (best_frac, best_conf, best_det)
    value_scores.setdefault("PERSON", (person_frac, 0.8, "person-name"))
    value_scores.setdefault("NATIONALITY", (nat_frac, 0.85, "nationality"))
    value_scores.setdefault("STREET_ADDRESS", (street_frac, 0.8, "street-address"))

    # 1. The header names an entity and the values fit (or the entity has no value pattern).
    for h in hints:
        if h.weight < 0.5:
            continue
        frac, conf, det_id = value_scores.get(h.entity, (0.0, 0.0, ""))
        if h.entity in HEADER_ONLY:
            if numeric > 0.8 and h.entity not in ("AGE",):
                continue  # "Detention facility" column of counts is an aggregate, not an attribute
            return _entity(
                plan,
                h.entity,
                0.6 + 0.35 * h.weight,
                "column-header",
                f"column header {head!r} names {h.keyword!r}",
                keyword=h.keyword,
            )
        if h.entity == "DATE_OF_BIRTH":
            dob_frac = frac
            if dob_frac < 0.3:
                dob_frac = sum(1 for v in values if _DATE_LIKE.search(v)) / len(values)
            if dob_frac >= 0.3:
                return _entity(
                    plan,
                    h.entity,
                    0.7 + 0.25 * h.weight,
                    det_id or "date-of-birth",
                    f"column header {head!r} names {h.keyword!r} and "
                    f"{dob_frac:.0%} of sampled values are dates",
                    keyword=h.keyword,
                )
            continue
        if h.entity == "STREET_ADDRESS" and h.weight >= 0.8 and numeric < 0.5:
            return _entity(
                plan,
                h.entity,
                0.8,
                "column-header",
                f"column header {head!r} names {h.keyword!r}",
                keyword=h.keyword,
            )
        if h.entity == "PHONE_NUMBER" and h.weight >= 0.8 and frac < 0.4:
            shaped = sum(1 for v in values if _PHONE_SHAPE.fullmatch(v)) / len(values)
            if shaped >= 0.6:
                return _entity(
                    plan,
                    h.entity,
                    0.75,
                    "column-header",
                    f"column header {head!r} names {h.keyword!r} and {shaped:.0%} of sampled "
                    "values are shaped like phone numbers",
                    keyword=h.keyword,
                )
        threshold = 0.3 if h.entity == "PERSON" else 0.4
        if frac >= threshold:
            return _entity(
                plan,
                h.entity,
                min(0.99, 0.55 + 0.25 * h.weight + 0.2 * frac),
                det_id or h.entity.lower(),
                f"column header {head!r} names {h.keyword!r} and {frac:.0%} of sampled values fit",
                keyword=h.keyword,
            )
        if h.entity == "PERSON" and numeric < 0.2 and avg_words <= 5 and h.weight >= 0.8:
            # a 'Name' column whose values are unusual names is still a name column
            return _entity(
                plan,
                h.entity,
                0.6,
                "column-header",
                f"column header {head!r} names {h.keyword!r}",
                keyword=h.keyword,
            )

    # 2. Values alone, strongly (headerless tables, unhelpful headers).
    if best_entity and best_frac >= 0.7:
        return _entity(
            plan,
            best_entity,
            min(0.99, best_conf * best_frac + 0.05),
            best_det,
            f"{best_frac:.0%} of sampled values validate as {best_entity}",
        )
    strong_hint = any(h.weight >= 0.8 for h in hints)  # e.g. an address, not a name
    street = street_frac >= 0.6 and not strong_hint
    person = (
        not strong_hint
        and person_frac >= (0.5 if not head else 0.7)
        and numeric < 0.1
        and 1.5 <= avg_words <= 5
    )
    if street and (street_frac >= person_frac or not person):
        return _entity(
            plan,
            "STREET_ADDRESS",
            0.7,
            "street-address",
            f"{street_frac:.0%} of sampled values look like street addresses",
        )
    if person:
        return _entity(
            plan,
            "PERSON",
            0.6 + 0.3 * person_frac,
            "person-name",
            f"{person_frac:.0%} of sampled values look like people's names",
        )

    if numeric > 0.9:
        plan.mode = Mode.SKIP
    elif avg_len >= 30 or avg_words >= 5:
        plan.mode = Mode.TEXT
    else:
        plan.mode = Mode.SCREEN
    if nat_frac >= 0.8:
        # Country names: an attribute only when the table turns out to be about people.
        plan.entity = "NATIONALITY"
        plan.confidence = 0.5 * nat_frac
        plan.detector = "nationality"
        plan.explanation = f"{nat_frac:.0%} of sampled values are countries or nationalities"
        plan.mode = Mode.ENTITY
        plan.weak = True
    return plan


def _entity(
    plan: ColumnPlan, entity: str, conf: float, det: str, why: str, *, keyword: str = ""
) -> ColumnPlan:
    plan.keyword = keyword
    plan.mode = Mode.ENTITY
    plan.entity = entity
    plan.confidence = conf
    plan.detector = det
    plan.explanation = why
    return plan
