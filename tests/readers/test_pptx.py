"""PPTX reader: slides, tables, speaker notes, hidden slides, off-slide shapes, comments."""

from __future__ import annotations

from pathlib import Path

import pptx
import pytest
from pptx.util import Inches

from spillguard.errors import CorruptFile
from spillguard.model import Surface
from spillguard.readers.base import Source
from spillguard.readers.pptx import PptxReader
from tests import builders_office as bo
from tests.builders import patch_zip, person_records
from tests.readers.office_helpers import embedded, joined, read_all, tables, texts

READER = PptxReader()


def _read(path: Path) -> list:  # type: ignore[type-arg]
    return read_all(READER, path, ("pptx", "pptm"))


def test_speaker_notes(tmp_path: Path) -> None:
    path = tmp_path / "n.pptx"
    bo.notes_pptx(path)
    r = person_records(1, seed=45)[0]
    items = _read(path)
    (note,) = texts(items, Surface.SPEAKER_NOTES)
    assert note.location.where == "slide 2 notes"
    assert r["a_number"] in note.text
    assert r["name"] not in joined(items, Surface.VISIBLE)
    slides = {t.location.where for t in texts(items, Surface.VISIBLE)}
    assert {"slide 1", "slide 2"} <= slides


def test_hidden_slide_table(tmp_path: Path) -> None:
    path = tmp_path / "h.pptx"
    bo.hidden_slide_pptx(path, n=12)
    items = _read(path)
    (table,) = tables(items, Surface.HIDDEN_SLIDE)
    assert table.location.where == "slide 2 (hidden), table 1"
    assert table.header == ["Name", "Date of birth", "A-Number", "Nationality"]
    assert len(table.rows) == 12
    assert tables(items, Surface.VISIBLE) == []
    visible = {t.location.where for t in texts(items, Surface.VISIBLE)}
    assert visible >= {"slide 1", "slide 3"}


def test_off_slide_text_box(tmp_path: Path) -> None:
    path = tmp_path / "o.pptx"
    bo.off_slide_pptx(path)
    r = person_records(1, seed=47)[0]
    items = _read(path)
    (off,) = texts(items, Surface.OFF_SLIDE)
    assert off.location.where.startswith("slide 1, shape ")
    assert off.location.where.endswith("(outside the slide)")
    assert r["name"] in off.text
    assert r["name"] not in joined(items, Surface.VISIBLE)


def test_shapes_in_a_group_are_placed_through_the_group(tmp_path: Path) -> None:
    prs = pptx.Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    group = slide.shapes.add_group_shape()
    inside = group.shapes.add_textbox(Inches(1), Inches(1), Inches(2), Inches(1))
    inside.text_frame.text = "Inside the slide"
    outside = group.shapes.add_textbox(Inches(0), Inches(-5), Inches(2), Inches(1))
    outside.text_frame.text = "Above the slide"
    path = tmp_path / "g.pptx"
    prs.save(str(path))
    items = _read(path)
    assert [t.text for t in texts(items, Surface.OFF_SLIDE)] == ["Above the slide"]
    assert "Inside the slide" in joined(items, Surface.VISIBLE)


_LEGACY_COMMENTS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<p:cmLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:cm authorId="0" dt="2022-11-01T10:00:00" idx="1"><p:pos x="10" y="10"/>'
    "<p:text>Remove the detainee list before posting.</p:text></p:cm></p:cmLst>"
)
_AUTHORS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
    '<p:cmAuthor id="0" name="Dana Whitfield" initials="DW" lastIdx="1" clrIdx="0"/>'
    "</p:cmAuthorLst>"
)


def test_comments_and_their_authors(tmp_path: Path) -> None:
    path = tmp_path / "c.pptx"
    bo.aggregate_pptx(path)
    rel = (
        '<Relationship Id="rIdCm" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/comments" Target="../comments/comment1.xml"/></Relationships>'
    )
    patch_zip(
        path,
        add={
            "ppt/comments/comment1.xml": _LEGACY_COMMENTS.encode(),
            "ppt/commentAuthors.xml": _AUTHORS.encode(),
        },
        edit={
            "ppt/slides/_rels/slide2.xml.rels": lambda d: d.replace(
                b"</Relationships>", rel.encode()
            )
        },
    )
    items = _read(path)
    (comment,) = texts(items, Surface.COMMENT)
    assert comment.location.where == "slide 2 comment 1"
    assert comment.text == "Remove the detainee list before posting."
    authors = [t for t in texts(items, Surface.METADATA) if t.context == "author"]
    assert any(t.text == "Dana Whitfield" for t in authors)


def test_slide_outside_the_slide_list_is_hidden(tmp_path: Path) -> None:
    path = tmp_path / "x.pptx"
    bo.aggregate_pptx(path)

    def drop_second(data: bytes) -> bytes:
        text = data.decode()
        start = text.index("<p:sldId ", text.index("<p:sldId ") + 1)
        end = text.index("/>", start) + 2
        return (text[:start] + text[end:]).encode()

    patch_zip(path, edit={"ppt/presentation.xml": drop_second})
    items = _read(path)
    hidden = tables(items, Surface.HIDDEN_SLIDE)
    assert [t.location.where for t in hidden] == [
        "ppt/slides/slide2.xml (not in the slide list), table 1"
    ]


def test_aggregate_deck(tmp_path: Path) -> None:
    path = tmp_path / "a.pptx"
    bo.aggregate_pptx(path)
    items = _read(path)
    (table,) = tables(items, Surface.VISIBLE)
    assert table.header == ["Facility", "FY2021", "FY2022"]
    assert table.location.where == "slide 2, table 1"
    assert embedded(items) == []


def test_sniff_ignores_word_files_and_damage_is_precise(tmp_path: Path) -> None:
    word = tmp_path / "memo.pptx"
    bo.policy_memo_docx(word)
    assert READER.sniff(Source.from_path(word)) is None
    path = tmp_path / "bad.pptx"
    bo.notes_pptx(path)
    patch_zip(path, edit={"ppt/slides/slide2.xml": lambda d: d[: len(d) // 2]})
    with pytest.raises(CorruptFile, match=r"slide2\.xml is not well-formed"):
        _read(path)
