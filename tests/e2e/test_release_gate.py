"""A release played end to end: blocked, accepted with a reason, passes; a new record blocks
again; the acceptance expires and the scan blocks again, loudly."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spillguard.cli import app
from tests import builders

runner = CliRunner()


def _scan_json(site: Path) -> tuple[int, dict[str, object]]:
    res = runner.invoke(app, ["scan", str(site), "--format", "json", "--jobs", "1"])
    return res.exit_code, json.loads(res.stdout)


def test_accept_then_change_then_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.txt").write_text("Welcome to the statistics portal.\n")
    board = site / "board.csv"
    builders.records_csv(board, 12, seed=3)

    code, report = _scan_json(site)
    assert code == 1
    assert report["verdict"] == "block"

    until = (dt.date.today() + dt.timedelta(days=90)).isoformat()
    res = runner.invoke(
        app,
        ["accept", str(site), "--all", "--reason", "approved by the FOI panel", "--by",
         "reviewer", "--expires", until],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    accepted = tmp_path / ".spillguard-accepted.toml"
    text = accepted.read_text()
    assert "approved by the FOI panel" in text
    assert "fingerprint" in text
    for row in board.read_text().splitlines()[1:]:  # never a value in the committed file
        for cell in row.split(","):
            if len(cell) > 4:
                assert cell not in text

    code, report = _scan_json(site)
    assert code == 0, report
    (f,) = [f for f in report["files"] if f["path"].endswith("board.csv")]  # type: ignore[index, union-attr]
    assert all(x["accepted"] for x in f["findings"])

    # one more record: the findings change, the old acceptance does not cover them
    builders.records_csv(board, 13, seed=3)
    code, report = _scan_json(site)
    assert code == 1
    assert report["verdict"] == "block"

    # back to the accepted content, but the acceptance has expired
    builders.records_csv(board, 12, seed=3)
    assert _scan_json(site)[0] == 0
    accepted.write_text(re.sub(r"expires = \S+", "expires = 2020-01-01", accepted.read_text()))
    res = runner.invoke(app, ["scan", str(site), "--jobs", "1"])
    assert res.exit_code == 1
    assert "EXPIRED ACCEPTANCE" in res.stdout
    assert "EXPIRED ACCEPTANCE" in res.stderr


def test_accept_needs_a_future_expiry_and_a_finding(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("nothing here\n")
    res = runner.invoke(
        app, ["accept", str(f), "--all", "--reason", "ok", "--expires", "2020-01-01"]
    )
    assert res.exit_code == 2
    res = runner.invoke(
        app, ["accept", str(f), "--fingerprint", "00" * 16, "--reason", "fine", "--by", "me",
              "--expires", "2999-01-01"],
    )  # fmt: skip
    assert res.exit_code == 2
    assert "no finding has the fingerprint" in res.output
