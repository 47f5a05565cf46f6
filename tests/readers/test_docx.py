"""DOCX / DOCM reader: body, tables, headers and footers, notes, comments, tracked changes,
hidden text, properties, custom XML and embedded files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import msoffcrypto.format.ooxml
import pytest
from xlwt import CompoundDoc

from spillguard.errors import CorruptFile, EncryptedFile
from spillguard.model import Surface
from spillguard.readers.base import Source
from spillguard.readers.docx import DocxReader
from spillguard.readers.ole import OleReader
from tests import builders_office as bo
from tests.builders import patch_zip, person_records
from tests.readers.office_helpers import embedded, joined, notes, read_all, tables, texts

READER = DocxReader()


def _read(path: Path) -> list:  # type: ignore[type-arg]
    return read_all(READER, path, ("docx", "docm"))


def test_tracked_deletion_is_its_own_surface_and_not_in_the_body(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    built = bo.tracked_deletion_letter(path)
    r = person_records(1, seed=40)[0]
    items = _read(path)
    tracked = texts(items, Surface.TRACKED_CHANGE)
    deletion = next(t for t in tracked if "deletion" in t.location.where)
    assert deletion.location.where == "word/document.xml tracked deletion #1"
    assert r["name"] in deletion.text
    assert r["a_number"] in deletion.text
    visible = joined(items, Surface.VISIBLE)
    assert r["name"] not in visible
    assert r["a_number"] not in visible
    # inserted text is on the page and also reported as a tracked change
    assert "Individual cases are not discussed." in visible
    insertion = next(t for t in tracked if "insertion" in t.location.where)
    assert insertion.text == "Individual cases are not discussed."
    # the editor is named in metadata (as an author), never in a location
    authors = [t for t in texts(items, Surface.METADATA) if t.context == "author"]
    assert any(t.text == "Records Editor" for t in authors)
    assert all("Records Editor" not in t.location.where for t in tracked)
    assert built.surfaces == {Surface.TRACKED_CHANGE}


def test_comment_and_its_author(tmp_path: Path) -> None:
    path = tmp_path / "c.docx"
    bo.comment_docx(path)
    r = person_records(1, seed=41)[0]
    items = _read(path)
    (comment,) = texts(items, Surface.COMMENT)
    assert comment.location.where == "comment 1"
    assert r["phone"] in comment.text
    assert r["phone"] not in joined(items, Surface.VISIBLE)
    meta = {t.location.where: t for t in texts(items, Surface.METADATA)}
    assert meta["authors of comments"].text == "Reviewer"
    assert meta["authors of comments"].context == "author"


def test_footer(tmp_path: Path) -> None:
    path = tmp_path / "f.docx"
    bo.footer_ssn_docx(path)
    items = _read(path)
    (footer,) = texts(items, Surface.HEADER_FOOTER)
    assert footer.location.where == "word/footer1.xml"
    assert bo.FOOTER_SSN in footer.text
    assert bo.FOOTER_SSN not in joined(items, Surface.VISIBLE)


def test_hidden_text_is_kept_out_of_the_body(tmp_path: Path) -> None:
    path = tmp_path / "h.docx"
    bo.hidden_text_docx(path)
    r = person_records(1, seed=42)[0]
    items = _read(path)
    (hidden,) = texts(items, Surface.HIDDEN_TEXT)
    assert hidden.location.where == "body, paragraph 2 (hidden text)"
    assert r["name"] in hidden.text
    visible = joined(items, Surface.VISIBLE)
    assert r["name"] not in visible
    assert "Enrollment grew by four percent." in visible


def test_text_hidden_by_a_style_inherited_through_based_on(tmp_path: Path) -> None:
    doc = docx.Document()
    doc.add_paragraph("Shown text.")
    doc.add_paragraph("Secret note about a client.", style="Quote")
    path = tmp_path / "styled.docx"
    doc.save(str(path))
    style = (
        '<w:style w:type="paragraph" w:styleId="HiddenBase"><w:name w:val="HiddenBase"/>'
        "<w:rPr><w:vanish/></w:rPr></w:style></w:styles>"
    )

    def edit(data: bytes) -> bytes:
        text = data.decode().replace("</w:styles>", style)
        # make "Quote" inherit from the hidden style
        at = text.index('w:styleId="Quote"')
        end = text.index("</w:style>", at)
        block = text[at:end]
        fixed = block.replace('<w:basedOn w:val="Normal"/>', '<w:basedOn w:val="HiddenBase"/>')
        assert fixed != block
        return (text[:at] + fixed + text[end:]).encode()

    patch_zip(path, edit={"word/styles.xml": edit})
    items = _read(path)
    assert [t.text for t in texts(items, Surface.HIDDEN_TEXT)] == ["Secret note about a client."]
    assert "Secret note" not in joined(items, Surface.VISIBLE)


def test_word_table_is_a_table_part(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    bo.table_docx(path, n=50)
    items = _read(path)
    (table,) = tables(items, Surface.VISIBLE)
    assert table.header == ["Name", "Date of birth", "A-Number", "Nationality", "Facility"]
    assert table.location.where == "table 1"
    assert len(table.rows) == 50
    assert table.rows[0][0] == 2
    first = person_records(50, seed=43)[0]
    assert table.rows[0][1][0] == first["name"]
    # table cells are not repeated in the body text
    assert first["name"] not in "\n".join(t.text for t in texts(items, Surface.VISIBLE))


def test_long_body_is_split_with_paragraph_numbers(tmp_path: Path) -> None:
    doc = docx.Document()
    for i in range(1, 121):
        doc.add_paragraph(f"Line {i} of the report.")
    path = tmp_path / "long.docx"
    doc.save(str(path))
    wheres = [t.location.where for t in texts(_read(path), Surface.VISIBLE)]
    assert wheres == [
        "body, paragraphs 1-50",
        "body, paragraphs 51-100",
        "body, paragraphs 101-120",
    ]


_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<w:footnotes xmlns:w="{bo.W_NS}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Source: interview with the family, 2022.</w:t></w:r>'
    "</w:p></w:footnote></w:footnotes>"
)


def test_footnotes_docvars_and_custom_xml(tmp_path: Path) -> None:
    path = tmp_path / "n.docx"
    bo.policy_memo_docx(path)
    rel = (
        f'<Relationship Id="rIdFn" Type="{bo.REL}/footnotes" Target="footnotes.xml"/>'
        "</Relationships>"
    )
    custom = b"<Client><FullName>Jane Roe</FullName><BirthDate>1980-02-03</BirthDate></Client>"
    patch_zip(
        path,
        add={"word/footnotes.xml": _FOOTNOTES.encode(), "customXml/item2.xml": custom},
        edit={
            "word/_rels/document.xml.rels": lambda d: d.replace(b"</Relationships>", rel.encode()),
            "word/settings.xml": lambda d: d.replace(
                b"</w:settings>",
                b'<w:docVars><w:docVar w:name="CaseOwner" w:val="Jane Roe"/></w:docVars>'
                b"</w:settings>",
            ),
        },
    )
    items = _read(path)
    visible = {t.location.where: t.text for t in texts(items, Surface.VISIBLE)}
    assert visible["footnote 1"] == "Source: interview with the family, 2022."
    meta = {t.location.where: t for t in texts(items, Surface.METADATA)}
    assert meta["customXml/item2.xml <BirthDate>"].context == "BirthDate"
    assert meta["customXml/item2.xml <FullName>"].text == "Jane Roe"
    assert meta["document variable CaseOwner"].text == "Jane Roe"


def test_docm_is_recognised_by_its_content_type(tmp_path: Path) -> None:
    path = tmp_path / "macro.bin"  # the name does not matter
    bo.policy_memo_docx(path)
    ct_docx = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    ct_docm = b"application/vnd.ms-word.document.macroEnabled.main+xml"
    patch_zip(
        path,
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504},
        edit={"[Content_Types].xml": lambda d: d.replace(ct_docx, ct_docm)},
    )
    assert READER.sniff(Source.from_path(path)) == "docm"
    items = _read(path)
    (note,) = notes(items)
    assert note.location.where == "word/vbaProject.bin"
    assert note.location.surface is Surface.SCRIPT_DATA


def test_other_zips_are_not_claimed(tmp_path: Path) -> None:
    path = tmp_path / "deck.docx"
    bo.aggregate_pptx(path)
    assert READER.sniff(Source.from_path(path)) is None
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("readme.txt", "hello")
    assert READER.sniff(Source.from_path(plain)) is None


def test_embedded_workbook_is_handed_to_the_scanner(tmp_path: Path) -> None:
    path = tmp_path / "e.docx"
    bo.embedded_xlsx_docx(path, n=5)
    (emb,) = embedded(_read(path))
    assert emb.name == bo.EMBED_NAME
    assert emb.surface is Surface.ATTACHMENT
    assert emb.data is not None
    assert emb.data.startswith(b"PK")


def test_ole_package_is_unwrapped(tmp_path: Path) -> None:
    path = tmp_path / "o.docx"
    bo.ole_packaged_csv_docx(path, n=5)
    (emb,) = embedded(_read(path))
    assert emb.name == "word/embeddings/oleObject1.bin/records.csv"
    assert emb.data is not None
    assert emb.data.startswith(b"A-Number,")


def test_ole_object_of_another_application_is_noted(tmp_path: Path) -> None:
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, b"\x00" * 5000)
    data = bytearray(out.getvalue())
    at = data.index("Workbook".encode("utf-16-le"))
    name = "Equation Native".encode("utf-16-le")
    data[at : at + 64] = name + b"\x00" * (64 - len(name))
    data[at + 64 : at + 66] = (len(name) + 2).to_bytes(2, "little")
    path = tmp_path / "eq.docx"
    bo.policy_memo_docx(path)
    patch_zip(path, add={"word/embeddings/oleObject2.bin": bytes(data)})
    items = _read(path)
    assert embedded(items) == []
    (note,) = notes(items)
    assert note.location.where == "word/embeddings/oleObject2.bin"
    assert "application spillguard does not read" in note.reason


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.docx"
    bo.policy_memo_docx(path)
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<w:document xmlns:w="' + bo.W_NS.encode() + b'"><w:body><w:p><w:r><w:t>&b;</w:t>'
        b"</w:r></w:p></w:body></w:document>"
    )
    patch_zip(path, edit={"word/document.xml": lambda _: bomb})
    with pytest.raises(CorruptFile, match="declares XML entities"):
        _read(path)


def test_truncated_document_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    bo.table_docx(path, n=20)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    source = Source.from_path(path)
    assert READER.sniff(source) == "docx"  # claimed, so that the error is precise
    with pytest.raises(CorruptFile):
        list(READER.read(source, "docx"))


def test_damaged_document_xml_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.docx"
    bo.policy_memo_docx(path)
    patch_zip(path, edit={"word/document.xml": lambda d: d[: len(d) // 2]})
    with pytest.raises(CorruptFile, match=r"word/document\.xml is not well-formed"):
        _read(path)


def test_encrypted_docx_is_an_encrypted_cfb(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    bo.footer_ssn_docx(plain)
    locked = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("pass-1234", locked)
    path = tmp_path / "locked.docx"
    path.write_bytes(locked.getvalue())
    source = Source.from_path(path)
    assert READER.sniff(source) is None
    ole = OleReader()
    assert ole.sniff(source) == "encrypted-ooxml"
    with pytest.raises(EncryptedFile):
        list(ole.read(source, "encrypted-ooxml"))
