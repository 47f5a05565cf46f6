"""Reports rendered from real scans of built workbooks, shared by the format tests.

The scan runs once per test session: every format test reads the same `Report`, which also keeps
the suite fast. The installation secret is fixed here (the autouse fixture of tests/conftest.py is
per test and cannot serve a session fixture), so nothing is written to the user's config.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from spillguard import Report, scan
from spillguard.model import FileResult, Finding, Location, NotInspected, Severity, Surface, Verdict
from tests import builders

#: a file name and a location written to break out of Markdown, a table cell and HTML
HOSTILE_NAME = "evil|<img src=x onerror=alert(1)>*[click](http://e.example)@team #12 & `x`.csv"
HOSTILE_WHERE = "Sheet<b>1</b>!A1|B2 _em_ <script>alert(2)</script>"


@dataclass(frozen=True)
class Scanned:
    root: Path
    report: Report


@pytest.fixture(scope="session")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Scanned:
    root = tmp_path_factory.mktemp("reports-site")
    site = root / "site"
    site.mkdir()
    builders.detention_workbook(site / "detention-stats.xlsx", n=200)
    builders.comments_workbook(site / "comments.xlsx")
    builders.custom_property_workbook(site / "custom.xlsx")
    builders.clean_aggregate_workbook(site / "aggregate.xlsx")
    builders.macro_embedded_workbook(site / "macros.xlsm")
    data = (site / "detention-stats.xlsx").read_bytes()
    (site / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    (site / "notes.txt").write_text(
        "Release notes\nFollow-up A012345678 by phone\nend\n", encoding="utf-8"
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPILLGUARD_SECRET", "reports-test-secret")
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        report = scan([site])
    return Scanned(root=root, report=report)


def hostile_report() -> Report:
    """A report built by hand whose file name and locations are hostile markup."""
    finding = Finding(
        entity="A_NUMBER",
        severity=Severity.CRITICAL,
        surface=Surface.HIDDEN_SHEET,
        location=HOSTILE_WHERE,
        count=3,
        sample="A0******|78",
        confidence=0.99,
        detector="a-number",
        explanation="<i>pattern</i> & check digit",
        fingerprint="f" * 32,
        member="inner/<x>.xlsx",
        people=3,
    )
    noted = NotInspected(
        Location(HOSTILE_NAME, Surface.ATTACHMENT, where="xl/<vbaProject>.bin"), "macros | code"
    )
    return Report(
        version="0.1.0",
        files=[
            FileResult(
                path=HOSTILE_NAME,
                sha256="0" * 64,
                verdict=Verdict.BLOCK,
                file_type="csv",
                size=10,
                individuals=3,
                findings=[finding],
                not_inspected=[noted],
                reasons=["personal records of 3 people in <hidden> sheet"],
            ),
            FileResult(
                path="broken <b>.xlsx",
                sha256="",
                verdict=Verdict.ERROR,
                error="the workbook is damaged | <truncated>",
            ),
        ],
    )
