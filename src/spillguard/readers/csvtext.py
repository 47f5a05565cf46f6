"""Delimited text (CSV, TSV, semicolon, pipe) and plain text readers.

Both stream: a CSV of a million rows is read through a `TextIOWrapper` one record at a time, and a
text file is handed on in chunks of whole lines, so memory stays flat whatever the file size.

Decoding is strict. Before any part is yielded the whole file is decoded once (fast, in C) to prove
that the detected encoding holds from the first byte to the last; a file that breaks it is a
`CorruptFile` naming the byte offset, never text silently patched with replacement characters that
could hide an identifier from the detectors. One case is forgiven: a file whose first 64 KiB are
pure ASCII gives no evidence of its encoding, so when UTF-8 fails later on, cp1252 is tried.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import Location, Surface, TablePart, TextPart
from spillguard.readers.base import HEAD_BYTES, ReadItem, Source
from spillguard.readers.sniff import decode_head, is_cfb, is_zip, looks_like_text

_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE_RECORDS = 500
_SCAN_CHUNK = 1024 * 1024
_TEXT_CHUNK_CHARS = 64 * 1024
#: a line longer than this is handed on in pieces, so one huge line cannot exhaust memory
_MAX_LINE_CHARS = 1024 * 1024
#: longest line of a delimited or text file that is read at all (a 50 MB line of "a,a,a..." would
#: be one record of 17 million fields)
MAX_LINE_CHARS = 16 * 1024 * 1024
#: fields of one record (Excel's column limit); a wider record is a LimitExceeded
MAX_COLUMNS = 16_384
_LINE_BREAK = re.compile("\r\n|\r|\n")
#: NUL bytes a file named .csv/.tsv may hold (share of its head) and still be read as text
_MAX_NUL_SHARE = 0.1

_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}

# A number as spreadsheets export it: sign, thousands separators, decimal point or comma,
# exponent, percent, a currency sign; or a date/time written with digits.
_NUMERIC = re.compile(
    r"[-+(]?[$€£¥]?\s?\d[\d,.\s']*(?:[eE][-+]?\d+)?\s?[%)]?"
    r"|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?"
)


def encoding_label(encoding: str) -> str:
    """The encoding as people name it (``UTF-8``), for messages."""
    return _ENCODING_NAMES.get(encoding, encoding.upper())


def cell_kind(value: Any) -> str:
    """``"empty"``, ``"number"`` (numbers, dates, times, booleans) or ``"text"``."""
    if value is None:
        return "empty"
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return "empty"
        return "number" if _NUMERIC.fullmatch(stripped) else "text"
    if isinstance(value, int | float | bool | date | datetime | time | timedelta):
        return "number"
    return "text"


def looks_like_header(first: Sequence[Any], body: Sequence[Sequence[Any]]) -> bool:
    """Whether `first` names the columns of `body`.

    A header is mostly text, its labels are distinct, and it stands apart from the rows under it:
    a column that is numeric below a text label, or short labels free of digits and ``@`` that
    never recur in their column (an all-text table such as names and nationalities).
    """
    kinds = [cell_kind(v) for v in first]
    filled = [k for k in kinds if k != "empty"]
    if not filled or filled.count("text") * 2 < len(filled):
        return False
    labels = [str(v).strip().casefold() for v, k in zip(first, kinds, strict=True) if k == "text"]
    if len(set(labels)) != len(labels):
        return False
    rows = [r for r in body if any(cell_kind(v) != "empty" for v in r)]
    if not rows:
        return len(filled) >= 2 and all(k == "text" for k in filled)
    for j, kind in enumerate(kinds):
        if kind != "text":
            continue
        column = [cell_kind(r[j]) for r in rows if j < len(r)]
        values = [k for k in column if k != "empty"]
        if values and values.count("number") >= 0.8 * len(values):
            return True
    # All-text table (names, addresses...): the labels carry no digits or '@' and never recur in
    # their column, and some column stands apart: its values repeat (a category) or nearly all
    # are longer than the label ("Name" over full names). When unsure, say "no header", so that
    # the first row is inspected as data.
    evidence = False
    for j, kind in enumerate(kinds):
        if kind != "text":
            continue
        label = str(first[j]).strip()
        if "@" in label or any(ch.isdigit() for ch in label):
            return False
        column = [str(r[j]).strip().casefold() for r in rows if j < len(r)]
        column = [v for v in column if v]
        if label.casefold() in column:
            return False
        if _data_like_label(label, [str(r[j]).strip() for r in rows[:50] if j < len(r)]):
            return False  # "Victoria" over given names is the first person, not a header
        if len(set(column)) < len(column):
            evidence = True
        longer = sum(1 for v in column if len(v) > len(label))
        if column and longer >= 0.9 * len(column):
            evidence = True
    return evidence


def _data_like_label(label: str, column: Sequence[str]) -> bool:
    """Whether a would-be label is a name like the names below it, and names nothing itself."""
    from spillguard.detectors.headers import classify_header
    from spillguard.detectors.names import given_name_score, surname_score

    if classify_header(label) or not (given_name_score(label) or surname_score(label)):
        return False
    sample = column[:50]
    names = sum(1 for v in sample if given_name_score(v) or surname_score(v))
    return bool(sample) and names >= 0.6 * len(sample)


# --------------------------------------------------------------------------------------------
# Whole-file encoding check


@dataclass(frozen=True, slots=True)
class _Scan:
    encoding: str
    lines: int


def _first_bad_offset(path: Path, encoding: str) -> int | None:
    """Decode the whole file strictly; the absolute offset of the first invalid byte, or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    consumed = 0
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return consumed - pending + exc.start
            if not chunk:
                return None
            consumed += len(chunk)


def _count_lines(path: Path, encoding: str, max_line: int | None = None) -> _Scan:
    """Decode the whole file strictly and count its lines (``\\n``, ``\\r\\n`` or lone ``\\r``).

    A line over `max_line` is a LimitExceeded (delimited text: the csv module would build it into
    one record of millions of fields before any other bound could apply).
    """
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    breaks = 0
    last = ""
    run = 0  # characters of the line in progress
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_SCAN_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if text and max_line is not None and run + len(text) <= max_line:
                # no line can be over the limit within this chunk: just carry the open line on
                cut = max(text.rfind("\n"), text.rfind("\r"))
                run = run + len(text) if cut < 0 else len(text) - cut - 1
            elif text and max_line is not None:
                pieces = _LINE_BREAK.split(text)
                run += len(pieces[0])
                longest = max(run, *(len(p) for p in pieces[1:-1])) if len(pieces) > 2 else run
                if longest > max_line:
                    raise LimitExceeded(
                        f"a line near line {breaks + 1} is longer than {max_line:,} characters "
                        "(the line limit of delimited text)"
                    )
                if len(pieces) > 1:
                    run = len(pieces[-1])
            if text:
                breaks += text.count("\n") + text.count("\r") - text.count("\r\n")
                if last == "\r" and text[0] == "\n":
                    breaks -= 1
                last = text[-1]
            if not chunk:
                break
    if last and last not in "\r\n":
        breaks += 1  # a last line without a line break
    return _Scan(encoding=encoding, lines=breaks)


def _scan(path: Path, encoding: str, *, head_is_ascii: bool, max_line: int | None = None) -> _Scan:
    """Prove `encoding` holds for the whole file, or raise `CorruptFile` with the byte offset."""
    try:
        return _count_lines(path, encoding, max_line)
    except UnicodeDecodeError:
        pass  # located precisely below; a pure-ASCII head may still be cp1252
    if head_is_ascii and encoding == "utf-8":
        try:
            return _count_lines(path, "cp1252", max_line)
        except UnicodeDecodeError:
            pass  # not cp1252 either: report the UTF-8 failure, the likelier intent
    offset = _first_bad_offset(path, encoding)
    where = f"at byte offset {offset}" if offset is not None else "somewhere in the file"
    raise CorruptFile(f"the file is not valid {encoding_label(encoding)} {where}")


def _decode_error(path: Path, encoding: str) -> CorruptFile:
    offset = _first_bad_offset(path, encoding)
    where = f"at byte offset {offset}" if offset is not None else "(it changed while being read)"
    return CorruptFile(f"the file is not valid {encoding_label(encoding)} {where}")


# --------------------------------------------------------------------------------------------
# Delimiter and header sniffing


@dataclass(frozen=True, slots=True)
class CsvPlan:
    """How to read a delimited file, decided from its first 64 KiB."""

    encoding: str
    delimiter: str
    skipinitialspace: bool
    has_header: bool
    width: int
    head_is_ascii: bool

    @property
    def file_type(self) -> str:
        return "tsv" if self.delimiter == "\t" else "csv"


def _file_name(source: Source) -> str:
    """The file's own name (member name inside a container, last segment of a URL)."""
    name = source.member or source.display or source.path.name
    return name.replace("\\", "/").rsplit("/", 1)[-1].split("?", 1)[0]


def _name_of(source: Source) -> str:
    return _file_name(source).lower()


def _first_record(reader: Any) -> list[str] | None:
    """The first non-blank record (blank lines before a header are common in exports)."""
    for rec in reader:
        if rec:
            return list(rec)
    return None


def _sample_records(sample: str, delimiter: str, skip: bool) -> list[list[str]] | None:
    reader = csv.reader(
        io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', skipinitialspace=skip
    )
    out: list[list[str]] = []
    try:
        for rec in reader:
            if rec:
                out.append(rec)
                if len(out) >= _SAMPLE_RECORDS:
                    break
    except csv.Error:
        return None
    return out


def _score(records: list[list[str]]) -> tuple[float, int]:
    counts = Counter(len(r) for r in records)
    modal, freq = counts.most_common(1)[0]
    return freq / len(records), modal


def _sniffer_hint(sample: str) -> tuple[str, bool] | None:
    """csv.Sniffer's view of the first 16 KiB: delimiter and whether spaces follow it."""
    try:
        dialect = csv.Sniffer().sniff(sample[: 16 * 1024], delimiters="".join(_DELIMITERS))
    except csv.Error:
        return None
    return dialect.delimiter, bool(dialect.skipinitialspace)


def _plan(head: bytes, name: str) -> CsvPlan | None:
    if is_zip(head) or is_cfb(head):
        return None
    named_delimited = name.endswith((".csv", ".tsv", ".tab"))
    encoding = looks_like_text(head)
    if encoding is None and named_delimited and head.count(0) <= _MAX_NUL_SHARE * len(head):
        # Some exporters pad fields with NUL bytes. A file named as delimited text that is text
        # once they are set aside is read, NULs and all, rather than refused as binary.
        encoding = looks_like_text(head.replace(b"\x00", b""))
    if encoding is None:
        return None
    sample = decode_head(head, encoding)
    if sample is None:
        return None
    if len(head) >= HEAD_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # the head may end mid-record
    hint = _sniffer_hint(sample)
    best: tuple[tuple[float, int, int], str, bool, list[list[str]]] | None = None
    for rank, delimiter in enumerate(_DELIMITERS):
        skip = hint is not None and hint[0] == delimiter and hint[1]
        records = _sample_records(sample, delimiter, skip)
        if not records:
            continue
        consistency, modal = _score(records)
        if modal < 2:
            continue
        enough = len(records) >= 2 or named_delimited
        threshold = 0.8 if named_delimited else 0.9
        if modal == 2 and not named_delimited:
            enough = enough and len(records) >= 3
            threshold = 0.95
        if not enough or consistency < threshold:
            continue
        preferred = 0
        if name.endswith((".tsv", ".tab")) and delimiter == "\t":
            preferred = 1
        if hint is not None and hint[0] == delimiter:
            preferred += 1
        key = (consistency, preferred, modal - rank)
        if best is None or key > best[0]:
            best = (key, delimiter, skip, records)
    if best is None:
        if not named_delimited:
            return None
        # A .csv with a single column is still a table: one column to judge as a column.
        records = _sample_records(sample, ",", False) or []
        best = ((0.0, 0, 0), ",", False, records)
    _, delimiter, skip, records = best
    has_header = bool(records) and looks_like_header(records[0], records[1:])
    width = len(records[0]) if has_header else (_score(records)[1] if records else 1)
    return CsvPlan(
        encoding=encoding,
        delimiter=delimiter,
        skipinitialspace=skip,
        has_header=has_header,
        width=width,
        head_is_ascii=head.isascii(),
    )


@functools.lru_cache(maxsize=16)
def _cached_plan(head: bytes, name: str) -> CsvPlan | None:
    return _plan(head, name)


def plan_for(source: Source) -> CsvPlan | None:
    """How `source` would be read as delimited text, or None when it is not delimited text."""
    return _cached_plan(source.head, _name_of(source))


# --------------------------------------------------------------------------------------------
# Readers


def _location(source: Source, where: str) -> Location:
    return Location(path=source.display, surface=Surface.VISIBLE, where=where, member=source.member)


def _open_text(path: Path, encoding: str, newline: str | None) -> io.TextIOWrapper:
    return io.TextIOWrapper(path.open("rb"), encoding=encoding, errors="strict", newline=newline)


def _csv_reader(fh: io.TextIOWrapper, plan: CsvPlan) -> Any:
    return csv.reader(
        fh,
        delimiter=plan.delimiter,
        quotechar='"',
        doublequote=True,
        skipinitialspace=plan.skipinitialspace,
        strict=False,
    )


def _csv_error(exc: csv.Error, line: int) -> CorruptFile | LimitExceeded:
    # csv's messages are structural ("field larger than field limit (131072)"); still, ours are
    # written out so that nothing from the file can reach them.
    if "field limit" in str(exc):
        return LimitExceeded(
            f"a field ending at line {line} is longer than {csv.field_size_limit()} characters"
        )
    return CorruptFile(f"the delimited text is malformed at line {line}")


class CsvReader:
    """Delimited text: one `TablePart` whose rows stream from disk."""

    id = "csv"

    def sniff(self, source: Source) -> str | None:
        plan = plan_for(source)
        return plan.file_type if plan is not None else None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        plan = plan_for(source)
        if plan is None:
            raise CorruptFile("the file is not delimited text")
        scan = _scan(
            source.path, plan.encoding, head_is_ascii=plan.head_is_ascii, max_line=MAX_LINE_CHARS
        )
        encoding = scan.encoding
        header: list[str] = []
        header_lines = 0
        if plan.has_header:
            with _open_text(source.path, encoding, "") as fh:
                reader = _csv_reader(fh, plan)
                try:
                    header = [h.strip() for h in _first_record(reader) or []]
                except UnicodeDecodeError:
                    raise _decode_error(source.path, encoding) from None
                except csv.Error as exc:
                    raise _csv_error(exc, reader.line_num) from None
                header_lines = reader.line_num
        width = len(header) if header else plan.width
        if not header:
            header = [""] * width
        labels = [h or f"column {i}" for i, h in enumerate(header, start=1)]
        first = header_lines + 1
        where = f"lines {first}-{scan.lines}" if scan.lines >= first else "no data rows"
        yield TablePart(
            header=header,
            rows=_stream_rows(source, plan, encoding, header_lines > 0, header, labels),
            location=_location(source, where),
            column_labels=labels,
            sheet=_file_name(source),
        )


def _stream_rows(
    source: Source,
    plan: CsvPlan,
    encoding: str,
    skip_header: bool,
    header: list[str],
    labels: list[str],
) -> Iterator[tuple[int, Sequence[Any]]]:
    """Records as ``(line number where the record starts, fields)``.

    Short records are padded to the header's width; a longer record widens the table: `header`
    and `labels` (the part's own lists) gain entries so that they stay aligned with the fields.
    """
    max_rows = source.limits.max_rows
    width = len(header)
    with _open_text(source.path, encoding, "") as fh:
        reader = _csv_reader(fh, plan)
        count = 0
        line = 0
        try:
            if skip_header:
                _first_record(reader)
                line = reader.line_num
            for rec in reader:
                n = len(rec)
                if n != width:
                    if n == 0:  # a blank line
                        line = reader.line_num
                        continue
                    if n < width:
                        rec += [""] * (width - n)
                    else:
                        if n > MAX_COLUMNS:
                            raise LimitExceeded(
                                f"the record at line {line + 1} has {n:,} fields, over the limit "
                                f"of {MAX_COLUMNS:,} columns"
                            )
                        for i in range(width + 1, n + 1):
                            header.append("")
                            labels.append(f"column {i}")
                        width = n
                count += 1
                if count > max_rows:
                    raise LimitExceeded(f"the file has more than {max_rows} rows (the row limit)")
                yield line + 1, rec
                line = reader.line_num
        except UnicodeDecodeError:
            raise _decode_error(source.path, encoding) from None
        except csv.Error as exc:
            raise _csv_error(exc, reader.line_num) from None


class PlainTextReader:
    """Any other text: `TextPart` chunks of whole lines (about 64 KiB each), streamed."""

    id = "text"

    def sniff(self, source: Source) -> str | None:
        if is_zip(source.head) or is_cfb(source.head):
            return None
        if looks_like_text(source.head) is None or plan_for(source) is not None:
            return None
        return "text"

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        encoding = looks_like_text(source.head)
        if encoding is None:
            raise CorruptFile("the file is not text")
        scan = _scan(source.path, encoding, head_is_ascii=source.head.isascii())
        with _open_text(source.path, scan.encoding, None) as fh:
            try:
                yield from _text_chunks(source, fh)
            except UnicodeDecodeError:
                raise _decode_error(source.path, scan.encoding) from None


def _text_chunks(source: Source, fh: io.TextIOWrapper) -> Iterator[TextPart]:
    buf: list[str] = []
    size = 0
    line = 1  # number of the line the next piece belongs to
    first = 1

    def where(last: int) -> str:
        return f"line {first}" if first == last else f"lines {first}-{last}"

    while True:
        piece = fh.readline(_MAX_LINE_CHARS)
        if not piece:
            break
        buf.append(piece)
        size += len(piece)
        complete = piece.endswith("\n")
        if size >= _TEXT_CHUNK_CHARS:
            yield TextPart(text="".join(buf), location=_location(source, where(line)))
            buf = []
            size = 0
            first = line + 1 if complete else line
        if complete:
            line += 1
    if buf:
        last = line if not buf[-1].endswith("\n") else line - 1
        yield TextPart(text="".join(buf), location=_location(source, where(max(first, last))))


__all__ = [
    "CsvPlan",
    "CsvReader",
    "PlainTextReader",
    "cell_kind",
    "encoding_label",
    "looks_like_header",
    "plan_for",
]
