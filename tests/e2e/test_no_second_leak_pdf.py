"""Never the second leak, for PDFs: plant values on every PDF surface, render the text and JSON
reports, and grep both for every planted value (and the error messages of broken PDFs)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from spillguard.model import Report, Verdict
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.base import Reader
from spillguard.readers.pdf import PdfReader
from spillguard.reports.jsonfmt import JsonReporter
from spillguard.reports.text import TextReporter
from spillguard.scanner import Target, scan_file
from tests import builders_pdf as B
from tests.e2e.test_no_second_leak import _leaks

PLANTED: list[tuple[str, Callable[[Path], B.PdfTruth]]] = [
    ("covered", lambda p: B.covered_filing_pdf(p, n=6, seed=60)),
    ("image-covered", lambda p: B.image_covered_pdf(p, seed=61)),
    ("redact-annotation", lambda p: B.redact_annotation_pdf(p, seed=62)),
    ("revised", lambda p: B.revised_pdf(p, seed=63)),
    ("attachment", lambda p: B.attachment_pdf(p, n=40, seed=64)),
    ("annotation", lambda p: B.annotated_pdf(p, seed=65)),
    ("form", lambda p: B.form_pdf(p, seed=66)),
    ("metadata", lambda p: B.metadata_pdf(p, seed=67)),
    ("invisible", lambda p: B.invisible_text_pdf(p, seed=68)),
    ("layer", lambda p: B.layer_pdf(p, seed=69)),
    ("owner-only", lambda p: B.encrypted_pdf(p, user_password="", seed=70)),
    ("locked", lambda p: B.encrypted_pdf(p, user_password="pw", seed=71)),
    ("truncated", lambda p: B.truncated_pdf(p, seed=72)),
]


class _Pdf:
    @hookimpl
    def spillguard_readers(self) -> list[Reader]:
        return [PdfReader()]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], set[str]]:
    root = tmp_path_factory.mktemp("planted-pdf")
    pm = make_plugin_manager(entry_points=False)
    pm.register(_Pdf(), name="pdf-under-test")
    rs, ds = readers(pm), detectors(pm)
    secrets: set[str] = set()
    report = Report(version="x")
    for name, build in PLANTED:
        path = root / f"{name}.pdf"
        secrets |= build(path).secrets
        report.files.append(scan_file(Target(path, str(path)), readers=rs, detectors=ds))
    out: dict[str, str] = {}
    for fmt, reporter in (("text", TextReporter()), ("json", JsonReporter())):
        buf = io.StringIO()
        reporter.render(report, buf)
        out[fmt] = buf.getvalue()
    verdicts = {fr.verdict for fr in report.files}
    assert verdicts >= {Verdict.BLOCK, Verdict.ERROR, Verdict.WARN}
    return out, secrets


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_planted_value_in_pdf_reports(
    rendered: tuple[dict[str, str], set[str]], fmt: str
) -> None:
    out, secrets = rendered
    assert len(secrets) > 150
    assert "redaction_overlay" in out[fmt] or "redaction box" in out[fmt]
    assert _leaks(out[fmt], secrets) == []


def test_the_grep_would_catch_a_leak(rendered: tuple[dict[str, str], set[str]]) -> None:
    _, secrets = rendered
    some = sorted(secrets)[:3]
    assert _leaks("report: " + " | ".join(some), secrets) != []
