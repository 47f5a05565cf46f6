"""XlsxReader against workbooks built in code: every planted value is found on the right surface."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from spillguard.errors import CorruptFile, LimitExceeded, ReadError
from spillguard.model import EmbeddedFile, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import Limits, ReadItem, Source
from spillguard.readers.xlsx import XlsxReader
from tests import builders as b

READER = XlsxReader()


def read_all(path: Path, *, limits: Limits | None = None) -> list[ReadItem]:
    source = Source.from_path(path, limits=limits)
    file_type = READER.sniff(source)
    assert file_type in ("xlsx", "xlsm")
    items = list(READER.read(source, file_type))
    for it in items:  # rows may be one-shot iterators: materialise them for the assertions
        if isinstance(it, TablePart):
            it.rows = list(it.iter_rows())
    return items


def tables(items: list[ReadItem], surface: Surface) -> list[TablePart]:
    return [i for i in items if isinstance(i, TablePart) and i.location.surface is surface]


def texts(items: list[ReadItem], surface: Surface) -> list[TextPart]:
    return [i for i in items if isinstance(i, TextPart) and i.location.surface is surface]


def all_values(items: list[ReadItem], surface: Surface) -> set[str]:
    out: set[str] = set()
    for t in tables(items, surface):
        out.update(t.header)
        for _, vals in t.iter_rows():
            out.update(str(v) for v in vals)
    out.update(t.text for t in texts(items, surface))
    return out


def surfaces(items: list[ReadItem]) -> set[Surface]:
    return {i.location.surface for i in items}


@pytest.fixture(scope="module")
def detention(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("det") / "detention.xlsx"
    assert b.detention_workbook(path) == 6252
    return path


# -- sniffing -------------------------------------------------------------------------------------
def test_sniff_recognises_xlsx_and_xlsm(tmp_path: Path) -> None:
    b.clean_aggregate_workbook(tmp_path / "a.xlsx")
    b.macro_embedded_workbook(tmp_path / "b.bin")  # the extension does not matter
    assert READER.sniff(Source.from_path(tmp_path / "a.xlsx")) == "xlsx"
    assert READER.sniff(Source.from_path(tmp_path / "b.bin")) == "xlsm"


def test_sniff_rejects_other_zips_and_non_zips(tmp_path: Path) -> None:
    other = tmp_path / "notes.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "hello")
        zf.writestr("data/table.csv", "a,b\n1,2\n")
    assert READER.sniff(Source.from_path(other)) is None
    ole = tmp_path / "encrypted.xlsx"  # encrypted OOXML is an OLE compound file, not a zip
    ole.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert READER.sniff(Source.from_path(ole)) is None
    text = tmp_path / "t.xlsx"
    text.write_text("Name,DOB\n")
    assert READER.sniff(Source.from_path(text)) is None


# -- the incident: a hidden sheet of records ------------------------------------------------------
def test_detention_hidden_sheet_is_one_hidden_table(detention: Path) -> None:
    items = read_all(detention)
    hidden = tables(items, Surface.HIDDEN_SHEET)
    assert len(hidden) == 1
    part = hidden[0]
    assert part.sheet == "Detainees"
    assert part.header == b.RECORD_HEADER
    assert part.column_labels == list("ABCDEFGH")
    assert part.location.where == "Detainees!A1:H6253"
    assert part.location.path == str(detention)
    rows = list(part.iter_rows())
    assert len(rows) == 6252 == part.total_rows
    assert [r for r, _ in rows] == list(range(2, 6254))
    records = b.person_records(6252, seed=0)
    assert rows[0][1] == [
        records[0]["a_number"],
        records[0]["last_name"],
        records[0]["first_name"],
        records[0]["birthdate"].isoformat(),
        records[0]["nationality"],
        records[0]["facility"],
        records[0]["case_status"],
        records[0]["book_in_date"].isoformat(),
    ]
    assert {v[0] for _, v in rows} == {r["a_number"] for r in records}


def test_detention_aggregates_are_visible_and_hold_no_names(detention: Path) -> None:
    items = read_all(detention)
    visible = tables(items, Surface.VISIBLE)
    assert {t.sheet for t in visible} == {"By Facility", "By Nationality", "By Month"}
    by_fac = next(t for t in visible if t.sheet == "By Facility")
    assert by_fac.header == ["Facility", "Detained"]
    assert by_fac.location.where.startswith("'By Facility'!A4:B")
    titles = [t for t in texts(items, Surface.VISIBLE) if t.context == "title"]
    assert any(t.location.where == "'By Facility'!A1" for t in titles)
    names = {r["last_name"] for r in b.person_records(6252, seed=0)}
    assert not (all_values(items, Surface.VISIBLE) & names)
    assert surfaces(items) <= {Surface.VISIBLE, Surface.HIDDEN_SHEET, Surface.METADATA}


def test_very_hidden_sheet(tmp_path: Path) -> None:
    path = tmp_path / "vh.xlsx"
    n = b.detention_workbook(path, n=40, state="veryHidden", seed=3)
    items = read_all(path)
    (part,) = tables(items, Surface.VERY_HIDDEN_SHEET)
    assert part.location.where == "Detainees!A1:H41"
    assert len(list(part.iter_rows())) == n
    assert not tables(items, Surface.HIDDEN_SHEET)


# -- hidden rows, columns, filters ----------------------------------------------------------------
def test_hidden_columns(tmp_path: Path) -> None:
    path = tmp_path / "hc.xlsx"
    n = b.hidden_columns_workbook(path)
    items = read_all(path)
    (hid,) = tables(items, Surface.HIDDEN_COLUMN)
    assert hid.column_labels == ["B", "C", "D"]
    assert hid.header == ["A-Number", "Full Name", "Date of Birth"]
    assert hid.location.where == f"Cases!B1:D{n + 1}"
    records = b.person_records(n, seed=1)
    assert {v[1] for _, v in hid.iter_rows()} == {r["name"] for r in records}
    (vis,) = tables(items, Surface.VISIBLE)
    assert vis.column_labels == ["A", "E", "F"]
    assert vis.header == ["Facility", "Country", "Case Status"]
    assert not (all_values(items, Surface.VISIBLE) & {r["name"] for r in records})


def test_hidden_rows(tmp_path: Path) -> None:
    path = tmp_path / "hr.xlsx"
    n = b.hidden_rows_workbook(path)
    items = read_all(path)
    (hid,) = tables(items, Surface.HIDDEN_ROW)
    rows = list(hid.iter_rows())
    assert len(rows) == n
    assert [r for r, _ in rows] == list(range(5, 5 + n))
    assert hid.header == ["Reference", "Name", "Date of Birth", "Nationality", "Status"]
    assert {v[1] for _, v in rows} == {r["name"] for r in b.person_records(n, seed=2)}
    (vis,) = tables(items, Surface.VISIBLE)
    assert [v[:2] for _, v in vis.iter_rows()] == [["Total applications", str(n)]]
    assert not tables(items, Surface.FILTERED_ROW)


def test_filtered_rows_are_told_apart_from_hidden_rows(tmp_path: Path) -> None:
    path = tmp_path / "fr.xlsx"
    n = b.filtered_rows_workbook(path)
    records = b.person_records(n, seed=3)
    keep = b.CASE_STATUSES[2]
    items = read_all(path)
    (filt,) = tables(items, Surface.FILTERED_ROW)
    (vis,) = tables(items, Surface.VISIBLE)
    (hid,) = tables(items, Surface.HIDDEN_ROW)
    expected_hidden = {i + 2 for i, r in enumerate(records) if r["case_status"] != keep}
    assert {r for r, _ in filt.iter_rows()} == expected_hidden
    assert {r for r, _ in vis.iter_rows()} == set(range(2, n + 2)) - expected_hidden
    assert all(v[6] == keep for _, v in vis.iter_rows())
    assert [r for r, _ in hid.iter_rows()] == [n + 3]  # the note below the filter range
    assert filt.header == b.RECORD_HEADER


# -- pivot caches ---------------------------------------------------------------------------------
def test_pivot_cache_of_deleted_sheet(tmp_path: Path) -> None:
    path = tmp_path / "pc.xlsx"
    n = b.pivot_cache_only_workbook(path)
    items = read_all(path)
    (cache,) = tables(items, Surface.PIVOT_CACHE)
    assert cache.header == list(b._PIVOT_FIELDS)
    assert "source Data!A1:F301" in cache.location.where
    assert "no longer in the workbook" in cache.location.where
    records = b.person_records(n, seed=4)
    rows = list(cache.iter_rows())
    assert len(rows) == n
    assert rows[7][1] == [
        records[7]["a_number"],
        records[7]["name"],
        records[7]["birthdate"].isoformat(),
        records[7]["nationality"],
        records[7]["facility"],
        records[7]["case_status"],
    ]


def test_pivot_cache_without_records_still_shows_distinct_values(tmp_path: Path) -> None:
    path = tmp_path / "pc2.xlsx"
    n = b.pivot_cache_only_workbook(path, n=50, with_records=False)
    items = read_all(path)
    caches = tables(items, Surface.PIVOT_CACHE)
    assert [c.header for c in caches] == [[f] for f in b._PIVOT_FIELDS]
    names = next(c for c in caches if c.header == ["Name"])
    assert {v[0] for _, v in names.iter_rows()} == {r["name"] for r in b.person_records(n, seed=4)}


def test_pivot_cache_found_by_listing_when_workbook_does_not_list_it(tmp_path: Path) -> None:
    path = tmp_path / "pc3.xlsx"
    n = b.pivot_cache_only_workbook(path, n=20)

    def unlist(xml: bytes) -> bytes:
        return re.sub(rb"<pivotCaches>.*</pivotCaches>", b"", xml)

    b.patch_zip(path, edit={"xl/workbook.xml": unlist})
    items = read_all(path)
    (cache,) = tables(items, Surface.PIVOT_CACHE)
    assert "not listed by the workbook" in cache.location.where
    assert len(list(cache.iter_rows())) == n


# -- comments, properties, names, links, charts, styles -------------------------------------------
def test_comments_and_their_authors(tmp_path: Path) -> None:
    path = tmp_path / "cm.xlsx"
    assert b.comments_workbook(path) == 4
    items = read_all(path)
    comments = {t.location.where: t.text for t in texts(items, Surface.COMMENT)}
    people = b.person_records(4, seed=5)
    assert set(comments) == {
        "Summary!B5 comment",
        "Summary!C7 comment",
        "Summary!B9 comment",
        "Summary!D6 threaded comment",
    }
    assert people[0]["name"] in comments["Summary!B5 comment"]
    assert people[1]["a_number"] in comments["Summary!C7 comment"]
    assert people[3]["name"] in comments["Summary!D6 threaded comment"]
    authors = {t.text for t in texts(items, Surface.METADATA) if t.context == "author"}
    assert {"Case Officer Dana Whitfield", "Priya Raghunathan"} <= authors
    assert not (all_values(items, Surface.VISIBLE) & {p["name"] for p in people})


def test_custom_properties(tmp_path: Path) -> None:
    path = tmp_path / "cp.xlsx"
    assert b.custom_property_workbook(path) == 1
    p = b.person_records(1, seed=6)[0]
    props = {t.context: t.text for t in texts(read_all(path), Surface.METADATA)}
    assert props["Subject Name"] == p["name"]
    assert props["Subject DOB"] == p["birthdate"].isoformat()
    assert props["A-Number"] == p["a_number"]


def test_defined_name_constants(tmp_path: Path) -> None:
    path = tmp_path / "dn.xlsx"
    b.defined_names_workbook(path)
    people = b.person_records(3, seed=14)
    names = {t.context: t.text for t in texts(read_all(path), Surface.DEFINED_NAME)}
    assert names["ReviewedBy"] == people[0]["name"]
    assert names["Pending"] == f"{people[1]['a_number']}, {people[2]['a_number']}"
    assert "Totals" not in names  # a plain range reference holds no data of its own


def test_external_link_cache(tmp_path: Path) -> None:
    path = tmp_path / "el.xlsx"
    n = b.external_link_workbook(path)
    items = read_all(path)
    (cache,) = tables(items, Surface.EXTERNAL_LINK_CACHE)
    assert cache.header == ["A-Number", "Name", "Date of Birth", "Nationality"]
    assert cache.location.where == f"external link 1 [Caseload]!A1:D{n + 1}"
    assert {v[1] for _, v in cache.iter_rows()} == {r["name"] for r in b.person_records(n, seed=15)}
    assert any(t.context == "linked workbook path" for t in texts(items, Surface.METADATA))


def test_chart_cache(tmp_path: Path) -> None:
    path = tmp_path / "ch.xlsx"
    b.chart_cache_workbook(path)
    (cache,) = tables(read_all(path), Surface.CHART_CACHE)
    assert cache.header == ["Data!$B$1", "Data!$A$2:$A$6", "Data!$B$2:$B$6"]
    rows = list(cache.iter_rows())
    assert [v[1] for _, v in rows] == [p["name"] for p in b.person_records(5, seed=16)]
    assert rows[0][1][0] == "Days detained"


def test_white_text(tmp_path: Path) -> None:
    path = tmp_path / "wt.xlsx"
    b.white_text_workbook(path)
    people = b.person_records(3, seed=13)
    items = read_all(path)
    white = {t.location.where: t.text for t in texts(items, Surface.WHITE_TEXT)}
    assert white == {
        "Summary!C5": people[0]["name"],
        "Summary!D6": people[1]["name"],
        "Summary!E7": people[2]["name"],
    }
    # each cell has one surface: the invisible cells are not also in the visible table
    assert not (all_values(items, Surface.VISIBLE) & {p["name"] for p in people})


def test_unused_shared_strings(tmp_path: Path) -> None:
    path = tmp_path / "ss.xlsx"
    b.orphan_strings_workbook(path)
    items = read_all(path)
    orphans = {t.text for t in texts(items, Surface.HIDDEN_TEXT)}
    assert orphans == {p["name"] for p in b.person_records(3, seed=17)}
    assert "Otero Ridge Processing Center" in all_values(items, Surface.VISIBLE)


def test_not_inspected_content_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsm"
    b.macro_embedded_workbook(path)
    items = read_all(path)
    notes = {i.location.where: i for i in items if isinstance(i, NotInspected)}
    assert set(notes) == {"xl/vbaProject.bin", "xl/embeddings/oleObject1.bin", "xl/model/item.data"}
    # the embedded object is opened now (embedded files are read recursively); this one is a
    # bare OLE header without sector tables, so it is reported as damaged, not as unread
    assert "damaged" in notes["xl/embeddings/oleObject1.bin"].reason
    assert not [i for i in items if isinstance(i, EmbeddedFile)]


@pytest.mark.parametrize(
    "builder",
    [
        b.clean_aggregate_workbook,
        b.facility_directory_workbook,
        b.invoice_workbook,
        b.event_dates_workbook,
        b.budget_workbook,
    ],
)
def test_clean_workbooks_have_only_visible_content(
    tmp_path: Path, builder: Callable[[Path], int]
) -> None:
    path = tmp_path / "clean.xlsx"
    assert builder(path) == 0
    items = read_all(path)
    assert surfaces(items) == {Surface.VISIBLE, Surface.METADATA}
    assert all(t.context == "author" for t in texts(items, Surface.METADATA))
    assert tables(items, Surface.VISIBLE)


def test_clean_aggregate_keeps_small_counts(tmp_path: Path) -> None:
    path = tmp_path / "agg.xlsx"
    b.clean_aggregate_workbook(path)
    part = next(t for t in tables(read_all(path), Surface.VISIBLE) if t.sheet == "By Country")
    assert part.header[0] == "Country of Citizenship"
    assert part.location.where == "'By Country'!A4:F11"
    assert all(v.isdigit() for _, row in part.iter_rows() for v in row[1:])


# -- broken and hostile inputs --------------------------------------------------------------------
def _rewrite_member(src: Path, dst: Path, member: str, data: bytes | None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename == member:
                if data is not None:
                    zout.writestr(info.filename, data)
            else:
                zout.writestr(info.filename, zin.read(info.filename))


def test_truncated_file_is_corrupt(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    b.hidden_columns_workbook(good)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    source = Source.from_path(bad)
    file_type = READER.sniff(source)
    assert file_type == "xlsx"  # claimed, so that the error is precise
    with pytest.raises(CorruptFile, match="not a readable zip"):
        list(READER.read(source, file_type))


def test_empty_worksheet_part_is_corrupt_and_named(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    b.detention_workbook(good, n=30)
    bad = tmp_path / "bad.xlsx"
    _rewrite_member(good, bad, "xl/worksheets/sheet4.xml", b"")
    with pytest.raises(CorruptFile, match=r"xl/worksheets/sheet4\.xml is empty"):
        read_all(bad)


def test_truncated_worksheet_xml_is_corrupt_without_leaking_values(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    b.detention_workbook(good, n=30)
    with zipfile.ZipFile(good) as zf:
        xml = zf.read("xl/worksheets/sheet4.xml")
    cut = xml[: xml.rindex(b"</row>") + len(b"</row>")]  # cut cleanly at a row boundary
    bad = tmp_path / "bad.xlsx"
    _rewrite_member(good, bad, "xl/worksheets/sheet4.xml", cut)
    with pytest.raises(CorruptFile, match=r"sheet4\.xml is not well-formed") as err:
        read_all(bad)
    message = str(err.value)
    for r in b.person_records(30, seed=0):
        assert r["last_name"] not in message
        assert r["a_number"] not in message


def test_missing_worksheet_part_is_corrupt(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    b.detention_workbook(good, n=10)
    bad = tmp_path / "bad.xlsx"
    _rewrite_member(good, bad, "xl/worksheets/sheet2.xml", None)
    with pytest.raises(CorruptFile, match=r"sheet2\.xml \(sheet 2\) is missing"):
        read_all(bad)


def test_absurd_compression_ratio_is_over_limit(tmp_path: Path) -> None:
    good = tmp_path / "good.xlsx"
    b.clean_aggregate_workbook(good)
    bomb = tmp_path / "bomb.xlsx"
    b.clean_aggregate_workbook(bomb)
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * (40 * 1024 * 1024))
    assert READER.sniff(Source.from_path(bomb)) == "xlsx"
    with pytest.raises(LimitExceeded, match="expands"):
        read_all(bomb)
    assert read_all(good)  # the same workbook without the bomb reads


def test_member_and_row_limits(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    b.detention_workbook(path, n=50)
    with pytest.raises(LimitExceeded, match="zip members"):
        read_all(path, limits=Limits(max_members=3))
    with pytest.raises(LimitExceeded, match="rows"):
        read_all(path, limits=Limits(max_rows=20))
    assert isinstance(LimitExceeded("x"), ReadError)


def test_pivot_record_pointing_outside_shared_items_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "pc.xlsx"
    b.pivot_cache_only_workbook(path, n=10)
    b.patch_zip(
        path,
        edit={
            "xl/pivotCache/pivotCacheRecords1.xml": lambda d: d.replace(
                b'<x v="0"/>', b'<x v="999"/>', 1
            )
        },
    )
    with pytest.raises(CorruptFile, match="points outside"):
        read_all(path)


def test_pivot_items_no_record_uses_are_still_reported(tmp_path: Path) -> None:
    path = tmp_path / "stale.xlsx"
    b.pivot_cache_only_workbook(path, n=10)
    stale = "Deleted Row Person"

    def add_item(xml: bytes) -> bytes:
        head, sep, tail = xml.partition(b'<cacheField name="Name"')
        items_end = tail.index(b"</sharedItems>")
        tail = tail[:items_end] + f'<s v="{stale}"/>'.encode() + tail[items_end:]
        return head + sep + tail

    b.patch_zip(path, edit={"xl/pivotCache/pivotCacheDefinition1.xml": add_item})
    caches = tables(read_all(path), Surface.PIVOT_CACHE)
    assert len(caches) == 2
    leftover = caches[1]
    assert leftover.header == ["Name"]
    assert [v for _, v in leftover.iter_rows()] == [[stale]]
    assert "no record uses" in leftover.location.where


def test_reader_follows_the_protocol() -> None:
    from spillguard.readers.base import Reader

    assert isinstance(READER, Reader)
    assert READER.id == "xlsx"
