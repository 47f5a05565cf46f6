"""Change-aware scans: --changed-since, `spillguard diff`, and the pre-commit hook."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from spillguard.cli import app
from tests import builders

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=False,
        env={**os.environ, **GIT_ENV},
    )  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "repo"
    r.mkdir()
    assert _git(r, "init", "-q", "-b", "main").returncode == 0
    (r / "index.html").write_text("<html><body><p>Statistics portal</p></body></html>")
    builders.clean_aggregate_workbook(r / "stats.xlsx")
    assert _git(r, "add", "-A").returncode == 0
    assert _git(r, "commit", "-q", "-m", "site").returncode == 0
    return r


def test_changed_since_scans_only_what_changed(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    builders.detention_workbook(repo / "detention-stats.xlsx", n=50)
    res = runner.invoke(
        app, ["scan", ".", "--changed-since", "HEAD", "--format", "json", "-j", "1"]
    )
    assert res.exit_code == 1, res.output
    paths = [Path(f["path"]).name for f in json.loads(res.stdout)["files"]]
    assert paths == ["detention-stats.xlsx"]
    res = runner.invoke(app, ["scan", ".", "--changed-since", "no-such-ref"])
    assert res.exit_code == 2


def test_diff_reports_exactly_what_the_update_adds(tmp_path: Path) -> None:
    live, build = tmp_path / "live", tmp_path / "build"
    live.mkdir()
    builders.comments_workbook(live / "summary.xlsx")  # already live: not news
    builders.clean_aggregate_workbook(live / "stats.xlsx")
    shutil.copytree(live, build)
    builders.detention_workbook(build / "detention-stats.xlsx", n=300)
    res = runner.invoke(app, ["diff", str(live), str(build), "-j", "1"])
    assert res.exit_code == 1, res.output
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    assert "300 new personal records in detention-stats.xlsx" in lines[0]
    assert "hidden sheet 'Detainees'" in lines[0]
    data = json.loads(
        runner.invoke(app, ["diff", str(live), str(build), "--format", "json", "-j", "1"]).stdout
    )
    assert [a["path"] for a in data["added"]] == ["detention-stats.xlsx"]
    assert data["added"][0]["people"] == 300
    same = runner.invoke(app, ["diff", str(live), str(live), "-j", "1"])
    assert same.exit_code == 0
    assert "adds no personal data" in same.stdout


def test_diff_counts_only_the_new_records_of_a_grown_file(tmp_path: Path) -> None:
    live, build = tmp_path / "live", tmp_path / "build"
    live.mkdir()
    build.mkdir()
    builders.records_csv(live / "export.csv", 100)
    builders.records_csv(build / "export.csv", 130)
    res = runner.invoke(app, ["diff", str(live), str(build), "-j", "1"])
    assert res.exit_code == 1
    assert "30 new personal records in export.csv" in res.stdout


def test_pre_commit_hook_blocks_the_detention_workbook(repo: Path) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    exe = Path(sys.executable).parent / "spillguard"
    config = {
        "repos": [
            {
                "repo": "local",
                "hooks": [
                    {
                        "id": hook["id"],
                        "name": hook["name"],
                        "entry": str(exe) + hook["entry"].removeprefix("spillguard"),
                        "language": "system",
                        "types": hook["types"],
                        "args": hook["args"],
                        "require_serial": hook["require_serial"],
                    }
                ],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(repo.parent / "pc-home")}
    pre_commit = [sys.executable, "-m", "pre_commit"]
    assert subprocess.run([*pre_commit, "install"], cwd=repo, env=env, check=False).returncode == 0
    _git(repo, "add", ".pre-commit-config.yaml")
    ok = subprocess.run(["git", "commit", "-q", "-m", "config"], cwd=repo, env=env, check=False,
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    builders.detention_workbook(repo / "detention-stats.xlsx", n=100)
    _git(repo, "add", "detention-stats.xlsx")
    blocked = subprocess.run(["git", "commit", "-q", "-m", "stats"], cwd=repo, env=env,
                             check=False, capture_output=True, text=True)  # fmt: skip
    assert blocked.returncode != 0
    assert "BLOCKED" in blocked.stdout + blocked.stderr
    assert "detention-stats.xlsx" in _git(repo, "diff", "--cached", "--name-only").stdout
