"""Never the second leak, for web and structured-text files: plant values in every builder, scan,
render the text and JSON reports, and grep both for every planted value."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

from spillguard.model import FileResult, Report
from spillguard.reports.jsonfmt import JsonReporter
from spillguard.reports.text import TextReporter
from tests import builders_web as bw
from tests.builders import person_records
from tests.e2e.test_no_second_leak import _leaks
from tests.e2e.test_web_scan import scan


def _secrets(records: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for r in records:
        out.add(r["name"])
        for key in ("first_name", "last_name"):
            if len(r[key]) >= 6:
                out.add(r[key])
        out.add(r["a_digits"])
        out.add(r["birthdate"].isoformat())
        out.add(r["birthdate"].strftime("%m/%d/%Y"))
        out.add(re.sub(r"\D", "", r["phone"])[-10:])
    return out


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[FileResult], set[str]]:
    root = tmp_path_factory.mktemp("planted-web")
    secrets: set[str] = set()
    results = []
    for name, build in bw.LEAKING.items():
        truth = build(root / name)
        for n, seed in truth.drawn:
            secrets |= _secrets(person_records(n, seed=seed))
        results.append(scan(root / name))
    # broken files that still hold values: their errors must not quote them
    roster = (root / "roster.json").read_bytes()
    (root / "truncated.json").write_bytes(roster[: len(roster) // 2])
    cases = (root / "cases.xml").read_bytes()
    (root / "truncated.xml").write_bytes(cases[: len(cases) // 2])
    staff = (root / "staff.yaml").read_text(encoding="utf-8")
    (root / "broken.yaml").write_text(staff.replace("home_phone:", "home_phone: [", 1))
    for name in ("truncated.json", "truncated.xml", "broken.yaml"):
        fr = scan(root / name)
        assert fr.error is not None, name
        results.append(fr)
    return results, secrets


@pytest.mark.parametrize("reporter", [TextReporter(), JsonReporter()], ids=["text", "json"])
def test_no_planted_value_in_reports(
    scanned: tuple[list[FileResult], set[str]], reporter: Any
) -> None:
    results, secrets = scanned
    assert len(secrets) > 1000
    buf = io.StringIO()
    reporter.render(Report(version="x", files=results), buf)
    out = buf.getvalue()
    assert "block" in out.lower()
    assert _leaks(out, secrets) == []


def test_the_grep_would_catch_a_leak(scanned: tuple[list[FileResult], set[str]]) -> None:
    _, secrets = scanned
    assert _leaks("report: " + " | ".join(sorted(secrets)[:3]), secrets) != []
