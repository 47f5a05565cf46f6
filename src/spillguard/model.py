"""The data model: what readers produce, what detectors find, what reports show.

Names here are the contract of ../DESIGN.md: fields may be added, never renamed.
Nothing in this module ever holds a raw personal value once a finding is made:
`Finding.sample` is masked and `Finding.fingerprint` is a keyed hash.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class Surface(enum.StrEnum):
    """Where in a file a part lives. Everything but VISIBLE counts as hidden."""

    VISIBLE = "visible"
    HIDDEN_SHEET = "hidden_sheet"
    VERY_HIDDEN_SHEET = "very_hidden_sheet"
    HIDDEN_ROW = "hidden_row"
    HIDDEN_COLUMN = "hidden_column"
    FILTERED_ROW = "filtered_row"
    PIVOT_CACHE = "pivot_cache"
    EXTERNAL_LINK_CACHE = "external_link_cache"
    DEFINED_NAME = "defined_name"
    CHART_CACHE = "chart_cache"
    COMMENT = "comment"
    METADATA = "metadata"
    HEADER_FOOTER = "header_footer"
    TRACKED_CHANGE = "tracked_change"
    HIDDEN_TEXT = "hidden_text"
    SPEAKER_NOTES = "speaker_notes"
    HIDDEN_SLIDE = "hidden_slide"
    OFF_SLIDE = "off_slide"
    REDACTION_OVERLAY = "redaction_overlay"
    PREVIOUS_REVISION = "previous_revision"
    ATTACHMENT = "attachment"
    ANNOTATION = "annotation"
    FORM_FIELD = "form_field"
    HTML_COMMENT = "html_comment"
    HIDDEN_ELEMENT = "hidden_element"
    SCRIPT_DATA = "script_data"
    EXIF = "exif"
    WHITE_TEXT = "white_text"

    @property
    def hidden(self) -> bool:
        return self is not Surface.VISIBLE

    @property
    def label(self) -> str:
        """A plain-language name for people who are not programmers."""
        return _SURFACE_LABELS[self]


_SURFACE_LABELS: dict[Surface, str] = {
    Surface.VISIBLE: "visible content",
    Surface.HIDDEN_SHEET: "hidden sheet",
    Surface.VERY_HIDDEN_SHEET: "very hidden sheet (not listed by Excel's Unhide)",
    Surface.HIDDEN_ROW: "hidden rows",
    Surface.HIDDEN_COLUMN: "hidden columns",
    Surface.FILTERED_ROW: "rows hidden by a filter",
    Surface.PIVOT_CACHE: "pivot table cache (a stored copy of the source data)",
    Surface.EXTERNAL_LINK_CACHE: "cached values from a linked workbook",
    Surface.DEFINED_NAME: "defined name (named range)",
    Surface.CHART_CACHE: "chart data cache",
    Surface.COMMENT: "comments",
    Surface.METADATA: "document properties",
    Surface.HEADER_FOOTER: "header or footer",
    Surface.TRACKED_CHANGE: "tracked changes",
    Surface.HIDDEN_TEXT: "hidden text",
    Surface.SPEAKER_NOTES: "speaker notes",
    Surface.HIDDEN_SLIDE: "hidden slide",
    Surface.OFF_SLIDE: "content placed off the slide",
    Surface.REDACTION_OVERLAY: "text under a redaction box",
    Surface.PREVIOUS_REVISION: "earlier revision kept in the file",
    Surface.ATTACHMENT: "embedded file",
    Surface.ANNOTATION: "annotation",
    Surface.FORM_FIELD: "form field",
    Surface.HTML_COMMENT: "HTML comment",
    Surface.HIDDEN_ELEMENT: "hidden page element",
    Surface.SCRIPT_DATA: "data inside a script",
    Surface.EXIF: "image metadata",
    Surface.WHITE_TEXT: "invisible (white or unformatted) text",
}


class Visibility(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"


class Severity(enum.StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


class Verdict(enum.StrEnum):
    PASS = "pass"
    WARN = "warn"
    BLOCK = "block"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _VERDICT_RANK[self]


_VERDICT_RANK = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.BLOCK: 2, Verdict.ERROR: 3}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a part or a finding is.

    `where` is the precise place in the words a person would use: ``Detainees!E2:E6253``,
    ``page 3 (72,700,540,720)``, ``word/document.xml tracked deletion #4``.
    """

    path: str
    surface: Surface = Surface.VISIBLE
    where: str = ""
    member: str | None = None

    def describe(self) -> str:
        bits = [self.path]
        if self.member:
            bits.append(self.member)
        if self.where:
            bits.append(self.where)
        return " :: ".join(bits)


@dataclass(slots=True)
class TextPart:
    """A run of text with its location. `context` holds words that frame it (a label, a key)."""

    text: str
    location: Location
    context: str = ""


@dataclass(slots=True)
class TablePart:
    """A table kept as a table: a header and rows, so columns can be judged as columns.

    `rows` yields ``(row_label, values)`` pairs and may be a one-shot iterator (streamed CSV).
    `row_label` is how a person finds the row (``7`` for spreadsheet row 7, a line number for
    CSV). `column_labels` name the columns for a person (``"E"``), aligned with `header`.
    `sheet` is the sheet or table name used in locations (``Detainees``).
    `location.where` describes the table as a whole.
    """

    header: list[str]
    rows: Iterable[tuple[int, Sequence[Any]]]
    location: Location
    column_labels: list[str] = field(default_factory=list)
    sheet: str = ""
    total_rows: int | None = None
    #: parts with the same non-empty group hold the same people, stored apart (the distinct values
    #: of each field of a pivot cache): people are counted across the group, not per part
    group: str = ""

    def iter_rows(self) -> Iterator[tuple[int, Sequence[Any]]]:
        return iter(self.rows)


Part = TextPart | TablePart


@dataclass(slots=True)
class EmbeddedFile:
    """A file inside the file: an archive member, an embedded Office object, a PDF attachment.

    The scanner reads it recursively with the same readers (within `Limits.max_depth`). `name` is
    its path inside the container as a person would follow it (``word/embeddings/oleObject1.bin``,
    ``data/2022/records.csv``). Give the content as `data` (small) or as `path` (a file the
    reader wrote, for large members). Parts found inside keep their own surface, except that
    visible content of a hidden container (an attachment) takes the container's `surface`.
    """

    name: str
    data: bytes | None = None
    path: Path | None = None
    surface: Surface = Surface.ATTACHMENT

    def __repr__(self) -> str:
        return f"EmbeddedFile(name={self.name!r}, surface={self.surface.value!r})"


@dataclass(frozen=True, slots=True)
class NotInspected:
    """Content a reader saw but could not inspect. Reported, never silently skipped."""

    location: Location
    reason: str


@dataclass(slots=True)
class Finding:
    entity: str
    severity: Severity
    surface: Surface
    location: str
    count: int
    sample: str
    confidence: float
    detector: str
    explanation: str
    fingerprint: str
    member: str | None = None
    people: int = 0
    #: set when a reviewer accepted this finding for publication (who, when, until, why)
    accepted: str | None = None

    @property
    def visibility(self) -> Visibility:
        return Visibility.HIDDEN if self.surface.hidden else Visibility.VISIBLE

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "severity": self.severity.value,
            "visibility": self.visibility.value,
            "surface": self.surface.value,
            "location": self.location,
            "member": self.member,
            "count": self.count,
            "people": self.people,
            "sample": self.sample,
            "confidence": round(self.confidence, 3),
            "detector": self.detector,
            "explanation": self.explanation,
            "fingerprint": self.fingerprint,
            "accepted": self.accepted,
        }


@dataclass(slots=True)
class FileResult:
    path: str
    sha256: str
    verdict: Verdict
    file_type: str = ""
    size: int = 0
    error: str | None = None
    individuals: int = 0
    findings: list[Finding] = field(default_factory=list)
    not_inspected: list[NotInspected] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sha256": self.sha256,
            "type": self.file_type,
            "size": self.size,
            "verdict": self.verdict.value,
            "error": self.error,
            "individuals": self.individuals,
            "reasons": list(self.reasons),
            "findings": [f.to_dict() for f in self.findings],
            "not_inspected": [
                {
                    "surface": n.location.surface.value,
                    "location": n.location.where,
                    "member": n.location.member,
                    "reason": n.reason,
                }
                for n in self.not_inspected
            ],
        }


@dataclass(slots=True)
class Report:
    version: str
    files: list[FileResult] = field(default_factory=list)

    @property
    def verdict(self) -> Verdict:
        worst = Verdict.PASS
        for f in self.files:
            if f.verdict.rank > worst.rank:
                worst = f.verdict
        # An unreadable file blocks the release: the report verdict says "block".
        return Verdict.BLOCK if worst is Verdict.ERROR else worst

    def summary(self) -> dict[str, Any]:
        counts = {v.value: 0 for v in Verdict}
        for f in self.files:
            counts[f.verdict.value] += 1
        hidden = sorted(
            {fi.surface.value for f in self.files for fi in f.findings if fi.surface.hidden}
        )
        return {
            "files": len(self.files),
            "verdicts": counts,
            "individuals": sum(f.individuals for f in self.files),
            "findings": sum(len(f.findings) for f in self.files),
            "hidden_surfaces": hidden,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "tool": {"name": "spillguard", "version": self.version},
            "verdict": self.verdict.value,
            "files": [f.to_dict() for f in self.files],
            "summary": self.summary(),
        }
