"""The command line: exit codes, formats, the JSON contract, usage errors, documentation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillguard.cli import app
from tests import builders

runner = CliRunner()
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("cli")
    leak = root / "detention-stats.xlsx"
    builders.detention_workbook(leak, n=500)
    clean = root / "aggregate.xlsx"
    builders.clean_aggregate_workbook(clean)
    return {"leak": leak, "clean": clean}


def test_blocked_release_exits_1_with_a_readable_report(files: dict[str, Path]) -> None:
    res = runner.invoke(app, ["scan", str(files["leak"]), str(files["clean"])])
    assert res.exit_code == 1, res.output
    out = res.stdout
    assert "BLOCKED" in out
    assert "hidden sheet" in out
    assert "Detainees!" in out
    assert "500" in out
    assert "PASSED" in out


def test_clean_release_exits_0(files: dict[str, Path]) -> None:
    res = runner.invoke(app, ["scan", str(files["clean"])])
    assert res.exit_code == 0, res.output
    assert "No personal data found" in res.stdout


def test_json_contract(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["scan", str(files["leak"]), "--format", "json", "-o", str(out)])
    assert res.exit_code == 1
    data = json.loads(out.read_text())
    assert set(data) >= {"tool", "verdict", "files", "summary"}
    assert data["tool"]["name"] == "spillguard"
    assert data["verdict"] == "block"
    (f,) = data["files"]
    assert set(f) >= {"path", "sha256", "verdict", "error", "individuals", "findings"}
    assert f["individuals"] == 500
    keys = {"entity", "severity", "visibility", "surface", "location", "count", "sample",
            "confidence", "detector", "explanation", "fingerprint"}  # fmt: skip
    for finding in f["findings"]:
        assert set(finding) >= keys
    a = next(x for x in f["findings"] if x["entity"] == "A_NUMBER")
    assert a["visibility"] == "hidden"
    assert a["surface"] == "hidden_sheet"
    assert re.fullmatch(r"Detainees!A2:A501", a["location"])
    assert a["count"] == 500


def test_fail_on_warn(tmp_path: Path) -> None:
    p = tmp_path / "release.txt"
    p.write_text("For questions write to maria.gonzalez.lopez@example.org today.\n")
    res = runner.invoke(app, ["scan", str(p)])
    assert res.exit_code == 0, res.output
    assert "WARNING" in res.stdout
    res = runner.invoke(app, ["scan", str(p), "--fail-on", "warn"])
    assert res.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["scan", "/nonexistent/file.xlsx"],
        ["scan", "README.md", "--format", "yaml"],
        ["scan", "README.md", "--fail-on", "never"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output


def test_version() -> None:
    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0
    assert res.stdout.startswith("spillguard ")


def test_every_scan_option_is_documented_in_the_readme() -> None:
    readme = README.read_text()
    res = runner.invoke(app, ["scan", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    options = set(re.findall(r"(--[a-z][a-z-]+)", res.stdout)) - {"--help", "--no-progress"}
    assert options, res.stdout
    missing = sorted(o for o in options if o not in readme)
    assert missing == [], missing
