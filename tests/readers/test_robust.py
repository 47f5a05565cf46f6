"""Damaged and hostile files: every one gets a verdict or a precise typed error, never a crash.

The acceptable outcomes for a file are: read correctly, or an ``error`` verdict whose reason comes
from a typed `ReadError`. The scanner's generic "internal error while reading this file (X)" is a
reader bug, so these tests fail on it. The seeded mutation sweep runs a fixed sample of the
fuzzer in `test_robust_mutators.py`; the tests after it pin each class of bug found by running the
fuzzer and ``scripts/corpus_check.py`` on real-world files.

Cases that used to abort the process (a native allocation of billions of cells) are scanned in a
forked child, so that a regression fails one test instead of killing the run.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from spillguard.errors import CorruptFile, UnsupportedFormat
from spillguard.model import Surface, TablePart, TextPart, Verdict
from spillguard.plugins import readers as registered_readers
from spillguard.readers.base import Source
from spillguard.readers.zipsafe import SafeZip, parse_part
from spillguard.scanner import Target, choose_reader, scan_file
from tests import builders
from tests.readers.test_robust_mutators import (
    build_seeds,
    read_members,
    write_members,
    write_mutants,
    write_ods,
)

GENERIC = ("internal error while reading", "the file could not be read (")


def _scan(path: Path) -> tuple[Verdict, str | None]:
    result = scan_file(Target(path, path.name))
    return result.verdict, result.error


def _assert_typed(path: Path) -> tuple[Verdict, str | None]:
    verdict, error = _scan(path)
    assert not (error and error.startswith(GENERIC)), (path.name, error)
    return verdict, error


def _child_scan(path: str, conn: Any) -> None:
    conn.send(_scan(Path(path)))


def _scan_in_child(path: Path) -> tuple[Verdict, str | None]:
    """Scan in a forked child: a native abort is a test failure, not the end of the run."""
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_scan, args=(str(path), send))
    proc.start()
    send.close()
    try:
        got: tuple[Verdict, str | None] = recv.recv()
    except EOFError:
        got = (Verdict.ERROR, f"child died with exit code {proc.join() or proc.exitcode}")
    proc.join()
    assert proc.exitcode == 0, f"the scan crashed the process (exit code {proc.exitcode})"
    return got


def _read(path: Path) -> list[Any]:
    source = Source.from_path(path)
    reader, file_type = choose_reader(source, registered_readers())
    items: list[Any] = []
    for item in reader.read(source, file_type):
        if isinstance(item, TablePart):
            item.rows = list(item.rows)
        items.append(item)
    return items


def _patch(path: Path, member: str, fn: Any) -> None:
    members = read_members(path.read_bytes())
    hits = [i for i, (n, _) in enumerate(members) if n == member]
    assert hits, member
    for i in hits:
        members[i] = (member, fn(members[i][1]))
    path.write_bytes(write_members(members))


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return build_seeds(tmp_path_factory.mktemp("seeds"))


# -- the seeded sweep -----------------------------------------------------------------------------


def test_seeds_are_read(seeds: list[Path]) -> None:
    for path in seeds:
        verdict, error = _scan(path)
        assert verdict is not Verdict.ERROR, (path.name, error)


@pytest.mark.parametrize("batch", range(4))
def test_mutants_get_a_verdict_or_a_typed_error(
    seeds: list[Path], tmp_path: Path, batch: int
) -> None:
    paths = write_mutants(tmp_path, count=50, seed=100 + batch, big=False, seeds=seeds)
    outcomes = [(p.name, *_scan(p)) for p in paths]
    generic = [(n, e) for n, _, e in outcomes if e and e.startswith(GENERIC)]
    assert not generic
    assert {v for _, v, _ in outcomes} & {Verdict.ERROR}, "the sweep damaged nothing"


# -- bug classes found by the fuzzer and the corpus -----------------------------------------------


@pytest.fixture
def raw_book(tmp_path: Path) -> Path:
    path = tmp_path / "raw.xlsx"
    rows = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c>'
        f'<c r="B{r}" t="s"><v>{r - 1}</v></c></row>'
        for r, a in ((1, "Name"), (2, "Ana Ruiz"), (3, "Li Wei"))
    )
    builders.write_raw_workbook(
        path, sheets=[("Data", "visible", rows)], shared_strings=["Country", "Spain", "China"]
    )
    return path


@pytest.mark.parametrize(
    ("pattern", "replacement", "reason"),
    [
        (r'<row r="2"', '<row r="abc"', "<row> whose r attribute is not a whole number"),
        (r'<row r="2"', '<row r="0"', "row number outside Excel's grid"),
        (r'<row r="2"', '<row r="99999999999"', "row number outside Excel's grid"),
        (r'<c r="A2"', '<c r="ZZZZ2"', "cell reference that is not A1-style"),
        (r'<c r="A2"', '<c r="A1048577"', "row number outside Excel's grid"),
        (r"<sheetData>", '<cols><col min="x" max="2"/></cols><sheetData>', "min attribute"),
        (r'<row r="2"', '<row r="2" customHeight="1" ht="tall"', "ht attribute is not a number"),
    ],
)
def test_absurd_numbers_are_corrupt_file(
    raw_book: Path, pattern: str, replacement: str, reason: str
) -> None:
    _patch(raw_book, "xl/worksheets/sheet1.xml", lambda b: re.sub(pattern.encode(),
           replacement.encode(), b, count=1))  # fmt: skip
    with pytest.raises(CorruptFile, match=re.escape(reason)):
        _read(raw_book)


def test_cell_beyond_the_last_column_is_corrupt(raw_book: Path) -> None:
    _patch(raw_book, "xl/worksheets/sheet1.xml", lambda b: b.replace(b'r="B3"', b'r="XFE3"'))
    with pytest.raises(CorruptFile, match="beyond Excel's last column"):
        _read(raw_book)


@pytest.mark.parametrize("ref", ["XFD1048576", "ZZ900000"])
def test_far_cell_is_a_limit_not_a_native_abort(raw_book: Path, ref: str) -> None:
    row = re.sub(r"\D", "", ref)
    far = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    _patch(raw_book, "xl/worksheets/sheet1.xml",
           lambda b: b.replace(b"</sheetData>", far.encode() + b"</sheetData>"))  # fmt: skip
    verdict, error = _scan_in_child(raw_book)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "over the limit of 25,000,000 cells" in error


def test_style_and_shared_string_indices_out_of_range(raw_book: Path) -> None:
    _patch(raw_book, "xl/worksheets/sheet1.xml",
           lambda b: b.replace(b'<c r="A2"', b'<c r="A2" s="99999"'))  # fmt: skip
    assert _assert_typed(raw_book)[0] is not Verdict.ERROR  # an unknown style is just unstyled
    _patch(raw_book, "xl/worksheets/sheet1.xml", lambda b: b.replace(b"<v>2</v>", b"<v>999</v>"))
    verdict, error = _assert_typed(raw_book)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "sheet 1" in error


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_entity_declarations_are_refused(raw_book: Path, member: str) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "' % k + (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10 + b'">'
            for k in range(1, 10)
        )
        + b"]>"
    )
    _patch(raw_book, member, lambda b: laughs + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", b))
    with pytest.raises(CorruptFile, match="declares XML entities"):
        _read(raw_book)


def test_external_entity_is_never_fetched(raw_book: Path) -> None:
    xxe = b'<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'

    def add_xxe(body: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body)
        return xxe + body.replace(b"<t>Spain", b"<t>&x;Spain")

    _patch(raw_book, "xl/sharedStrings.xml", add_xxe)
    verdict, _ = _assert_typed(raw_book)  # calamine meets the part first and refuses it
    assert verdict is Verdict.ERROR
    with SafeZip(raw_book) as zf, pytest.raises(CorruptFile, match="declares XML entities"):
        parse_part(zf, "xl/sharedStrings.xml")


def test_relationship_outside_the_package(raw_book: Path) -> None:
    _patch(raw_book, "xl/_rels/workbook.xml.rels",
           lambda b: b.replace(b'Target="worksheets/sheet1.xml"',
                               b'Target="../../../etc/passwd"'))  # fmt: skip
    with pytest.raises(CorruptFile, match="missing from the workbook"):
        _read(raw_book)


def test_duplicate_member_names_are_corrupt(raw_book: Path) -> None:
    members = read_members(raw_book.read_bytes())
    members.append(("xl/worksheets/SHEET1.xml", b"<worksheet/>"))
    raw_book.write_bytes(write_members(members))
    verdict, error = _assert_typed(raw_book)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "two zip members named" in error


def test_bad_crc_names_the_checksum(raw_book: Path) -> None:
    from tests.readers.test_robust_mutators import zip_bad_crc

    data = raw_book.read_bytes()
    for seed in range(40):
        raw_book.write_bytes(zip_bad_crc(data, random.Random(seed)))
        _verdict, error = _assert_typed(raw_book)
        if error and "checksum" in error:
            return
    pytest.fail("no CRC mutation was reported as a checksum mismatch")


def test_unlinked_sheet_is_named_precisely(raw_book: Path) -> None:
    _patch(raw_book, "xl/workbook.xml",
           lambda b: b.replace(b"</sheets>", b'<sheet name="Module1" sheetId="9" '
                               b'state="veryHidden" r:id=""/></sheets>'))  # fmt: skip
    with pytest.raises(CorruptFile, match=r"sheet 2 in xl/workbook\.xml has no part"):
        _read(raw_book)


def test_windows_separators_in_member_names(raw_book: Path) -> None:
    members = [(n.replace("/", "\\"), b) for n, b in read_members(raw_book.read_bytes())]
    raw_book.write_bytes(write_members(members))
    tables = [i for i in _read(raw_book) if isinstance(i, TablePart)]
    assert [list(r[1]) for r in tables[0].rows] == [["Ana Ruiz", "Spain"], ["Li Wei", "China"]]


def test_strict_ooxml_reads_like_transitional(tmp_path: Path) -> None:
    path = tmp_path / "strict.xlsx"
    builders.detention_workbook(path, n=12)
    expected = [(i.location.surface, i.location.where) for i in _read(path)]
    strict = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
            b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }  # fmt: skip
    members = []
    for name, body in read_members(path.read_bytes()):
        for a, b in strict.items():
            body = body.replace(a, b)
        members.append((name, body))
    path.write_bytes(write_members(members))
    items = _read(path)
    assert [(i.location.surface, i.location.where) for i in items] == expected
    assert any(i.location.surface is Surface.HIDDEN_SHEET for i in items)


def test_external_link_and_chart_caches_stay_sparse(tmp_path: Path) -> None:
    path = tmp_path / "ext.xlsx"
    builders.external_link_workbook(path, n=5)
    name = next(n for n, _ in read_members(path.read_bytes()) if "externalLink1.xml" in n)
    _patch(path, name, lambda b: re.sub(rb'<cell r="([A-Z]+)\d+"', rb'<cell r="\g<1>1048576"',
                                        b, count=1))  # fmt: skip
    assert _assert_typed(path)[0] is not Verdict.ERROR
    chart = tmp_path / "chart.xlsx"
    builders.chart_cache_workbook(chart)
    cname = next(n for n, _ in read_members(chart.read_bytes()) if n.startswith("xl/charts/chart"))
    _patch(chart, cname, lambda b: re.sub(rb'<c:pt idx="\d+"', b'<c:pt idx="99999999999"', b,
                                          count=1))  # fmt: skip
    with pytest.raises(CorruptFile, match="cached point index out of range"):
        _read(chart)


def test_lone_surrogate_escape_is_kept_literally(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    builders.write_raw_workbook(
        path,
        sheets=[("S", "visible", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')],
        shared_strings=["used", "orphan _xD800_ text"],
    )
    texts = [i.text for i in _read(path) if isinstance(i, TextPart)]
    assert "orphan _xD800_ text" in texts
    for t in texts:
        t.encode("utf-8")


# -- ODS ------------------------------------------------------------------------------------------


def _ods(tmp_path: Path) -> Path:
    path = tmp_path / "book.ods"
    write_ods(path, [["Name", "Country"], ["Ana Ruiz", "Spain"]], hidden_rows=[["Staff"], ["x"]])
    return path


def test_indented_ods_is_read_like_a_compact_one(tmp_path: Path) -> None:
    path = _ods(tmp_path)
    expected = [list(r[1]) for r in next(i for i in _read(path) if isinstance(i, TablePart)).rows]
    _patch(path, "content.xml",
           lambda b: re.sub(rb"(</?table:[^>]*>)", rb"\n    \1", b))  # fmt: skip
    first = next(i for i in _read(path) if isinstance(i, TablePart))
    assert first.header == ["Name", "Country"]
    assert [list(r[1]) for r in first.rows] == expected == [["Ana Ruiz", "Spain"]]
    assert not list(tmp_path.glob("spillguard-*"))


def test_ods_repeats_that_expand_too_far_are_a_limit(tmp_path: Path) -> None:
    path = _ods(tmp_path)
    before = b'<table:table-row><table:table-cell office:value-type="string"><text:p>Ana'
    after = (
        b'<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        b'table:number-columns-repeated="90" office:value-type="string"><text:p>Ana'
    )
    _patch(path, "content.xml", lambda b: b.replace(before, after, 1))
    verdict, error = _scan_in_child(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "repeated rows and columns are expanded" in error


def test_ods_bad_repeat_count_is_corrupt(tmp_path: Path) -> None:
    path = _ods(tmp_path)
    _patch(path, "content.xml", lambda b: b.replace(
        b"<table:table-row>", b'<table:table-row table:number-rows-repeated="-3">', 1))  # fmt: skip
    with pytest.raises(CorruptFile, match="number-rows-repeated attribute"):
        _read(path)


# -- other formats --------------------------------------------------------------------------------


def test_old_and_binary_formats_are_named(tmp_path: Path) -> None:
    sxc = tmp_path / "old.sxc"
    with zipfile.ZipFile(sxc, "w") as zf:
        zf.writestr("mimetype", "application/vnd.sun.xml.calc")
        zf.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(UnsupportedFormat, match=r"OpenOffice\.org 1\.x"):
        _read(sxc)
    xlsb = tmp_path / "book.xlsb"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    with pytest.raises(UnsupportedFormat, match=r"Excel binary workbook \(\.xlsb\)"):
        _read(xlsb)
    biff = tmp_path / "old.xls"
    biff.write_bytes(b"\x09\x04\x06\x00\x00\x00\x10\x00" + b"\x00" * 64)
    with pytest.raises(UnsupportedFormat, match=r"Excel 2\.x-4\.x"):
        _read(biff)


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_padded_with_nul_bytes_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"Name\x00\x00,Country\nAna Ruiz\x00,Spain\nLi Wei,China\x00\n")
    items = _read(path)
    table = next(i for i in items if isinstance(i, TablePart))
    values = [[v.strip("\x00") for v in row] for _, row in table.rows]
    assert ["Ana Ruiz", "Spain"] in values
    assert ["Li Wei", "China"] in values


def test_binary_with_nuls_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnsupportedFormat):
        choose_reader(Source.from_path(path), registered_readers())


def test_csv_mixed_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"Name,Country\r\nAna Ruiz,Spain\nLi Wei,China\rJo Bo,Peru\n")
    table = next(i for i in _read(path) if isinstance(i, TablePart))
    assert [r[1][0] for r in table.rows] == ["Ana Ruiz", "Li Wei", "Jo Bo"]


@pytest.mark.parametrize("line", [b"x" * (50 * 1024 * 1024), b"ab," * (50 * 1024 * 1024 // 3)])
def test_csv_with_a_50_mb_line(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "long.csv"
    with path.open("wb") as fh:
        fh.write(b"Name,Country\nAna Ruiz,Spain\n")
        fh.write(line + b"\n")
    verdict, error = _assert_typed(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "longer than" in error


# -- allocations the native parser sizes from the file ---------------------------------------------


def test_shared_strings_count_beyond_its_bytes(raw_book: Path) -> None:
    _patch(raw_book, "xl/sharedStrings.xml",
           lambda b: re.sub(rb'uniqueCount="\d+"', b'uniqueCount="99999999999"', b))  # fmt: skip
    verdict, error = _scan_in_child(raw_book)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "declares more strings (uniqueCount)" in error


def _xls(tmp_path: Path) -> Path:
    from tests.readers.test_robust_mutators import write_xls

    path = tmp_path / "book.xls"
    write_xls(path, [["Name", "Country"], ["Ana Ruiz", "Spain"]])
    return path


def test_xls_with_a_looping_fat_chain(tmp_path: Path) -> None:
    path = _xls(tmp_path)
    data = bytearray(path.read_bytes())
    fat_sector = int.from_bytes(data[0x4C:0x50], "little")
    start = (fat_sector + 1) * 512
    data[start : start + 512] = bytes(512)  # every chain now points at sector 0, forever
    path.write_bytes(bytes(data))
    verdict, error = _scan_in_child(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "sector chain" in error


def test_xls_cell_beyond_column_iv(tmp_path: Path) -> None:
    path = _xls(tmp_path)
    data = bytearray(path.read_bytes())
    at = data.index(b"\xfd\x00\x0a\x00")  # a LABELSST record: row, column, style, string index
    data[at + 6 : at + 8] = (0x4000).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    verdict, error = _scan_in_child(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "beyond Excel's last column (IV)" in error
