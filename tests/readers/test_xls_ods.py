"""XLS (written with xlwt, a test-only dependency) and ODS (raw zip + XML) workbooks."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
import xlwt
from xlwt import CompoundDoc

from spillguard.errors import CorruptFile, EncryptedFile
from spillguard.model import NotInspected, Surface, TablePart
from spillguard.readers.base import Source
from spillguard.readers.calamine_other import XlsOdsReader, biff_is_encrypted, quote_sheet
from spillguard.readers.ole import OleReader

READER = XlsOdsReader()


def _read(path: Path) -> tuple[str, list[Any]]:
    source = Source.from_path(path)
    file_type = READER.sniff(source)
    assert file_type is not None
    return file_type, list(READER.read(source, file_type))


def _tables(items: list[Any]) -> dict[str, TablePart]:
    return {p.sheet: p for p in items if isinstance(p, TablePart)}


def _workbook() -> xlwt.Workbook:
    wb = xlwt.Workbook()
    stats = wb.add_sheet("Summary")
    stats.write(0, 0, "Detention statistics")
    stats.write(2, 1, "Region")
    stats.write(2, 2, "Count")
    stats.write(3, 1, "North")
    stats.write(3, 2, 12)
    stats.write(5, 1, "South")
    stats.write(5, 2, 7)
    hidden = wb.add_sheet("Staff list")
    hidden.write(0, 0, "Name")
    hidden.write(0, 1, "Date of birth")
    hidden.write(1, 0, "Jane Roe")
    hidden.write(1, 1, "1980-02-03")
    hidden.visibility = 1
    very = wb.add_sheet("Raw")
    very.write(0, 0, "secret")
    very.visibility = 2
    return wb


def test_xls_sheets_rows_and_visibility(tmp_path: Path) -> None:
    path = tmp_path / "stats.bin"
    _workbook().save(str(path))
    file_type, items = _read(path)
    assert file_type == "xls"
    tables = _tables(items)
    assert set(tables) == {"Summary", "Staff list", "Raw"}

    summary = tables["Summary"]
    assert summary.location.surface is Surface.VISIBLE
    assert summary.location.where == "Summary!A1:C6"
    assert summary.column_labels == ["A", "B", "C"]
    assert summary.header == ["", "Region", "Count"]
    rows = [(n, list(v)) for n, v in summary.rows]
    assert rows == [
        (1, ["Detention statistics", "", ""]),
        (4, ["", "North", 12]),
        (6, ["", "South", 7]),
    ]

    staff = tables["Staff list"]
    assert staff.location.surface is Surface.HIDDEN_SHEET
    assert staff.location.where == "'Staff list'!A1:B2"
    assert staff.header == ["Name", "Date of birth"]
    assert [(n, list(v)) for n, v in staff.rows] == [(2, ["Jane Roe", "1980-02-03"])]
    assert tables["Raw"].location.surface is Surface.VERY_HIDDEN_SHEET

    notes = [i for i in items if isinstance(i, NotInspected)]
    reasons = {n.location.surface: n.reason for n in notes}
    assert reasons[Surface.HIDDEN_ROW] == (
        "hidden rows and columns are not inspected in XLS files; their cells are scanned as if "
        "visible"
    )
    assert Surface.COMMENT in reasons


def _with_filepass(wb: xlwt.Workbook) -> bytes:
    """BIFF8 with the WRITEACCESS record swapped for FILEPASS (XOR obfuscation) plus a filler."""
    data = wb.get_biff_data()
    pos = 0
    while True:
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x005C:
            break
        pos += 4 + rlen
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
    filler_len = 4 + rlen - len(filepass) - 4
    filler = struct.pack("<HH", 0x005C, filler_len) + b" " * filler_len
    patched = data[:pos] + filepass + filler + data[pos + 4 + rlen :]
    assert len(patched) == len(data)
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, patched)
    return out.getvalue()


def test_encrypted_xls(tmp_path: Path) -> None:
    path = tmp_path / "locked.xls"
    path.write_bytes(_with_filepass(_workbook()))
    source = Source.from_path(path)
    assert READER.sniff(source) == "xls"
    with pytest.raises(EncryptedFile, match="password-protected"):
        list(READER.read(source, "xls"))


def test_biff_filepass_scan() -> None:
    bof = struct.pack("<HH", 0x0809, 4) + b"\x00\x06\x05\x00"
    eof = struct.pack("<HH", 0x000A, 0)
    filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 1, 2)
    assert biff_is_encrypted(bof + filepass + eof)
    assert not biff_is_encrypted(bof + eof + filepass)


def test_truncated_xls_is_corrupt(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xls"
    _workbook().save(str(whole))
    path = tmp_path / "cut.xls"
    path.write_bytes(whole.read_bytes()[:1500])
    source = Source.from_path(path)
    # The damaged container is not recognised as a workbook, so the OLE reader takes it and
    # says why it cannot be read.
    assert READER.sniff(source) is None
    ole = OleReader()
    assert ole.sniff(source) == "cfb"
    with pytest.raises(CorruptFile, match="damaged or truncated"):
        list(ole.read(source, "cfb"))


def test_damaged_xls_stream_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.xls"
    # A valid OLE container whose Workbook stream is garbage: no BOF, no FILEPASS.
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, b"\xff" * 4096)
    path.write_bytes(out.getvalue())
    source = Source.from_path(path)
    assert READER.sniff(source) == "xls"
    with pytest.raises(CorruptFile, match="could not be read"):
        list(READER.read(source, "xls"))


# -- ODS ----------------------------------------------------------------------------------------
NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
)


def _cell(value: str | float) -> str:
    if isinstance(value, str):
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def _table(name: str, style: str, rows: list[list[str | float]]) -> str:
    body = "".join(
        "<table:table-row>" + "".join(map(_cell, r)) + "</table:table-row>" for r in rows
    )
    return f'<table:table table:name="{name}" table:style-name="{style}">{body}</table:table>'


def _write_ods(path: Path, tables: str, *, mimetype: bytes = b"", manifest_extra: str = "") -> None:
    mimetype = mimetype or b"application/vnd.oasis.opendocument.spreadsheet"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS} office:version="1.3">'
        "<office:automatic-styles>"
        '<style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table">'
        '<style:table-properties table:display="false"/></style:style>'
        "</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype.decode()}"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        f"{manifest_extra}</manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(
            "meta.xml",
            f"<office:document-meta {NS}/>",
            compress_type=zipfile.ZIP_DEFLATED,
        )


def test_ods_hidden_sheet(tmp_path: Path) -> None:
    path = tmp_path / "release.zip"  # the name does not matter, the content does
    _write_ods(
        path,
        _table("Summary", "ta1", [["Region", "Count"], ["North", 12], ["South", 7]])
        + _table("Staff list", "ta2", [["Name", "Nationality"], ["Jane Roe", "Irish"]]),
    )
    file_type, items = _read(path)
    assert file_type == "ods"
    tables = _tables(items)
    assert tables["Summary"].location.surface is Surface.VISIBLE
    assert tables["Summary"].header == ["Region", "Count"]
    assert [(n, list(v)) for n, v in tables["Summary"].rows] == [
        (2, ["North", 12.0]),
        (3, ["South", 7.0]),
    ]
    staff = tables["Staff list"]
    assert staff.location.surface is Surface.HIDDEN_SHEET
    assert staff.location.where == "'Staff list'!A1:B2"
    assert [(n, list(v)) for n, v in staff.rows] == [(2, ["Jane Roe", "Irish"])]
    # hidden rows, comments and properties of ODS files are read now: nothing is left uninspected
    assert [i for i in items if isinstance(i, NotInspected)] == []


def test_other_opendocument_is_not_ods(tmp_path: Path) -> None:
    path = tmp_path / "letter.ods"
    _write_ods(path, "", mimetype=b"application/vnd.oasis.opendocument.text")
    assert READER.sniff(Source.from_path(path)) is None


def test_encrypted_ods(tmp_path: Path) -> None:
    path = tmp_path / "locked.ods"
    _write_ods(
        path,
        _table("S", "ta1", [["a"]]),
        manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1"/>',
    )
    with pytest.raises(EncryptedFile, match="ODS spreadsheet is password-protected"):
        _read(path)


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("Sheet1", "Sheet1"),
        ("Staff list", "'Staff list'"),
        ("O'Brien", "'O''Brien'"),
        ("2023", "'2023'"),
    ],
)
def test_quote_sheet(name: str, quoted: str) -> None:
    assert quote_sheet(name) == quoted
