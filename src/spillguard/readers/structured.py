"""JSON, NDJSON, XML and YAML readers, and the walker that turns parsed data into parts.

Why one module: the three formats hold the same shapes — records (an array of objects, repeated
XML siblings, a YAML list of mappings) and loose values under keys. Records become `TablePart`s
whose headers are key paths (``person.name``, ``ids[0]``), so the column engine judges them as
columns and counts people per row; loose values become `TextPart`s whose `context` is their key
path (a detector reads ``birthDate`` as a context word) and whose location is their path
(``$.meta.contact.phone``). The HTML reader reuses `walk_data` for JSON found in ``<script>``.

Hostile input is bounded, never a crash: files over a size limit, nesting deeper than
`MAX_NESTING`, YAML aliases that expand past a budget, XML that declares entities ("billion
laughs") are each a precise `ReadError`. Paths shown to people are built from keys that look like
identifiers; a key that could be a value (an e-mail, a number) is shown as ``<key N>``.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from spillguard.detectors.headers import classify_header
from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import Location, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.csvtext import looks_like_header
from spillguard.readers.sniff import decode_head, is_cfb, is_zip, looks_like_text
from spillguard.readers.tables import format_cell
from spillguard.readers.zipsafe import xml_parser as safe_xml_parser

#: deepest nesting of objects/arrays read; deeper data is a LimitExceeded, never a RecursionError
MAX_NESTING = 100
#: list elements flattened into their own columns (``ids[0]`` .. ``ids[9]``); the rest of a longer
#: list goes, joined, into one ``ids[*]`` column, so a record never explodes into columns
MAX_INDEXED = 10
#: columns of one table; further key paths go, joined, into an ``(other fields)`` column
MAX_COLUMNS = 1024
#: whole-file size limits (these formats are parsed in memory)
MAX_JSON_BYTES = 200 * 1024**2
MAX_XML_BYTES = 100 * 1024**2
MAX_YAML_BYTES = 20 * 1024**2
#: longest NDJSON line
MAX_NDJSON_LINE = 16 * 1024**2
OTHER_FIELDS = "(other fields)"
#: keys under which a value names who made the document (JSON-LD, feeds): context "author"
_AUTHOR_KEYS = frozenset({"author", "creator", "editor", "publisher", "contributor", "byline"})
#: a key shown in a location: an identifier, not something that could be a value
_SAFE_KEY = re.compile(r"[@$]?[A-Za-z_][A-Za-z_\-:]{0,40}\d{0,3}(?:#\d{1,3})?")


# --------------------------------------------------------------------------------------------
# Text decoding shared by the readers of this module


@functools.lru_cache(maxsize=8)
def head_text(head: bytes) -> str | None:
    """The decoded head of a text file (BOM removed), or None when it is binary or a container."""
    if not head or is_zip(head) or is_cfb(head):
        return None
    enc = looks_like_text(head)
    if enc is None:
        return None
    text = decode_head(head, enc)
    return None if text is None else text.lstrip("\ufeff")


def read_text(source: Source, *, limit: int, kind: str) -> str:
    """The whole file as text, strictly decoded, within `limit` bytes."""
    if source.size > limit:
        raise LimitExceeded(
            f"the {kind} file is {source.size:,} bytes, over the limit of {limit:,} bytes for "
            f"{kind} (it is read into memory whole)"
        )
    data = source.path.read_bytes()
    return decode_bytes(data, source.head, kind=kind)


def decode_bytes(data: bytes, head: bytes, *, kind: str) -> str:
    enc = looks_like_text(head[: 64 * 1024]) or "utf-8"
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        raise CorruptFile(
            f"the {kind} file is not valid {enc.upper()} at byte offset {exc.start}"
        ) from None
    return text.lstrip("\ufeff")


# --------------------------------------------------------------------------------------------
# Paths and budgets


def safe_key(key: object, index: int) -> str:
    """`key` as shown in a location, or ``<key N>`` when it might itself be personal data."""
    text = key if isinstance(key, str) else str(key)
    return text if _SAFE_KEY.fullmatch(text) else f"<key {index + 1}>"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class Budget:
    """Counts values visited. YAML aliases can make a small file stand for billions of values
    (the same list referenced again and again); walking them would never end."""

    def __init__(self, source_bytes: int) -> None:
        self.left = 2 * source_bytes + 100_000
        self.limit = self.left

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise LimitExceeded(
                f"the data expands to more than {self.limit:,} values, far more than its size "
                "allows (aliases or references repeating content); it was not read"
            )


def _too_deep(kind: str) -> LimitExceeded:
    return LimitExceeded(f"the {kind} nests deeper than {MAX_NESTING} levels (the nesting limit)")


def _is_scalar(v: object) -> bool:
    return not isinstance(v, dict | list | tuple)


def _personal_keys(keys: Sequence[str]) -> int:
    """How many distinct kinds of personal data the keys name (``name``, ``birthDate``...)."""
    kinds = set()
    for k in keys:
        for hint in classify_header(k):
            if hint.weight >= 0.8:
                kinds.add(hint.entity)
    return len(kinds)


def _meaningful(v: object) -> bool:
    """A scalar that can carry information (booleans and nulls cannot)."""
    if v is None or isinstance(v, bool):
        return False
    return not (isinstance(v, str) and not v.strip())


# --------------------------------------------------------------------------------------------
# Flattening a record into key-path columns


def flatten(value: Any, prefix: str, out: dict[str, Any], depth: int, budget: Budget) -> None:
    """Flatten one record into ``{key path: scalar}``.

    Objects add ``.key``; lists add ``[i]`` for their first `MAX_INDEXED` elements and gather the
    rest, joined, under ``[*]``.
    """
    budget.spend()
    if depth > MAX_NESTING:
        raise _too_deep("data")
    if isinstance(value, dict):
        for k, v in value.items():
            key = k if isinstance(k, str) else str(k)
            flatten(v, _join(prefix, key), out, depth + 1, budget)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value[:MAX_INDEXED]):
            flatten(v, f"{prefix}[{i}]", out, depth + 1, budget)
        if len(value) > MAX_INDEXED:
            rest: list[str] = []
            for v in value[MAX_INDEXED:]:
                sub: dict[str, Any] = {}
                flatten(v, "", sub, depth + 1, budget)
                rest.append(
                    "; ".join(
                        f"{k}={format_cell(x)}" if k else format_cell(x) for k, x in sub.items()
                    )
                )
            out[f"{prefix}[*]"] = " | ".join(rest)
    else:
        out[prefix] = value


def _column_label(header: str, index: int) -> str:
    """A column label safe to show: the key path when every key in it looks like an identifier."""
    keys = re.split(r"[.\[\]/]+", header)
    if all(not k or k.isdigit() or k in ("*", "(text)") or _SAFE_KEY.fullmatch(k) for k in keys):
        return header if len(header) <= 80 else header[:77] + "..."
    return f"column {index + 1}"


@dataclass(slots=True)
class _Table:
    """Rows already flattened; columns in first-seen order, bounded by `MAX_COLUMNS`."""

    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    overflow: bool


def _columns(rows: Sequence[tuple[int, dict[str, Any]]]) -> _Table:
    seen: dict[str, None] = {}
    overflow = False
    for _, flat in rows:
        for k in flat:
            if k not in seen:
                if len(seen) >= MAX_COLUMNS - 1:
                    overflow = True
                    continue
                seen[k] = None
    header = list(seen)
    if overflow:
        header.append(OTHER_FIELDS)
    return _Table(header, list(rows), overflow)


def _row_values(flat: dict[str, Any], header: list[str], overflow: bool) -> list[Any]:
    if not overflow:
        return [flat.get(h) for h in header]
    values = [flat.get(h) for h in header[:-1]]
    known = set(header)
    extra = "; ".join(f"{k}={format_cell(v)}" for k, v in flat.items() if k not in known)
    values.append(extra)
    return values


def table_part(table: _Table, location: Location, *, total: int | None = None) -> TablePart | None:
    """A `TablePart` of flattened rows, or None when no row holds anything."""
    if not table.rows or not table.header:
        return None
    header = table.header
    rows = table.rows
    overflow = table.overflow

    def gen() -> Iterator[tuple[int, Sequence[Any]]]:
        for label, flat in rows:
            yield label, _row_values(flat, header, overflow)

    return TablePart(
        header=list(header),
        rows=gen(),
        location=location,
        column_labels=[_column_label(h, i) for i, h in enumerate(header)],
        total_rows=total if total is not None else len(rows),
    )


# --------------------------------------------------------------------------------------------
# The walker


class DataWalker:
    """Turns parsed JSON/YAML data into parts: records into tables, the rest into text.

    `where_prefix` is put before every path in locations (the HTML reader passes
    ``"<script type=application/ld+json> line 12, "``); `surface` is the surface of every part.
    """

    def __init__(
        self,
        source: Source,
        *,
        surface: Surface = Surface.VISIBLE,
        where_prefix: str = "",
        budget: Budget | None = None,
        kind: str = "JSON",
    ) -> None:
        self.source = source
        self.surface = surface
        self.where_prefix = where_prefix
        self.budget = budget or Budget(source.size)
        self.kind = kind

    def _loc(self, path: str) -> Location:
        return Location(
            path=self.source.display,
            surface=self.surface,
            where=f"{self.where_prefix}{path}",
            member=self.source.member,
        )

    def walk(self, value: Any, path: str = "$") -> Iterator[ReadItem]:
        """Parts for `value` found at `path`. Iterative over siblings, bounded in depth."""
        yield from self._walk(value, path, "", 0)

    def _walk(self, value: Any, path: str, ctx: str, depth: int) -> Iterator[ReadItem]:
        self.budget.spend()
        if depth > MAX_NESTING:
            raise _too_deep(self.kind)
        if isinstance(value, dict):
            yield from self._object(value, path, ctx, depth)
        elif isinstance(value, list | tuple):
            yield from self._array(list(value), path, ctx, depth)
        elif _meaningful(value):
            text = value if isinstance(value, str) else format_cell(value)
            yield TextPart(text=text, location=self._loc(path), context=ctx)

    def _object(self, value: dict[Any, Any], path: str, ctx: str, depth: int) -> Iterator[ReadItem]:
        records = self._keyed_records(value)
        if records is not None:
            rows: list[tuple[int, dict[str, Any]]] = []
            for i, (k, v) in enumerate(records):
                flat: dict[str, Any] = {"key": k}
                flatten(v, "", flat, depth + 1, self.budget)
                rows.append((i, flat))
            part = table_part(_columns(rows), self._loc(f"{path}.*"))
            if part is not None:
                yield part
            return
        # The scalar members of an object whose keys name two kinds of personal data (a name and
        # a birth date, say) are one person's record: a one-row table, so they count as one
        # person. Other objects (an article's headline and date) are read value by value.
        members: list[tuple[str, Any]] = []
        if ctx != "author":
            members = [
                (k if isinstance(k, str) else str(k), v)
                for k, v in value.items()
                if _is_scalar(v) and _meaningful(v) and str(k).casefold() not in _AUTHOR_KEYS
            ]
        as_row = _personal_keys([k for k, _ in members]) >= 2
        if as_row:
            self.budget.spend(len(members))
            header = [k for k, _ in members]
            yield TablePart(
                header=header,
                rows=iter([(1, [v for _, v in members])]),
                location=self._loc(path),
                column_labels=[_column_label(h, i) for i, h in enumerate(header)],
                total_rows=1,
            )
        for i, (k, v) in enumerate(value.items()):
            key = k if isinstance(k, str) else str(k)
            if as_row and _is_scalar(v) and key.casefold() not in _AUTHOR_KEYS:
                continue
            shown = safe_key(key, i)
            sub_ctx = (
                "author"
                if ctx == "author" or key.casefold() in _AUTHOR_KEYS
                else (_join(ctx, shown))
            )
            yield from self._walk(v, _join(path, shown), sub_ctx, depth + 1)

    @staticmethod
    def _keyed_records(value: dict[Any, Any]) -> list[tuple[str, dict[Any, Any]]] | None:
        """``{"u1": {...}, "u2": {...}, ...}``: records keyed by an id (Firebase-style exports)."""
        if len(value) < 3:
            return None
        items = list(value.items())
        if not all(isinstance(v, dict) and v for _, v in items):
            return None
        first = set(items[0][1])
        if not all(first & set(v) for _, v in items[1:]):
            return None
        return [(str(k), v) for k, v in items]

    def _array(self, value: list[Any], path: str, ctx: str, depth: int) -> Iterator[ReadItem]:
        if not value:
            return
        dicts = [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]
        if dicts and len(dicts) * 2 >= len(value):
            yield from self._object_table(dicts, path, depth)
            rest = [(i, v) for i, v in enumerate(value) if not isinstance(v, dict)]
        elif len(value) >= 2 and all(
            isinstance(v, list | tuple) and all(_is_scalar(x) for x in v) for v in value
        ):
            yield from self._grid(value, path)
            return
        elif len(value) >= 3 and all(_is_scalar(v) for v in value):
            yield from self._column(value, path, ctx)
            return
        else:
            rest = list(enumerate(value))
        for i, v in rest:
            yield from self._walk(v, f"{path}[{i}]", ctx, depth + 1)

    def _object_table(
        self, dicts: list[tuple[int, dict[Any, Any]]], path: str, depth: int
    ) -> Iterator[ReadItem]:
        rows: list[tuple[int, dict[str, Any]]] = []
        for i, v in dicts:
            flat: dict[str, Any] = {}
            flatten(v, "", flat, depth + 1, self.budget)
            rows.append((i, flat))
        first, last = dicts[0][0], dicts[-1][0]
        part = table_part(_columns(rows), self._loc(f"{path}[{first}..{last}]"))
        if part is not None:
            yield part

    def _grid(self, value: list[Any], path: str) -> Iterator[ReadItem]:
        """An array of arrays of scalars: rows of a table, the first one a header if it reads so."""
        self.budget.spend(sum(len(r) for r in value))
        rows = [list(r) for r in value]
        width = max(len(r) for r in rows)
        has_header = looks_like_header(rows[0], rows[1:51])
        header = [format_cell(h) for h in rows[0]] if has_header else []
        header += [""] * (width - len(header))
        labels = [_column_label(h, i) if h else f"column {i + 1}" for i, h in enumerate(header)]
        body = list(enumerate(rows))[1:] if has_header else list(enumerate(rows))
        if not body:
            return

        def gen() -> Iterator[tuple[int, Sequence[Any]]]:
            for i, r in body:
                yield i, r + [None] * (width - len(r))

        yield TablePart(
            header=header,
            rows=gen(),
            location=self._loc(f"{path}[{body[0][0]}..{body[-1][0]}]"),
            column_labels=labels,
            total_rows=len(body),
        )

    def _column(self, value: list[Any], path: str, ctx: str) -> Iterator[ReadItem]:
        """An array of scalars (a list of names, of IDs): a one-column table headed by its key."""
        self.budget.spend(len(value))
        if not any(_meaningful(v) for v in value):
            return
        key = ctx.rsplit(".", 1)[-1] if ctx else "value"
        header = [key]
        yield TablePart(
            header=header,
            rows=iter([(i, [v]) for i, v in enumerate(value)]),
            location=self._loc(f"{path}[0..{len(value) - 1}]"),
            column_labels=[_column_label(key, 0)],
            total_rows=len(value),
        )


def walk_data(
    value: Any,
    source: Source,
    *,
    surface: Surface = Surface.VISIBLE,
    where_prefix: str = "",
    budget: Budget | None = None,
    kind: str = "JSON",
) -> Iterator[ReadItem]:
    """Parts for parsed JSON/YAML `value`: records as tables, other values as text with paths."""
    walker = DataWalker(
        source, surface=surface, where_prefix=where_prefix, budget=budget, kind=kind
    )
    return walker.walk(value)


# --------------------------------------------------------------------------------------------
# JSON


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Keep every value of a repeated key (json.loads would keep only the last, hiding the rest)."""
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    out = {}
    for k, v in pairs:
        key = k
        n = 1
        while key in out:
            n += 1
            key = f"{k}#{n}"
        out[key] = v
    return out


def parse_json(text: str, *, kind: str = "JSON") -> Any:
    """`json.loads` with precise, content-free errors and repeated keys kept."""
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise CorruptFile(
            f"the {kind} is not valid at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    except RecursionError:
        raise _too_deep(kind) from None


_JSON_TOKEN = re.compile(
    r'\s*(?:"(?:[^"\\\n]|\\.){0,4096}"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|[\[\]{},:])'
)
_STRONG_JSON = re.compile(r'\s*(?:\[\s*)*\{\s*(?:"(?:[^"\\\n]|\\.){0,200}"\s*:|\})|\s*\[\s*\]')


def _json_tokens_cover(text: str, *, complete: bool) -> bool:
    """Whether `text` is nothing but JSON tokens (a truncated head may end mid-token)."""
    pos = 0
    n = len(text)
    match = _JSON_TOKEN.match
    while pos < n:
        m = match(text, pos)
        if m is None or m.end() == pos:
            rest = text[pos:]
            if not rest.strip():
                return True
            return not complete and n - pos < 4200
        pos = m.end()
    return True


def _ndjson_head(text: str, complete: bool) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not complete and lines:
        lines = lines[:-1]  # the head may cut the last line
    if len(lines) < 2:
        return False
    objects = 0
    for ln in lines[:20]:
        s = ln.strip()
        try:
            v = json.loads(s)
        except (json.JSONDecodeError, RecursionError):
            return False
        objects += isinstance(v, dict)
    return objects >= 2


def sniff_json(source: Source) -> str | None:
    """``"ndjson"`` for lines of JSON objects, ``"json"`` for one JSON document, else None."""
    text = head_text(source.head)
    if text is None:
        return None
    body = text.lstrip()
    if not body or body[0] not in "{[":
        return None
    complete = source.size <= len(source.head)
    if body[0] == "{" and _ndjson_head(body, complete):
        return "ndjson"
    if not _json_tokens_cover(body, complete=complete):
        return None
    if not complete or _STRONG_JSON.match(body):
        # big files: the head is JSON tokens; a broken file that starts like a JSON object is
        # still claimed, so that reading reports it as damaged instead of scanning it as prose
        return "json"
    try:
        json.loads(body)
    except json.JSONDecodeError:
        return None
    except RecursionError:
        return "json"  # only JSON tokens, nested too deep to parse: reading reports it
    return "json"


class JsonReader:
    """JSON documents (read whole, up to `MAX_JSON_BYTES`) and NDJSON (streamed line by line)."""

    id = "json"

    def __init__(self, *, max_bytes: int = MAX_JSON_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, source: Source) -> str | None:
        return sniff_json(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if file_type == "ndjson":
            yield from _read_ndjson(source)
            return
        text = read_text(source, limit=self.max_bytes, kind="JSON")
        value = parse_json(text)
        yield from walk_data(value, source, kind="JSON")


def _ndjson_lines(source: Source) -> Iterator[tuple[int, Any]]:
    enc = looks_like_text(source.head) or "utf-8"
    try:
        fh = io.TextIOWrapper(source.path.open("rb"), encoding=enc, errors="strict")
    except LookupError:
        raise CorruptFile(f"the file's encoding ({enc}) is unknown") from None
    with fh:
        lineno = 0
        try:
            while True:
                line = fh.readline(MAX_NDJSON_LINE + 1)
                if not line:
                    break
                lineno += 1
                if len(line) > MAX_NDJSON_LINE and not line.endswith("\n"):
                    raise LimitExceeded(
                        f"line {lineno} is longer than {MAX_NDJSON_LINE:,} characters "
                        "(the NDJSON line limit)"
                    )
                s = line.strip().lstrip("\ufeff")
                if not s:
                    continue
                try:
                    value = json.loads(s, object_pairs_hook=_pairs)
                except json.JSONDecodeError as exc:
                    raise CorruptFile(
                        f"line {lineno} of the NDJSON is not valid JSON (column {exc.colno}: "
                        f"{exc.msg})"
                    ) from None
                except RecursionError:
                    raise _too_deep(f"NDJSON line {lineno}") from None
                yield lineno, value
        except UnicodeDecodeError:
            raise CorruptFile(
                f"the NDJSON file is not valid {enc.upper()} (near line {lineno + 1})"
            ) from None


def _read_ndjson(source: Source) -> Iterator[ReadItem]:
    """Two streamed passes: the columns (key paths of every object), then the rows. Lines that
    are not objects are read as loose values afterwards."""
    budget = Budget(source.size)
    seen: dict[str, None] = {}
    overflow = False
    rows = 0
    first = last = 0
    loose = False
    for lineno, value in _ndjson_lines(source):
        if not isinstance(value, dict):
            loose = True
            continue
        rows += 1
        if rows > source.limits.max_rows:
            raise LimitExceeded(f"the file has more than {source.limits.max_rows:,} rows")
        first = first or lineno
        last = lineno
        flat: dict[str, Any] = {}
        flatten(value, "", flat, 1, budget)
        for k in flat:
            if k not in seen:
                if len(seen) >= MAX_COLUMNS - 1:
                    overflow = True
                    continue
                seen[k] = None
    header = list(seen) + ([OTHER_FIELDS] if overflow else [])
    if rows and header:

        def gen() -> Iterator[tuple[int, Sequence[Any]]]:
            b = Budget(source.size)
            for lineno, value in _ndjson_lines(source):
                if isinstance(value, dict):
                    flat: dict[str, Any] = {}
                    flatten(value, "", flat, 1, b)
                    yield lineno, _row_values(flat, header, overflow)

        yield TablePart(
            header=list(header),
            rows=gen(),
            location=Location(
                source.display, Surface.VISIBLE, f"lines {first}-{last}", source.member
            ),
            column_labels=[_column_label(h, i) for i, h in enumerate(header)],
            total_rows=rows,
        )
    if loose:
        walker = DataWalker(source, kind="NDJSON")
        for lineno, value in _ndjson_lines(source):
            if not isinstance(value, dict):
                walker.where_prefix = f"line {lineno}, "
                yield from walker.walk(value)


# --------------------------------------------------------------------------------------------
# YAML

_YAML_KEY = re.compile(
    r"\s*(?:-\s+)?(?:[^\s:#\"'{}\[\],&*!|>%@`][^:#\n]{0,100}|\"[^\"\n]*\"|'[^'\n]*')"
    r":(?:\s|$)"
)
_YAML_ITEM = re.compile(r"\s*-(?:\s|$)")
_YAML_CONT = re.compile(r"\s+\S")
_EMAIL_HEADER = re.compile(
    r"(?:from|to|subject|date|received|mime-version|message-id|return-path):", re.IGNORECASE
)


def _file_name(source: Source) -> str:
    name = source.member or source.display or source.path.name
    return name.replace("\\", "/").rsplit("/", 1)[-1].split("?", 1)[0].lower()


def sniff_yaml(source: Source) -> str | None:
    """YAML only with clear structure: a ``---``/``%YAML`` start, or a ``.yml``/``.yaml`` name;
    and in both cases lines shaped like YAML (``key: value``, ``- item``, indented continuations),
    at least two keys, and no prose. A CSV, a Markdown file or an e-mail is never taken."""
    text = head_text(source.head)
    if text is None:
        return None
    name = _file_name(source)
    if name.endswith((".md", ".markdown", ".csv", ".tsv", ".txt", ".eml")):
        return None
    lines = text.splitlines()
    if source.size > len(source.head) and lines:
        lines = lines[:-1]
    meaningful = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not meaningful:
        return None
    marked = meaningful[0].startswith(("---", "%YAML"))
    if not marked and not name.endswith((".yml", ".yaml")):
        return None
    body = [ln for ln in meaningful if not ln.startswith(("---", "...", "%YAML", "%TAG"))]
    if not body or _EMAIL_HEADER.match(body[0]):
        return None
    if not (_YAML_KEY.match(body[0]) or _YAML_ITEM.match(body[0])):
        return None
    keys = 0
    shaped = 0
    for ln in body[:2000]:
        if _YAML_KEY.match(ln):
            keys += 1
            shaped += 1
        elif _YAML_ITEM.match(ln) or _YAML_CONT.match(ln):
            shaped += 1
    if keys < 2 or shaped < 0.9 * len(body[:2000]):
        return None
    return "yaml"


def _precount(value: Any, budget: Budget) -> None:
    """Count the values `value` stands for (aliases counted each time they are used)."""
    stack = [value]
    while stack:
        v = stack.pop()
        budget.spend()
        if isinstance(v, dict):
            stack.extend(v.values())
        elif isinstance(v, list | tuple):
            stack.extend(v)


class YamlReader:
    """YAML through the safe loader only (no object construction), bounded in size and aliases."""

    id = "yaml"

    def __init__(self, *, max_bytes: int = MAX_YAML_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, source: Source) -> str | None:
        return sniff_yaml(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        text = read_text(source, limit=self.max_bytes, kind="YAML")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C build of the safe loader
        try:
            docs = list(yaml.load_all(text, Loader=loader))  # a SafeLoader: plain data only
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise CorruptFile(f"the YAML is not valid{where}") from None
        except yaml.YAMLError:
            raise CorruptFile("the YAML is not valid") from None
        except RecursionError:
            raise _too_deep("YAML") from None
        budget = Budget(source.size)
        _precount(docs, Budget(source.size))  # aliases: refuse a bomb before any part is yielded
        for i, doc in enumerate(docs, start=1):
            prefix = f"document {i}, " if len(docs) > 1 else ""
            yield from walk_data(doc, source, where_prefix=prefix, budget=budget, kind="YAML")


# --------------------------------------------------------------------------------------------
# XML

_XML_NAME = r"[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?"
_PROLOG_SKIP = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)", re.S | re.I
)
_ROOT = re.compile(rf"<({_XML_NAME})[\s/>]")
_XHTML_NS = "http://www.w3.org/1999/xhtml"
#: elements an HTML page starts with; such a root belongs to the HTML reader
HTML_START_TAGS = frozenset(
    "html head body div p table meta title script link style section article header footer nav "
    "main span h1 h2 h3 h4 h5 h6 ul ol form iframe center font br img a b i noscript template "
    "base frameset".split()
)


def xml_root(text: str) -> tuple[str, bool] | None:
    """The root element name after the prolog, and whether an ``<?xml``/DOCTYPE prolog was seen."""
    pos = 0
    declared = False
    while True:
        m = _PROLOG_SKIP.match(text, pos)
        if m is None:
            break
        if m.group(0).lstrip()[:2] in ("<?", "<!") and not m.group(0).lstrip().startswith("<!--"):
            declared = True
        pos = m.end()
    rest = text[pos:].lstrip()
    m = _ROOT.match(rest)
    if m is None:
        return None
    return m.group(1), declared


def sniff_xml(source: Source) -> str | None:
    text = head_text(source.head)
    if text is None:
        return None
    body = text.lstrip()
    if not body.startswith("<"):
        return None
    found = xml_root(body)
    if found is None:
        # a prolog longer than the head (a big DOCTYPE): still XML, the reader decides
        return "xml" if body.startswith(("<?xml", "<!DOCTYPE")) and len(body) > 60_000 else None
    root, declared = found
    low = root.lower()
    if low == "html" or (_XHTML_NS in body[:4096] and low.endswith("html")):
        return None
    if low.split(":")[-1] in HTML_START_TAGS and not declared:
        return None
    if declared or body.lstrip().startswith("<?xml"):
        return "xml"
    complete = source.size <= len(source.head)
    if f"</{root}>" in body or (not complete) or re.match(rf"<{re.escape(root)}[^>]*/>", body):
        return "xml"
    return None


def xml_parser() -> etree.XMLParser:
    """No network, no DTD, no entity expansion, libxml2's default size limits (huge_tree off)."""
    return safe_xml_parser(remove_pis=True)


def _xml_error(exc: etree.XMLSyntaxError, kind: str = "XML") -> CorruptFile | LimitExceeded:
    msg = str(exc.msg or "")
    if "depth" in msg.lower():
        return LimitExceeded(
            f"the {kind} nests elements deeper than 256 levels (the parser's limit)"
        )
    if "huge" in msg.lower():
        return LimitExceeded(f"the {kind} holds a text node over 10 MB (the parser's limit)")
    return CorruptFile(f"the {kind} is not well-formed (truncated or damaged, line {exc.lineno})")


def refuse_entities(path: Path) -> None:
    """Read the prolog only; a DOCTYPE that declares entities is refused before any parsing.

    Entity declarations are how "billion laughs" expands a kilobyte into gigabytes, and entity
    references hide text from a parser that does not expand them: either way the document
    cannot be read as written.
    """
    with path.open("rb") as fh:
        try:
            for _, el in etree.iterparse(
                fh,
                events=("start",),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            ):
                dtd = el.getroottree().docinfo.internalDTD
                if dtd is not None and any(True for _ in dtd.iterentities()):
                    raise CorruptFile(
                        "the XML declares entities in its DOCTYPE (possible entity expansion, "
                        "'billion laughs'); it was not parsed"
                    )
                return
        except etree.XMLSyntaxError as exc:
            raise _xml_error(exc) from None


def _sl(node: object) -> int:
    """The source line of a node (lxml's stubs type it loosely); 0 when unknown."""
    line = getattr(node, "sourceline", None)
    return line if isinstance(line, int) else 0


def _local(tag: object) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _xml_text(el: etree._Element) -> str:
    """The element's own text: its leading text and the tails of its children."""
    bits = [el.text or ""]
    bits.extend(child.tail or "" for child in el)
    return " ".join(b.strip() for b in bits if b and b.strip())


class XmlReader:
    """XML data: repeated sibling records become tables, other text nodes text parts."""

    id = "xml"

    def __init__(self, *, max_bytes: int = MAX_XML_BYTES) -> None:
        self.max_bytes = max_bytes

    def sniff(self, source: Source) -> str | None:
        return sniff_xml(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if source.size > self.max_bytes:
            raise LimitExceeded(
                f"the XML file is {source.size:,} bytes, over the limit of {self.max_bytes:,}"
            )
        refuse_entities(source.path)
        with source.path.open("rb") as fh:
            try:
                tree = etree.parse(fh, parser=xml_parser())
            except etree.XMLSyntaxError as exc:
                raise _xml_error(exc) from None
            except OSError as exc:
                # lxml reports bytes invalid in the declared encoding as an OSError
                if "encoding" not in str(exc):
                    raise
                raise CorruptFile(
                    "the XML holds bytes that are not valid in its declared character encoding"
                ) from None
        root = tree.getroot()
        if root is None:
            raise CorruptFile("the XML has no root element")
        yield from _XmlWalk(source).run(root)


class _XmlWalk:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.budget = Budget(source.size)

    def _loc(self, where: str, surface: Surface = Surface.VISIBLE) -> Location:
        return Location(self.source.display, surface, where, self.source.member)

    def run(self, root: etree._Element) -> Iterator[ReadItem]:
        for sib in (*_preceding(root), *_following(root)):
            yield from self._comment(sib)
        stack: list[tuple[etree._Element, str]] = [(root, "/" + _shown_tag(root, 0))]
        while stack:
            el, path = stack.pop()
            self.budget.spend()
            yield from self._attributes(el, path)
            text = _xml_text(el)
            if text:
                yield TextPart(
                    text=text,
                    location=self._loc(f"line {_sl(el)}, {path}"),
                    context=path.strip("/"),
                )
            groups: dict[str, list[etree._Element]] = {}
            children: list[etree._Element] = []
            for child in el:
                if isinstance(child, etree._Comment):
                    yield from self._comment(child)
                elif isinstance(child.tag, str):
                    children.append(child)
                    groups.setdefault(child.tag, []).append(child)
            tabled: set[str] = set()
            for tag, members in groups.items():
                if len(members) < 3:
                    continue
                complex_ = any(len(m) or m.attrib for m in members)
                tabled.add(tag)
                yield from self._records(members, path, complex_)
            pending = [
                (c, f"{path}/{_shown_tag(c, i)}")
                for i, c in enumerate(children)
                if c.tag not in tabled
            ]
            stack.extend(reversed(pending))

    def _comment(self, node: object) -> Iterator[ReadItem]:
        if isinstance(node, etree._Comment) and node.text and node.text.strip():
            yield TextPart(
                text=node.text,
                location=self._loc(f"<!-- comment --> line {_sl(node)}", Surface.COMMENT),
            )

    def _attributes(self, el: etree._Element, path: str) -> Iterator[ReadItem]:
        for i, (name, raw) in enumerate(el.attrib.items()):
            value = str(raw)
            if value.strip():
                attr = _local(name)
                shown = attr if _SAFE_KEY.fullmatch(attr) else f"<attribute {i + 1}>"
                yield TextPart(
                    text=value,
                    location=self._loc(f"line {_sl(el)}, {path}/@{shown}"),
                    context=f"{path.strip('/')}/@{attr}",
                )

    def _records(
        self, members: list[etree._Element], path: str, complex_: bool
    ) -> Iterator[ReadItem]:
        tag = _shown_tag(members[0], 0)
        first, last = _sl(members[0]), _sl(members[-1])
        span = f"line {first}" if first == last else f"lines {first}-{last}"
        where = f"{path}/{tag} ({span})"
        comments: list[etree._Comment] = []
        if not complex_:
            header = [_local(members[0].tag)]
            rows = [(_sl(m) or i + 1, {header[0]: (m.text or "").strip()}) for i, m in
                    enumerate(members)]  # fmt: skip
            self.budget.spend(len(rows))
            part = table_part(_Table(header, rows, False), self._loc(where))
        else:
            flat_rows: list[tuple[int, dict[str, Any]]] = []
            for i, m in enumerate(members):
                flat: dict[str, Any] = {}
                self._flatten(m, "", flat, comments, 0)
                flat_rows.append((_sl(m) or i + 1, flat))
            part = table_part(_columns(flat_rows), self._loc(where))
        if part is not None:
            yield part
        for c in comments:
            yield from self._comment(c)

    def _flatten(
        self,
        el: etree._Element,
        prefix: str,
        out: dict[str, Any],
        comments: list[etree._Comment],
        depth: int,
    ) -> None:
        self.budget.spend()
        if depth > MAX_NESTING:
            raise _too_deep("XML")
        for name, value in el.attrib.items():
            out[_join_xml(prefix, "@" + _local(name))] = value
        text = _xml_text(el)
        if text:
            out[prefix or "(text)"] = text
        counts: dict[str, int] = {}
        for child in el:
            if isinstance(child, etree._Comment):
                comments.append(child)
                continue
            if not isinstance(child.tag, str):
                continue
            name = _local(child.tag)
            n = counts.get(name, 0) + 1
            counts[name] = n
            key = name if n == 1 else f"{name}[{n}]"
            if n > MAX_INDEXED:
                sub: dict[str, Any] = {}
                self._flatten(child, "", sub, comments, depth + 1)
                joined = "; ".join(f"{k}={v}" for k, v in sub.items())
                star = _join_xml(prefix, f"{name}[*]")
                out[star] = f"{out[star]} | {joined}" if star in out else joined
                continue
            self._flatten(child, _join_xml(prefix, key), out, comments, depth + 1)


def _join_xml(prefix: str, key: str) -> str:
    return f"{prefix}/{key}" if prefix else key


def _shown_tag(el: etree._Element, index: int) -> str:
    tag = _local(el.tag)
    return tag if _SAFE_KEY.fullmatch(tag) else f"<element {index + 1}>"


def _preceding(root: etree._Element) -> list[object]:
    out: list[object] = []
    node = root.getprevious()
    while node is not None:
        out.append(node)
        node = node.getprevious()
    return list(reversed(out))


def _following(root: etree._Element) -> list[object]:
    out: list[object] = []
    node = root.getnext()
    while node is not None:
        out.append(node)
        node = node.getnext()
    return out


__all__ = [
    "MAX_JSON_BYTES",
    "MAX_NESTING",
    "Budget",
    "DataWalker",
    "JsonReader",
    "XmlReader",
    "YamlReader",
    "head_text",
    "parse_json",
    "sniff_json",
    "sniff_xml",
    "sniff_yaml",
    "walk_data",
    "xml_parser",
    "xml_root",
]
