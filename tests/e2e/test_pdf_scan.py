"""PDFs end to end through `scan_file`: verdicts, surfaces, people, and error verdicts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from spillguard.model import FileResult, Verdict
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.base import Reader
from spillguard.readers.pdf import PdfReader
from spillguard.scanner import Target, scan_file
from tests import builders_pdf as B


class _Pdf:
    @hookimpl
    def spillguard_readers(self) -> list[Reader]:
        return [PdfReader()]


def _scan(path: Path) -> FileResult:
    pm = make_plugin_manager(entry_points=False)
    pm.register(_Pdf(), name="pdf-under-test")
    return scan_file(Target(path, str(path)), readers=readers(pm), detectors=detectors(pm))


def _surfaces(fr: FileResult) -> set[str]:
    return {f.surface.value for f in fr.findings}


LEAKING: list[tuple[str, Callable[[Path], B.PdfTruth], set[str]]] = [
    ("covered", B.covered_filing_pdf, {"A_NUMBER", "PERSON", "COVERED_TEXT"}),
    ("image-covered", B.image_covered_pdf, {"A_NUMBER", "COVERED_TEXT"}),
    ("redact-annotation", B.redact_annotation_pdf, {"A_NUMBER", "COVERED_TEXT"}),
    ("revised", B.revised_pdf, {"A_NUMBER", "PERSON"}),
    ("attachment", B.attachment_pdf, {"A_NUMBER", "DATE_OF_BIRTH"}),
    (
        "annotation-attachment",
        lambda p: B.attachment_pdf(p, via_annotation=True),
        {"A_NUMBER", "DATE_OF_BIRTH"},
    ),
    ("annotation", B.annotated_pdf, {"PHONE_NUMBER"}),
    ("form", B.form_pdf, {"A_NUMBER", "DATE_OF_BIRTH", "PERSON"}),
    ("invisible", B.invisible_text_pdf, {"US_SSN"}),
    ("layer", B.layer_pdf, {"A_NUMBER"}),
    ("owner-only-encryption", lambda p: B.encrypted_pdf(p, user_password=""), {"A_NUMBER"}),
]


@pytest.mark.parametrize(("name", "builder", "entities"), LEAKING, ids=[c[0] for c in LEAKING])
def test_leaking_pdfs_are_blocked(
    tmp_path: Path, name: str, builder: Callable[[Path], B.PdfTruth], entities: set[str]
) -> None:
    path = tmp_path / f"{name}.pdf"
    truth = builder(path)
    fr = _scan(path)
    assert fr.verdict is Verdict.BLOCK, (fr.verdict, fr.error, fr.reasons)
    assert fr.file_type == "pdf"
    assert truth.surfaces <= _surfaces(fr)
    assert entities <= {f.entity for f in fr.findings}
    assert fr.individuals >= 1


def test_bad_redaction_reports_page_and_box(tmp_path: Path) -> None:
    path = tmp_path / "filing.pdf"
    truth = B.covered_filing_pdf(path, n=4)
    fr = _scan(path)
    assert fr.individuals == truth.people
    covered = [f for f in fr.findings if f.entity == "COVERED_TEXT"]
    assert covered
    assert covered[0].surface.value == "redaction_overlay"
    assert covered[0].location.startswith("page 1 (")
    assert covered[0].count == 4
    assert any("text under a redaction box" in r for r in fr.reasons)


def test_metadata_author_warns(tmp_path: Path) -> None:
    path = tmp_path / "memo.pdf"
    B.metadata_pdf(path)
    fr = _scan(path)
    assert fr.verdict is Verdict.WARN
    assert "metadata" in _surfaces(fr)


CLEAN: list[tuple[str, Callable[[Path], B.PdfTruth]]] = [
    ("properly-redacted", B.properly_redacted_pdf),
    ("policy-memo", B.policy_memo_pdf),
    ("press-release", B.press_release_pdf),
    ("statistics", B.statistics_pdf),
    ("ocr-scan", B.ocr_scan_pdf),
]


@pytest.mark.parametrize(("name", "builder"), CLEAN, ids=[c[0] for c in CLEAN])
def test_clean_pdfs_are_not_blocked(
    tmp_path: Path, name: str, builder: Callable[[Path], B.PdfTruth]
) -> None:
    path = tmp_path / f"{name}.pdf"
    builder(path)
    fr = _scan(path)
    assert fr.verdict in (Verdict.PASS, Verdict.WARN), (fr.reasons, fr.findings)
    assert not any(f.surface.hidden for f in fr.findings if f.surface.value != "metadata")


def test_image_only_page_is_not_inspected(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    B.image_only_pdf(path)
    fr = _scan(path)
    assert fr.verdict is Verdict.WARN
    assert [n.location.where for n in fr.not_inspected] == ["page 1"]


@pytest.mark.parametrize(
    ("name", "builder", "words"),
    [
        ("locked", lambda p: B.encrypted_pdf(p, user_password="s3cret"), "password"),
        ("truncated", B.truncated_pdf, "truncated"),
    ],
)
def test_unreadable_pdfs_are_errors(
    tmp_path: Path, name: str, builder: Callable[[Path], B.PdfTruth], words: str
) -> None:
    path = tmp_path / f"{name}.pdf"
    truth = builder(path)
    fr = _scan(path)
    assert fr.verdict is Verdict.ERROR
    assert fr.error
    assert words in fr.error
    assert "Traceback" not in fr.error
    assert not any(s in fr.error for s in truth.secrets)


def test_pdf_with_a_lying_extension(tmp_path: Path) -> None:
    path = tmp_path / "figures.csv"
    B.covered_filing_pdf(path)
    fr = _scan(path)
    assert fr.file_type == "pdf"
    assert fr.verdict is Verdict.BLOCK
