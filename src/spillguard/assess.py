"""Assess: hits in, a verdict out. Severity is about people, not patterns (DESIGN.md)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from spillguard.accept import acceptance_for
from spillguard.detect import Hit, RecordSet
from spillguard.entities import FINANCIAL, GOVERNMENT_IDS, SENSITIVE, counted, label
from spillguard.keys import fingerprint
from spillguard.model import Finding, NotInspected, Severity, Surface, Verdict
from spillguard.policy import Policy

#: attributes that, with a name, make a record identifying beyond a directory entry
_IDENTIFYING = frozenset(
    {*GOVERNMENT_IDS, "DATE_OF_BIRTH", "NATIONALITY", "STREET_ADDRESS", *SENSITIVE, "AGE"}
)


def severity_of(hit: Hit, records: dict[int, RecordSet], policy: Policy) -> Severity:
    """The severity of one hit, given the tables of people found in the same file."""
    # headers and footers are printed on every page: as seen as the body, whatever their part
    hidden = hit.surface.hidden and hit.surface is not Surface.HEADER_FOOTER
    ent = hit.entity
    if ent == "COVERED_TEXT":
        return Severity.CRITICAL
    if ent in GOVERNMENT_IDS:
        return Severity.CRITICAL if hit.confidence >= 0.5 else Severity.HIGH
    if ent in FINANCIAL:
        return Severity.HIGH
    if hit.context == "author" and ent in ("PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER"):
        return Severity.LOW  # document, comment and photo authors are expected to name staff
    if hit.role_address:
        return Severity.LOW if hidden else Severity.INFO
    if hit.in_records:
        if hidden:
            return Severity.CRITICAL
        if hit.people >= policy.records_block and _identifying(hit, records):
            return Severity.HIGH
        return Severity.MEDIUM
    if ent == "IP_ADDRESS":
        return Severity.MEDIUM  # an address of a machine, personal only with its user
    if hidden:
        if hit.surface is Surface.METADATA:
            if hit.context == "author":
                return Severity.LOW
            if ent == "DATE_OF_BIRTH":
                return Severity.HIGH
            return Severity.MEDIUM
        if ent in ("PHONE_NUMBER", "STREET_ADDRESS", "IP_ADDRESS") and not hit.in_records:
            # a switchboard number in a chart cache is not a person's
            return Severity.HIGH if hit.surface in _PERSONAL_SURFACES else Severity.LOW
        return Severity.HIGH
    # visible
    if ent == "PERSON":
        return Severity.LOW
    if ent == "STREET_ADDRESS" and not hit.in_records and not hit.part:
        return Severity.INFO  # an office or facility address in a letter or press release
    if hit.part and ent in ("PHONE_NUMBER", "STREET_ADDRESS", "EMAIL_ADDRESS"):
        return Severity.LOW  # a directory of offices or facilities, not of people
    if ent in ("EMAIL_ADDRESS", "PHONE_NUMBER", "DATE_OF_BIRTH"):
        return Severity.MEDIUM if hit.detector != "column-header" else Severity.LOW
    return Severity.LOW


#: surfaces where anything found is somebody's working notes, not publishable layout
_PERSONAL_SURFACES = frozenset(
    {Surface.COMMENT, Surface.TRACKED_CHANGE, Surface.HIDDEN_TEXT, Surface.SPEAKER_NOTES,
     Surface.REDACTION_OVERLAY, Surface.PREVIOUS_REVISION, Surface.HTML_COMMENT,
     Surface.WHITE_TEXT, Surface.ANNOTATION, Surface.FORM_FIELD}
)  # fmt: skip


def _identifying(hit: Hit, records: dict[int, RecordSet]) -> bool:
    rs = records.get(hit.part)
    if rs is None:
        return False
    ents = {e for _, _, e in rs.columns}
    return bool(ents & _IDENTIFYING)


def assess(
    hits: Sequence[Hit],
    records: Sequence[RecordSet],
    not_inspected: Sequence[NotInspected],
    policy: Policy,
) -> tuple[Verdict, list[Finding], list[str]]:
    """Return the verdict, the findings (severity order) and the reasons a person can read."""
    by_key = {rs.part: rs for rs in records}
    in_records: set[int] = set()
    findings: list[Finding] = []
    for h in hits:
        if h.entity in policy.disabled_entities:
            continue
        sev = policy.severity.get(h.entity) or severity_of(h, by_key, policy)
        if h.in_records:
            in_records.add(len(findings))
        findings.append(
            Finding(
                entity=h.entity,
                severity=sev,
                surface=h.surface,
                location=h.where,
                member=h.member,
                count=h.count,
                people=h.people,
                sample=h.sample,
                confidence=h.confidence,
                detector=h.detector,
                explanation=h.explanation,
                fingerprint=fingerprint(
                    h.entity, h.surface.value, h.member or "", h.where, str(h.count), str(h.digest)
                ),
            )
        )
    reasons = _reasons([f for i, f in enumerate(findings) if i not in in_records], records)
    findings.sort(key=lambda f: (-f.severity.rank, f.visibility.value != "hidden", -f.count))
    if policy.accepted:
        reasons.extend(_apply_acceptances(findings, policy))
    worst = max((f.severity.rank for f in findings if f.accepted is None), default=-1)
    if worst >= Severity.HIGH.rank:
        verdict = Verdict.BLOCK
    elif worst >= Severity.LOW.rank:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.PASS
    if not_inspected:
        if policy.not_inspected_blocks:
            verdict = Verdict.BLOCK
            reasons.append("some content could not be inspected, and the policy blocks that")
        elif verdict is Verdict.PASS:
            verdict = Verdict.WARN
            reasons.append("some content could not be inspected (see 'not inspected')")
    return verdict, findings, reasons


def _reasons(findings: Sequence[Finding], records: Sequence[RecordSet]) -> list[str]:
    """One plain sentence per table of people, and one per surface for everything else."""
    reasons: list[str] = []
    for rs in records:
        place = rs.where + (f" in {rs.member}" if rs.member else "")
        kinds = sorted({label(e) for _, _, e in rs.columns})
        first = place.split(" ", 1)[0].casefold()
        if rs.surface.hidden and first not in rs.surface.label:
            place = f"{rs.surface.label} {place}"
        reasons.append(f"personal records of {rs.people:,} people in {place} ({', '.join(kinds)})")
    by_surface: dict[Surface, list[Finding]] = {}
    for f in findings:
        if f.severity.rank >= Severity.HIGH.rank and f.count:
            by_surface.setdefault(f.surface, []).append(f)
    for surface, group in by_surface.items():
        what = ", ".join(counted(f.count, f.entity) for f in group)
        places: list[str] = []
        for f in group:
            for p in f.location.split("; "):
                if p not in places and not p.startswith("and "):
                    places.append(p)
        shown = "; ".join(places[:4]) + (f"; and {len(places) - 4} more" if len(places) > 4 else "")
        reasons.append(f"{what} in {surface.label} ({shown})")
    return reasons


def _apply_acceptances(findings: Sequence[Finding], policy: Policy) -> list[str]:
    """Mark accepted findings (they no longer count for the verdict); say so loudly when an
    acceptance has expired."""
    notes: list[str] = []
    today = dt.date.today()
    accepted = 0
    for f in findings:
        a = acceptance_for(f, policy.accepted)
        if a is None:
            continue
        if a.expired(today):
            assert a.expires is not None
            f.explanation += f" (its acceptance expired on {a.expires.isoformat()})"
            notes.append(
                f"EXPIRED ACCEPTANCE: {counted(f.count, f.entity)} at {f.location} were accepted "
                f"until {a.expires.isoformat()}; review them again"
            )
            continue
        f.accepted = a.note()
        accepted += 1
    if accepted:
        notes.append(f"{accepted} finding{'s' if accepted != 1 else ''} accepted for publication")
    return notes
