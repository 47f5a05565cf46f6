"""`AuditWriter` writes what `AuditStore.record_fetch` writes: the same script of audits is run
through both, on SQLite and PostgreSQL, and every table, the diffs and the exposure windows are
compared. Records not yet flushed are not in the database (a killed crawl refetches them)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from spillguard.store import AuditStore, AuditWriter, StoredResult, StoreError, open_store
from spillguard.store.db import make_engine
from spillguard.store.models import Audit, Fetch, Resource, Result, StoredFinding
from tests.store.conftest import PG_URL
from tests.store.test_store import SITE, result

AUDITS, RESOURCES, FETCHES = Audit.__table__, Resource.__table__, Fetch.__table__
RESULTS, FINDINGS = Result.__table__, StoredFinding.__table__


class Recorder:
    """Records through `record_fetch` (reference) or through writers (batched)."""

    def __init__(self, store: AuditStore, batched: bool) -> None:
        self.store = store
        self.batched = batched
        self.writers: dict[int, AuditWriter] = {}

    def writer(self, audit_id: int, *, fresh: bool = False) -> AuditWriter:
        if fresh or audit_id not in self.writers:
            self.writers[audit_id] = self.store.writer(audit_id, batch_size=3, max_age=3600)
        return self.writers[audit_id]

    def record(self, audit_id: int, url: str, **kw: Any) -> None:
        args: dict[str, Any] = {
            "url": SITE + url,
            "status": 200,
            "content_type": None,
            "size": 0,
            "sha256": None,
            "etag": None,
            "last_modified": None,
            "result": None,
        }
        args.update(kw)
        res = args["result"]
        if res is not None:
            args["sha256"] = res.sha256
            args["size"] = args["size"] or 100
        if self.batched:
            self.writer(audit_id).record(**args)
        else:
            self.store.record_fetch(audit_id, **args)

    def ok(self, audit_id: int, url: str, res: StoredResult, **kw: Any) -> None:
        self.record(audit_id, url, result=res, content_type="text/csv", **kw)

    def status(self, audit_id: int, url: str, code: int, note: str | None = None) -> None:
        self.record(audit_id, url, status=code, note=note)

    def not_modified(self, audit_id: int, url: str, etag: str | None = '"v1"') -> None:
        self.record(audit_id, url, status=304, etag=etag, not_modified=True)

    def finish(self, audit_id: int, *, complete: bool) -> None:
        if self.batched:
            self.writer(audit_id).flush()
        self.store.finish_audit(audit_id, complete=complete)


def script(r: Recorder) -> list[int]:
    """Audits with every kind of record; returns the audit ids."""
    s = r.store
    a1 = s.start_audit(SITE, settings={}).id
    r.ok(a1, "/a.xlsx", result("a", "block", 40), etag='"a1"')
    r.ok(a1, "/b.csv", result("b", "pass", 0), last_modified="Tue, 05 May 2026 10:00:00 GMT")
    r.status(a1, "/c", 500, "HTTP 500")
    r.ok(a1, "/d.xlsx", result("d", "error", 0), etag='"d1"')
    r.not_modified(a1, "/e.pdf")  # no earlier result: an error
    r.ok(a1, "/f.csv", result("f", "pass", 0))
    r.ok(a1, "/g", result("g", "warn", 2, ("EMAIL",)))
    r.status(a1, "/g", 404, "HTTP 404")  # the second record of a URL replaces the first
    r.ok(a1, "/same-1.xlsx", result("a", "block", 40))  # the same content twice
    r.finish(a1, complete=True)

    a2 = s.start_audit(SITE, settings={}).id
    r.not_modified(a2, "/a.xlsx")  # carries the block forward
    r.not_modified(a2, "/d.xlsx", etag=None)  # carries the error forward
    r.ok(a2, "/b.csv", result("b", "warn", 3, ("PERSON",)))  # a rescan replaces the result
    r.status(a2, "/f.csv", 404)
    r.ok(a2, "/c", result("c", "pass", 0))
    r.ok(a2, "/h.json", result("h", "block", 7, ("PERSON", "SSN")))
    r.ok(a2, "/h.json", result("h", "block", 7, ("PERSON", "SSN")))
    r.not_modified(a2, "/e.pdf")
    r.finish(a2, complete=True)  # /g, /same-1 not met: gone

    a3 = s.start_audit(SITE, settings={}).id
    r.ok(a3, "/a.xlsx", result("a", "block", 40))
    r.not_modified(a3, "/b.csv")
    r.status(a3, "/h.json", 410)
    r.ok(a3, "/i.csv", result("i", "pass", 0))
    if r.batched:
        r.writer(a3).flush()
        r.writer(a3, fresh=True)  # the crawl process was replaced: a resumed audit
    r.ok(a3, "/a.xlsx", result("a2", "warn", 1, ("PERSON",)))  # replaces a flushed record
    r.ok(a3, "/f.csv", result("f", "pass", 0))  # it came back
    r.ok(a3, "/same-1.xlsx", result("a", "block", 40))
    r.status(a3, "/i.csv", 0, "no response within 30 s (retried 2 times)")
    r.finish(a3, complete=False)

    # an older audit recorded and finished after a newer one started (window from history)
    a4 = s.start_audit(SITE, settings={}).id
    a5 = s.start_audit(SITE, settings={}).id
    r.ok(a5, "/a.xlsx", result("a", "block", 40))
    r.ok(a5, "/f.csv", result("f", "pass", 0))
    if r.batched:
        r.writer(a5).flush()
    r.ok(a4, "/a.xlsx", result("a", "warn", 2, ("PERSON",)))
    r.ok(a4, "/j.csv", result("j", "pass", 0))
    r.finish(a4, complete=True)  # /f.csv, recorded by the later audit, is not gone
    r.ok(a5, "/k.csv", result("k", "pass", 0))
    r.finish(a5, complete=True)
    return [a1, a2, a3, a4, a5]


def snapshot(url: str, audits: list[int]) -> dict[str, Any]:
    """Every table, with ids, audit ids and start times replaced by the audit's place."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            started = {
                row.started_at: audits.index(row.id) for row in conn.execute(sa.select(AUDITS))
            }

            def when(v: dt.datetime | None) -> int | None:
                return None if v is None else started[v]

            resources = {
                row.url: (
                    when(row.first_seen),
                    when(row.last_seen),
                    when(row.gone_since),
                    row.sha256,
                    row.etag,
                    row.last_modified,
                )
                for row in conn.execute(sa.select(RESOURCES))
            }
            urls = {row.id: row.url for row in conn.execute(sa.select(RESOURCES))}
            fetches = sorted(
                (
                    audits.index(row.audit_id),
                    urls[row.resource_id],
                    row.status,
                    row.content_type,
                    row.size,
                    row.sha256,
                    row.etag,
                    row.last_modified,
                    bool(row.not_modified),
                    bool(row.absent),
                    row.note,
                    row.verdict,
                    row.individuals,
                    str(row.entities),
                )
                for row in conn.execute(sa.select(FETCHES))
            )
            results = sorted(
                tuple(v for k, v in row._mapping.items() if k != "created_at")
                for row in conn.execute(sa.select(RESULTS))
            )
            findings = sorted(
                tuple(str(v) for k, v in row._mapping.items() if k != "id")
                for row in conn.execute(sa.select(FINDINGS))
            )
    finally:
        engine.dispose()
    return {"resources": resources, "fetches": fetches, "results": results, "findings": findings}


def views(store: AuditStore, audits: list[int]) -> list[Any]:
    """The diffs and exposures, with times replaced by the audit's place."""
    place = {a.started_at: i for i, a in enumerate(store.audits())}
    out: list[Any] = []
    for a in audits:
        d = store.diff(a)
        out.append((d.new, d.changed, d.removed, d.errors, d.resources, d.new_blocking))
    for e in store.exposures(SITE):
        gone = None if e.gone_since is None else place[e.gone_since]
        out.append((e.url, e.verdict, e.individuals, e.entities, place[e.first_seen], gone))
        out.append(place[e.last_seen])
    return out


@pytest.fixture
def second_url(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A second empty database of the same backend (another schema on PostgreSQL)."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'batched.db'}"
        return
    engine = request.getfixturevalue("pg_engine")
    schema = f"sg_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options={quote(f'-csearch_path={schema}')}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


def test_the_writer_writes_what_record_fetch_writes(db_url: str, second_url: str) -> None:
    with open_store(db_url) as store:
        ref_audits = script(Recorder(store, batched=False))
        ref_views = views(store, ref_audits)
    with open_store(second_url) as store:
        audits = script(Recorder(store, batched=True))
        got_views = views(store, audits)
    ref, got = snapshot(db_url, ref_audits), snapshot(second_url, audits)
    assert got["resources"] == ref["resources"]
    assert got["fetches"] == ref["fetches"]
    assert got["results"] == ref["results"]
    assert got["findings"] == ref["findings"]
    assert got_views == ref_views
    assert len(ref["fetches"]) > 25  # the script did what it says
    assert ref_views[2][2]


@pytest.fixture
def store(db_url: str) -> Iterator[AuditStore]:
    with open_store(db_url) as st:
        yield st


def test_the_writer_answers_from_memory_what_the_store_answers(store: AuditStore) -> None:
    a1 = store.start_audit(SITE, settings={}).id
    w = store.writer(a1, batch_size=100, max_age=3600)
    leak = result("leak", "block", 40)
    w.record(
        url=SITE + "/x.xlsx",
        status=200,
        content_type=None,
        size=10,
        sha256=leak.sha256,
        etag='"x1"',
        last_modified=None,
        result=leak,
    )
    v = w.validators(SITE + "/x.xlsx")
    assert v is not None
    assert (v.etag, v.sha256) == ('"x1"', leak.sha256)
    assert w.stored_result(leak.sha256) == leak
    assert store.validators(SITE, SITE + "/x.xlsx") is None  # not flushed yet
    w.flush()
    store.finish_audit(a1, complete=True)
    a2 = store.start_audit(SITE, settings={}).id
    w2 = store.writer(a2)
    assert w2.validators(SITE + "/x.xlsx") == store.validators(SITE, SITE + "/x.xlsx")
    assert w2.stored_result(leak.sha256) == store.stored_result(leak.sha256) == leak
    assert w2.stored_result(result("never").sha256) is None
    assert w2.validators(SITE + "/never") is None


def test_unflushed_records_are_not_in_the_audit_and_a_resume_is_exact(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={}).id
    killed = store.writer(a, batch_size=2, max_age=3600)
    for name in ("p1", "p2", "p3"):
        res = result(name, "pass", 0)
        killed.record(
            url=f"{SITE}/{name}",
            status=200,
            content_type="text/html",
            size=5,
            sha256=res.sha256,
            etag=None,
            last_modified=None,
            result=res,
        )
    assert killed.pending == 1
    assert store.seen_urls(a) == {f"{SITE}/p1", f"{SITE}/p2"}  # p3 was lost with the process
    resumed = store.writer(a)
    for name in ("p3", "p4"):
        res = result(name, "pass", 0)
        resumed.record(
            url=f"{SITE}/{name}",
            status=200,
            content_type="text/html",
            size=5,
            sha256=res.sha256,
            etag=None,
            last_modified=None,
            result=res,
        )
    resumed.flush()
    store.finish_audit(a, complete=True)
    assert store.seen_urls(a) == {f"{SITE}/p{i}" for i in range(1, 5)}
    assert store.diff(a).resources == 4


def test_a_failed_flush_says_what_was_lost_and_records_no_more(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={}).id
    w = store.writer(a, batch_size=100, max_age=3600)
    w.record(
        url=SITE + "/p",
        status=500,
        content_type=None,
        size=0,
        sha256=None,
        etag=None,
        last_modified=None,
        result=None,
        note="HTTP 500",
    )
    store.finish_audit(a, complete=True)  # closed behind the writer's back
    with pytest.raises(StoreError, match=r"1 records of audit #\d+ were not written"):
        w.flush()
    with pytest.raises(StoreError, match="already finished"):
        w.record(
            url=SITE + "/q",
            status=404,
            content_type=None,
            size=0,
            sha256=None,
            etag=None,
            last_modified=None,
            result=None,
        )
