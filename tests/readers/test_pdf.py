"""PdfReader on real PDFs built in code: every surface, the clean controls, and hostile input."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded, ReadError
from spillguard.model import EmbeddedFile, NotInspected, Surface, TextPart
from spillguard.readers import pdf as pdf_module
from spillguard.readers.base import Limits, ReadItem, Source
from spillguard.readers.pdf import PdfReader
from tests import builders_pdf as B

_BOX = re.compile(r"^page (\d+) \((-?\d+),(-?\d+),(-?\d+),(-?\d+)\)$")


def _read(path: Path, *, limits: Limits | None = None) -> list[ReadItem]:
    source = Source.from_path(path, limits=limits)
    reader = PdfReader()
    assert reader.sniff(source) == "pdf"
    return list(reader.read(source, "pdf"))


def _texts(items: list[ReadItem], surface: Surface) -> list[TextPart]:
    return [i for i in items if isinstance(i, TextPart) and i.location.surface is surface]


def _joined(items: list[ReadItem], surface: Surface) -> str:
    return "\n".join(t.text for t in _texts(items, surface))


def test_covered_names_and_a_numbers_are_their_own_parts(tmp_path: Path) -> None:
    path = tmp_path / "filing.pdf"
    truth = B.covered_filing_pdf(path, n=4)
    items = _read(path)
    covered = _texts(items, Surface.REDACTION_OVERLAY)
    assert len(covered) == 4
    visible = _joined(items, Surface.VISIBLE)
    for part, record in zip(covered, truth.records, strict=True):
        assert record["name"] in part.text
        assert record["a_number"] in part.text
        assert part.context == "covered"
        m = _BOX.match(part.location.where)
        assert m, part.location.where
        x0, y0, x1, y1 = map(int, m.groups()[1:])
        assert x0 < x1
        assert 500 < y0 < y1 < 700
        # covered text is not also reported as visible text
        assert record["name"] not in visible
    assert "hearing scheduled" in visible
    assert "Filed by the Office of the Clerk." in visible


def test_properly_redacted_pdf_has_no_covered_text(tmp_path: Path) -> None:
    path = tmp_path / "redacted.pdf"
    B.properly_redacted_pdf(path)
    items = _read(path)
    assert _texts(items, Surface.REDACTION_OVERLAY) == []
    assert "hearing scheduled" in _joined(items, Surface.VISIBLE)


@pytest.mark.parametrize("builder", [B.image_covered_pdf, B.redact_annotation_pdf])
def test_text_under_an_image_or_unapplied_redaction_is_covered(
    tmp_path: Path, builder: Callable[[Path], B.PdfTruth]
) -> None:
    path = tmp_path / "doc.pdf"
    truth = builder(path)
    items = _read(path)
    (part,) = _texts(items, Surface.REDACTION_OVERLAY)
    assert truth.records[0]["a_number"] in part.text
    assert _BOX.match(part.location.where)
    assert truth.records[0]["name"] not in _joined(items, Surface.VISIBLE)


def test_text_only_in_an_earlier_revision(tmp_path: Path) -> None:
    path = tmp_path / "revised.pdf"
    truth = B.revised_pdf(path)
    assert path.read_bytes().count(b"%%EOF") == 2
    items = _read(path)
    (old,) = _texts(items, Surface.PREVIOUS_REVISION)
    assert old.location.where == "revision 1 of 2, page 1"
    assert truth.records[0]["a_number"] in old.text
    # unchanged lines are not repeated as revision text
    assert "determination is final" not in old.text
    assert "[withheld]" in _joined(items, Surface.VISIBLE)


def test_single_revision_yields_no_revision_text(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    B.policy_memo_pdf(path)
    assert _texts(_read(path), Surface.PREVIOUS_REVISION) == []


def test_attached_csv_is_an_embedded_file(tmp_path: Path) -> None:
    path = tmp_path / "stats.pdf"
    truth = B.attachment_pdf(path, n=12)
    items = _read(path)
    (att,) = [i for i in items if isinstance(i, EmbeddedFile)]
    assert att.name == "detainees.csv"
    assert att.surface is Surface.ATTACHMENT
    assert att.data is not None
    assert truth.records[0]["a_number"].encode() in att.data
    assert att.data.count(b"\n") == 13


def test_file_attachment_annotation_is_an_embedded_file(tmp_path: Path) -> None:
    path = tmp_path / "stats.pdf"
    truth = B.attachment_pdf(path, n=5, via_annotation=True)
    items = _read(path)
    (att,) = [i for i in items if isinstance(i, EmbeddedFile)]
    assert att.name == "detainees.csv"
    assert att.data is not None
    assert truth.records[-1]["a_number"].encode() in att.data


def test_content_stream_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    B.policy_memo_pdf(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        body = b"BT /F1 11 Tf 72 700 Td (x) Tj ET\n" + b" " * (8 * 1024**2)
        pdf.pages[0].obj.Contents = pdf.make_stream(zlib.compress(body, 9))
        pdf.pages[0].obj.Contents.Filter = pikepdf.Name.FlateDecode
        pdf.save(path)
    with pytest.raises(LimitExceeded) as err:
        _read(path, limits=Limits(max_part_bytes=1024**2))
    assert "page 1" in str(err.value)
    assert len(_read(path)) > 0  # under the default limits the same page is read


def test_attachment_over_the_part_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "stats.pdf"
    B.attachment_pdf(path, n=50)
    with pytest.raises(LimitExceeded) as err:
        _read(path, limits=Limits(max_part_bytes=500))
    assert "detainees.csv" in str(err.value)


def test_attachment_bomb_is_refused_with_bounded_inflation(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    B.policy_memo_pdf(path)
    bomb = zlib.compress(b"\0" * (20 * 1024**2), 9)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        stream = pikepdf.Stream(pdf, bomb)
        stream.Filter = pikepdf.Name.FlateDecode
        stream.Type = pikepdf.Name.EmbeddedFile
        spec = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Filespec,
                F=pikepdf.String("zeros.bin"),
                EF=pikepdf.Dictionary(F=pdf.make_indirect(stream)),
            )
        )
        pdf.Root.Names = pikepdf.Dictionary(
            EmbeddedFiles=pikepdf.Dictionary(Names=[pikepdf.String("zeros.bin"), spec])
        )
        pdf.save(path)
    with pytest.raises(LimitExceeded):
        _read(path, limits=Limits(max_part_bytes=1024**2))


def test_annotation_text_and_author(tmp_path: Path) -> None:
    path = tmp_path / "visit.pdf"
    truth = B.annotated_pdf(path)
    notes = _texts(_read(path), Surface.ANNOTATION)
    contents = [n for n in notes if n.context == ""]
    authors = [n for n in notes if n.context == "author"]
    assert len(contents) == 1
    assert truth.records[0]["phone"] in contents[0].text
    assert [a.text for a in authors] == ["Case Worker 7"]
    assert contents[0].location.where == "page 1 annotation #1 (Text)"


def test_form_field_values_with_their_names(tmp_path: Path) -> None:
    path = tmp_path / "form.pdf"
    truth = B.form_pdf(path)
    fields = {t.context: t.text for t in _texts(_read(path), Surface.FORM_FIELD)}
    r = truth.records[0]
    assert fields == {
        "applicant_name": r["name"],
        "date_of_birth": r["birthdate"].strftime("%m/%d/%Y"),
        "a_number": r["a_number"],
    }


def test_info_and_xmp_metadata(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    truth = B.metadata_pdf(path)
    meta = _texts(_read(path), Surface.METADATA)
    by_where = {m.location.where: m for m in meta}
    assert by_where["Info Author"].text == truth.records[0]["name"]
    assert by_where["Info Author"].context == "author"
    assert by_where["Info Title"].context == "Title"
    # the XMP copy of the same author is not reported twice; other XMP values are read
    assert sum(1 for m in meta if m.text == truth.records[0]["name"]) == 1
    assert any(w.startswith("XMP ") for w in by_where)


def test_invisible_text_is_white_text_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "benefits.pdf"
    B.invisible_text_pdf(path)
    items = _read(path)
    hidden = _texts(items, Surface.WHITE_TEXT)
    reasons = sorted(h.location.where.split(", ", 1)[1] for h in hidden)
    assert reasons == [
        "text drawn in an invisible render mode",
        "text drawn in the colour of its background",
        "text in a font too small to read",
    ]
    assert all("SSN" in h.text for h in hidden)
    assert "SSN" not in _joined(items, Surface.VISIBLE)


def test_text_in_a_layer_switched_off_is_hidden_text(tmp_path: Path) -> None:
    path = tmp_path / "agenda.pdf"
    truth = B.layer_pdf(path)
    items = _read(path)
    (layer,) = _texts(items, Surface.HIDDEN_TEXT)
    assert truth.records[0]["a_number"] in layer.text
    assert "Draft agenda" in _joined(items, Surface.VISIBLE)


def test_image_only_page_is_reported_not_inspected(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    B.image_only_pdf(path)
    notes = [i for i in _read(path) if isinstance(i, NotInspected)]
    assert [n.reason for n in notes] == ["page 1 holds only images (scanned?); no OCR in the core"]


def test_ocr_layer_over_a_scan_is_visible_text(tmp_path: Path) -> None:
    path = tmp_path / "ocr.pdf"
    B.ocr_scan_pdf(path)
    items = _read(path)
    assert _texts(items, Surface.WHITE_TEXT) == []
    assert _texts(items, Surface.REDACTION_OVERLAY) == []
    assert "committee approved" in _joined(items, Surface.VISIBLE)
    assert not [i for i in items if isinstance(i, NotInspected)]


def test_shaded_table_header_is_not_a_redaction(tmp_path: Path) -> None:
    path = tmp_path / "stats.pdf"
    B.statistics_pdf(path)
    items = _read(path)
    assert _texts(items, Surface.REDACTION_OVERLAY) == []
    assert _texts(items, Surface.WHITE_TEXT) == []
    assert "Facility type" in _joined(items, Surface.VISIBLE)


def test_line_breaks_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    B.policy_memo_pdf(path)
    (page,) = _texts(_read(path), Surface.VISIBLE)
    assert page.location.where == "page 1"
    assert "SUBJECT: Updated guidance on records retention\n1. Case files" in page.text


def test_owner_password_only_is_read(tmp_path: Path) -> None:
    path = tmp_path / "owner.pdf"
    truth = B.encrypted_pdf(path, user_password="")
    with pikepdf.open(path) as pdf:
        assert pdf.is_encrypted
    covered = _texts(_read(path), Surface.REDACTION_OVERLAY)
    assert len(covered) == truth.people


def test_user_password_is_an_encrypted_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    B.encrypted_pdf(path, user_password="open-sesame")
    with pytest.raises(EncryptedFile) as err:
        _read(path)
    assert "password" in str(err.value)


def test_truncated_pdf_is_corrupt_without_content(tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    truth = B.truncated_pdf(path)
    with pytest.raises(CorruptFile) as err:
        _read(path)
    assert "truncated" in str(err.value)
    assert not any(s in str(err.value) for s in truth.secrets)


def test_garbage_after_the_header_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n")
    with pytest.raises(ReadError) as err:
        _read(path)
    assert isinstance(err.value, CorruptFile)


def test_page_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.pdf"
    B.text_pages_pdf(path, pages=3)
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    with pytest.raises(LimitExceeded) as err:
        _read(path)
    assert "3 pages" in str(err.value)


def test_sniff_decides_from_content(tmp_path: Path) -> None:
    pdf = tmp_path / "report.xlsx"
    B.policy_memo_pdf(pdf)
    not_pdf = tmp_path / "report.pdf"
    not_pdf.write_bytes(b"name,dob\nx,y\n")
    reader = PdfReader()
    assert reader.sniff(Source.from_path(pdf)) == "pdf"
    assert reader.sniff(Source.from_path(not_pdf)) is None
    late = tmp_path / "late.pdf"
    late.write_bytes(b"\0" * 2000 + pdf.read_bytes())
    assert reader.sniff(Source.from_path(late)) is None


def test_many_pages_are_all_read(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    B.text_pages_pdf(path, pages=12)
    pages = _texts(_read(path), Surface.VISIBLE)
    assert [p.location.where for p in pages] == [f"page {i}" for i in range(1, 13)]
