"""XLSX / XLSM reader: every cell, on the surface where it lives, plus the places Excel hides data.

Why this shape: the leaks this tool exists for (a hidden tab of 6,252 detainees, a pivot cache of a
deleted sheet, a linked workbook's cached values) sit in parts a publisher never sees. Cell values
come fast from python-calamine; the structure that says what is hidden (sheet state, hidden rows
and columns, filters, styles) and the hidden stores themselves (comments, pivot caches, external
link caches, chart caches, defined names, document properties, orphan shared strings) are read
from the OOXML parts with lxml. Each `TablePart` has exactly one surface, so a finding's surface
is the surface of the cells it was found in. Nothing is skipped silently: what is not inspected is
reported as `NotInspected`, what cannot be read raises a `ReadError`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import python_calamine as pc
from lxml import etree

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.model import Location, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.calamine_other import native_guard
from spillguard.readers.ooxml_common import Rel, doc_props, embedded_files, read_rels, sniff_ooxml
from spillguard.readers.tables import (
    MAX_GRID_CELLS,
    column_index,
    column_letter,
    find_header_row,
    format_cell,
)
from spillguard.readers.zipsafe import (
    SafeZip,
    iterparse_part,
    local,
    parse_part,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_M = f"{{{MAIN}}}"
_CELL_TAG = f"{_M}c"
_RID = f"{{{REL_NS}}}id"

_CT_XLSX = (
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
)
_CT_XLSM = (
    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    b"application/vnd.ms-excel.template.macroEnabled.main+xml",
)

_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_RANGE_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?")
_XESC = re.compile(r"_x([0-9A-Fa-f]{4})_")
_HEADER_FOOTER = (
    "oddHeader",
    "oddFooter",
    "evenHeader",
    "evenFooter",
    "firstHeader",
    "firstFooter",
)
_SST_UNIQUE = re.compile(rb"<(?:\w+:)?sst\b[^>]*?\suniqueCount\s*=\s*[\"'](\d+)[\"']")
_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")

#: calamine raises these for damaged content; PasswordError is handled separately
_CALAMINE_ERRORS: tuple[type[BaseException], ...] = (pc.CalamineError, ValueError, OverflowError)


def _ref(sheet: str, where: str) -> str:
    """``Sheet!A1`` the way Excel writes it, quoting names that need it."""
    if _PLAIN_SHEET.fullmatch(sheet):
        return f"{sheet}!{where}"
    return "'" + sheet.replace("'", "''") + f"'!{where}"


def _truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("1", "true")


#: Excel's grid: the last row and column a cell reference may name
MAX_ROW = 1_048_576
MAX_COL = 16_384


def _int_attr(el: etree._Element, name: str, default: int, *, part: str) -> int:
    """A whole-number attribute; missing or blank -> `default`, anything else -> CorruptFile.

    The message names the element and the attribute, never the value (which is file content).
    """
    raw = el.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise CorruptFile(
            f"the part {part} has a <{local(el.tag)}> whose {name} attribute is not a whole number"
        ) from None


def _float_attr(el: etree._Element, name: str, default: float, *, part: str) -> float:
    """A decimal attribute (widths, heights); missing or blank -> `default`."""
    raw = el.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        raise CorruptFile(
            f"the part {part} has a <{local(el.tag)}> whose {name} attribute is not a number"
        ) from None


def _check_row(row: int, *, part: str) -> int:
    if not 1 <= row <= MAX_ROW:
        raise CorruptFile(f"the part {part} has a row number outside Excel's grid (1-{MAX_ROW})")
    return row


def _unescape(text: str) -> str:
    """OOXML's ``_xHHHH_`` escapes, as Excel (and calamine) decode them."""
    if "_x" not in text:
        return text
    return _XESC.sub(_xesc_char, text)


def _xesc_char(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    # a lone surrogate is not a character: keep the escape as written rather than make a string
    # that cannot be encoded when it is reported
    return m.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def _text_of(elem: etree._Element) -> str:
    """Text of a rich-text container (``<si>``, ``<text>``): its ``<t>`` runs, without phonetic
    guides (``<rPh>``)."""
    parts: list[str] = []
    for t in elem.iter(f"{_M}t"):
        parent = t.getparent()
        if parent is not None and local(parent.tag) == "rPh":
            continue
        if t.text:
            parts.append(t.text)
    return _unescape("".join(parts))


# -- structure ------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Sheet:
    index: int  # 1-based position in the workbook
    name: str
    state: str  # visible | hidden | veryHidden
    part: str | None
    kind: str  # worksheet | chartsheet | dialogsheet | macrosheet
    rels: dict[str, Rel] = field(default_factory=dict)

    @property
    def surface(self) -> Surface:
        if self.state == "veryHidden":
            return Surface.VERY_HIDDEN_SHEET
        if self.state == "hidden":
            return Surface.HIDDEN_SHEET
        return Surface.VISIBLE


@dataclass(slots=True)
class _Layout:
    """What a worksheet part says about visibility: hidden rows/columns, filters, styled cells."""

    hidden_rows: set[int] = field(default_factory=set)
    shown_rows: set[int] = field(default_factory=set)  # explicit rows, for zeroHeight sheets
    zero_height: bool = False
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)  # 0-based inclusive
    shown_cols: list[tuple[int, int]] = field(default_factory=list)
    zero_width_default: bool = False
    filters: list[tuple[int, int]] = field(default_factory=list)  # row ranges (1-based)
    invisible_cells: set[tuple[int, int]] = field(default_factory=set)  # (row1, col0)
    header_footer: list[tuple[str, str]] = field(default_factory=list)
    #: extent of the cells that hold a value: (first row, last row, first col0, last col0)
    extent: tuple[int, int, int, int] | None = None

    def extend(self, row: int, col: int) -> None:
        e = self.extent
        if e is None:
            self.extent = (row, row, col, col)
        elif not (e[0] <= row <= e[1] and e[2] <= col <= e[3]):
            self.extent = (min(e[0], row), max(e[1], row), min(e[2], col), max(e[3], col))

    def cells(self) -> int:
        """Cells of the dense grid that holds every value (what calamine allocates)."""
        e = self.extent
        return 0 if e is None else (e[1] - e[0] + 1) * (e[3] - e[2] + 1)

    def row_hidden(self, row: int) -> bool:
        if row in self.hidden_rows:
            return True
        return self.zero_height and row not in self.shown_rows

    def col_hidden(self, col: int) -> bool:
        if any(a <= col <= b for a, b in self.hidden_cols):
            return True
        if self.zero_width_default:
            return not any(a <= col <= b for a, b in self.shown_cols)
        return False

    def filtered(self, row: int) -> bool:
        return any(a < row <= b for a, b in self.filters)


def _main_part(zf: SafeZip) -> str:
    """The workbook part, found through the package relationships (default xl/workbook.xml)."""
    for rel in read_rels(zf, "").values() if zf.has("_rels/.rels") else ():
        if rel.type.endswith("/officeDocument") and not rel.external:
            return rel.target
    return "xl/workbook.xml"


def _parse_range(ref: str) -> tuple[int, int, int, int] | None:
    """``A1:F6253`` -> (col0 min, row min, col0 max, row max); None if not a plain range."""
    m = _RANGE_REF.fullmatch(ref.strip())
    if not m:
        return None
    c1, r1 = column_index(m.group(1)), int(m.group(2))
    if m.group(3):
        c2, r2 = column_index(m.group(3)), int(m.group(4))
    else:
        c2, r2 = c1, r1
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


# -- styles: which cell formats render invisibly ---------------------------------------------
_Colour = tuple[str, ...]
_STYLES = "xl/styles.xml"


def _colour(elem: etree._Element | None) -> _Colour | None:
    if elem is None:
        return None
    rgb = elem.get("rgb")
    if rgb:
        return ("rgb", rgb.upper()[-6:])
    idx = elem.get("indexed")
    if idx is not None:
        palette = {"0": "000000", "1": "FFFFFF", "8": "000000", "9": "FFFFFF"}
        return ("rgb", palette[idx]) if idx in palette else ("indexed", idx)
    theme = elem.get("theme")
    if theme is not None:
        tint = elem.get("tint") or "0"
        shade = _float_attr(elem, "tint", 0.0, part=_STYLES)
        if theme == "0" and shade >= 0:  # Excel's "Background 1", white in every theme
            return ("rgb", "FFFFFF") if shade == 0 else ("theme", theme, tint)
        return ("theme", theme, tint)
    return None


def _invisible_formats(zf: SafeZip) -> set[int]:
    """Indices of cellXfs whose cells render invisibly: number format ``;;;``, white font on no
    fill, or font colour equal to a solid fill colour."""
    name = _STYLES
    if not zf.has(name):
        return set()
    root = parse_part(zf, name)
    hidden_fmts: set[int] = set()
    for nf in root.iter(f"{_M}numFmt"):
        code = (nf.get("formatCode") or "").replace('""', "").replace(" ", "")
        if code == ";;;":
            hidden_fmts.add(_int_attr(nf, "numFmtId", -1, part=name))
    fonts: list[_Colour | None] = []
    fonts_el = root.find(f"{_M}fonts")
    if fonts_el is not None:
        for font in fonts_el.findall(f"{_M}font"):
            fonts.append(_colour(font.find(f"{_M}color")))
    fills: list[_Colour | None] = []  # None: no fill (white page)
    fills_el = root.find(f"{_M}fills")
    if fills_el is not None:
        for fill in fills_el.findall(f"{_M}fill"):
            pf = fill.find(f"{_M}patternFill")
            if pf is None or (pf.get("patternType") or "none") == "none":
                fills.append(None)
            elif pf.get("patternType") == "solid":
                fills.append(_colour(pf.find(f"{_M}fgColor")) or ("other",))
            else:
                fills.append(("other",))
    out: set[int] = set()
    xfs = root.find(f"{_M}cellXfs")
    if xfs is None:
        return out
    white = ("rgb", "FFFFFF")
    for i, xf in enumerate(xfs.findall(f"{_M}xf")):
        if _int_attr(xf, "numFmtId", 0, part=name) in hidden_fmts:
            out.add(i)
            continue
        font_id = _int_attr(xf, "fontId", 0, part=name)
        fill_id = _int_attr(xf, "fillId", 0, part=name)
        fc = fonts[font_id] if 0 <= font_id < len(fonts) else None
        fl = fills[fill_id] if 0 <= fill_id < len(fills) else None
        if fc is None:
            continue
        if (fl is None and fc == white) or (fl is not None and fc == fl):
            out.add(i)
    return out


# -- the reader ------------------------------------------------------------------------------------
class XlsxReader:
    """Reads .xlsx / .xlsm (and templates) into table and text parts, surface by surface."""

    id = "xlsx"

    def sniff(self, source: Source) -> str | None:
        return sniff_ooxml(
            source,
            main_part="xl/workbook.xml",
            plain=("xlsx", _CT_XLSX),
            macro=("xlsm", _CT_XLSM),
            head_markers=(b"xl/worksheets/",),
        )

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        with SafeZip(source.path, limits=source.limits, label="workbook") as zf:
            yield from _WorkbookReader(zf, source).read()


class _WorkbookReader:
    def __init__(self, zf: SafeZip, source: Source) -> None:
        self.zf = zf
        self.source = source
        self.sheets: list[_Sheet] = []
        self.used_strings: set[str] = set()
        self.defined_names: list[etree._Element] = []
        self.pivot_refs: list[tuple[str, str]] = []  # (cacheId, definition part)
        self.invisible_xfs: set[int] = set()

    def loc(self, surface: Surface, where: str) -> Location:
        return Location(
            path=self.source.display, surface=surface, where=where, member=self.source.member
        )

    # -- top level -----------------------------------------------------------------------------
    def read(self) -> Iterator[ReadItem]:
        wb_part = _main_part(self.zf)
        if not self.zf.has(wb_part):
            raise CorruptFile(f"the workbook part {wb_part} is missing")
        self._read_workbook_xml(wb_part)
        self.invisible_xfs = _invisible_formats(self.zf)
        self._check_declared_counts()
        book = self._open_calamine()
        try:
            for sheet in self.sheets:
                yield from self._sheet_parts(book, sheet)
        finally:
            book.close()
        yield from self._comments()
        yield from self._pivot_caches()
        yield from self._defined_names()
        yield from self._external_links()
        yield from self._charts()
        yield from self._doc_props()
        yield from self._orphan_strings()
        yield from self._not_inspected()

    def _read_workbook_xml(self, wb_part: str) -> None:
        root = parse_part(self.zf, wb_part)
        rels = read_rels(self.zf, wb_part)
        sheets_el = root.find(f"{_M}sheets")
        if sheets_el is None:
            raise CorruptFile(f"the workbook part {wb_part} lists no sheets")
        for i, el in enumerate(sheets_el.findall(f"{_M}sheet"), start=1):
            rid = el.get(_RID)
            if not (rid or "").strip():
                # Excel keeps legacy macro modules this way (r:id=""), and calamine cannot open
                # such a workbook at all: say so precisely rather than let it fail vaguely
                raise CorruptFile(
                    f"sheet {i} in {wb_part} has no part (an empty relationship id, as Excel "
                    "writes for a legacy macro module); the workbook's cells cannot be read"
                )
            rel = rels.get(rid or "")
            if rel is None or rel.external:
                raise CorruptFile(f"sheet {i} in {wb_part} has no relationship to its part")
            kind = rel.type.rsplit("/", 1)[-1]
            if not self.zf.has(rel.target):
                raise CorruptFile(f"the part {rel.target} (sheet {i}) is missing from the workbook")
            sheet = _Sheet(
                index=i,
                name=el.get("name") or f"Sheet{i}",
                state=el.get("state") or "visible",
                part=self.zf.resolve(rel.target),
                kind=kind,
            )
            sheet.rels = read_rels(self.zf, rel.target)
            self.sheets.append(sheet)
        dn = root.find(f"{_M}definedNames")
        if dn is not None:
            self.defined_names = list(dn.findall(f"{_M}definedName"))
        pcs = root.find(f"{_M}pivotCaches")
        if pcs is not None:
            for pc_el in pcs.findall(f"{_M}pivotCache"):
                rel = rels.get(pc_el.get(_RID) or "")
                if rel is not None and not rel.external:
                    self.pivot_refs.append((pc_el.get("cacheId") or "?", rel.target))

    def _check_declared_counts(self) -> None:
        """Refuse a shared-strings part that declares more strings than its bytes can hold.

        calamine reserves memory for ``uniqueCount`` strings before reading any: a declared
        count of 99,999,999,999 made it ask for 2.4 TB and abort the process.
        """
        for name in self.zf.names():
            if posixpath.basename(name).lower() != "sharedstrings.xml":
                continue
            with_room = self.zf.size(name) // 5 + 1  # "<si/>" is the shortest string entry
            stream = self.zf.open(name)
            try:
                head = stream.read(4096)
            finally:
                stream.close()
            m = _SST_UNIQUE.search(head)
            if m is not None and int(m.group(1)) > with_room:
                raise CorruptFile(
                    f"the part {name} declares more strings (uniqueCount) than it can hold; it "
                    "is damaged"
                )

    def _open_calamine(self) -> pc.CalamineWorkbook:
        try:
            with native_guard("the workbook's cells"):
                return pc.CalamineWorkbook.from_path(str(self.source.path))
        except pc.PasswordError:
            raise EncryptedFile("the workbook is password-protected") from None
        except _CALAMINE_ERRORS as exc:
            raise CorruptFile(
                f"the workbook's cells could not be read ({type(exc).__name__})"
            ) from None

    # -- sheets --------------------------------------------------------------------------------
    def _layout(self, sheet: _Sheet) -> _Layout:
        """Stream the worksheet part for rows, columns, filters and invisibly styled cells.

        Parsing every sheet also proves its XML is complete (a truncated part -> CorruptFile).
        """
        assert sheet.part is not None
        part = sheet.part
        lay = _Layout()
        want_cells = bool(self.invisible_xfs) and sheet.state == "visible"
        tags = (
            f"{_M}row",
            f"{_M}col",
            f"{_M}sheetFormatPr",
            f"{_M}autoFilter",
            *(f"{_M}{t}" for t in _HEADER_FOOTER),
        )
        row_no = 0
        for event, el in iterparse_part(self.zf, part, tag=tags, events=("start", "end")):
            name = el.tag[len(_M) :] if isinstance(el.tag, str) else ""
            if event == "end":
                if name == "row":
                    self._row_cells(el, row_no, lay, part=part, want_cells=want_cells)
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]  # rows already seen: keep memory flat
                elif name in _HEADER_FOOTER and el.text and el.text.strip():
                    lay.header_footer.append((name, el.text))
                continue
            if name == "row":
                row_no = _check_row(_int_attr(el, "r", row_no + 1, part=part), part=part)
                hidden = el.get("hidden")
                if _truthy(hidden) or (
                    _truthy(el.get("customHeight")) and _float_attr(el, "ht", 1, part=part) == 0
                ):
                    lay.hidden_rows.add(row_no)
                elif lay.zero_height and (
                    hidden is not None or _float_attr(el, "ht", 0, part=part) > 0
                ):
                    lay.shown_rows.add(row_no)
            elif name == "col":
                lo = _int_attr(el, "min", 1, part=part) - 1
                hi = _int_attr(el, "max", 1, part=part) - 1
                width = _float_attr(el, "width", 1, part=part)
                if _truthy(el.get("hidden")) or width == 0:
                    lay.hidden_cols.append((lo, hi))
                else:
                    lay.shown_cols.append((lo, hi))
            elif name == "sheetFormatPr":
                lay.zero_height = _truthy(el.get("zeroHeight"))
                lay.zero_width_default = _float_attr(el, "defaultColWidth", 1, part=part) == 0
            elif name == "autoFilter":
                rng = _parse_range(el.get("ref") or "")
                if rng:
                    lay.filters.append((rng[1], rng[3]))
        for rel in sheet.rels.values():  # filters of Excel tables live in the table parts
            if rel.type.endswith("/table") and not rel.external and self.zf.has(rel.target):
                troot = parse_part(self.zf, rel.target)
                af = troot.find(f"{_M}autoFilter")
                rng = _parse_range((af.get("ref") if af is not None else None) or "")
                if rng:
                    lay.filters.append((rng[1], rng[3]))
        return lay

    def _row_cells(
        self, row: etree._Element, row_no: int, lay: _Layout, *, part: str, want_cells: bool
    ) -> None:
        """Check the cells of one row: their references, the extent of the cells that hold a
        value (for `MAX_GRID_CELLS`), and which are styled to be invisible."""
        col = -1
        row_digits = str(row_no)
        for c in row:
            if c.tag != _CELL_TAG:
                continue
            ref = c.get("r")
            r = row_no
            if ref:
                m = _CELL_REF.fullmatch(ref)
                if m is None:
                    raise CorruptFile(f"the part {part} has a cell reference that is not A1-style")
                col = column_index(m.group(1))
                if m.group(2) != row_digits:
                    r = _check_row(int(m.group(2)), part=part)
                if col >= MAX_COL:
                    raise CorruptFile(
                        f"the part {part} has a cell beyond Excel's last column (XFD)"
                    )
            else:
                col += 1
            if len(c):  # a value (<v>, <is>) or a formula: calamine places it in the grid
                lay.extend(r, col)
            if want_cells:
                s = c.get("s")
                if s is not None and _int_attr(c, "s", 0, part=part) in self.invisible_xfs:
                    lay.invisible_cells.add((r, col))

    def _grid(
        self, book: pc.CalamineWorkbook, sheet: _Sheet
    ) -> tuple[int, int, list[Sequence[object]]]:
        """(first row 1-based, first col 0-based, raw values) of a sheet's used area."""
        try:
            with native_guard(f"the part {sheet.part} (sheet {sheet.index})"):
                return self._grid_values(book, sheet)
        except pc.PasswordError:
            raise EncryptedFile("the workbook is password-protected") from None
        except _CALAMINE_ERRORS as exc:
            raise CorruptFile(
                f"the part {sheet.part} (sheet {sheet.index}) could not be read "
                f"({type(exc).__name__})"
            ) from None

    def _grid_values(
        self, book: pc.CalamineWorkbook, sheet: _Sheet
    ) -> tuple[int, int, list[Sequence[object]]]:
        cs = book.get_sheet_by_name(sheet.name)
        if cs.height > self.source.limits.max_rows:
            raise LimitExceeded(
                f"sheet {sheet.index} has {cs.height} rows, over the limit of "
                f"{self.source.limits.max_rows}"
            )
        start = cs.start
        if start is None:
            return 1, 0, []
        data: list[Sequence[object]] = list(cs.to_python())
        return start[0] + 1, start[1], data

    def _sheet_parts(self, book: pc.CalamineWorkbook, sheet: _Sheet) -> Iterator[ReadItem]:
        if sheet.kind == "chartsheet" or sheet.part is None:
            return  # no cells; its chart caches are read with the other charts
        lay = self._layout(sheet)
        for name, text in lay.header_footer:
            yield TextPart(
                text=text, location=self.loc(Surface.HEADER_FOOTER, _ref(sheet.name, name)),
                context=name,
            )  # fmt: skip
        if lay.cells() > MAX_GRID_CELLS:
            e = lay.extent
            assert e is not None
            span = f"{column_letter(e[2])}{e[0]}:{column_letter(e[3])}{e[1]}"
            raise LimitExceeded(
                f"sheet {sheet.index} ({sheet.part}) has values spread over {span}, a grid of "
                f"{lay.cells():,} cells, over the limit of {MAX_GRID_CELLS:,} cells read at once"
            )
        row0, col0, raw = self._grid(book, sheet)
        if not raw:
            return
        width = max(len(r) for r in raw)
        used = self.used_strings
        fmt: list[list[str]] = []
        for raw_row in raw:
            out = []
            for v in raw_row:
                if type(v) is str:
                    out.append(v)
                    if v:
                        used.add(v)
                else:
                    out.append(format_cell(v))
            out.extend([""] * (width - len(out)))
            fmt.append(out)
        h = find_header_row(raw)
        title_stop = h if h is not None else 0
        first_data = h + 1 if h is not None else 0
        data_rows = range(first_data, len(fmt))
        cols = list(range(col0, col0 + width))

        if sheet.state != "visible":
            yield from self._title_cells(sheet, fmt, row0, col0, title_stop, {}, set())
            yield from self._table(sheet, sheet.surface, fmt, row0, col0, h, cols, data_rows)
            return

        hidden_set = {c for c in cols if lay.col_hidden(c)}
        hidden_cols = [c for c in cols if c in hidden_set]
        shown_cols = [c for c in cols if c not in hidden_set]
        row_class: dict[int, Surface] = {}
        for i in range(len(fmt)):
            r = row0 + i
            if lay.row_hidden(r):
                row_class[i] = Surface.FILTERED_ROW if lay.filtered(r) else Surface.HIDDEN_ROW

        # invisible (white) cells on the visible surface: report them alone, blank them in the table
        for r, c in sorted(lay.invisible_cells):
            i, j = r - row0, c - col0
            if 0 <= i < len(fmt) and 0 <= j < width and i not in row_class and c not in hidden_set:
                text = fmt[i][j]
                if text.strip():
                    where = _ref(sheet.name, f"{column_letter(c)}{r}")
                    yield TextPart(text=text, location=self.loc(Surface.WHITE_TEXT, where))
                    fmt[i][j] = ""

        yield from self._title_cells(sheet, fmt, row0, col0, title_stop, row_class, hidden_set)
        visible_rows = [i for i in data_rows if i not in row_class]
        yield from self._table(sheet, Surface.VISIBLE, fmt, row0, col0, h, shown_cols, visible_rows)
        if hidden_cols:
            yield from self._table(
                sheet, Surface.HIDDEN_COLUMN, fmt, row0, col0, h, hidden_cols, data_rows
            )
        for surface in (Surface.HIDDEN_ROW, Surface.FILTERED_ROW):
            rows = [i for i in data_rows if row_class.get(i) is surface]
            if rows:
                yield from self._table(sheet, surface, fmt, row0, col0, h, shown_cols, rows)

    def _title_cells(
        self,
        sheet: _Sheet,
        fmt: list[list[str]],
        row0: int,
        col0: int,
        stop: int,
        row_class: dict[int, Surface],
        hidden_cols: set[int],
    ) -> Iterator[ReadItem]:
        """Cells above the header (title lines): one TextPart each, never dropped."""
        for i in range(stop):
            for j, text in enumerate(fmt[i]):
                if not text.strip():
                    continue
                c = col0 + j
                if c in hidden_cols:
                    surface = Surface.HIDDEN_COLUMN
                else:
                    surface = row_class.get(i, sheet.surface)
                yield TextPart(
                    text=text,
                    location=self.loc(surface, _ref(sheet.name, f"{column_letter(c)}{row0 + i}")),
                    context="title",
                )

    def _table(
        self,
        sheet: _Sheet,
        surface: Surface,
        fmt: list[list[str]],
        row0: int,
        col0: int,
        h: int | None,
        cols: Sequence[int],
        rows: Iterable[int],
    ) -> Iterator[TablePart]:
        if not cols:
            return
        idx = [c - col0 for c in cols]
        header = [fmt[h][j] for j in idx] if h is not None else [""] * len(idx)
        out: list[tuple[int, list[str]]] = []
        for i in rows:
            src = fmt[i]
            vals = [src[j] for j in idx]
            if any(vals):
                out.append((row0 + i, vals))
        if not out and not any(header):
            return
        first = row0 + h if h is not None else (out[0][0] if out else row0)
        last = out[-1][0] if out else first
        where = f"{column_letter(cols[0])}{first}:{column_letter(cols[-1])}{last}"
        yield TablePart(
            header=header,
            rows=out,
            location=self.loc(surface, _ref(sheet.name, where)),
            column_labels=[column_letter(c) for c in cols],
            sheet=sheet.name,
            total_rows=len(out),
        )

    # -- comments ------------------------------------------------------------------------------
    def _comments(self) -> Iterator[ReadItem]:
        legacy: dict[str, str] = {}
        threaded: dict[str, str] = {}
        for sheet in self.sheets:
            for rel in sheet.rels.values():
                if rel.external or not self.zf.has(rel.target):
                    continue
                target = self.zf.resolve(rel.target) or rel.target
                if rel.type.endswith("/comments"):
                    legacy[target] = sheet.name
                elif rel.type.endswith("/threadedComment"):
                    threaded[target] = sheet.name
        for name in self.zf.names():
            low = name.lower()
            if re.fullmatch(r"xl/comments[^/]*\.xml", low) and name not in legacy:
                legacy[name] = ""
            elif low.startswith("xl/threadedcomments/") and low.endswith(".xml"):
                threaded.setdefault(name, "")
        authors_seen: set[str] = set()
        for part, sheet_name in legacy.items():
            root = parse_part(self.zf, part)
            authors_el = root.find(f"{_M}authors")
            if authors_el is not None:
                for a in authors_el.findall(f"{_M}author"):
                    if a.text and a.text.strip() and a.text not in authors_seen:
                        authors_seen.add(a.text)
                        yield TextPart(
                            text=a.text,
                            location=self.loc(Surface.METADATA, f"{part} comment author"),
                            context="author",
                        )
            for cm in root.iter(f"{_M}comment"):
                text_el = cm.find(f"{_M}text")
                text = _text_of(text_el) if text_el is not None else ""
                if text.strip():
                    yield TextPart(
                        text=text,
                        location=self.loc(
                            Surface.COMMENT, self._comment_where(part, sheet_name, cm.get("ref"))
                        ),
                        context="comment",
                    )
        for part, sheet_name in threaded.items():
            root = parse_part(self.zf, part)
            for tc in root.iter():
                if local(tc.tag) != "threadedComment":
                    continue
                text = "".join((t.text or "") for t in tc if local(t.tag) == "text")
                if text.strip():
                    yield TextPart(
                        text=_unescape(text),
                        location=self.loc(
                            Surface.COMMENT,
                            self._comment_where(
                                part, sheet_name, tc.get("ref"), "threaded comment"
                            ),
                        ),
                        context="comment",
                    )
        for name in self.zf.names():
            if name.lower().startswith("xl/persons/") and name.lower().endswith(".xml"):
                root = parse_part(self.zf, name)
                for person in root.iter():
                    if local(person.tag) != "person":
                        continue
                    for attr in ("displayName", "userId"):
                        value = person.get(attr)
                        if value and value.strip() and value not in authors_seen:
                            authors_seen.add(value)
                            yield TextPart(
                                text=value,
                                location=self.loc(Surface.METADATA, f"{name} comment author"),
                                context="author",
                            )

    @staticmethod
    def _comment_where(part: str, sheet: str, ref: str | None, kind: str = "comment") -> str:
        if sheet:
            return f"{_ref(sheet, ref or '?')} {kind}"
        return f"{part} {ref or '?'} {kind} (no sheet refers to it)"

    # -- pivot caches --------------------------------------------------------------------------
    def _pivot_caches(self) -> Iterator[ReadItem]:
        seen: dict[str, str] = {}
        for cache_id, part in self.pivot_refs:
            stored = self.zf.resolve(part)
            if stored is None:
                raise CorruptFile(f"the pivot cache part {part} is referenced but missing")
            seen.setdefault(stored, cache_id)
        for name in self.zf.names():
            base = posixpath.basename(name).lower()
            if (
                base.startswith("pivotcachedefinition")
                and base.endswith(".xml")
                and name not in seen
            ):
                num = re.sub(r"\D", "", base) or "?"
                seen[name] = f"{num}, not listed by the workbook"
        used_records: set[str] = set()
        for part, label in seen.items():
            yield from self._pivot_cache(part, label, used_records)
        for name in self.zf.names():
            base = posixpath.basename(name).lower()
            if (
                base.startswith("pivotcacherecords")
                and base.endswith(".xml")
                and name not in used_records
            ):
                yield NotInspected(
                    location=self.loc(Surface.PIVOT_CACHE, name),
                    reason="pivot cache records without a cache definition: their values "
                    "cannot be decoded",
                )

    def _pivot_cache(self, part: str, label: str, used_records: set[str]) -> Iterator[ReadItem]:
        root = parse_part(self.zf, part, huge=True)
        src = root.find(f"{_M}cacheSource")
        source_desc = "source unknown"
        if src is not None:
            ws = src.find(f"{_M}worksheetSource")
            if ws is not None:
                sname = ws.get("sheet")
                if sname:
                    source_desc = f"source {_ref(sname, ws.get('ref') or '?')}"
                    if sname not in {s.name for s in self.sheets}:
                        source_desc += "; source sheet no longer in the workbook"
                elif ws.get("name"):
                    source_desc = f"source {ws.get('name')}"
            else:
                source_desc = f"source type {src.get('type') or '?'}"
        fields: list[tuple[str, list[str], bool]] = []  # (name, shared items, in records)
        cf_el = root.find(f"{_M}cacheFields")
        for cf in cf_el.findall(f"{_M}cacheField") if cf_el is not None else []:
            shared: list[str] = []
            si = cf.find(f"{_M}sharedItems")
            if si is not None:
                shared = [_pivot_value(item) for item in si]
            in_records = (cf.get("databaseField") or "1") not in ("0", "false")
            fields.append((cf.get("name") or "", shared, in_records))
        title = f"pivot cache {label} ({source_desc})"
        rels = read_rels(self.zf, part)
        rec_part: str | None = None
        for rel in rels.values():
            if rel.type.endswith("/pivotCacheRecords") and not rel.external:
                rec_part = self.zf.resolve(rel.target)
                if rec_part is None:
                    raise CorruptFile(f"the pivot cache records part {rel.target} is missing")
        if rec_part is None:
            for fname, shared, _ in fields:
                items = [(k + 1, [v]) for k, v in enumerate(shared) if v]
                if items:
                    yield self._pivot_table(
                        [fname], items, f"{title}, distinct values of field {fname}", group=title
                    )
            return
        used_records.add(rec_part)
        rec_fields = [f for f in fields if f[2]]
        used_idx: list[set[int]] = [set() for _ in rec_fields]
        rows: list[tuple[int, list[str]]] = []
        limit = self.source.limits.max_rows
        for n, (_, r) in enumerate(iterparse_part(self.zf, rec_part, tag=f"{_M}r"), start=1):
            if n > limit:
                raise LimitExceeded(f"the pivot cache {rec_part} has over {limit} records")
            vals: list[str] = []
            for k, item in enumerate(r):
                if k >= len(rec_fields):
                    raise CorruptFile(f"a record in {rec_part} has more values than fields")
                if local(item.tag) == "x":
                    try:
                        pos = int(item.get("v") or 0)
                        if pos < 0:
                            raise IndexError(pos)
                        vals.append(rec_fields[k][1][pos])
                    except (ValueError, IndexError):
                        raise CorruptFile(
                            f"record {n} of {rec_part} points outside its field's shared items"
                        ) from None
                    used_idx[k].add(pos)
                else:
                    vals.append(_pivot_value(item))
            r.clear()
            while r.getprevious() is not None:
                parent = r.getparent()
                if parent is None:
                    break
                del parent[0]
            vals.extend([""] * (len(rec_fields) - len(vals)))
            if any(vals):
                rows.append((n, vals))
        yield self._pivot_table([f[0] for f in rec_fields], rows, title)
        # items kept in the definition that no record uses any more (deleted source rows)
        for k, (fname, shared, _) in enumerate(rec_fields):
            stale = [(p + 1, [v]) for p, v in enumerate(shared) if p not in used_idx[k] and v]
            if stale:
                yield self._pivot_table(
                    [fname],
                    stale,
                    f"{title}, items of field {fname} no record uses",
                    group=f"{title} unused items",
                )

    def _pivot_table(
        self, header: list[str], rows: list[tuple[int, list[str]]], where: str, *, group: str = ""
    ) -> TablePart:
        return TablePart(
            header=header,
            rows=rows,
            location=self.loc(Surface.PIVOT_CACHE, where),
            # fields are found by name, not by a column letter: a cache has no grid
            column_labels=[h or f"field {i + 1}" for i, h in enumerate(header)],
            sheet=where.split(" (", 1)[0],
            total_rows=len(rows),
            group=group,
        )

    # -- defined names -------------------------------------------------------------------------
    def _defined_names(self) -> Iterator[ReadItem]:
        for dn in self.defined_names:
            name = dn.get("name") or ""
            text = _constant_text(dn.text or "")
            if text:
                yield TextPart(
                    text=text,
                    location=self.loc(Surface.DEFINED_NAME, f"defined name {name}"),
                    context=name,
                )

    # -- external link caches ------------------------------------------------------------------
    def _external_links(self) -> Iterator[ReadItem]:
        parts = sorted(
            n
            for n in self.zf.names()
            if n.lower().startswith("xl/externallinks/") and n.lower().endswith(".xml")
            and "/_rels/" not in n.lower()
        )  # fmt: skip
        for k, part in enumerate(parts, start=1):
            root = parse_part(self.zf, part, huge=True)
            label = f"external link {k}"
            for rel in read_rels(self.zf, part).values():
                if rel.type.endswith("/externalLinkPath") or rel.external:
                    yield TextPart(
                        text=rel.target,
                        location=self.loc(Surface.METADATA, f"{label} target"),
                        context="linked workbook path",
                    )
            names = [sn.get("val") or "" for sn in root.iter(f"{_M}sheetName")]
            for sd in root.iter(f"{_M}sheetData"):
                sid = _int_attr(sd, "sheetId", 0, part=part)
                sname = names[sid] if 0 <= sid < len(names) else f"sheet {sid}"
                cells: dict[tuple[int, int], str] = {}
                for row in sd.iter(f"{_M}row"):
                    rno = _int_attr(row, "r", 0, part=part)
                    for cell in row.iter(f"{_M}cell"):
                        m = _CELL_REF.fullmatch(cell.get("r") or "")
                        v = cell.find(f"{_M}v")
                        if m and v is not None and v.text:
                            r = int(m.group(2)) or rno
                            c = column_index(m.group(1))
                            if not 1 <= r <= MAX_ROW or c >= MAX_COL:
                                raise CorruptFile(
                                    f"the part {part} has a cached cell outside Excel's grid"
                                )
                            cells[(r, c)] = _unescape(v.text)
                if cells:
                    yield self._grid_table(cells, Surface.EXTERNAL_LINK_CACHE, f"{label} [{sname}]")

    def _grid_table(
        self, cells: dict[tuple[int, int], str], surface: Surface, label: str
    ) -> TablePart:
        row_nos = sorted({r for r, _ in cells})  # only rows that hold cells: the grid is sparse
        rmin, rmax = row_nos[0], row_nos[-1]
        cmin, cmax = min(c for _, c in cells), max(c for _, c in cells)
        if len(row_nos) * (cmax - cmin + 1) > MAX_GRID_CELLS:
            raise LimitExceeded(
                f"the {label} cache spreads its values over more than {MAX_GRID_CELLS:,} cells"
            )
        grid = [[cells.get((r, c), "") for c in range(cmin, cmax + 1)] for r in row_nos]
        h = find_header_row(grid)
        header = grid[h] if h is not None else [""] * (cmax - cmin + 1)
        start = h + 1 if h is not None else 0
        rows = [(row_nos[i], grid[i]) for i in range(start, len(grid)) if any(grid[i])]
        where = f"{label}!{column_letter(cmin)}{rmin}:{column_letter(cmax)}{rmax}"
        return TablePart(
            header=header,
            rows=rows,
            location=self.loc(surface, where),
            column_labels=[column_letter(c) for c in range(cmin, cmax + 1)],
            sheet=label,
            total_rows=len(rows),
        )

    # -- chart caches --------------------------------------------------------------------------
    def _charts(self) -> Iterator[ReadItem]:
        for part in self.zf.names():
            low = part.lower()
            if not (low.startswith("xl/charts/chart") and low.endswith(".xml")):
                continue
            root = parse_part(self.zf, part, huge=True)
            columns: list[tuple[str, dict[int, str]]] = []
            for el in root.iter():
                lname = local(el.tag)
                if lname in ("strCache", "numCache", "lvl"):
                    f_text = _formula_near(el)
                    pts: dict[int, str] = {}
                    for pt in el:
                        if local(pt.tag) != "pt":
                            continue
                        v = next((c.text for c in pt if local(c.tag) == "v"), None)
                        if v is None:
                            v = pt.text
                        if v:
                            idx = _int_attr(pt, "idx", len(pts), part=part)
                            if not 0 <= idx < MAX_ROW:
                                raise CorruptFile(
                                    f"the part {part} has a cached point index out of range"
                                )
                            pts[idx] = v
                    if pts:
                        columns.append((f_text or f"series cache {len(columns) + 1}", pts))
            if not columns:
                continue
            indices = sorted({i for _, p in columns for i in p})  # sparse: points that exist
            if len(indices) * len(columns) > MAX_GRID_CELLS:
                raise LimitExceeded(
                    f"the chart part {part} caches more than {MAX_GRID_CELLS:,} values"
                )
            rows = []
            for i in indices:
                vals = [p.get(i, "") for _, p in columns]
                if any(vals):
                    rows.append((i + 1, vals))
            where = f"chart {posixpath.basename(part)} cached values"
            yield TablePart(
                header=[h for h, _ in columns],
                rows=rows,
                location=self.loc(Surface.CHART_CACHE, where),
                column_labels=[column_letter(i) for i in range(len(columns))],
                sheet=where,
                total_rows=len(rows),
            )

    # -- document properties ---------------------------------------------------------------------
    def _doc_props(self) -> Iterator[ReadItem]:
        yield from doc_props(self.zf, self.loc)

    # -- shared strings no cell uses -----------------------------------------------------------
    def _orphan_strings(self) -> Iterator[ReadItem]:
        name = "xl/sharedStrings.xml"
        if not self.zf.has(name) or self.zf.size(name) == 0:
            return
        used = self.used_strings
        for k, (_, si) in enumerate(iterparse_part(self.zf, name, tag=f"{_M}si"), start=1):
            text = _text_of(si)
            si.clear()
            if text.strip() and text not in used:
                yield TextPart(
                    text=text,
                    location=self.loc(Surface.HIDDEN_TEXT, f"{name} string {k} (no cell uses it)"),
                    context="unused shared string",
                )

    # -- content seen but not inspected --------------------------------------------------------
    def _not_inspected(self) -> Iterator[ReadItem]:
        # embedded workbooks, documents and OLE packages: read recursively by the scanner
        yield from embedded_files(self.zf, "xl/embeddings/", self.loc)
        for name in self.zf.names():
            low = name.lower()
            reason: str | None = None
            surface = Surface.ATTACHMENT
            if low.startswith("xl/model/"):
                reason = "Power Pivot data model (a whole embedded database) not inspected"
            elif posixpath.basename(low) == "vbaproject.bin":
                reason = "VBA macro project: program code, not inspected for personal data"
                surface = Surface.SCRIPT_DATA
            if reason:
                yield NotInspected(location=self.loc(surface, name), reason=reason)


def _formula_near(cache: etree._Element) -> str:
    """The source formula (``c:f``) of a chart cache: a sibling of the cache, or of the
    multi-level cache that holds this level."""
    holder = cache.getparent()
    for _ in range(2):
        if holder is None:
            return ""
        for sib in holder:
            if local(sib.tag) == "f" and sib.text:
                return sib.text
        holder = holder.getparent()
    return ""


def _pivot_value(item: etree._Element) -> str:
    """The text of one pivot cache item: ``<s v>``, ``<n v>``, ``<d v>``, ``<b v>``, ``<e v>``,
    ``<m/>`` (missing)."""
    kind = local(item.tag)
    v = item.get("v")
    if kind == "m" or v is None:
        return ""
    if kind == "n":
        try:
            return format_cell(float(v))
        except ValueError:
            return v
    if kind == "d":
        return v[:10] if v.endswith("T00:00:00") else v
    if kind == "b":
        return "TRUE" if _truthy(v) else "FALSE"
    return _unescape(v)


_STRING_LIT = re.compile(r'"((?:[^"]|"")*)"')
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")


def _constant_text(value: str) -> str:
    """The data a defined name stores itself: a string, number or array constant, or the string
    literals inside a formula. Empty for plain references (``Sheet1!$A$1:$B$5``)."""
    v = value.strip()
    if v.startswith("="):
        v = v[1:].strip()
    if not v:
        return ""
    if _NUMBER.fullmatch(v):
        return v
    if v.startswith("{") and v.endswith("}"):
        items = re.split(r"[,;]", v[1:-1])
        return ", ".join(i.strip().strip('"').replace('""', '"') for i in items if i.strip())
    literals = [m.group(1).replace('""', '"') for m in _STRING_LIT.finditer(v)]
    return "; ".join(x for x in literals if x.strip())
