"""OpenDocument: ODT and ODP (OdfReader), and what ODS gained (hidden rows and columns, filtered
rows, annotations, meta.xml, embedded objects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.model import Surface
from spillguard.readers.base import Source
from spillguard.readers.calamine_other import XlsOdsReader
from spillguard.readers.odf import OdfReader
from tests import builders_office as bo
from tests.builders import patch_zip, person_records
from tests.readers.office_helpers import embedded, joined, notes, read_all, tables, texts

ODF = OdfReader()
ODS = XlsOdsReader()


def test_odt_tracked_deletion_annotation_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "letter.odt"
    bo.odt_leaks(path)
    r1, r2 = person_records(2, seed=48)
    items = read_all(ODF, path, "odt")
    (deletion,) = texts(items, Surface.TRACKED_CHANGE)
    assert deletion.location.where == "tracked deletion #1"
    assert r1["name"] in deletion.text
    (comment,) = texts(items, Surface.COMMENT)
    assert comment.location.where == "comment 1"
    assert r2["phone"] in comment.text
    assert "Reviewer" not in comment.text  # the author is metadata, not comment text
    visible = joined(items, Surface.VISIBLE)
    assert r1["name"] not in visible
    assert r2["name"] not in visible
    assert "Totals are given by facility. Individual cases are not discussed." in visible
    meta = texts(items, Surface.METADATA)
    assert {(t.location.where, t.context) for t in meta} >= {
        ("meta.xml creator", "author"),
        ("meta.xml title", "title"),
        ("authors of comments and tracked changes", "author"),
    }


def test_odt_hidden_text_and_table(tmp_path: Path) -> None:
    path = tmp_path / "h.odt"
    bo.odt_hidden(path)
    recs = person_records(6, seed=49)
    items = read_all(ODF, path, "odt")
    hidden = texts(items, Surface.HIDDEN_TEXT)
    assert [t.location.where for t in hidden] == ["hidden text #1", "hidden text #2"]
    assert recs[0]["name"] in hidden[0].text
    assert recs[1]["name"] in hidden[1].text
    visible = joined(items, Surface.VISIBLE)
    assert recs[1]["name"] not in visible
    (table,) = tables(items, Surface.VISIBLE)
    assert table.header == ["Name", "Date of birth", "A-Number"]
    assert [row[0] for _, row in table.rows] == [r["name"] for r in recs[2:]]
    assert table.location.where == "table 1"


def test_odp_hidden_slide_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "deck.odp"
    bo.odp_leaks(path)
    recs = person_records(4, seed=50)
    items = read_all(ODF, path, "odp")
    (notes_part,) = texts(items, Surface.SPEAKER_NOTES)
    assert notes_part.location.where == "slide 1 notes"
    assert recs[0]["a_number"] in notes_part.text
    (hidden,) = texts(items, Surface.HIDDEN_SLIDE)
    assert hidden.location.where == "slide 2 (hidden)"
    assert all(r["name"] in hidden.text for r in recs[1:])
    assert [t.text for t in texts(items, Surface.VISIBLE)] == ["Average daily population rose 4%."]


_CHART = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    f'{bo.ODF_NS}><office:body><office:chart><table:table table:name="local-table">'
    "<table:table-header-rows><table:table-row>"
    '<table:table-cell office:value-type="string"><text:p>Client</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>Days</text:p></table:table-cell>'
    "</table:table-row></table:table-header-rows>"
    "<table:table-rows><table:table-row>"
    '<table:table-cell office:value-type="string"><text:p>Jane Roe</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="41"><text:p>41</text:p>'
    "</table:table-cell></table:table-row></table:table-rows>"
    "</table:table></office:chart></office:body></office:document-content>"
)


def test_embedded_chart_object_and_picture(tmp_path: Path) -> None:
    path = tmp_path / "chart.odt"
    manifest_chart = "application/vnd.oasis.opendocument.chart"
    bo.write_odf(
        path,
        bo.ODT_MIME,
        "<office:text><text:p>See the chart.</text:p></office:text>",
        extra={
            "Object 1/content.xml": _CHART.encode(),
            "Pictures/photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 64,
            "ObjectReplacements/Object 1": b"\x01\x00\x00\x00",
        },
    )
    # the manifest written by write_odf does not list the object: add its media type
    entry = (
        '<manifest:file-entry manifest:full-path="Object 1/" '
        f'manifest:media-type="{manifest_chart}"/></manifest:manifest>'
    )
    patch_zip(
        path,
        edit={
            "META-INF/manifest.xml": lambda d: d.replace(b"</manifest:manifest>", entry.encode())
        },
    )
    items = read_all(ODF, path, "odt")
    (chart,) = tables(items, Surface.CHART_CACHE)
    assert chart.location.where == "Object 1/ table 1"
    assert chart.header == ["Client", "Days"]
    assert [row for _, row in chart.rows] == [["Jane Roe", "41"]]
    (picture,) = embedded(items)
    assert picture.name == "Pictures/photo.jpg"
    assert picture.surface is Surface.VISIBLE


def test_encrypted_odf(tmp_path: Path) -> None:
    path = tmp_path / "locked.odt"
    bo.write_odf(path, bo.ODT_MIME, "<office:text/>", encrypted=True)
    with pytest.raises(EncryptedFile, match="password-protected"):
        read_all(ODF, path, "odt")


def test_damaged_content_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.odt"
    bo.write_odf(path, bo.ODT_MIME, "<office:text>")  # unclosed: not well-formed
    with pytest.raises(CorruptFile, match=r"content\.xml is not well-formed"):
        read_all(ODF, path, "odt")


def test_spreadsheets_are_left_to_the_ods_reader(tmp_path: Path) -> None:
    path = tmp_path / "s.ods"
    bo.ods_leaks(path, n=3)
    assert ODF.sniff(Source.from_path(path)) is None
    assert ODS.sniff(Source.from_path(path)) == "ods"


# -- ODS ------------------------------------------------------------------------------------------


def test_ods_hidden_filtered_rows_hidden_column_and_annotation(tmp_path: Path) -> None:
    path = tmp_path / "book.ods"
    bo.ods_leaks(path, n=20)
    recs = person_records(22, seed=51)
    items = read_all(ODS, path, "ods")
    assert notes(items) == []
    (visible,) = tables(items, Surface.VISIBLE)
    assert visible.header == ["Name", "Date of birth", "A-Number"]
    assert [(n, list(v)) for n, v in visible.rows] == [(2, ["Total detained", 1333.0, ""])]
    (hidden,) = tables(items, Surface.HIDDEN_ROW)
    assert [n for n, _ in hidden.rows] == list(range(3, 23))
    assert [v[0] for _, v in hidden.rows] == [r["name"] for r in recs[:20]]
    (filtered,) = tables(items, Surface.FILTERED_ROW)
    assert [(n, v[0]) for n, v in filtered.rows] == [(23, recs[21]["name"])]
    (column,) = tables(items, Surface.HIDDEN_COLUMN)
    assert column.header == ["Phone"]
    assert column.column_labels == ["D"]
    assert len(column.rows) == 21
    (comment,) = texts(items, Surface.COMMENT)
    assert comment.location.where == "Summary!B2"
    assert recs[20]["phone"] in comment.text
    meta = {(t.location.where, t.context, t.text) for t in texts(items, Surface.METADATA)}
    assert ("authors of comments", "author", "Analyst") in meta
    assert ("meta.xml initial-creator", "author", "Statistics Office") in meta


def test_ods_repeated_hidden_rows_at_the_end_cost_nothing(tmp_path: Path) -> None:
    """LibreOffice writes the empty rest of a sheet as one repeated (often hidden) row."""
    path = tmp_path / "tail.ods"
    body = (
        '<office:spreadsheet><table:table table:name="S">'
        "<table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>Region</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>Count</text:p></table:table-cell>'
        "</table:table-row><table:table-row>"
        '<table:table-cell office:value-type="string"><text:p>North</text:p></table:table-cell>'
        '<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p>'
        "</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574" table:visibility="collapse">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        "</table:table></office:spreadsheet>"
    )
    bo.write_odf(path, bo.ODS_MIME, body)
    items = read_all(ODS, path, "ods")
    (visible,) = tables(items, Surface.VISIBLE)
    assert [(n, list(v)) for n, v in visible.rows] == [(2, ["North", 3.0])]
    assert tables(items, Surface.HIDDEN_ROW) == []


def test_table_repeats_are_bounded(tmp_path: Path) -> None:
    cell = (
        '<table:table-cell table:number-columns-repeated="300"><text:p>x</text:p>'
        "</table:table-cell>"
    )
    body = (
        '<office:text><table:table table:name="T">'
        f'<table:table-row table:number-rows-repeated="1000000">{cell}</table:table-row>'
        "</table:table></office:text>"
    )
    path = tmp_path / "big.odt"
    bo.write_odf(path, bo.ODT_MIME, body)
    with pytest.raises(LimitExceeded, match="repeated rows and columns"):
        read_all(ODF, path, "odt")
    # the empty rest of a row, written as one huge repeated cell, is not a table of its own
    tail = '<table:table-cell table:number-columns-repeated="1000000000"/>'
    body = (
        '<office:text><table:table table:name="T"><table:table-row>'
        f"<table:table-cell><text:p>Region</text:p></table:table-cell>{tail}"
        "</table:table-row></table:table></office:text>"
    )
    bo.write_odf(path, bo.ODT_MIME, body)
    (table,) = tables(read_all(ODF, path, "odt"))
    assert [list(r) for _, r in table.rows] == [["Region"]]
