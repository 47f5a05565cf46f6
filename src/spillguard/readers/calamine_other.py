"""Legacy Excel (XLS, BIFF8 in an OLE container) and OpenDocument spreadsheets (ODS).

Cell values come from python-calamine, which is fast and handles both formats; sheet visibility
comes from its ``sheets_metadata``, so a hidden or very hidden sheet is reported as such. For ODS,
what calamine does not expose is read from the XML: content.xml is streamed once more for rows and
columns hidden (``table:visibility="collapse"``) or filtered out (``"filter"``), whose cells are
split into parts of their own surface as for XLSX, and for cell annotations (comments); meta.xml
gives the document properties and ``Object N/`` folders the embedded charts and documents. For XLS,
what is not read (hidden rows and columns, comments, pivot caches...) is reported as a
`NotInspected` note naming the surface, never passed over in silence. XLS document properties are
read with olefile, which parses the property-set streams.
"""

from __future__ import annotations

import os
import re
import struct
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any

import olefile
import python_calamine as pc

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded, UnsupportedFormat
from spillguard.model import Location, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.odf import (
    embedded_objects,
    is_encrypted,
    meta_parts,
    odf_text,
    table_part,
)
from spillguard.readers.sniff import is_cfb, is_zip, zip_member_head, zip_names
from spillguard.readers.tables import MAX_GRID_CELLS, column_letter, find_header_row, format_cell
from spillguard.readers.zipsafe import ZIP_ERRORS, SafeZip, iterparse_part, parse_part

ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
SXC_MIMETYPES = (
    b"application/vnd.sun.xml.calc",
    b"application/vnd.sun.xml.calc.template",
)
_HEADER_SCAN_ROWS = 40
#: BOF record ids of BIFF2, BIFF3, BIFF4 and BIFF5/8 streams, little-endian
_BIFF_BOFS = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")

_BIFF_FILEPASS = 0x002F
_BIFF_EOF = 0x000A
_BIFF_BOF = 0x0809

_VISIBILITY = {
    "Visible": Surface.VISIBLE,
    "Hidden": Surface.HIDDEN_SHEET,
    "VeryHidden": Surface.VERY_HIDDEN_SHEET,
}

# Metadata fields of the OLE SummaryInformation / DocumentSummaryInformation property sets.
_XLS_METADATA_FIELDS = (
    ("author", "author"),
    ("last_saved_by", "last saved by"),
    ("company", "company"),
    ("manager", "manager"),
    ("title", "title"),
    ("subject", "subject"),
    ("keywords", "keywords"),
    ("comments", "comments"),
    ("category", "category"),
)


def ole_stream_names(path: Any) -> list[str] | None:
    """Every stream and storage path in the OLE file at `path` (``"Workbook"``), None if damaged."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            entries = ole.listdir(streams=True, storages=True)
    except (OSError, ValueError, IndexError, struct.error):
        # olefile's OleFileError is an OSError; damaged tables surface as the others.
        return None
    return ["/".join(e) for e in entries]


def xls_workbook_stream(names: Sequence[str]) -> str | None:
    """The BIFF workbook stream's name: ``Workbook`` (BIFF8) or ``Book`` (BIFF5), if present."""
    lowered = {n.lower(): n for n in names}
    for wanted in ("workbook", "book"):
        if wanted in lowered:
            return lowered[wanted]
    return None


def quote_sheet(name: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it is not a plain word."""
    if name.replace("_", "").isalnum() and not name[0].isdigit():
        return name
    return "'" + name.replace("'", "''") + "'"


class XlsOdsReader:
    """XLS and ODS workbooks: one `TablePart` per sheet, with the sheet's visibility."""

    id = "xls_ods"

    def sniff(self, source: Source) -> str | None:
        head = source.head
        if is_cfb(head):
            names = ole_stream_names(source.path)
            if names is not None and xls_workbook_stream(names) is not None:
                return "xls"
            return None
        if is_zip(head):
            mimetype = zip_member_head(source.path, "mimetype", size=128)
            if mimetype is not None and mimetype.strip() in ODS_MIMETYPES:
                return "ods"
            if mimetype is not None and mimetype.strip() in SXC_MIMETYPES:
                return "sxc"
            if any(
                n.lower().replace("\\", "/") == "xl/workbook.bin" for n in zip_names(source.path)
            ):
                return "xlsb"
            return None
        if _is_bare_biff(head):
            return "biff"
        return None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if file_type == "xls":
            yield from self._read_xls(source)
        elif file_type == "ods":
            yield from self._read_ods(source)
        elif file_type == "xlsb":
            # calamine reads XLSB, but into a dense grid sized by the farthest cell: without a
            # record-level pre-scan (as done for XLSX and ODS) one cell at XFD1048576 would make
            # it allocate billions of cells and abort the process. Fail closed until then.
            raise UnsupportedFormat(
                "an Excel binary workbook (.xlsb): this format is not inspected yet; save it as "
                ".xlsx to have it checked"
            )
        elif file_type == "sxc":
            with SafeZip(source.path, limits=source.limits, label="spreadsheet") as zf:
                if is_encrypted(zf):
                    raise EncryptedFile(
                        "the OpenOffice.org 1.x spreadsheet (.sxc) is password-protected "
                        "(encrypted); its content cannot be inspected"
                    )
            raise UnsupportedFormat(
                "an OpenOffice.org 1.x spreadsheet (.sxc, before OpenDocument): this format is "
                "not inspected; save it as .ods or .xlsx"
            )
        elif file_type == "biff":
            raise UnsupportedFormat(
                "an Excel 2.x-4.x worksheet, or an Excel workbook stream without its OLE "
                "container: this old format is not inspected; save it as .xlsx"
            )
        else:
            raise CorruptFile(f"the XLS/ODS reader was asked for an unknown type ({file_type})")

    # -- XLS ------------------------------------------------------------------------------------
    def _read_xls(self, source: Source) -> Iterator[ReadItem]:
        check_cfb_header(source.path, source.size)
        try:
            ole = olefile.OleFileIO(str(source.path))
        except (OSError, ValueError, IndexError, struct.error):
            raise CorruptFile("the XLS file's OLE container is damaged or truncated") from None
        with ole:
            check_cfb_chains(ole)
            names = ["/".join(e) for e in ole.listdir(streams=True, storages=True)]
            stream = xls_workbook_stream(names)
            if stream is None:
                raise CorruptFile("the XLS file has no Workbook stream")
            try:
                data = ole.openstream(stream).read()
            except (OSError, ValueError, IndexError, struct.error):
                raise CorruptFile(
                    "the XLS file's Workbook stream is damaged or truncated"
                ) from None
            if biff_is_encrypted(data):
                raise EncryptedFile(
                    "the XLS workbook is password-protected (encrypted); its content cannot be "
                    "inspected"
                )
            check_biff_grid(data)
            metadata = _xls_metadata(ole, source)
        del data
        yield from self._sheets(source, "XLS")
        if metadata is not None:
            yield metadata
        yield from _xls_notes(source, names)

    # -- ODS ------------------------------------------------------------------------------------
    def _read_ods(self, source: Source) -> Iterator[ReadItem]:
        # Opening through SafeZip checks member counts, sizes and compression ratios before
        # calamine inflates anything: a zip bomb is a LimitExceeded, not an exhausted machine.
        with SafeZip(source.path, limits=source.limits, label="ODS file") as zf:
            if is_encrypted(zf):
                raise EncryptedFile(
                    "the ODS spreadsheet is password-protected (encrypted); its content cannot "
                    "be inspected"
                )
            layouts: list[_OdsLayout] = []
            if zf.has("content.xml"):
                _check_ods_extent(zf)
                layouts = _ods_layouts(zf)
            content = zf.read("content.xml") if zf.has("content.xml") else b""
            tidy = _ODS_LAYOUT_SPACE.sub(b">", content) if content else content
            if tidy == content:
                yield from self._sheets(source, "ODS", layouts=layouts)
            else:
                # Indented content.xml (KSpread, Gnumeric, hand-edited files): calamine stops at
                # the whitespace between rows and cells, so read a copy without it. Whitespace
                # inside cells (<text:p>) is kept: only runs right before table and office tags
                # go.
                copy = _rewrite_member(source, "content.xml", tidy)
                try:
                    yield from self._sheets(source, "ODS", path=copy, layouts=layouts)
                finally:
                    copy.unlink(missing_ok=True)
            yield from _ods_comments(source, layouts)
            yield from meta_parts(zf, lambda s, w: _loc(source, s, w))
            yield from _ods_objects(zf, source)

    # -- shared ---------------------------------------------------------------------------------
    def _sheets(
        self,
        source: Source,
        kind: str,
        *,
        path: Path | None = None,
        layouts: Sequence[_OdsLayout] = (),
    ) -> Iterator[ReadItem]:
        try:
            with native_guard(f"the {kind} workbook"):
                book = pc.CalamineWorkbook.from_path(str(path or source.path))
                metas = list(book.sheets_metadata)
        except pc.PasswordError:
            raise EncryptedFile(
                f"the {kind} workbook is password-protected (encrypted); its content cannot be "
                "inspected"
            ) from None
        except pc.CalamineError as exc:
            raise CorruptFile(
                f"the {kind} workbook could not be read ({type(exc).__name__}: the file is "
                "damaged, truncated or not really this format)"
            ) from None
        with book:
            for index, meta in enumerate(metas):
                surface = _VISIBILITY.get(_enum_name(meta.visible), Surface.HIDDEN_SHEET)
                if _enum_name(meta.typ) != "WorkSheet":
                    yield NotInspected(
                        location=_loc(source, surface, quote_sheet(meta.name)),
                        reason=(
                            f"sheet {index + 1} is a {_enum_name(meta.typ)}, not a worksheet; its "
                            "content is not inspected"
                        ),
                    )
                    continue
                try:
                    with native_guard(f"sheet {index + 1} of the {kind} workbook"):
                        sheet = book.get_sheet_by_index(index)
                except pc.CalamineError as exc:
                    if str(exc).startswith("Cell limit exceeded"):
                        raise LimitExceeded(
                            f"sheet {index + 1} of the {kind} workbook spans more cells than can "
                            "be read into memory (its repeated rows and columns expand too far)"
                        ) from None
                    raise CorruptFile(
                        f"sheet {index + 1} of the {kind} workbook could not be read "
                        f"({type(exc).__name__})"
                    ) from None
                layout = layouts[index] if index < len(layouts) else None
                if layout is not None and surface is Surface.VISIBLE and layout.hides_anything():
                    yield from _split_sheet_parts(source, sheet, meta.name, layout)
                    continue
                part = _sheet_part(source, sheet, meta.name, surface)
                if part is not None:
                    yield part


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def _ods_repeat(el: Any, attr: str) -> int:
    raw = el.get(f"{_TABLE}{attr}")
    if raw is None:
        return 1
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise CorruptFile(
            f"the ODS file's content.xml has a {attr} attribute that is not a positive whole number"
        )
    return n


def _check_ods_extent(zf: SafeZip) -> None:
    """Stream content.xml and refuse a table whose values, once ODF's run-length repeats are
    expanded, span more than `MAX_GRID_CELLS` cells: calamine would allocate them all (a few KB
    of XML can ask for billions of cells). Parsing it also proves the XML is complete."""
    table_no = 0
    rows_seen = last_row = width = 0
    tags = (f"{_TABLE}table", f"{_TABLE}table-row")
    for event, el in iterparse_part(zf, "content.xml", tag=tags, events=("start", "end")):
        if el.tag == tags[0]:
            if event == "start":
                table_no += 1
                rows_seen = last_row = width = 0
            else:
                el.clear()
            continue
        if event == "start":
            continue
        col = used = 0
        for cell in el:
            if cell.tag not in _ODS_CELLS:
                continue
            col += _ods_repeat(cell, "number-columns-repeated")
            if len(cell) or cell.get(f"{_OFFICE}value-type") is not None:
                used = col
        rows_seen += _ods_repeat(el, "number-rows-repeated")
        if used:
            last_row = rows_seen
            width = max(width, used)
            if last_row * width > MAX_GRID_CELLS:
                raise LimitExceeded(
                    f"table {table_no} of the ODS file spreads its values over more than "
                    f"{MAX_GRID_CELLS:,} cells once its repeated rows and columns are expanded"
                )
        el.clear()
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]


@dataclass(slots=True)
class _OdsLayout:
    """What content.xml says about one table that calamine does not: rows and columns hidden
    (``table:visibility="collapse"``) or filtered out (``"filter"``), and cell annotations."""

    name: str
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)  # 1-based, inclusive
    filtered_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)  # 0-based, inclusive
    #: (row 1-based, column 0-based, text, author)
    comments: list[tuple[int, int, str, str]] = field(default_factory=list)

    def hides_anything(self) -> bool:
        return bool(self.hidden_rows or self.filtered_rows or self.hidden_cols)

    def row_surface(self, row: int) -> Surface:
        if any(a <= row <= b for a, b in self.filtered_rows):
            return Surface.FILTERED_ROW
        if any(a <= row <= b for a, b in self.hidden_rows):
            return Surface.HIDDEN_ROW
        return Surface.VISIBLE

    def col_hidden(self, col: int) -> bool:
        return any(a <= col <= b for a, b in self.hidden_cols)


_DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"


def _ods_layouts(zf: SafeZip) -> list[_OdsLayout]:
    """Stream content.xml once for the visibility of rows and columns of each sheet and for the
    annotations of its cells, in sheet order (the order calamine lists the sheets)."""
    out: list[_OdsLayout] = []
    depth = 0
    row = col = 0
    tags = (f"{_TABLE}table", f"{_TABLE}table-row", f"{_TABLE}table-column")
    for event, el in iterparse_part(zf, "content.xml", tag=tags, events=("start", "end")):
        if el.tag == tags[0]:
            if event == "start":
                depth += 1
                if depth == 1:
                    out.append(_OdsLayout(name=el.get(f"{_TABLE}name") or f"Sheet{len(out) + 1}"))
                    row, col = 1, 0
            else:
                depth -= 1
                if depth == 0:
                    el.clear()
            continue
        if event == "start" or depth != 1 or not out:
            continue
        lay = out[-1]
        vis = el.get(f"{_TABLE}visibility")
        if el.tag == tags[2]:
            reps = _ods_repeat(el, "number-columns-repeated")
            if vis in ("collapse", "filter"):
                lay.hidden_cols.append((col, col + reps - 1))
            col += reps
            continue
        reps = _ods_repeat(el, "number-rows-repeated")
        if vis == "collapse":
            lay.hidden_rows.append((row, row + reps - 1))
        elif vis == "filter":
            lay.filtered_rows.append((row, row + reps - 1))
        c = 0
        for cell in el:
            if cell.tag not in _ODS_CELLS:
                continue
            for ann in cell.iterchildren(f"{_OFFICE}annotation"):
                author = ""
                for meta_el in list(ann):
                    if meta_el.tag in (_DC_CREATOR, _DC_DATE):
                        if meta_el.tag == _DC_CREATOR:
                            author = (meta_el.text or "").strip()
                        ann.remove(meta_el)
                text = odf_text(ann)
                if text:
                    lay.comments.append((row, c, text, author))
            c += _ods_repeat(cell, "number-columns-repeated")
        row += reps
        el.clear()
        parent = el.getparent()
        while parent is not None and el.getprevious() is not None:
            del parent[0]
    return out


def _ods_comments(source: Source, layouts: Sequence[_OdsLayout]) -> Iterator[ReadItem]:
    authors: list[str] = []
    for lay in layouts:
        for row, col, text, author in lay.comments:
            where = f"{quote_sheet(lay.name)}!{column_letter(col)}{row}"
            yield TextPart(text=text, location=_loc(source, Surface.COMMENT, where))
            if author:
                authors.append(author)
    if authors:
        yield TextPart(
            text="\n".join(dict.fromkeys(authors)),
            location=_loc(source, Surface.METADATA, "authors of comments"),
            context="author",
        )


def _ods_objects(zf: SafeZip, source: Source) -> Iterator[ReadItem]:
    """Embedded objects: charts' cached tables, sub-documents' text, OLE files."""

    def sub(folder: str, media_type: str) -> Iterator[ReadItem]:
        chart = media_type == "application/vnd.oasis.opendocument.chart"
        surface = Surface.CHART_CACHE if chart else Surface.ATTACHMENT
        root = parse_part(zf, f"{folder}/content.xml", huge=True)
        k = 0
        for tbl in list(root.iter(f"{_TABLE}table")):
            if any(a.tag == f"{_TABLE}table" for a in tbl.iterancestors()):
                continue
            k += 1
            name = f"{folder}/ table {k}"
            part = table_part(tbl, _loc(source, surface, name), name)
            if part is not None:
                yield part
            parent = tbl.getparent()
            if parent is not None:
                parent.remove(tbl)  # its text is in the table part, not again in the text part
        text = "\n".join(
            odf_text(p)
            for p in root.iter(f"{_TEXT}p", f"{_TEXT}h")
            if not any(a.tag in (f"{_TEXT}p", f"{_TEXT}h") for a in p.iterancestors())
        ).strip()
        if text:
            yield TextPart(text=text, location=_loc(source, surface, f"{folder}/content.xml"))

    yield from embedded_objects(zf, lambda s, w: _loc(source, s, w), sub)


_ODS_LAYOUT_SPACE = re.compile(rb">[ \t\r\n]+(?=</?(?:table|office):)")


def _rewrite_member(source: Source, member: str, data: bytes) -> Path:
    """A temporary copy of the zip at `source` with `member` replaced by `data`."""
    fd, name = tempfile.mkstemp(prefix="spillguard-", suffix=source.path.suffix or ".zip")
    os.close(fd)
    out = Path(name)
    try:
        with (
            zipfile.ZipFile(source.path) as zin,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
        ):
            for info in zin.infolist():
                if info.is_dir():
                    continue
                body = data if info.filename == member else zin.read(info)
                zout.writestr(info, body)
    except ZIP_ERRORS:
        out.unlink(missing_ok=True)
        raise CorruptFile("the ODS file's zip members cannot be read") from None
    except BaseException:
        out.unlink(missing_ok=True)  # a full disk, an interrupt...: no temporary file left behind
        raise
    return out


def is_native_panic(exc: BaseException) -> bool:
    """Whether `exc` is a Rust panic inside calamine, raised through pyo3.

    pyo3 raises ``pyo3_runtime.PanicException``, which derives from BaseException (not
    Exception) and cannot be imported ahead of time, so it is recognised by name.
    """
    cls = type(exc)
    return cls.__name__ == "PanicException" and cls.__module__ == "pyo3_runtime"


@contextmanager
def native_guard(what: str) -> Iterator[None]:
    """Turn a panic of the native spreadsheet parser into a CorruptFile about `what`."""
    try:
        yield
    except BaseException as exc:
        if is_native_panic(exc):
            raise CorruptFile(
                f"{what} could not be read: the spreadsheet parser stopped on damaged data"
            ) from None
        raise


_CFB_SECTOR_SHIFTS = (9, 12)


def check_cfb_header(path: Path, size: int) -> None:
    """Refuse a compound file whose header claims more sectors than the file holds.

    calamine sizes its buffers from these header fields before reading: a damaged header made it
    ask for 4 GiB on a 6 KB file and abort the process. olefile checks less strictly.
    """
    with path.open("rb") as fh:
        header = fh.read(512)
    if len(header) < 512:
        raise CorruptFile("the OLE compound file is truncated (its 512-byte header is incomplete)")
    sector_shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
    if sector_shift not in _CFB_SECTOR_SHIFTS or mini_shift != 6:
        raise CorruptFile("the OLE compound file's header declares an invalid sector size")
    sector = 1 << sector_shift
    sectors = max(0, size - sector) // sector + 1
    (fat,) = struct.unpack_from("<I", header, 0x2C)
    (mini,) = struct.unpack_from("<I", header, 0x40)
    (difat,) = struct.unpack_from("<I", header, 0x48)
    for label, count in (("FAT", fat), ("mini FAT", mini), ("DIFAT", difat)):
        if count > sectors:
            raise CorruptFile(
                f"the OLE compound file's header claims {count:,} {label} sectors, more than the "
                f"file holds ({sectors:,}); it is damaged or truncated"
            )


_END_OF_CHAIN = 0xFFFFFFFE
_FREE_SECT = 0xFFFFFFFF


def _walk_chain(table: Sequence[int], start: int, what: str) -> None:
    """Follow one sector chain; a loop or a link out of the table is a CorruptFile."""
    steps = 0
    sect = start
    while sect not in (_END_OF_CHAIN, _FREE_SECT):
        if sect >= len(table) or steps > len(table):
            raise CorruptFile(
                f"the OLE compound file's sector chain of {what} loops or leaves the file; it is "
                "damaged"
            )
        sect = table[sect]
        steps += 1


def check_cfb_chains(ole: Any) -> None:
    """Check every sector chain calamine will follow before it follows them.

    calamine follows a chain until it ends: a damaged FAT whose chain loops back on itself made it
    grow a buffer to 4 GiB and abort the process. olefile reads the same file safely, so its
    tables are used to walk each chain (directory, mini FAT, mini stream, streams) once, bounded.
    """
    fat = list(ole.fat)
    _walk_chain(fat, ole.first_dir_sector, "the directory")
    if ole.first_mini_fat_sector not in (_END_OF_CHAIN, _FREE_SECT):
        _walk_chain(fat, ole.first_mini_fat_sector, "the mini FAT")
    try:
        ole.loadminifat()
    except (OSError, ValueError, IndexError, struct.error):
        raise CorruptFile("the OLE compound file's mini FAT is damaged") from None
    minifat = list(getattr(ole, "minifat", []) or [])
    for entry in ole.direntries:
        if entry is None or entry.entry_type not in (olefile.STGTY_STREAM, olefile.STGTY_ROOT):
            continue
        if entry.entry_type == olefile.STGTY_ROOT or entry.size >= ole.minisectorcutoff:
            _walk_chain(fat, entry.isectStart, "a stream")
        elif entry.size:
            _walk_chain(minifat, entry.isectStart, "a small stream")


def _enum_name(value: Any) -> str:
    """`SheetVisibleEnum.Hidden` -> ``"Hidden"`` (calamine enums print as ``Enum.Name``)."""
    return str(value).rsplit(".", 1)[-1]


def _loc(source: Source, surface: Surface, where: str) -> Location:
    return Location(path=source.display, surface=surface, where=where, member=source.member)


def _sheet_part(source: Source, sheet: Any, name: str, surface: Surface) -> TablePart | None:
    start = sheet.start
    end = sheet.end
    if start is None or end is None:
        return None  # an empty sheet holds nothing to inspect
    first_row, first_col = start
    last_row, last_col = end
    # calamine's iter_rows starts at row 1 of the sheet (absolute), but at the first used column.
    numbered = enumerate(sheet.iter_rows(), start=1)
    rows = ((n, r) for n, r in numbered if n > first_row)
    with native_guard(f"sheet {quote_sheet(name)}"):
        buffered = list(islice(rows, _HEADER_SCAN_ROWS))
    header_at = find_header_row([r for _, r in buffered])
    width = last_col - first_col + 1
    letters = [column_letter(first_col + j) for j in range(width)]
    if header_at is not None:
        header_values = buffered[header_at][1]
        header = [format_cell(v).strip() for v in header_values]
        header += [""] * (width - len(header))
        del buffered[header_at]
    else:
        header = [""] * width
    ref = (
        f"{quote_sheet(name)}!{column_letter(first_col)}{first_row + 1}:"
        f"{column_letter(last_col)}{last_row + 1}"
    )
    return TablePart(
        header=header,
        rows=_non_empty(chain(buffered, rows), width),
        location=_loc(source, surface, ref),
        column_labels=letters,
        sheet=name,
    )


def _split_sheet_parts(
    source: Source, sheet: Any, name: str, layout: _OdsLayout
) -> Iterator[ReadItem]:
    """A visible sheet whose rows or columns are hidden or filtered: one `TablePart` per surface
    (visible cells; hidden rows; filtered rows; hidden columns), with the sheet's header, so
    each cell is judged on the surface where it lives."""
    start, end = sheet.start, sheet.end
    if start is None or end is None:
        return
    first_row, first_col = start
    last_row, last_col = end
    width = last_col - first_col + 1
    with native_guard(f"sheet {quote_sheet(name)}"):
        rows = [
            (n, [*r, *[""] * (width - len(r))])
            for n, r in enumerate(sheet.iter_rows(), start=1)
            if n > first_row
        ]
    header_at = find_header_row([r for _, r in rows[:_HEADER_SCAN_ROWS]])
    if header_at is not None:
        header = [format_cell(v).strip() for v in rows[header_at][1]]
        del rows[header_at]
    else:
        header = [""] * width
    letters = [column_letter(first_col + j) for j in range(width)]
    shown = [j for j in range(width) if not layout.col_hidden(first_col + j)]
    hidden = [j for j in range(width) if layout.col_hidden(first_col + j)]
    ref = (
        f"{quote_sheet(name)}!{column_letter(first_col)}{first_row + 1}:"
        f"{column_letter(last_col)}{last_row + 1}"
    )
    by_surface: dict[Surface, list[tuple[int, list[Any]]]] = {}
    for n, values in rows:
        by_surface.setdefault(layout.row_surface(n), []).append((n, values))

    def part(surface: Surface, cols: list[int], subset: list[tuple[int, list[Any]]]) -> TablePart:
        picked = [(n, [v[j] for j in cols]) for n, v in subset]
        kept = [(n, v) for n, v in picked if any(x not in ("", None) for x in v)]
        return TablePart(
            header=[header[j] for j in cols],
            rows=kept,
            location=_loc(source, surface, ref),
            column_labels=[letters[j] for j in cols],
            sheet=name,
            total_rows=len(kept),
        )

    for surface in (Surface.VISIBLE, Surface.HIDDEN_ROW, Surface.FILTERED_ROW):
        subset = by_surface.get(surface, [])
        if subset and shown:
            yield part(surface, shown, subset)
    if hidden:
        yield part(Surface.HIDDEN_COLUMN, hidden, rows)


def _non_empty(
    rows: Iterator[tuple[int, list[Any]]], width: int
) -> Iterator[tuple[int, Sequence[Any]]]:
    with native_guard("a sheet"):
        for number, values in rows:
            if values.count("") != width:
                yield number, values


def _is_bare_biff(head: bytes) -> bool:
    """A BIFF stream that starts the file itself (Excel 2-4 files, or an extracted stream): a BOF
    record with a plausible length."""
    if len(head) < 8 or head[:2] not in _BIFF_BOFS:
        return False
    length = int.from_bytes(head[2:4], "little")
    return 4 <= length <= 20


#: BIFF cell records (row u16, column u16 first): NUMBER, LABEL, LABELSST, RK, BOOLERR, FORMULA,
#: BLANK, RSTRING; and the MULRK / MULBLANK runs, whose last column ends the record
_BIFF_CELLS = frozenset({0x0203, 0x0204, 0x00FD, 0x027E, 0x0205, 0x0006, 0x0201, 0x00D6})
_BIFF_RUNS = frozenset({0x00BD, 0x00BE})
_BIFF_DIMENSIONS = 0x0200
_BIFF_MAX_COLS = 256
_BIFF_MAX_ROWS = 65_536


def check_biff_grid(data: bytes) -> None:
    """Refuse cell positions outside the XLS grid (65,536 rows x 256 columns) before calamine
    sees them: it sizes a dense grid from the farthest cell or the DIMENSIONS record, so one
    flipped byte asked it for 365 GB and aborted the process."""
    pos = 0
    size = len(data)
    while pos + 4 <= size:
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        body = pos + 4
        pos = body + rlen
        if pos > size:
            return  # a truncated last record: calamine reports it as an error of its own
        if rtype in _BIFF_CELLS and rlen >= 4:
            (col,) = struct.unpack_from("<H", data, body + 2)
            last = col
        elif rtype in _BIFF_RUNS and rlen >= 6:
            (col,) = struct.unpack_from("<H", data, body + 2)
            (last,) = struct.unpack_from("<H", data, pos - 2)
        elif rtype == _BIFF_DIMENSIONS and rlen >= 14:
            _, rows, _, cols = struct.unpack_from("<IIHH", data, body)
            if rows > _BIFF_MAX_ROWS or cols > _BIFF_MAX_COLS:
                raise CorruptFile(
                    "the XLS workbook's DIMENSIONS record claims a sheet larger than Excel's grid; "
                    "it is damaged"
                )
            continue
        else:
            continue
        if last >= _BIFF_MAX_COLS or last < col:
            raise CorruptFile(
                "the XLS workbook has a cell beyond Excel's last column (IV); it is damaged"
            )


def biff_is_encrypted(data: bytes) -> bool:
    """True when the workbook globals of a BIFF stream hold a FILEPASS record (encryption)."""
    pos = 0
    size = len(data)
    while pos + 4 <= size:
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == _BIFF_FILEPASS:
            return True
        if rtype == _BIFF_EOF and pos > 0:
            return False
        pos += 4 + rlen
    return False


def _xls_metadata(ole: Any, source: Source) -> TextPart | None:
    """Document properties (author, last saved by, company...) as one METADATA text part."""
    try:
        meta = ole.get_metadata()
    except (OSError, ValueError, IndexError, struct.error):
        return None  # damaged property sets: reported by the note that follows
    lines = []
    for attr, label in _XLS_METADATA_FIELDS:
        value = getattr(meta, attr, None)
        if isinstance(value, bytes):
            value = value.decode("cp1252", errors="replace")
        if isinstance(value, str) and value.strip():
            lines.append(f"{label}: {value.strip()}")
    if not lines:
        return None
    return TextPart(
        text="\n".join(lines),
        location=_loc(source, Surface.METADATA, "document properties"),
        context="document properties",
    )


def _xls_notes(source: Source, names: Sequence[str]) -> Iterator[NotInspected]:
    yield NotInspected(
        location=_loc(source, Surface.HIDDEN_ROW, "all sheets"),
        reason=(
            "hidden rows and columns are not inspected in XLS files; their cells are scanned as "
            "if visible"
        ),
    )
    yield NotInspected(
        location=_loc(source, Surface.COMMENT, "all sheets"),
        reason="comments (cell notes) are not inspected in XLS files",
    )
    yield NotInspected(
        location=_loc(source, Surface.DEFINED_NAME, "workbook"),
        reason=(
            "defined names, external link caches and chart caches are not inspected in XLS files"
        ),
    )
    tops = {n.split("/", 1)[0] for n in names}
    if any(t.startswith("_SX_DB") for t in tops):
        yield NotInspected(
            location=_loc(source, Surface.PIVOT_CACHE, "pivot caches"),
            reason=(
                "the XLS workbook holds pivot table caches (a stored copy of source data); "
                "they are not inspected"
            ),
        )
    if any(t.startswith(("MBD", "ObjectPool")) for t in tops):
        yield NotInspected(
            location=_loc(source, Surface.ATTACHMENT, "embedded objects"),
            reason="the XLS workbook holds embedded objects; they are not inspected",
        )
    if any(t.startswith("_VBA_PROJECT") for t in tops):
        yield NotInspected(
            location=_loc(source, Surface.SCRIPT_DATA, "VBA project"),
            reason="the XLS workbook holds VBA macros; their code is not inspected",
        )


__all__ = ["ODS_MIMETYPES", "XlsOdsReader", "biff_is_encrypted", "ole_stream_names", "quote_sheet"]
