"""Never the second leak, in every registered format: plant values, scan, render, grep.

Every reporter registered through the plugin hook (text, json, sarif, markdown, jsonl, html and
any added later) renders a report of workbooks that hold planted people; none of their values may
appear in any output. The HTML and Markdown outputs are also checked after unescaping, so an
escaped value (``&amp;``) cannot slip past the grep.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest

from spillguard import Report, scan
from spillguard.plugins import reporters
from tests import builders
from tests.e2e.test_no_second_leak import _leaks, _secrets

FORMATS = sorted(reporters())


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, set[str]]:
    root = tmp_path_factory.mktemp("planted-formats")
    builders.detention_workbook(root / "detention.xlsx", n=200)
    builders.comments_workbook(root / "comments.xlsx")
    builders.custom_property_workbook(root / "custom.xlsx")
    secrets = _secrets(builders.person_records(200, seed=0))
    secrets |= _secrets(builders.person_records(4, seed=5))
    secrets |= _secrets(builders.person_records(1, seed=6))
    # staff named by the comments workbook (comment authors, threaded-comment persons)
    secrets |= {"Dana Whitfield", "Priya Raghunathan", "priya.raghunathan@example.org"}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SPILLGUARD_SECRET", "planted-formats-test")
        mp.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
        report = scan([root])
    return report, secrets


def test_every_new_format_is_registered() -> None:
    assert {"text", "json", "sarif", "markdown", "jsonl", "html"} <= set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_planted_value_in_any_format(planted: tuple[Report, set[str]], fmt: str) -> None:
    report, secrets = planted
    assert report.verdict.value == "block"
    assert sum(f.individuals for f in report.files) >= 200
    assert len(secrets) > 600
    buf = io.StringIO()
    reporters()[fmt].render(report, buf)
    out = buf.getvalue()
    assert len(out) > 500
    assert _leaks(out, secrets) == []
    # unescaped: what a browser or a Markdown renderer would show
    if fmt in {"html", "markdown"}:
        shown = html.unescape(out.replace("\\", ""))
        assert shown != out
        assert _leaks(shown, secrets) == []


def test_the_grep_catches_a_value_hidden_by_escaping(planted: tuple[Report, set[str]]) -> None:
    """A value the HTML or Markdown escaping split up is still caught after unescaping."""
    _, secrets = planted
    name = next(s for s in sorted(secrets) if " " in s)
    disguised = "".join(f"&#{ord(c)};" for c in name)
    assert _leaks(disguised, secrets) == []
    assert _leaks(html.unescape(disguised.replace("\\", "")), secrets) != []


def test_cli_writes_each_new_format(planted: tuple[Report, set[str]], tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spillguard.cli import app

    src = tmp_path / "custom.xlsx"
    builders.custom_property_workbook(src)
    secrets = _secrets(builders.person_records(1, seed=6))
    for fmt in ("sarif", "markdown", "jsonl", "html"):
        out = tmp_path / f"report.{fmt}"
        res = CliRunner().invoke(app, ["scan", str(src), "--format", fmt, "-o", str(out)])
        assert res.exit_code == 1, (fmt, res.output)
        text = out.read_text(encoding="utf-8")
        assert "custom.xlsx" in text
        assert _leaks(text, secrets) == []
        assert _leaks(html.unescape(text.replace("\\", "")), secrets) == []
