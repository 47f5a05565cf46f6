"""Never the second leak, for Word, PowerPoint and OpenDocument files: plant values, scan, render
the text and JSON reports, and grep both (and every error message) for each planted value."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from spillguard.model import Report, Verdict
from spillguard.reports.jsonfmt import JsonReporter
from spillguard.reports.text import TextReporter
from tests import builders_office as bo
from tests.builders import patch_zip
from tests.e2e.test_no_second_leak import _leaks
from tests.e2e.test_office_scan import LEAKS, scan_office


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], set[str]]:
    root = tmp_path_factory.mktemp("planted-office")
    secrets: set[str] = set()
    paths: list[Path] = []
    for name, build in LEAKS:
        path = root / name
        secrets |= build(path).secrets
        paths.append(path)
    # broken files that still hold the values: their error messages must not quote them
    cut = root / "cut-letter.docx"
    data = (root / "letter.docx").read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    bad = root / "bad-notes.pptx"
    bad.write_bytes((root / "notes.pptx").read_bytes())
    patch_zip(bad, edit={"ppt/notesSlides/notesSlide1.xml": lambda d: d[: len(d) - 40]})
    paths += [cut, bad]
    return paths, secrets


def test_no_planted_value_in_reports_or_logs(
    planted: tuple[list[Path], set[str]], caplog: pytest.LogCaptureFixture
) -> None:
    paths, secrets = planted
    assert len(secrets) > 300
    caplog.set_level(logging.DEBUG, logger="spillguard")
    report = Report(version="x", files=[scan_office(p) for p in paths])
    verdicts = {Path(f.path).name: f.verdict for f in report.files}
    assert verdicts["cut-letter.docx"] is Verdict.ERROR
    assert verdicts["bad-notes.pptx"] is Verdict.ERROR
    assert sum(v is Verdict.BLOCK for v in verdicts.values()) == len(LEAKS)
    for reporter in (TextReporter(), JsonReporter()):
        buf = io.StringIO()
        reporter.render(report, buf)
        assert _leaks(buf.getvalue(), secrets) == [], type(reporter).__name__
    errors = " ".join(f.error or "" for f in report.files)
    assert _leaks(errors, secrets) == []
    assert _leaks(caplog.text, secrets) == []


def test_the_grep_would_catch_a_leak(planted: tuple[list[Path], set[str]]) -> None:
    _, secrets = planted
    some = sorted(secrets)[:3]
    assert _leaks("report: " + " | ".join(some), secrets) != []
    assert bo.FOOTER_SSN in secrets
