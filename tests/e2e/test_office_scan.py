"""Word, PowerPoint and OpenDocument files end to end: each leak is blocked on the right surface,
each clean control is not, and hostile files get a precise error."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import msoffcrypto.format.ooxml
import pytest

from spillguard.model import FileResult, Surface, Verdict
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.base import Reader
from spillguard.readers.docx import DocxReader
from spillguard.readers.odf import OdfReader
from spillguard.readers.pptx import PptxReader
from spillguard.scanner import Target, scan_file
from tests import builders_office as bo


class OfficePlugin:
    @hookimpl
    def spillguard_readers(self) -> list[Reader]:
        return [DocxReader(), PptxReader(), OdfReader()]


def scan_office(path: Path) -> FileResult:
    pm = make_plugin_manager(entry_points=False)
    pm.register(OfficePlugin(), name="office")
    return scan_file(Target(path, str(path)), readers=readers(pm), detectors=detectors(pm))


Builder = Callable[[Path], bo.Built]

LEAKS: list[tuple[str, Builder]] = [
    ("letter.docx", bo.tracked_deletion_letter),
    ("comment.docx", bo.comment_docx),
    ("footer.docx", bo.footer_ssn_docx),
    ("hidden.docx", bo.hidden_text_docx),
    ("table.docx", bo.table_docx),
    ("embedded.docx", bo.embedded_xlsx_docx),
    ("package.docx", bo.ole_packaged_csv_docx),
    ("notes.pptx", bo.notes_pptx),
    ("hidden-slide.pptx", bo.hidden_slide_pptx),
    ("off-slide.pptx", bo.off_slide_pptx),
    ("letter.odt", bo.odt_leaks),
    ("hidden.odt", bo.odt_hidden),
    ("deck.odp", bo.odp_leaks),
    ("records.ods", bo.ods_leaks),
]


@pytest.mark.parametrize(("name", "build"), LEAKS, ids=[n for n, _ in LEAKS])
def test_leaks_are_blocked_on_their_surface(tmp_path: Path, name: str, build: Builder) -> None:
    path = tmp_path / name
    built = build(path)
    fr = scan_office(path)
    assert fr.error is None
    assert fr.verdict is Verdict.BLOCK, fr.reasons
    found = {f.surface for f in fr.findings}
    assert set(built.surfaces) <= found, (sorted(found), sorted(built.surfaces))
    assert fr.individuals >= min(built.people, 1)


def test_embedded_workbook_location_names_the_member(tmp_path: Path) -> None:
    path = tmp_path / "e.docx"
    built = bo.embedded_xlsx_docx(path, n=30)
    fr = scan_office(path)
    hidden = [f for f in fr.findings if f.surface is Surface.HIDDEN_SHEET]
    assert hidden
    assert {f.member for f in hidden} == {bo.EMBED_NAME}
    assert fr.individuals == built.people
    assert any(bo.EMBED_NAME in r for r in fr.reasons)


def test_table_of_fifty_people_counts_fifty(tmp_path: Path) -> None:
    path = tmp_path / "t.docx"
    bo.table_docx(path, n=50)
    fr = scan_office(path)
    assert fr.verdict is Verdict.BLOCK
    assert fr.individuals == 50
    assert any(f.entity == "A_NUMBER" and f.count == 50 for f in fr.findings)


CLEAN: list[tuple[str, Builder]] = [
    ("memo.docx", bo.policy_memo_docx),
    ("press.docx", bo.press_release_docx),
    ("stats.pptx", bo.aggregate_pptx),
]


@pytest.mark.parametrize(("name", "build"), CLEAN, ids=[n for n, _ in CLEAN])
def test_clean_controls_are_not_blocked(tmp_path: Path, name: str, build: Builder) -> None:
    path = tmp_path / name
    build(path)
    fr = scan_office(path)
    assert fr.error is None
    assert fr.verdict in (Verdict.PASS, Verdict.WARN), fr.reasons
    assert not [f for f in fr.findings if f.surface.hidden and f.entity != "PERSON"]


def test_policy_memo_passes(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    bo.policy_memo_docx(path)
    assert scan_office(path).verdict is Verdict.PASS


def test_press_release_names_officials_but_only_warns(tmp_path: Path) -> None:
    path = tmp_path / "press.docx"
    bo.press_release_docx(path)
    fr = scan_office(path)
    assert fr.verdict is Verdict.WARN
    visible_people = [f for f in fr.findings if f.entity == "PERSON" and not f.surface.hidden]
    assert visible_people


def test_encrypted_docx_is_an_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.docx"
    bo.tracked_deletion_letter(plain)
    out = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("pw-9876", out)
    path = tmp_path / "locked.docx"
    path.write_bytes(out.getvalue())
    fr = scan_office(path)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "encrypted" in fr.error


def test_encrypted_odt_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "locked.odt"
    bo.write_odf(path, bo.ODT_MIME, "<office:text/>", encrypted=True)
    fr = scan_office(path)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "password-protected" in fr.error


def test_extension_that_lies(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    bo.notes_pptx(path)
    fr = scan_office(path)
    assert fr.file_type == "pptx"
    assert fr.verdict is Verdict.BLOCK


def test_truncated_docx_is_a_precise_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.docx"
    bo.table_docx(path, n=30)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    fr = scan_office(path)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "damaged or truncated" in fr.error
    assert "internal error" not in fr.error
