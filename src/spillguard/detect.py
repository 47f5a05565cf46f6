"""Detection: parts in, hits out.

A *hit* is a finding before assessment: entity, where, how many, a masked sample and a digest
of the values (for fingerprints). Raw values stay inside this module's loops: they are masked or
hashed before anything leaves it.

Tables are judged column by column (`spillguard.detectors.columns`); text parts go through every
text detector. People are counted with `PeopleLedger`, by the strongest identifier available.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from spillguard.detectors.base import Match, TextDetector
from spillguard.detectors.columns import (
    SAMPLE_ROWS,
    ColumnPlan,
    Mode,
    birth_dates_score,
    plan_columns,
)
from spillguard.detectors.names import (
    given_name_score,
    name_cell_score,
    name_shape,
    surname_score,
)
from spillguard.detectors.patterns import is_role_address
from spillguard.entities import (
    CONTACT,
    COVERED_TEXT,
    GOVERNMENT_IDS,
    HEADER_ONLY,
    PERSON_IDENTIFIERS,
    RECORD_ATTRIBUTES,
)
from spillguard.mask import mask
from spillguard.model import Surface, TablePart, TextPart
from spillguard.policy import Allow
from spillguard.readers.tables import format_cell

_NORM = re.compile(r"[\W_]+")
#: labels of fields that name the people or tools that made a file, not its subjects
_TOOL_CONTEXTS = frozenset({"software", "processingsoftware", "creatortool", "producer"})
_AUTHOR_CONTEXTS = frozenset({"author", "copyright"}) | _TOOL_CONTEXTS
#: surfaces whose separate parts usually describe one person (a file's properties, a form)
_ONE_RECORD = frozenset({Surface.METADATA, Surface.FORM_FIELD})
#: surfaces whose text someone made invisible on purpose
_INVISIBLE = frozenset({Surface.WHITE_TEXT, Surface.HIDDEN_TEXT})
_SCREEN_PREFILTER = re.compile(r"\d{5}|@|\d{3}[-\s.]\d{2}|[A-Za-z]{3}\d{6}|::|\d\.\d+\.\d")
_COLUMN_LETTERS = re.compile(r"^[A-Z]{1,3}$")


def is_role_email(value: str) -> bool:
    """An office's address (press@, foi@...), not a person's."""
    return is_role_address(value.strip())


def norm(value: str) -> str:
    return _NORM.sub("", value.casefold())


#: a cell value as the text a person would see, for detectors
cell_str = format_cell


def _digest(value: str) -> int:
    return zlib.crc32(value.encode("utf-8", "surrogatepass"))


@dataclass(slots=True)
class Hit:
    """A finding before assessment. `sample` is already masked."""

    entity: str
    surface: Surface
    where: str
    member: str | None
    count: int
    sample: str
    confidence: float
    detector: str
    explanation: str
    digest: int
    in_records: bool = False
    context: str = ""
    people: int = 0
    places: int = 1
    role_address: bool = False
    part: int = 0  # which table of the file it came from (0: text)


@dataclass(slots=True)
class RecordSet:
    """A table whose rows are individuals."""

    surface: Surface
    where: str
    member: str | None
    rows: int
    people: int
    columns: list[tuple[str, str, str]]  # (header shown to people, column label, entity)
    part: int = 0


class PeopleLedger:
    """Counts distinct people in one file, by the strongest identifier available.

    A row keyed by an ID number counts once per ID; its name and name+birthdate are remembered
    ("attached") so the same person found elsewhere by name only is not counted twice.
    """

    def __init__(self) -> None:
        self.strong: set[int] = set()
        self.attached: array[int] = array("q")
        self.weak_name_dob: set[int] = set()
        self.weak_name: set[int] = set()
        self.weak_contact: set[int] = set()
        self._groups: dict[str, tuple[set[int], set[int], set[int]]] = {}

    def add(
        self,
        *,
        strong: int | None = None,
        name_dob: int | None = None,
        name: int | None = None,
        contact: int | None = None,
    ) -> None:
        if strong is not None:
            self.strong.add(strong)
            if name_dob is not None:
                self.attached.append(name_dob)
            if name is not None:
                self.attached.append(name)
        elif name_dob is not None:
            self.weak_name_dob.add(name_dob)
            if name is not None:
                self.attached.append(name)
        elif name is not None:
            self.weak_name.add(name)
        elif contact is not None:
            self.weak_contact.add(contact)

    def add_group(self, ids: set[int], names: set[int], contacts: set[int]) -> None:
        """People known only as sets of values that belong together (not as rows).

        Names are taken to belong to the ID numbers when there are no more names than numbers.
        """
        for k in ids:
            self.add(strong=k)
        if ids and len(names) <= len(ids):
            self.attached.extend(names)
        else:
            for k in names:
                self.add(name=k)
        if not ids and not names:
            for k in contacts:
                self.add(contact=k)

    def add_to_group(
        self, group: str, *, strong: int | None, name: int | None, contact: int | None
    ) -> None:
        ids, names, contacts = self._groups.setdefault(group, (set(), set(), set()))
        if strong is not None:
            ids.add(strong)
        if name is not None:
            names.add(name)
        if contact is not None:
            contacts.add(contact)

    def merge(self, other: PeopleLedger) -> None:
        """Take in the people of one table (its ledger is not used afterwards)."""
        if not self.strong:
            self.strong = other.strong  # a single big table: no copy
        else:
            self.strong |= other.strong
        self.attached.extend(other.attached)
        self.weak_name_dob |= other.weak_name_dob
        self.weak_name |= other.weak_name
        self.weak_contact |= other.weak_contact

    def count(self) -> int:
        for ids, names, contacts in self._groups.values():
            self.add_group(ids, names, contacts)
        self._groups.clear()
        n = len(self.strong)
        if not (self.weak_name_dob or self.weak_name or self.weak_contact):
            return n
        attached = set(self.attached)
        n += len(self.weak_name_dob - attached)
        n += len(self.weak_name - attached)
        if n == 0:
            n = len(self.weak_contact)
        return n


#: header keywords of PERSON columns that hold part of one person's name
_NAME_PARTS = frozenset({"given name", "last name", "middle name", "initials"})
#: PERSON columns that describe the row's person rather than name another one
_NAME_ATTRS = frozenset({"alias", "username", "author", "contact person"})

_DIGIT_IDS = frozenset({"A_NUMBER", "US_SSN", "US_ITIN", "I94_NUMBER"})


def id_key(entity: str, value: str) -> int:
    """In-process key of an identity number: 'A-012-345-678' and '12345678' are the same."""
    if entity in _DIGIT_IDS:
        return hash(("id", entity, "".join(filter(str.isdigit, value)).lstrip("0")))
    return hash(("id", entity, norm(value)))


def name_key(value: str) -> int:
    return hash(("name", norm(value)))


def _key(kind: str, value: str) -> int:
    if kind in GOVERNMENT_IDS:
        return id_key(kind, value)
    if kind == "PERSON":
        return name_key(value)
    return hash((kind, norm(value)))


# --------------------------------------------------------------------------------------------
# text


@dataclass(slots=True)
class _TextAgg:
    hit: Hit
    wheres: list[str] = field(default_factory=list)
    parts: set[int] = field(default_factory=set)


#: entities that a street address may contain without being them: "Via Carlo Cattaneo 88",
#: "Johannes van Vlotenlaan 14" name people; "Terrugem, Portugal" names a country
_INSIDE_ADDRESS = frozenset({"PERSON", "NATIONALITY"})


def text_matches(text: str, detectors: Sequence[TextDetector], *, context: str = "") -> list[Match]:
    """Every detector's matches in `text`, without names lying inside a street address."""
    found = [m for det in detectors for m in det.find(text, context=context)]
    spans = [(m.start, m.end) for m in found if m.entity == "STREET_ADDRESS"]
    if spans:
        found = [
            m
            for m in found
            if m.entity not in _INSIDE_ADDRESS
            or not any(a <= m.start and m.end <= b for a, b in spans)
        ]
    return found


class TextCollector:
    """Aggregates matches from many text parts of one file into hits, by entity and surface."""

    def __init__(self, ledger: PeopleLedger, *, allow: Allow | None = None) -> None:
        self.ledger = ledger
        self.allow = allow if allow is not None and allow.active else None
        self._aggs: dict[tuple[str, Surface, str | None, str], _TextAgg] = {}
        # People are paired within a group: one text part, or all the document properties of a
        # file (a case template's properties describe one person).
        self._ids: dict[tuple[Surface, str | None, int], set[int]] = {}
        self._names: dict[tuple[Surface, str | None, int], set[int]] = {}
        self._contacts: dict[tuple[Surface, str | None, int], set[int]] = {}
        self._nparts = 0

    def add_part(self, part: TextPart, detectors: Sequence[TextDetector]) -> None:
        self._nparts += 1
        pid = self._nparts
        text = part.text
        if not text or not text.strip():
            return
        surface = part.location.surface
        ctx_kind = "author" if part.context.strip().casefold() in _AUTHOR_CONTEXTS else ""
        person = False
        tool = part.context.strip().casefold() in _TOOL_CONTEXTS
        for m in text_matches(text, detectors, context=part.context):
            if tool and m.entity == "PERSON":
                continue  # "Mac OS X", "Adobe Photoshop": names of programs, not people
            person = person or m.entity == "PERSON"
            self._add_match(part, pid, m, surface, ctx_kind, text)
        if surface is Surface.REDACTION_OVERLAY and text.strip():
            core = text.strip()
            start = text.index(core)
            covered = Match(
                COVERED_TEXT,
                start,
                start + len(core),
                core,
                0.95,
                "redaction-overlay",
                "text lies under a box drawn over it: hidden from view but still in the file, "
                "where anyone can select and copy it",
            )
            self._add_match(part, pid, covered, surface, ctx_kind, text)
        if not person and surface in _INVISIBLE and name_shape(text.strip()):
            core = text.strip()
            start = text.index(core)
            m = Match(
                "PERSON",
                start,
                start + len(core),
                core,
                0.5,
                "person-name",
                "text made invisible on purpose, shaped like a person's full name "
                "(capitalised words, no organisation or place words)",
            )
            self._add_match(part, pid, m, surface, ctx_kind, text)

    def _add_match(
        self, part: TextPart, pid: int, m: Match, surface: Surface, ctx_kind: str, text: str
    ) -> None:
        if self.allow is not None and self.allow.allows(m.value):
            return  # the policy says this value may be published
        role = m.entity == "EMAIL_ADDRESS" and is_role_email(m.value)
        key = (m.entity, surface, part.location.member, ctx_kind)
        agg = self._aggs.get(key)
        where = part.location.where
        if "\n" in text and m.start > 0:
            line = text.count("\n", 0, m.start) + 1
            where = f"{where} (line {line} of this part)" if where else f"line {line}"
        if agg is None:
            agg = _TextAgg(
                Hit(
                    entity=m.entity,
                    surface=surface,
                    where=where,
                    member=part.location.member,
                    count=0,
                    sample=mask(m.entity, m.value),
                    confidence=m.confidence,
                    detector=m.detector,
                    explanation=m.explanation,
                    digest=0,
                    context=ctx_kind,
                    role_address=role,
                )
            )
            self._aggs[key] = agg
        h = agg.hit
        h.count += 1
        h.digest = (h.digest + _digest(norm(m.value))) & 0xFFFFFFFFFFFFFFFF
        h.confidence = max(h.confidence, m.confidence)
        h.role_address = h.role_address and role
        if pid not in agg.parts:
            agg.parts.add(pid)
            if len(agg.wheres) < 3 and where not in agg.wheres:
                agg.wheres.append(where)
        if ctx_kind == "author" or role:
            return
        k = _key(m.entity, m.value)
        group = (surface, part.location.member, 0 if surface in _ONE_RECORD else pid)
        if m.entity in GOVERNMENT_IDS:
            self._ids.setdefault(group, set()).add(k)
        elif m.entity == "PERSON":
            self._names.setdefault(group, set()).add(name_key(m.value))
        elif m.entity in CONTACT:
            self._contacts.setdefault(group, set()).add(k)

    def hits(self) -> list[Hit]:
        out = []
        for agg in self._aggs.values():
            h = agg.hit
            h.places = len(agg.parts)
            if agg.wheres:
                extra = h.places - len(agg.wheres)
                h.where = "; ".join(agg.wheres) + (
                    f"; and {extra} more place{'s' if extra > 1 else ''}" if extra > 0 else ""
                )
            out.append(h)
        return out

    def finish(self) -> None:
        """Feed the people found in text into the file's ledger."""
        for group in set(self._ids) | set(self._names) | set(self._contacts):
            self.ledger.add_group(
                self._ids.get(group, set()),
                self._names.get(group, set()),
                self._contacts.get(group, set()),
            )


# --------------------------------------------------------------------------------------------
# tables


@dataclass(slots=True)
class _ColAgg:
    entity: str
    count: int = 0
    digest: int = 0
    sample: str | None = None
    first_row: int | None = None
    last_row: int | None = None
    confidence: float = 0.0
    detector: str = ""
    explanation: str = ""
    roles: int = 0


def _column_where(part: TablePart, plan: ColumnPlan, first: int | None, last: int | None) -> str:
    col = plan.label
    rows = ""
    if first is not None:
        rows = f"{first}" if first == last else f"{first}:{col}{last}"
    if part.sheet and _COLUMN_LETTERS.match(col) and rows:
        sheet = part.sheet if re.fullmatch(r"\w+", part.sheet) else f"'{part.sheet}'"
        return f"{sheet}!{col}{rows}"
    base = part.location.where or part.sheet
    if base.startswith(("lines ", "rows ")):
        base = ""  # the column's own row span says it better
    shown = f"column {plan.label!r}" if plan.label else f"column {plan.index + 1}"
    span = ""
    if first is not None:
        span = f", row {first}" if first == last else f", rows {first}-{last}"
    return f"{base}, {shown}{span}" if base else f"{shown}{span}"


def safe_header(header: str, detectors: Sequence[TextDetector]) -> str:
    """The header as it may be shown to people: '' if the 'header' itself looks like a value."""
    h = header.strip()
    if not h:
        return ""
    if name_cell_score(h) >= 0.8:
        return ""
    for det in detectors:
        if det.id in ("nationality",):
            continue
        for m in det.find(h):
            if m.entity in PERSON_IDENTIFIERS or m.entity in CONTACT:
                return ""
    return h[:60]


@dataclass(slots=True)
class TableOutcome:
    hits: list[Hit]
    records: RecordSet | None
    rows: int


def _row_strings(values: Sequence[Any]) -> list[str]:
    return [v if type(v) is str else cell_str(v) for v in values]


def detect_table(
    part: TablePart,
    detectors: Sequence[TextDetector],
    ledger: PeopleLedger,
    *,
    part_no: int = 1,
    allow: Allow | None = None,
) -> TableOutcome:
    rows_iter: Iterator[tuple[int, Sequence[Any]]] = part.iter_rows()
    sample = list(islice(rows_iter, SAMPLE_ROWS))
    sample_str = [_row_strings(v) for _, v in sample]
    labels = list(part.column_labels)
    plans = plan_columns(part.header, labels, sample_str, detectors)
    _refine_headerless(plans, sample_str)
    entity_plans = [p for p in plans if p.mode is Mode.ENTITY and p.entity]
    strong_plans = [p for p in entity_plans if p.entity in GOVERNMENT_IDS and not p.weak]
    strong_plans.sort(key=lambda p: GOVERNMENT_IDS.index(p.entity or ""))
    person_plans = [p for p in entity_plans if p.entity == "PERSON"]
    dob_plans = [p for p in entity_plans if p.entity == "DATE_OF_BIRTH"]
    email_plans = [p for p in entity_plans if p.entity == "EMAIL_ADDRESS"]
    text_plans = [p for p in plans if p.mode is Mode.TEXT]
    screen_plans = [p for p in plans if p.mode is Mode.SCREEN]
    pattern_detectors = [d for d in detectors if d.id not in ("person-name", "nationality")]

    aggs: dict[int, _ColAgg] = {
        p.index: _ColAgg(
            p.entity or "", confidence=p.confidence, detector=p.detector, explanation=p.explanation
        )
        for p in entity_plans
    }
    cell_aggs: dict[tuple[int, str], _ColAgg] = {}
    cell_keys: set[tuple[str, int]] = set()
    local = PeopleLedger()  # this table's people; merged into the file's ledger at the end
    # Without an ID number, a row is a person: two officers may share a surname and initials.
    # Such rows are told apart by all their cells (duplicate rows still collapse).
    row_people: set[int] = set()
    digest = 0  # of every value in the labelled columns, for fingerprints
    rows = 0
    sid = strong_plans[0].index if strong_plans else None
    sid_entity = strong_plans[0].entity or "" if strong_plans else ""
    # Name parts (given name, surname, initials) make up one person; each further full-name
    # column ("Victim Name", "Witness Name") is another person in the same row.
    parts_idx = [p.index for p in person_plans if p.keyword in _NAME_PARTS]
    if parts_idx:
        # "Nombre" beside "Apellido", "Name" beside "Surname": the plain one is a given name
        parts_idx += [p.index for p in person_plans if p.keyword == "name"]
        parts_idx.sort()
    full_idx = [
        p.index
        for p in person_plans
        if p.keyword not in _NAME_PARTS | _NAME_ATTRS and p.index not in parts_idx
    ]
    if parts_idx:
        name_idx, other_idx = parts_idx, full_idx
    elif full_idx:
        name_idx, other_idx = full_idx[:1], full_idx[1:]
    else:
        name_idx, other_idx = [p.index for p in person_plans][:1], []
    other_people: set[int] = set()
    dob_idx = dob_plans[0].index if dob_plans else None
    email_idx = email_plans[0].index if email_plans else None
    entity_idx = [(p.index, aggs[p.index]) for p in entity_plans]

    for p in screen_plans:
        p.quiet_shapes = _quiet_shapes(p.index, sample_str, pattern_detectors, p.header)
    has_email = bool(email_plans)
    # Cells of a pattern column are trusted by shape: a shape the sample validated counts as it
    # is; any other shape ("Total detained: 400" under the A-numbers) is validated first.
    checks: dict[int, tuple[TextDetector, set[str], str]] = {}
    by_id = {d.id: d for d in detectors}
    for p in entity_plans:
        det = by_id.get(p.detector)
        if det is not None and p.detector not in ("person-name", "nationality"):
            ctx = p.context or p.header
            checks[p.index] = (det, _valid_shapes(p.index, sample_str, det, ctx), ctx)
    columns = [(j, agg, checks.get(j)) for j, agg in entity_idx]
    allowed = allow if allow is not None and allow.active else None
    for label, raw in chain(sample, rows_iter):
        width = len(raw)
        if width:
            first = raw[0]
            if type(first) is str and first[:1] in _FOOTER_START and _is_footer(first):
                continue
        rows += 1
        seen: list[str] = []
        for j, agg, check in columns:
            if j >= width:
                continue
            v = raw[j]
            if v is None or v == "":
                continue
            s = (v if type(v) is str else cell_str(v)).strip()
            if not s:
                continue
            if (
                check is not None
                and s.translate(_SHAPE) not in check[1]
                and not any(True for _ in check[0].find(s, context=check[2]))
            ):
                continue
            if allowed is not None and allowed.allows(s):
                continue
            seen.append(s)
            agg.count += 1
            if agg.sample is None:
                agg.sample = mask(agg.entity, s)
                agg.first_row = label
            agg.last_row = label
            if has_email and agg.entity == "EMAIL_ADDRESS" and is_role_email(s):
                agg.roles += 1
        if seen:
            digest += _digest("\x1f".join(seen))
        # who is this row about?
        strong = name = name_dob = contact = None
        if sid is not None and sid < width and raw[sid] not in (None, ""):
            strong = id_key(sid_entity, cell_str(raw[sid]))
        if name_idx:
            nm = " ".join([cell_str(raw[j]) for j in name_idx if j < width and raw[j] is not None])
            nn = norm(nm)
            if nn:
                name = hash(("name", nn))  # == name_key(nm)
                if dob_idx is not None and dob_idx < width and raw[dob_idx] not in (None, ""):
                    name_dob = hash(("name-dob", nn, cell_str(raw[dob_idx]).strip()))
        for j in other_idx:
            if j < width and raw[j] not in (None, ""):
                k = name_key(cell_str(raw[j]))
                other_people.add(k)
                local.add(name=k)
        if email_idx is not None and email_idx < width and raw[email_idx] not in (None, ""):
            contact = hash(("email", norm(cell_str(raw[email_idx]))))
        if strong is not None or name is not None or contact is not None:
            if part.group:
                ledger.add_to_group(part.group, strong=strong, name=name, contact=contact)
            else:
                local.add(strong=strong, name_dob=name_dob, name=name, contact=contact)
                if strong is None:
                    row_people.add(name_dob if name_dob is not None else hash(tuple(raw)))
        # cells that need every detector
        for p in text_plans:
            j = p.index
            if j < width and raw[j]:
                _scan_cell(cell_str(raw[j]), p, label, detectors, cell_aggs, cell_keys, allowed)
        for p in screen_plans:
            j = p.index
            if j >= width:
                continue
            v = raw[j]
            if type(v) is not str or len(v) < 5 or not _SCREEN_PREFILTER.search(v):
                continue
            if p.quiet_shapes and v.translate(_SHAPE) in p.quiet_shapes:
                continue
            _scan_cell(v, p, label, pattern_detectors, cell_aggs, cell_keys, allowed)

    is_people_table = bool(
        strong_plans
        or person_plans
        or (email_plans and sum(aggs[p.index].count - aggs[p.index].roles for p in email_plans) > 0)
    )
    if not is_people_table:
        people = 0
    elif part.group:
        people = rows  # distinct values of one field: counted with the group in the ledger
    else:
        people = (
            len(local.strong) + len(row_people) + len(other_people) if row_people else local.count()
        )
    ledger.merge(local)
    digest &= 0xFFFFFFFFFFFFFFFF
    for agg in aggs.values():
        agg.digest = digest
    hits: list[Hit] = []
    record_cols: list[tuple[str, str, str]] = []
    for p in entity_plans:
        agg = aggs[p.index]
        if agg.count == 0:
            continue
        ent = agg.entity
        if not is_people_table and (p.weak or ent in HEADER_ONLY or ent == "NATIONALITY"):
            continue  # an attribute of no one: aggregates, facility lists, country tables
        if not is_people_table and ent == "DATE_OF_BIRTH":
            continue
        shown = safe_header(p.header, detectors)
        if is_people_table:
            record_cols.append((shown, p.label, ent))
        hits.append(
            Hit(
                entity=ent,
                surface=part.location.surface,
                where=_column_where(part, p, agg.first_row, agg.last_row),
                member=part.location.member,
                count=agg.count,
                sample=agg.sample or "",
                confidence=agg.confidence,
                detector=agg.detector,
                explanation=agg.explanation.replace(repr(p.header), repr(shown or p.label))
                if p.header
                else agg.explanation,
                digest=agg.digest,
                in_records=is_people_table and ent in (PERSON_IDENTIFIERS | RECORD_ATTRIBUTES),
                people=people,
                role_address=ent == "EMAIL_ADDRESS" and agg.roles == agg.count,
                part=part_no,
            )
        )
    for (j, _ent), agg in cell_aggs.items():
        plan = plans[j]
        hits.append(
            Hit(
                entity=agg.entity,
                surface=part.location.surface,
                where=_column_where(part, plan, agg.first_row, agg.last_row)
                + (f" ({agg.count} cells)" if agg.count > 1 else ""),
                member=part.location.member,
                count=agg.count,
                sample=agg.sample or "",
                confidence=agg.confidence,
                detector=agg.detector,
                explanation=agg.explanation + " (found inside cells of a free-text column)"
                if plan.mode is Mode.TEXT
                else agg.explanation,
                digest=agg.digest,
                in_records=is_people_table,
                people=people,
                role_address=agg.entity == "EMAIL_ADDRESS" and agg.roles == agg.count,
                part=part_no,
            )
        )
    records = None
    if is_people_table and record_cols and people:
        records = RecordSet(
            surface=part.location.surface,
            where=part.location.where or part.sheet,
            member=part.location.member,
            rows=rows,
            people=people,
            columns=record_cols,
            part=part_no,
        )
    else:
        # names and IDs scattered in cells of a table that is not itself about people
        for kind, k in cell_keys:
            if kind == "id":
                ledger.add(strong=k)
            else:
                ledger.add(name=k)
    return TableOutcome(hits=hits, records=records, rows=rows)


#: the shape of an ASCII value: digits become 9, letters A ("REQ-000123" -> "AAA-999999")
_SHAPE = str.maketrans(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "9" * 10 + "A" * 52
)
#: a shape is trusted as harmless after this many sampled values of it matched nothing
_QUIET_MIN = 20


def _quiet_shapes(
    j: int, sample: Sequence[Sequence[str]], detectors: Sequence[TextDetector], header: str
) -> frozenset[str]:
    """Shapes of a column's values that the sample shows to be harmless codes.

    A column of request numbers or dates ("REQ-000123", "2023-01-05") is screened cell by cell
    with the validated patterns; when 20 or more sampled values of one shape matched nothing,
    later values of exactly that shape are skipped. Any other shape is still screened.
    """
    seen: dict[str, int] = {}
    loud: set[str] = set()
    for row in sample:
        if j >= len(row):
            continue
        v = row[j]
        if len(v) < 5 or not _SCREEN_PREFILTER.search(v):
            continue
        shape = v.translate(_SHAPE)
        seen[shape] = seen.get(shape, 0) + 1
        if shape not in loud and any(True for d in detectors for _ in d.find(v, context=header)):
            loud.add(shape)
    return frozenset(s for s, n in seen.items() if n >= _QUIET_MIN and s not in loud)


_FOOTER_START = frozenset("TtGgSs ")
_FOOTER = re.compile(r"\s*(?:grand\s+|sub-?)?totals?\b")


def _is_footer(first: Any) -> bool:
    """A totals row under a table ("Total", "Grand total: 400") is not a record."""
    return type(first) is str and bool(first) and bool(_FOOTER.match(first[:24].casefold()))


def _valid_shapes(
    j: int, sample: Sequence[Sequence[str]], det: TextDetector, header: str
) -> set[str]:
    shapes: set[str] = set()
    for row in sample:
        if j < len(row) and row[j].strip():
            v = row[j].strip()
            shape = v.translate(_SHAPE)
            if shape not in shapes and any(True for _ in det.find(v, context=header)):
                shapes.add(shape)
    return shapes


def _refine_headerless(plans: list[ColumnPlan], sample: Sequence[Sequence[str]]) -> None:
    """In a table without a header: a column of given names beside a column of surnames is
    one name in two parts; a column of birth-like dates beside names is birth dates."""
    if any(p.header for p in plans):
        return
    _split_names(plans, sample)
    if not any(p.entity == "PERSON" for p in plans):
        return
    for p in plans:
        if p.mode is Mode.ENTITY:
            continue
        values = [r[p.index].strip() for r in sample if p.index < len(r) and r[p.index].strip()]
        if values and birth_dates_score(values) >= 1.0:
            p.mode = Mode.ENTITY
            p.entity = "DATE_OF_BIRTH"
            p.confidence = 0.7
            p.detector = "date-of-birth"
            p.context = "date of birth"
            p.explanation = (
                "a column of dates beside people's names, all 0-110 years back and spread over "
                "decades: birth dates (the table has no header)"
            )


def _split_names(plans: list[ColumnPlan], sample: Sequence[Sequence[str]]) -> None:
    free = [p for p in plans if p.mode is not Mode.ENTITY and p.mode is not Mode.SKIP]
    by_index = {p.index: p for p in free}
    for p in free:
        nxt = by_index.get(p.index + 1)
        if nxt is None or p.entity or nxt.entity:
            continue
        given = [r[p.index].strip() for r in sample if p.index < len(r) and r[p.index].strip()]
        family = [
            r[nxt.index].strip() for r in sample if nxt.index < len(r) and r[nxt.index].strip()
        ]
        if len(given) < 5 or len(family) < 5:
            continue
        g_frac = sum(1 for v in given if given_name_score(v) > 0) / len(given)
        s_frac = sum(1 for v in family if surname_score(v) > 0) / len(family)
        g_next = sum(1 for v in family if given_name_score(v) > 0) / len(family)
        if g_frac >= 0.7 and s_frac >= 0.6 and g_frac > g_next + 0.2:
            for q, keyword, what in (
                (p, "given name", "given names"),
                (nxt, "last name", "surnames"),
            ):
                q.mode = Mode.ENTITY
                q.entity = "PERSON"
                q.keyword = keyword
                q.confidence = 0.75
                q.detector = "person-name"
                q.explanation = (
                    f"{g_frac:.0%} of sampled values in one column are known given names and "
                    f"{s_frac:.0%} in the next are known surnames: {what} (the table has no header)"
                )


def _scan_cell(
    text: str,
    plan: ColumnPlan,
    row_label: int,
    detectors: Iterable[TextDetector],
    cell_aggs: dict[tuple[int, str], _ColAgg],
    cell_keys: set[tuple[str, int]],
    allowed: Allow | None = None,
) -> None:
    for det in detectors:
        for m in det.find(text, context=plan.header):
            if allowed is not None and allowed.allows(m.value):
                continue
            agg = cell_aggs.get((plan.index, m.entity))
            if agg is None:
                agg = _ColAgg(
                    m.entity,
                    confidence=m.confidence,
                    detector=m.detector,
                    explanation=m.explanation,
                )
                agg.sample = mask(m.entity, m.value)
                agg.first_row = row_label
                cell_aggs[(plan.index, m.entity)] = agg
            agg.count += 1
            agg.last_row = row_label
            agg.digest = (agg.digest + _digest(norm(m.value))) & 0xFFFFFFFFFFFFFFFF
            agg.confidence = max(agg.confidence, m.confidence)
            if m.entity == "EMAIL_ADDRESS" and is_role_email(m.value):
                agg.roles += 1
            if m.entity in GOVERNMENT_IDS:
                cell_keys.add(("id", _key(m.entity, m.value)))
            elif m.entity == "PERSON":
                cell_keys.add(("name", name_key(m.value)))
