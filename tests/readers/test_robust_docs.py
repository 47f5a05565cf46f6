"""Document readers on damaged, hostile and unusual real-world files.

Each test pins one class of bug found by ``scripts/corpus_check.py`` on LibreOffice's and
python-docx/pptx/pypdf/pikepdf's test documents, or by its ``--fuzz`` mode on the document seeds
(`build_doc_seeds`). The acceptable outcomes are the same as for spreadsheets: a correct read, or
a typed `ReadError` with a plain reason; never the scanner's generic "internal error".
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest

from spillguard.errors import CorruptFile
from spillguard.model import Surface, TablePart, TextPart, Verdict
from spillguard.plugins import readers as registered_readers
from spillguard.readers.base import Source
from spillguard.readers.pdf import PdfReader
from spillguard.scanner import Target, choose_reader, scan_file
from tests import builders_office as office
from tests import builders_pdf as pdf
from tests import builders_web as web
from tests.readers.test_robust_mutators import (
    PDF_MUTATORS,
    read_members,
    write_members,
    write_mutants,
)

GENERIC = ("internal error while reading", "the file could not be read (")
W_TRANSITIONAL = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _scan(path: Path) -> tuple[Verdict, str | None, str]:
    result = scan_file(Target(path, path.name))
    assert not (result.error and result.error.startswith(GENERIC)), (path.name, result.error)
    return result.verdict, result.error, result.file_type


def _read(path: Path) -> tuple[str, list[Any]]:
    source = Source.from_path(path)
    reader, file_type = choose_reader(source, registered_readers())
    items: list[Any] = []
    for item in reader.read(source, file_type):
        if isinstance(item, TablePart):
            item.rows = list(item.rows)
        items.append(item)
    return file_type, items


def _texts(items: list[Any]) -> list[TextPart]:
    return [i for i in items if isinstance(i, TextPart)]


def _replace_member(path: Path, member: str, body: bytes) -> None:
    members = read_members(path.read_bytes())
    assert any(n == member for n, _ in members), member
    path.write_bytes(write_members([(n, body if n == member else d) for n, d in members]))


# -- a seeded sweep over document mutants ---------------------------------------------------------
def _cheap_doc_seeds(folder: Path) -> list[Path]:
    folder.mkdir()
    seeds = {
        "covered.pdf": pdf.covered_filing_pdf,
        "form.pdf": pdf.form_pdf,
        "comment.docx": office.comment_docx,
        "notes.pptx": office.notes_pptx,
        "leaks.odt": office.odt_leaks,
        "news.html": web.news_page_with_hidden_records,
    }
    paths = []
    for name, build in seeds.items():
        build(folder / name)
        paths.append(folder / name)
    return paths


def test_document_mutants_get_a_verdict_or_a_typed_error(tmp_path: Path) -> None:
    seeds = _cheap_doc_seeds(tmp_path / "seeds")
    for path in write_mutants(tmp_path / "m", count=60, seed=300, big=False, seeds=seeds):
        if "pdf_stream_bomb" in path.name:
            continue  # covered by the corpus runs; too slow to build here
        _scan(path)


@pytest.mark.parametrize("name", sorted(set(PDF_MUTATORS) - {"pdf_stream_bomb"}))
def test_each_pdf_mutator_is_handled(tmp_path: Path, name: str) -> None:
    seed = tmp_path / "covered.pdf"
    pdf.covered_filing_pdf(seed)
    for k in range(3):
        out = tmp_path / f"{name}-{k}.pdf"
        out.write_bytes(PDF_MUTATORS[name](seed.read_bytes(), random.Random(k)))
        _scan(out)


# -- zip containers -------------------------------------------------------------------------------
def test_member_name_flagged_utf8_but_not_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "letter.docx"
    office.comment_docx(path)
    members = read_members(path.read_bytes())
    with zipfile.ZipFile(path, "w") as zf:  # one extra member whose name is UTF-8 (flag 0x800)
        for name, data in members:
            zf.writestr(name, data)
        zf.writestr("word/mediaé.bin", b"x")
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xff\xfe"))
    verdict, error, _ = _scan(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "damaged" in error


# -- Word -----------------------------------------------------------------------------------------
def test_strict_ooxml_word_document_is_read(tmp_path: Path) -> None:
    path = tmp_path / "strict.docx"
    doc = docx.Document()
    doc.add_paragraph("Minutes of the Tuesday planning meeting.")
    doc.save(str(path))
    members = read_members(path.read_bytes())
    body = dict(members)["word/document.xml"]
    assert W_TRANSITIONAL in body
    _replace_member(path, "word/document.xml", body.replace(W_TRANSITIONAL, W_STRICT))
    file_type, items = _read(path)
    assert file_type == "docx"
    assert any("planning meeting" in t.text for t in _texts(items))


def test_sharepoint_namespace_in_custom_xml_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sp.docx"
    doc = docx.Document()
    doc.add_paragraph("Cover note.")
    doc.save(str(path))
    item = (
        b'<?xml version="1.0"?><p:properties xmlns:p="http://schemas.microsoft.com/office/'
        b'2006/metadata/properties" xmlns:ns3="$ListId:Shared Documents;">'
        b"<ns3:Owner>Records team</ns3:Owner></p:properties>"
    )
    members = [*read_members(path.read_bytes()), ("customXml/item9.xml", item)]
    path.write_bytes(write_members(members))
    _, items = _read(path)
    meta = [t for t in _texts(items) if t.location.surface is Surface.METADATA]
    assert any(t.text == "Records team" for t in meta)
    # the same part, truly damaged, is still refused
    _replace_member(path, "customXml/item9.xml", item.replace(b"</p:properties>", b""))
    with pytest.raises(CorruptFile):
        _read(path)


# -- OpenDocument ---------------------------------------------------------------------------------
MATH = (
    b'<?xml version="1.0" encoding="UTF-8"?><math xmlns="http://www.w3.org/1998/Math/MathML" '
    b'display="block"><semantics><mrow><mi>x</mi><mo>=</mo><mn>2</mn></mrow>'
    b'<annotation encoding="StarMath 5.0">x = 2</annotation></semantics></math>'
)
PARA = "<office:text><text:p>Annual report of the parks service.</text:p></office:text>"


def test_odf_formula_object_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "formula.odt"
    office.write_odf(path, office.ODT_MIME, PARA, extra={"Object 1/content.xml": MATH})
    _, items = _read(path)
    formulas = [t for t in _texts(items) if t.location.where.endswith("formula")]
    assert [t.text for t in formulas] == ["x = 2"]


def test_odf_without_mimetype_member_is_sniffed_from_the_manifest(tmp_path: Path) -> None:
    path = tmp_path / "old.odp"
    office.write_odf(path, office.ODT_MIME, PARA)
    members = [(n, d) for n, d in read_members(path.read_bytes()) if n != "mimetype"]
    path.write_bytes(write_members(members))
    file_type, items = _read(path)
    assert file_type == "odt"
    assert any("parks service" in t.text for t in _texts(items))


def test_odf_with_a_damaged_mimetype_member_is_still_an_odf(tmp_path: Path) -> None:
    path = tmp_path / "crc.odt"
    office.write_odf(path, office.ODT_MIME, PARA)
    data = bytearray(path.read_bytes())
    # the stored mimetype's CRC (local header offset 14) no longer matches its bytes
    data[14] ^= 0xFF
    path.write_bytes(bytes(data))
    assert _read(path)[0] == "odt"


# -- PDF, XML, images -----------------------------------------------------------------------------
def test_metafile_holding_a_pdf_is_not_taken_for_a_pdf(tmp_path: Path) -> None:
    header = bytearray(108)
    header[0:4] = b"\x01\x00\x00\x00"
    header[40:44] = b" EMF"
    path = tmp_path / "image1.emf"
    path.write_bytes(bytes(header) + b"%PDF-1.4\n" + b"\x00" * 64)
    assert PdfReader().sniff(Source.from_path(path)) is None
    plain = tmp_path / "plain.pdf"
    pdf.policy_memo_pdf(plain)
    assert PdfReader().sniff(Source.from_path(plain)) == "pdf"


def test_xml_bytes_invalid_in_declared_encoding_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<records>'
        + b"<r><n>Ann</n></r>" * 200
        + b"<r><n>\xc3\x28</n></r></records>"
    )
    verdict, error, _ = _scan(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "encoding" in error


def test_damaged_png_chunk_type_is_not_echoed(tmp_path: Path) -> None:
    path = tmp_path / "p.png"
    chunk = b"\x00\x00\xff\xff" + b"\x07\x1b\xe9z"  # a huge length and a non-letter type
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk + b"\x00" * 16)
    verdict, error, _ = _scan(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "damaged type" in error
    assert not re.search(r"[\x00-\x1f\x7f-\xff]", error)


def test_xmp_bomb_is_refused_before_pdfium_inflates_it(tmp_path: Path) -> None:
    import zlib

    import pikepdf

    path = tmp_path / "xmp.pdf"
    pdf.policy_memo_pdf(path)
    with pikepdf.open(path, allow_overwriting_input=True) as doc:
        bomb = zlib.compress(b"\0" * (64 * 1024**2), 9)
        doc.Root.Metadata = pikepdf.Stream(doc, bomb)
        doc.Root.Metadata.Filter = pikepdf.Name.FlateDecode
        doc.save(path, fix_metadata_version=False)  # else pikepdf rewrites the packet
    verdict, error, _ = _scan(path)
    assert verdict is Verdict.ERROR
    assert error is not None
    # the check before PDFium opens the file ("inflates to"), not the XMP reader's after it
    assert "XMP metadata inflates to more than" in error
