"""`spillguard exposures`: the exposure windows from the audit database, as text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from spillguard.cli_audit import register, resolve_db
from spillguard.store import AuditInfo, open_store
from tests.store.test_store import SITE, audit_with, result, status

runner = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer(add_completion=False)

    @app.callback()
    def _main() -> None:
        """spillguard (test app)."""

    register(app)
    return app


APP = _app()


def _history(db: str) -> tuple[AuditInfo, AuditInfo]:
    """Two audits: a leak that was taken down, and one still online."""
    with open_store(db) as store:
        a1 = audit_with(
            store,
            removed=result("removed", "block", 6252),
            online=result("online", "warn", 3, ("PERSON",)),
        )
        a2 = store.start_audit(SITE, settings={})
        status(store, a2, "/removed.xlsx", 404, None)
        store.record_fetch(
            a2.id,
            url=SITE + "/online.xlsx",
            status=200,
            content_type="text/html",
            size=10,
            sha256=None,
            etag=None,
            last_modified=None,
            result=result("online", "warn", 3, ("PERSON",)),
        )
        store.finish_audit(a2.id, complete=True)
    return a1, a2


def test_exposures_json(db_url: str) -> None:
    a1, a2 = _history(db_url)
    res = runner.invoke(APP, ["exposures", "--db", db_url, "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["tool"]["name"] == "spillguard"
    rows = {e["url"].removeprefix(SITE): e for e in out["exposures"]}
    assert set(rows) == {"/removed.xlsx", "/online.xlsx"}
    gone = rows["/removed.xlsx"]
    assert gone["verdict"] == "block"
    assert gone["individuals"] == 6252
    assert gone["entities"] == ["A_NUMBER", "PERSON"]
    assert gone["first_seen"] == a1.started_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    assert gone["last_seen"] == gone["first_seen"]
    assert gone["gone_since"] == a2.started_at.isoformat(timespec="seconds").replace("+00:00", "Z")
    assert rows["/online.xlsx"]["gone_since"] is None
    assert out["summary"] == {"exposures": 2, "current": 1, "gone": 1, "individuals_current": 3}
    cur = runner.invoke(APP, ["exposures", "--db", db_url, "--format", "json", "--current"])
    assert [e["url"] for e in json.loads(cur.stdout)["exposures"]] == [SITE + "/online.xlsx"]


def test_exposures_text(db_url: str) -> None:
    a1, a2 = _history(db_url)
    res = runner.invoke(APP, ["exposures", "--db", db_url, "--site", SITE + "/"])
    assert res.exit_code == 0, res.output
    out = res.stdout
    assert out.startswith("2 exposures: 1 online, 1 gone\n")
    assert f"gone    {SITE}/removed.xlsx" in out
    assert "6,252 people: A-numbers" in out
    assert f"gone since {a2.started_at:%Y-%m-%d %H:%M} UTC" in out
    assert f"first seen {a1.started_at:%Y-%m-%d %H:%M} UTC" in out
    assert f"warns   {SITE}/online.xlsx" in out
    assert "still online" in out
    other = runner.invoke(APP, ["exposures", "--db", db_url, "--site", "https://other.example"])
    assert other.exit_code == 0
    assert other.stdout == "No exposures recorded.\n"


def test_db_as_a_path_and_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "audits.db"
    _history(str(path))
    res = runner.invoke(APP, ["exposures", "--db", str(path), "-f", "json"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["exposures"]) == 2
    monkeypatch.setenv("SPILLGUARD_DATABASE_URL", f"sqlite:///{path}")
    res = runner.invoke(APP, ["exposures", "-f", "json"])
    assert len(json.loads(res.stdout)["exposures"]) == 2
    monkeypatch.delenv("SPILLGUARD_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert resolve_db(None) == f"sqlite:///{tmp_path / 'data' / 'spillguard' / 'audits.db'}"
    assert (tmp_path / "data" / "spillguard").is_dir()
    assert resolve_db(str(path)) == f"sqlite:///{path}"
    res = runner.invoke(APP, ["exposures"])
    assert res.exit_code == 0
    assert res.stdout == "No exposures recorded.\n"


def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path) -> None:
    res = runner.invoke(APP, ["exposures", "--db", str(tmp_path / "a.db"), "--format", "html"])
    assert res.exit_code == 2
    assert "--format must be text or json" in res.stderr
    res = runner.invoke(APP, ["exposures", "--db", str(tmp_path / "no" / "such" / "a.db")])
    assert res.exit_code == 2
    assert "does not exist" in res.stderr
    res = runner.invoke(
        APP, ["exposures", "--db", str(tmp_path / "a.db"), "--site", "ftp://example.org"]
    )
    assert res.exit_code == 2
    assert "not a site URL" in res.stderr
    bad = "postgresql+psycopg://spill:s3cret-pw@127.0.0.1:1/none"
    res = runner.invoke(APP, ["exposures", "--db", bad])
    assert res.exit_code == 2
    assert "cannot open the audit database" in res.stderr
    assert "s3cret-pw" not in res.stderr
    assert "Traceback" not in res.output
