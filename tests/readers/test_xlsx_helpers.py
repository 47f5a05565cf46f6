"""The helpers under the xlsx reader: header detection, cell text, safe zip/XML, the builders."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.readers.base import Limits
from spillguard.readers.tables import column_index, column_letter, find_header_row, format_cell
from spillguard.readers.zipsafe import (
    SafeZip,
    iterparse_part,
    parse_bytes,
    parse_part,
    rels_name,
    resolve_target,
)
from tests import builders as b


# -- tables ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (16383, "XFD")]
)
def test_column_letters_round_trip(index: int, letters: str) -> None:
    assert column_letter(index) == letters
    assert column_index(letters) == index


def test_header_after_title_lines() -> None:
    rows = [
        ["Detentions by facility, FY2023", "", ""],
        ["Source: test", "", ""],
        ["", "", ""],
        ["Facility", "Detained", "Released"],
        ["Otero", 3, 1],
        ["Pine", 10, 2],
    ]
    assert find_header_row(rows) == 3


def test_header_on_first_row_of_text_data() -> None:
    rows = [["Name", "Country"], ["Ana Lopez", "Mexico"], ["Tao Li", "China"]]
    assert find_header_row(rows) == 0


def test_no_header_in_numbers_or_dates() -> None:
    assert find_header_row([[1, 2, 3], [4, 5, 6], [7, 8, 9]]) is None
    assert find_header_row([["2020-01-01", "12"], ["2020-01-02", "13"]]) is None


def test_header_needs_distinct_labels_and_data_below() -> None:
    assert (
        find_header_row([["Total", "Total", "Total"], ["Name", "DOB", "Country"], ["a", 1, 2]]) == 1
    )
    assert find_header_row([["Name", "DOB"]]) is None


def test_header_scan_is_bounded() -> None:
    rows: list[list[object]] = [[i, i] for i in range(40)] + [["Name", "DOB"], ["x", 1]]
    assert find_header_row(rows) is None
    assert find_header_row(rows, max_scan=50) == 40


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("A012345678", "A012345678"),
        (123.0, "123"),
        (12.5, "12.5"),
        (7, "7"),
        (True, "TRUE"),
        (dt.date(1990, 1, 2), "1990-01-02"),
        (dt.datetime(1990, 1, 2, 0, 0), "1990-01-02"),
        (dt.datetime(1990, 1, 2, 13, 5), "1990-01-02 13:05:00"),
        (float("nan"), ""),
    ],
)
def test_format_cell(value: object, text: str) -> None:
    assert format_cell(value) == text


# -- zipsafe --------------------------------------------------------------------------------------
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_safezip_reads_and_resolves_case_insensitively(tmp_path: Path) -> None:
    path = _zip(tmp_path / "a.zip", {"xl/Workbook.xml": b"<w/>", "x.txt": b"hi"})
    with SafeZip(path) as zf:
        assert zf.resolve("/xl/workbook.xml") == "xl/Workbook.xml"
        assert zf.read("x.txt") == b"hi"
        assert parse_part(zf, "xl/workbook.xml").tag == "w"
        with pytest.raises(CorruptFile, match="missing"):
            zf.read("nope.xml")


def test_safezip_rejects_garbage_and_limits(tmp_path: Path) -> None:
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(CorruptFile):
        SafeZip(junk)
    path = _zip(tmp_path / "b.zip", {f"m{i}": b"x" for i in range(5)})
    with pytest.raises(LimitExceeded, match="members"):
        SafeZip(path, limits=Limits(max_members=4))
    big = _zip(tmp_path / "c.zip", {"big": b"a" * 5000})
    with pytest.raises(LimitExceeded, match="declares"):
        SafeZip(big, limits=Limits(max_part_bytes=4000))
    with pytest.raises(LimitExceeded, match="expands to"):
        SafeZip(big, limits=Limits(max_total_uncompressed=4000))


def test_safezip_ratio_limit(tmp_path: Path) -> None:
    path = _zip(tmp_path / "bomb.zip", {"zeros": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(LimitExceeded, match=r"expands .* times"):
        SafeZip(path)
    with SafeZip(path, limits=Limits(max_compression_ratio=1e6)) as zf:
        assert zf.size("zeros") == 8 * 1024 * 1024


def test_xml_parser_does_not_expand_entities_or_fetch(tmp_path: Path) -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">'
        b'<!ENTITY l "lol">]><r>&e;&l;</r>'
    )
    root = parse_bytes(evil, part="evil.xml")
    assert "root:" not in "".join(str(t) for t in root.itertext())
    assert "lol" not in (root.text or "")


def test_damaged_xml_names_the_part(tmp_path: Path) -> None:
    with pytest.raises(CorruptFile, match=r"part x\.xml is not well-formed"):
        parse_bytes(b"<a><b></a>", part="x.xml")
    with pytest.raises(CorruptFile, match="is empty"):
        parse_bytes(b"  ", part="x.xml")
    path = _zip(tmp_path / "t.zip", {"big.xml": b"<rows>" + b"<r>1</r>" * 1000})
    with SafeZip(path) as zf:
        events = iterparse_part(zf, "big.xml", tag="r")
        with pytest.raises(CorruptFile, match=r"big\.xml is not well-formed"):
            list(events)


def test_iterparse_streams_elements(tmp_path: Path) -> None:
    path = _zip(tmp_path / "t.zip", {"big.xml": b"<rows>" + b"<r>1</r>" * 1000 + b"</rows>"})
    with SafeZip(path) as zf:
        count = 0
        for _, el in iterparse_part(zf, "big.xml", tag="r"):
            count += int(el.text or 0)
            el.clear()
    assert count == 1000


def test_rels_paths() -> None:
    assert rels_name("xl/workbook.xml") == "xl/_rels/workbook.xml.rels"
    assert rels_name("") == "_rels/.rels"
    assert resolve_target("xl/workbook.xml", "worksheets/sheet1.xml") == "xl/worksheets/sheet1.xml"
    assert resolve_target("xl/worksheets/sheet1.xml", "../comments1.xml") == "xl/comments1.xml"
    assert resolve_target("xl/workbook.xml", "/xl/styles.xml") == "xl/styles.xml"


# -- builders -------------------------------------------------------------------------------------
def test_person_records_are_deterministic_diverse_and_plausible() -> None:
    a = b.person_records(300, seed=9)
    assert a == b.person_records(300, seed=9)
    assert a != b.person_records(300, seed=10)
    assert len({r["nationality"] for r in a}) >= 15
    for r in a:
        assert re.fullmatch(r"[^\u0400-\u04ff\u4e00-\u9fff\u0600-\u06ff]+", r["name"])
        assert re.fullmatch(r"A[- ]?\d{3}[- ]?\d{3}[- ]?\d{3}", r["a_number"])
        assert re.sub(r"\D", "", r["a_number"]) == r["a_digits"]
        age = (dt.date(2022, 11, 1) - r["birthdate"]).days / 365.25
        assert 18 <= age <= 76


def test_records_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    assert b.records_csv(path, 25) == 25
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(b.RECORD_HEADER)
    assert len(lines) == 26
