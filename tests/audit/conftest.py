"""Shared helpers for the audit tests: the CLI in a subprocess, the database, planted values."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from tests import builders
from tests.builders_pdf import secrets_of

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cli_env(tmp: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "SPILLGUARD_SECRET": "audit-test-secret",
        "PYTHONPATH": str(ROOT),
    }


#: the CLI as its entry point runs it
SPILLGUARD = (sys.executable, "-c", "from spillguard.cli import main; main()")


def run_cli(tmp: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`spillguard ARGS` in a subprocess."""
    return subprocess.run(
        [*SPILLGUARD, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env=cli_env(tmp),
        timeout=timeout,
    )


def popen_cli(tmp: Path, *args: str, new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*SPILLGUARD, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=cli_env(tmp),
        start_new_session=new_session,
    )


@dataclass(frozen=True)
class Row:
    url: str
    status: int | None
    note: str | None
    verdict: str | None
    individuals: int
    not_modified: bool
    absent: bool


def fetches(db: Path, audit_id: int | None = None) -> list[Row]:
    """Every fetch recorded in `db` (of one audit, or of the latest one)."""
    con = sqlite3.connect(db)
    try:
        if audit_id is None:
            audit_id = con.execute("select max(id) from audits").fetchone()[0]
        rows = con.execute(
            "select r.url, f.status, f.note, f.verdict, f.individuals, f.not_modified, f.absent "
            "from fetches f join resources r on r.id = f.resource_id where f.audit_id = ? "
            "order by r.url",
            (audit_id,),
        ).fetchall()
    finally:
        con.close()
    return [Row(r[0], r[1], r[2], r[3], r[4], bool(r[5]), bool(r[6])) for r in rows]


def by_path(rows: list[Row]) -> dict[str, Row]:
    from urllib.parse import urlsplit

    out: dict[str, Row] = {}
    for r in rows:
        parts = urlsplit(r.url)
        key = parts.path + (f"?{parts.query}" if parts.query else "")
        assert key not in out, f"{key} recorded twice"
        out[key] = r
    return out


def dump(db: Path) -> str:
    """The whole SQLite database as SQL text, for the leak grep."""
    con = sqlite3.connect(db)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def records_secrets(n: int, seed: int) -> set[str]:
    """The raw values `builders.detention_workbook(n=n, seed=seed)` planted."""
    return secrets_of(builders.person_records(n, seed=seed))


def assert_no_leak(secrets: set[str], **outputs: Any) -> None:
    """No planted value in any of the outputs (case-insensitive)."""
    assert secrets
    for name, text in outputs.items():
        low = str(text).lower()
        found = sorted(s for s in secrets if s and s.lower() in low)
        assert not found, f"{name} leaks {len(found)} planted values"


PG_URL = os.environ.get(
    "SPILLGUARD_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty audit database: a SQLite file, or a fresh PostgreSQL schema (skipped,
    with the reason, when no server answers at 127.0.0.1:5432)."""
    if request.param == "sqlite":
        yield str(tmp_path / "audits.db")
        return
    try:
        engine = sa.create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
    except ImportError as exc:
        pytest.skip(f"PostgreSQL driver not installed ({exc})")
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL not reachable at {PG_URL}: {type(exc.orig).__name__}")
    schema = f"sg_audit_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()
