"""Legacy Excel (XLS, BIFF8 in an OLE container) and OpenDocument spreadsheets (ODS).

Cell values come from python-calamine, which is fast and handles both formats; sheet visibility
comes from its ``sheets_metadata``, so a hidden or very hidden sheet is reported as such. What
calamine does not expose (hidden rows and columns, comments, pivot caches...) is reported as a
`NotInspected` note naming the surface, never passed over in silence. XLS document properties are
read with olefile, which parses the property-set streams.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Sequence
from itertools import chain, islice
from typing import Any

import olefile
import python_calamine as pc

from spillguard.errors import CorruptFile, EncryptedFile
from spillguard.model import Location, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.sniff import is_cfb, is_zip, zip_member_head
from spillguard.readers.tables import column_letter, find_header_row, format_cell
from spillguard.readers.zipsafe import SafeZip

ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
_HEADER_SCAN_ROWS = 40

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
        return None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if file_type == "xls":
            yield from self._read_xls(source)
        elif file_type == "ods":
            yield from self._read_ods(source)
        else:
            raise CorruptFile(f"the XLS/ODS reader was asked for an unknown type ({file_type})")

    # -- XLS ------------------------------------------------------------------------------------
    def _read_xls(self, source: Source) -> Iterator[ReadItem]:
        try:
            ole = olefile.OleFileIO(str(source.path))
        except (OSError, ValueError, IndexError, struct.error):
            raise CorruptFile("the XLS file's OLE container is damaged or truncated") from None
        with ole:
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
            members = zf.names()
            manifest = zf.read("META-INF/manifest.xml") if zf.has("META-INF/manifest.xml") else b""
            if any(zf.is_encrypted(n) for n in members) or b"encryption-data" in manifest:
                raise EncryptedFile(
                    "the ODS spreadsheet is password-protected (encrypted); its content cannot "
                    "be inspected"
                )
        yield from self._sheets(source, "ODS")
        yield from _ods_notes(source, members)

    # -- shared ---------------------------------------------------------------------------------
    def _sheets(self, source: Source, kind: str) -> Iterator[ReadItem]:
        try:
            book = pc.CalamineWorkbook.from_path(str(source.path))
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
            for index, meta in enumerate(book.sheets_metadata):
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
                    sheet = book.get_sheet_by_index(index)
                except pc.CalamineError as exc:
                    raise CorruptFile(
                        f"sheet {index + 1} of the {kind} workbook could not be read "
                        f"({type(exc).__name__})"
                    ) from None
                part = _sheet_part(source, sheet, meta.name, surface)
                if part is not None:
                    yield part


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


def _non_empty(
    rows: Iterator[tuple[int, list[Any]]], width: int
) -> Iterator[tuple[int, Sequence[Any]]]:
    for number, values in rows:
        if values.count("") != width:
            yield number, values


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


def _ods_notes(source: Source, members: Sequence[str]) -> Iterator[NotInspected]:
    yield NotInspected(
        location=_loc(source, Surface.HIDDEN_ROW, "all sheets"),
        reason=(
            "hidden and filtered rows and columns are not inspected in ODS files; their cells "
            "are scanned as if visible"
        ),
    )
    yield NotInspected(
        location=_loc(source, Surface.COMMENT, "all sheets"),
        reason="comments (annotations) are not inspected in ODS files",
    )
    if "meta.xml" in members:
        yield NotInspected(
            location=_loc(source, Surface.METADATA, "meta.xml"),
            reason="document properties (meta.xml) are not inspected in ODS files",
        )
    if any(m.startswith("Object ") or m.startswith("ObjectReplacements/") for m in members):
        yield NotInspected(
            location=_loc(source, Surface.ATTACHMENT, "embedded objects"),
            reason="the ODS file holds embedded objects; they are not inspected",
        )


__all__ = ["ODS_MIMETYPES", "XlsOdsReader", "biff_is_encrypted", "ole_stream_names", "quote_sheet"]
