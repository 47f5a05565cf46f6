"""The audit store on SQLite and PostgreSQL: audits, resume, idempotent records, conditional
requests, reuse by content hash, gone resources, the diff and the exposure windows."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from typing import Any

import pytest

from spillguard.store import AuditInfo, AuditStore, StoredResult, StoreError, open_store

SITE = "http://127.0.0.1:8123"


@pytest.fixture
def store(db_url: str) -> Iterator[AuditStore]:
    with open_store(db_url) as st:
        yield st


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def finding(entity: str, *, people: int = 0, accepted: str | None = None) -> dict[str, Any]:
    return {
        "entity": entity,
        "severity": "critical",
        "visibility": "hidden",
        "surface": "hidden_sheet",
        "location": "Detainees!A2:A41",
        "member": None,
        "count": 40,
        "people": people,
        "sample": "J*** P***",
        "confidence": 0.95,
        "detector": "person-column",
        "explanation": "a column headed 'Name' of person names",
        "fingerprint": "fp-" + entity.lower(),
        "accepted": accepted,
    }


def result(
    content: str, verdict: str = "block", individuals: int = 40, entities: tuple[str, ...] = ()
) -> StoredResult:
    ents = entities or (("PERSON", "A_NUMBER") if verdict in ("block", "warn") else ())
    return StoredResult(
        sha256=sha(content),
        verdict=verdict,
        individuals=individuals,
        file_type="xlsx",
        error="could not be read fully: truncated" if verdict == "error" else None,
        findings=[finding(e, people=individuals) for e in ents],
        not_inspected=[
            {"surface": "attachment", "location": "", "member": "x.bin", "reason": "encrypted"}
        ],
        reasons=["a hidden sheet holds personal records"] if verdict == "block" else [],
    )


def ok(store: AuditStore, audit: AuditInfo, url: str, res: StoredResult, **kw: Any) -> None:
    store.record_fetch(
        audit.id,
        url=SITE + url,
        status=200,
        content_type="application/vnd.ms-excel",
        size=1234,
        sha256=res.sha256,
        etag=kw.pop("etag", None),
        last_modified=kw.pop("last_modified", None),
        result=res,
        **kw,
    )


def status(store: AuditStore, audit: AuditInfo, url: str, code: int, note: str | None) -> None:
    store.record_fetch(
        audit.id,
        url=SITE + url,
        status=code,
        content_type=None,
        size=0,
        sha256=None,
        etag=None,
        last_modified=None,
        result=None,
        note=note,
    )


def not_modified(store: AuditStore, audit: AuditInfo, url: str) -> None:
    store.record_fetch(
        audit.id,
        url=SITE + url,
        status=304,
        content_type=None,
        size=0,
        sha256=None,
        etag='"v1"',
        last_modified=None,
        result=None,
    )


def audit_with(store: AuditStore, *, complete: bool = True, **pages: StoredResult) -> AuditInfo:
    a = store.start_audit(SITE, settings={"max_pages": 100})
    for name, res in pages.items():
        ok(store, a, f"/{name}.xlsx", res)
    store.finish_audit(a.id, complete=complete)
    return a


def by_url(store: AuditStore) -> dict[str, Any]:
    return {e.url.removeprefix(SITE): e for e in store.exposures(SITE)}


# --- audits and resume ---------------------------------------------------------------------------


def test_start_resume_and_finish(store: AuditStore) -> None:
    a = store.start_audit("HTTP://127.0.0.1:8123/some/page", settings={"max_pages": 5})
    assert a.site == SITE
    assert a.started_at.tzinfo is not None
    assert a.started_at.utcoffset() == dt.timedelta(0)
    assert not a.finished
    assert not a.complete
    assert store.unfinished_audit(SITE) == a
    assert store.unfinished_audit("http://other.example") is None
    store.finish_audit(a.id, complete=True)
    assert store.unfinished_audit(SITE) is None
    (done,) = store.audits(SITE)
    assert done.id == a.id
    assert done.complete
    assert done.finished_at is not None
    assert done.finished_at >= a.started_at
    with pytest.raises(StoreError, match="already finished"):
        status(store, a, "/late", 200, None)
    with pytest.raises(StoreError, match="already finished"):
        store.finish_audit(a.id, complete=True)


def test_site_must_be_an_http_origin(store: AuditStore) -> None:
    with pytest.raises(StoreError, match="not a site URL"):
        store.start_audit("ftp://example.org", settings={})
    assert store.start_audit("https://Example.org:443/", settings={}).site == "https://example.org"


def test_seen_urls_and_record_fetch_is_idempotent(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={})
    status(store, a, "/report.xlsx", 500, "HTTP 500")
    status(store, a, "/missing", 404, None)
    assert store.seen_urls(a.id) == {SITE + "/report.xlsx", SITE + "/missing"}
    # the resumed crawl fetches the same URL again: the second record replaces the first
    ok(store, a, "/report.xlsx", result("r1"))
    ok(store, a, "/report.xlsx", result("r1"))
    assert store.seen_urls(a.id) == {SITE + "/report.xlsx", SITE + "/missing"}
    store.finish_audit(a.id, complete=True)
    d = store.diff(a.id)
    assert d.resources == 2
    assert [c.url for c in d.new] == [SITE + "/report.xlsx"]
    assert d.errors == []  # the 500 was replaced by the successful fetch
    assert len(store.exposures(SITE)) == 1


def test_a_resumed_audit_keeps_what_the_killed_run_recorded(db_url: str) -> None:
    with open_store(db_url) as first:
        a = first.start_audit(SITE, settings={"max_pages": 10})
        ok(first, a, "/a.xlsx", result("a"))
    # the process was killed; a new one opens the database and resumes
    with open_store(db_url) as second:
        resumed = second.unfinished_audit(SITE)
        assert resumed == a
        assert second.seen_urls(a.id) == {SITE + "/a.xlsx"}
        ok(second, a, "/b.xlsx", result("b", "warn", 3))
        second.finish_audit(a.id, complete=True)
        assert {c.url for c in second.diff(a.id).new} == {SITE + "/a.xlsx", SITE + "/b.xlsx"}


# --- results: reuse by hash, conditional requests ------------------------------------------------


def test_stored_result_round_trips_and_is_shared_by_hash(store: AuditStore) -> None:
    res = result("same bytes", "block", 40, ("PERSON", "A_NUMBER", "DATE_OF_BIRTH"))
    assert store.stored_result(res.sha256) is None
    a = store.start_audit(SITE, settings={})
    ok(store, a, "/one.xlsx", res)
    ok(store, a, "/copy-of-one.xlsx", res)
    back = store.stored_result(res.sha256)
    assert back == res
    assert back is not None
    assert back.entities == ["A_NUMBER", "DATE_OF_BIRTH", "PERSON"]
    # a rescan that finds something else replaces the stored result of that content
    rescanned = result("same bytes", "warn", 2, ("PERSON",))
    ok(store, a, "/one.xlsx", rescanned)
    assert store.stored_result(res.sha256) == rescanned
    # another site reuses it too
    b = store.start_audit("https://mirror.example", settings={})
    assert store.stored_result(res.sha256) == rescanned
    assert b.site == "https://mirror.example"


def test_validators_for_conditional_requests(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={})
    assert store.validators(SITE, SITE + "/a.xlsx") is None
    res = result("a")
    ok(store, a, "/a.xlsx", res, etag='"v1"', last_modified="Tue, 05 May 2026 10:00:00 GMT")
    v = store.validators(SITE, SITE + "/a.xlsx")
    assert v is not None
    assert (v.etag, v.last_modified, v.sha256) == (
        '"v1"',
        "Tue, 05 May 2026 10:00:00 GMT",
        res.sha256,
    )
    # an error result is never reused through a 304: it must be fetched and scanned again
    ok(store, a, "/broken.xlsx", result("broken", "error", 0), etag='"b1"')
    assert store.validators(SITE, SITE + "/broken.xlsx") is None


def test_304_carries_the_previous_result_forward(store: AuditStore) -> None:
    a1 = audit_with(store, leak=result("leak", "block", 40))
    a2 = store.start_audit(SITE, settings={})
    not_modified(store, a2, "/leak.xlsx")
    store.finish_audit(a2.id, complete=True)
    d = store.diff(a2.id)
    assert (d.new, d.changed, d.removed, d.errors) == ([], [], [], [])
    assert d.resources == 1
    e = by_url(store)["/leak.xlsx"]
    assert (e.verdict, e.individuals, e.entities) == ("block", 40, ["A_NUMBER", "PERSON"])
    assert (e.first_seen, e.last_seen, e.gone_since) == (a1.started_at, a2.started_at, None)
    assert store.validators(SITE, SITE + "/leak.xlsx") is not None


def test_304_without_an_earlier_result_is_an_error(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={})
    not_modified(store, a, "/never-scanned.pdf")
    store.finish_audit(a.id, complete=True)
    (err,) = store.diff(a.id).errors
    assert err[0] == SITE + "/never-scanned.pdf"
    assert "no earlier result" in err[1]


def test_errors_and_skips_are_listed_with_their_reason(store: AuditStore) -> None:
    a = store.start_audit(SITE, settings={})
    status(store, a, "/big.zip", 200, "over the 50 MB size cap")
    status(store, a, "/boom", 500, "HTTP 500")
    status(store, a, "/private/x.xlsx", 0, "disallowed by robots.txt")
    status(
        store, a, "/away", 302, "redirect to another host: https://other.example/x (not followed)"
    )
    status(store, a, "/gone", 404, "HTTP 404")
    ok(store, a, "/corrupt.xlsx", result("corrupt", "error", 0))
    ok(store, a, "/clean.xlsx", result("clean", "pass", 0))
    store.finish_audit(a.id, complete=True)
    d = store.diff(a.id)
    assert d.resources == 7
    assert dict(d.errors) == {
        SITE + "/big.zip": "over the 50 MB size cap",
        SITE + "/boom": "HTTP 500",
        SITE + "/private/x.xlsx": "disallowed by robots.txt",
        SITE + "/away": "redirect to another host: https://other.example/x (not followed)",
        SITE + "/corrupt.xlsx": "could not be read fully: truncated",
    }
    assert not d.new_blocking
    assert store.exposures(SITE) == []


# --- gone ----------------------------------------------------------------------------------------


def test_gone_on_404(store: AuditStore) -> None:
    a1 = audit_with(store, leak=result("leak"))
    a2 = store.start_audit(SITE, settings={})
    status(store, a2, "/leak.xlsx", 404, None)
    store.finish_audit(a2.id, complete=False)
    d = store.diff(a2.id)
    assert [(c.url, c.individuals, c.now) for c in d.removed] == [(SITE + "/leak.xlsx", 40, "gone")]
    e = by_url(store)["/leak.xlsx"]
    assert (e.first_seen, e.last_seen, e.gone_since) == (
        a1.started_at,
        a1.started_at,
        a2.started_at,
    )
    assert store.exposures(SITE, include_gone=False) == []


def test_gone_when_a_complete_audit_does_not_meet_it(store: AuditStore) -> None:
    a1 = audit_with(store, leak=result("leak"), page=result("page", "pass", 0))
    a2 = audit_with(store, complete=True, page=result("page", "pass", 0))
    assert store.seen_urls(a2.id) == {SITE + "/page.xlsx"}
    d = store.diff(a2.id)
    assert [c.url for c in d.removed] == [SITE + "/leak.xlsx"]
    assert d.resources == 1
    e = by_url(store)["/leak.xlsx"]
    assert (e.first_seen, e.last_seen, e.gone_since) == (
        a1.started_at,
        a1.started_at,
        a2.started_at,
    )
    # a third complete audit does not move "gone since"
    audit_with(store, complete=True, page=result("page", "pass", 0))
    assert by_url(store)["/leak.xlsx"].gone_since == a2.started_at


def test_not_gone_after_an_incomplete_audit(store: AuditStore) -> None:
    a1 = audit_with(store, leak=result("leak"), page=result("page", "pass", 0))
    a2 = audit_with(store, complete=False, page=result("page", "pass", 0))
    d = store.diff(a2.id)
    assert (d.new, d.changed, d.removed) == ([], [], [])
    e = by_url(store)["/leak.xlsx"]
    assert (e.last_seen, e.gone_since) == (a1.started_at, None)
    assert [x.url for x in store.exposures(SITE, include_gone=False)] == [SITE + "/leak.xlsx"]


def test_a_resource_that_comes_back_is_no_longer_gone(store: AuditStore) -> None:
    a1 = audit_with(store, leak=result("leak"))
    audit_with(store, complete=True)
    a3 = audit_with(store, leak=result("leak"))
    d = store.diff(a3.id)
    assert [c.url for c in d.new] == [SITE + "/leak.xlsx"]
    assert d.new_blocking
    e = by_url(store)["/leak.xlsx"]
    assert (e.first_seen, e.last_seen, e.gone_since) == (a1.started_at, a3.started_at, None)


# --- diff ----------------------------------------------------------------------------------------


def test_diff_new_changed_removed(store: AuditStore) -> None:
    a1 = audit_with(
        store,
        same=result("same", "block", 40),
        grows=result("grows-v1", "warn", 3, ("PERSON",)),
        cleaned=result("cleaned-v1", "block", 12),
        calm=result("calm", "pass", 0),
    )
    first = store.diff(a1.id)
    assert first.previous is None
    assert {c.url.removeprefix(SITE) for c in first.new} == {
        "/same.xlsx",
        "/grows.xlsx",
        "/cleaned.xlsx",
    }
    assert first.new_blocking
    a2 = store.start_audit(SITE, settings={})
    ok(store, a2, "/same.xlsx", result("same", "block", 40))
    ok(store, a2, "/grows.xlsx", result("grows-v2", "block", 300, ("PERSON", "A_NUMBER")))
    ok(store, a2, "/cleaned.xlsx", result("cleaned-v2", "pass", 0))
    ok(store, a2, "/calm.xlsx", result("calm", "pass", 0))
    ok(store, a2, "/fresh.xlsx", result("fresh", "warn", 2, ("EMAIL_ADDRESS",)))
    status(store, a2, "/boom", 500, "HTTP 500")
    store.finish_audit(a2.id, complete=True)
    d = store.diff(a2.id)
    assert d.previous is not None
    assert d.previous.id == a1.id
    assert d.audit.id == a2.id
    assert d.audit.complete
    assert [(c.url, c.verdict, c.individuals, c.entities) for c in d.new] == [
        (SITE + "/fresh.xlsx", "warn", 2, ["EMAIL_ADDRESS"])
    ]
    (changed,) = d.changed
    assert (changed.url, changed.verdict, changed.individuals) == (
        SITE + "/grows.xlsx",
        "block",
        300,
    )
    assert (changed.previous_verdict, changed.previous_individuals) == ("warn", 3)
    assert [(c.url, c.verdict, c.individuals, c.now) for c in d.removed] == [
        (SITE + "/cleaned.xlsx", "block", 12, "clean")
    ]
    assert d.errors == [(SITE + "/boom", "HTTP 500")]
    assert d.resources == 6
    # a warning that now blocks is a new blocking exposure
    assert d.new_blocking


def test_unchanged_reaudit_has_an_empty_diff(store: AuditStore) -> None:
    audit_with(store, leak=result("leak"), calm=result("calm", "pass", 0))
    a2 = audit_with(store, leak=result("leak"), calm=result("calm", "pass", 0))
    d = store.diff(a2.id)
    assert (d.new, d.changed, d.removed, d.errors) == ([], [], [], [])
    assert not d.new_blocking


def test_diff_compares_with_the_last_known_state_not_a_page_limited_gap(store: AuditStore) -> None:
    audit_with(store, leak=result("leak"))
    audit_with(store, complete=False)  # stopped at a page limit before reaching the leak
    a3 = audit_with(store, leak=result("leak"))
    d = store.diff(a3.id)
    assert (d.new, d.changed, d.removed) == ([], [], [])


def test_diff_of_an_unknown_audit_is_an_error(store: AuditStore) -> None:
    with pytest.raises(StoreError, match="no audit #999"):
        store.diff(999)


# --- exposures -----------------------------------------------------------------------------------


def test_exposure_windows(store: AuditStore) -> None:
    a1 = audit_with(store, old=result("old", "block", 40), calm=result("calm", "pass", 0))
    a2 = audit_with(
        store, old=result("old", "block", 40), calm=result("calm-v2", "warn", 5, ("PERSON",))
    )
    a3 = audit_with(store, old=result("old-fixed", "pass", 0), calm=result("calm-v2", "warn", 5))
    exp = by_url(store)
    assert set(exp) == {"/old.xlsx", "/calm.xlsx"}
    old, calm = exp["/old.xlsx"], exp["/calm.xlsx"]
    assert (old.first_seen, old.last_seen, old.gone_since) == (
        a1.started_at,
        a2.started_at,
        a3.started_at,
    )
    assert (old.verdict, old.individuals) == ("block", 40)
    assert (calm.first_seen, calm.last_seen, calm.gone_since) == (
        a2.started_at,
        a3.started_at,
        None,
    )
    # current exposures first; --current leaves out the gone ones
    assert [e.url for e in store.exposures(SITE)] == [SITE + "/calm.xlsx", SITE + "/old.xlsx"]
    assert [e.url for e in store.exposures(SITE, include_gone=False)] == [SITE + "/calm.xlsx"]
    # an error after the last exposing fetch does not end the window
    a4 = store.start_audit(SITE, settings={})
    status(store, a4, "/calm.xlsx", 500, "HTTP 500")
    store.finish_audit(a4.id, complete=True)
    calm = by_url(store)["/calm.xlsx"]
    assert (calm.last_seen, calm.gone_since) == (a3.started_at, None)


def test_exposures_of_several_sites(store: AuditStore) -> None:
    audit_with(store, leak=result("leak"))
    b = store.start_audit("https://b.example", settings={})
    store.record_fetch(
        b.id,
        url="https://b.example/x.pdf",
        status=200,
        content_type="application/pdf",
        size=10,
        sha256=sha("x"),
        etag=None,
        last_modified=None,
        result=result("x", "block", 7),
    )
    assert {e.site for e in store.exposures()} == {SITE, "https://b.example"}
    assert [e.url for e in store.exposures("https://b.example/")] == ["https://b.example/x.pdf"]
    assert [a.site for a in store.audits()] == [SITE, "https://b.example"]
    assert [a.site for a in store.audits("https://b.example")] == ["https://b.example"]


def test_accepted_findings_do_not_count_as_entities(store: AuditStore) -> None:
    res = StoredResult(
        sha256=sha("acc"),
        verdict="warn",
        individuals=1,
        file_type="html",
        error=None,
        findings=[finding("PERSON"), finding("EMAIL_ADDRESS", accepted="by x until 2030-01-01")],
    )
    a = audit_with(store, acc=res)
    assert store.diff(a.id).new[0].entities == ["PERSON"]
