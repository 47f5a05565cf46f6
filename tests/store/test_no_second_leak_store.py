"""Never the second leak, in the database: scan real leaking workbooks, store the results over
two audits, then dump every table (SQLite and PostgreSQL), the SQLite file itself and every
audit report, and grep them all for the planted values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from spillguard.reports.audit import render_audit, render_exposures
from spillguard.scanner import Target, scan_file
from spillguard.store import StoredResult, open_store
from spillguard.store.db import make_engine
from tests import builders
from tests.builders_office import secrets_of
from tests.e2e.test_no_second_leak import _leaks

SITE = "http://127.0.0.1:8123"

# (builder, keyword arguments, how many person_records it draws, seed)
PLANTED: list[tuple[str, dict[str, Any], int, int]] = [
    ("detention_workbook", {"n": 80}, 80, 0),
    ("pivot_cache_only_workbook", {"n": 60}, 60, 4),
    ("comments_workbook", {}, 4, 5),
]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[StoredResult], set[str]]:
    root = tmp_path_factory.mktemp("planted-store")
    results: list[StoredResult] = []
    secrets: set[str] = {"Dana Whitfield", "Priya Raghunathan", "priya.raghunathan@example.org"}
    for name, kwargs, n, seed in PLANTED:
        path = root / f"{name}.xlsx"
        getattr(builders, name)(path, **kwargs)
        secrets |= secrets_of(builders.person_records(n, seed=seed))
        fr = scan_file(Target(path=path, display=f"{SITE}/files/{path.name}"))
        assert fr.verdict.value == "block", (name, fr.error)
        results.append(StoredResult.from_file_result(fr))
    # a broken copy: its error message must not quote what it holds either
    data = (root / "detention_workbook.xlsx").read_bytes()
    (root / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    fr = scan_file(Target(path=root / "truncated.xlsx", display=f"{SITE}/files/truncated.xlsx"))
    assert fr.verdict.value == "error"
    results.append(StoredResult.from_file_result(fr))
    return results, secrets


def _dump(url: str) -> str:
    """Every row of every table, as text."""
    engine = make_engine(url)
    try:
        out = []
        meta = sa.MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            for table in meta.sorted_tables:
                for row in conn.execute(sa.select(table)):
                    out.append(f"{table.name}: {tuple(row)!r}")
        return "\n".join(out)
    finally:
        engine.dispose()


def test_no_planted_value_in_the_database_or_reports(
    db_url: str, scanned: tuple[list[StoredResult], set[str]], tmp_path: Path
) -> None:
    results, secrets = scanned
    outputs: dict[str, str] = {}
    with open_store(db_url) as store:
        a1 = store.start_audit(SITE, settings={"max_pages": 100, "include": [], "exclude": []})
        for i, res in enumerate(results):
            store.record_fetch(
                a1.id,
                url=f"{SITE}/files/{i}.xlsx",
                status=200,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                size=1000 + i,
                sha256=res.sha256,
                etag=f'"e{i}"',
                last_modified=None,
                result=res,
            )
        store.finish_audit(a1.id, complete=True)
        outputs["audit 1 diff"] = repr(store.diff(a1.id))
        a2 = store.start_audit(SITE, settings={"max_pages": 100})
        store.record_fetch(
            a2.id,
            url=f"{SITE}/files/0.xlsx",
            status=404,
            content_type=None,
            size=0,
            sha256=None,
            etag=None,
            last_modified=None,
            result=None,
        )
        store.record_fetch(
            a2.id,
            url=f"{SITE}/files/1.xlsx",
            status=304,
            content_type=None,
            size=0,
            sha256=None,
            etag='"e1"',
            last_modified=None,
            result=None,
        )
        store.finish_audit(a2.id, complete=True)
        diff = store.diff(a2.id)
        exposures = store.exposures()
        # 0 answered 404, 2 was not met by this complete audit; 3 could not be read in audit 1
        assert [c.url for c in diff.removed] == [f"{SITE}/files/0.xlsx", f"{SITE}/files/2.xlsx"]
        for fmt in ("text", "json", "html"):
            outputs[f"audit report {fmt}"] = render_audit(diff, exposures, fmt)
        for fmt in ("text", "json"):
            outputs[f"exposures {fmt}"] = render_exposures(exposures, fmt)
        for res in results:
            outputs[f"stored result {res.sha256[:8]}"] = repr(store.stored_result(res.sha256))
    dump = _dump(db_url)
    outputs["database dump"] = dump
    if db_url.startswith("sqlite:"):
        db_file = Path(db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
        outputs["sqlite file bytes"] = raw.decode("utf-8", errors="replace")
    # the grep must be able to see what was stored: masked samples and fingerprints are there
    fingerprints = {f["fingerprint"] for r in results for f in r.findings}
    samples = {f["sample"] for r in results for f in r.findings}
    assert len(fingerprints) >= 5
    for name, text in (
        ("database dump", dump),
        ("sqlite file bytes", outputs.get("sqlite file bytes")),
    ):
        if text is not None:
            assert all(fp in text for fp in fingerprints), name
            assert all(s in text for s in samples), name
    assert len(secrets) > 300
    for name, text in outputs.items():
        leaked = _leaks(text, secrets)
        assert not leaked, f"{name} holds planted values: {sorted(leaked)[:5]}"


def test_the_leak_grep_sees_a_planted_value(scanned: tuple[list[StoredResult], set[str]]) -> None:
    _, secrets = scanned
    planted = sorted(secrets)[0]
    assert _leaks(f"fetches: (1, 'note {planted} here')", secrets) == [planted]
