"""Audits over time: exposure windows, the webhook, and conditional re-audits."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from spillguard.audit.runner import AuditConfig, run_audit
from spillguard.store import open_store
from tests import builders
from tests.audit.conftest import XLSX, assert_no_leak, by_path, fetches, records_secrets, run_cli
from tests.audit.site import Site, html, serve


def _leaky_site(tmp: Path) -> Site:
    builders.detention_workbook(tmp / "a.xlsx", n=30, seed=3)
    builders.detention_workbook(tmp / "b.xlsx", n=20, seed=4)
    site = Site(host="localhost")
    site.page(
        "/",
        html(
            "FOI",
            '<a href="/foi/response-a.xlsx">A</a> <a href="/foi/response-b.xlsx">B</a> '
            '<a href="/about.html">About</a>',
        ),
    )
    site.page("/about.html", html("About", "<p>Monthly statistics.</p>"))
    site.file("/foi/response-a.xlsx", (tmp / "a.xlsx").read_bytes(), XLSX)
    site.file("/foi/response-b.xlsx", (tmp / "b.xlsx").read_bytes(), XLSX)
    return site


def _audit(tmp: Path, url: str, *extra: str) -> tuple[int, str, str]:
    done = run_cli(
        tmp, "audit", url, "--db", str(tmp / "audits.db"), "--allow-private", "--delay", "0",
        "--jobs", "1", *extra,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


def test_leak_found_then_gone_gives_the_exposure_window(tmp_path: Path) -> None:
    site = _leaky_site(tmp_path)
    secrets = records_secrets(30, 3) | records_secrets(20, 4)
    outputs: dict[str, str] = {}
    with serve(site, "127.0.0.1") as s:
        code, out, err = _audit(tmp_path, s.url, "--format", "json")
        assert code == 1, err
        first = json.loads(out)
        assert {c["url"] for c in first["new"]} == {
            f"{s.url}/foi/response-a.xlsx",
            f"{s.url}/foi/response-b.xlsx",
        }
        outputs |= {"audit1": out + err}
        # A is taken down (unlinked, no longer served); B still linked but answers 404
        site.page("/", html("FOI", '<a href="/foi/response-b.xlsx">B</a> <a href="/about.html">'))
        del site.routes["/foi/response-a.xlsx"]
        del site.routes["/foi/response-b.xlsx"]
        code, out, err = _audit(tmp_path, s.url, "--format", "json")
        assert code == 0, err
        second = json.loads(out)
        assert second["new"] == []
        assert second["audit"]["complete"] is True
        removed = {c["url"].rsplit("/", 1)[1]: c for c in second["removed"]}
        assert set(removed) == {"response-a.xlsx", "response-b.xlsx"}
        assert removed["response-a.xlsx"]["verdict"] == "block"
        outputs |= {"audit2": out + err}
        exp = run_cli(
            tmp_path, "exposures", "--site", s.url, "--db", str(tmp_path / "audits.db"),
            "--format", "json",
        )  # fmt: skip
    assert exp.returncode == 0, exp.stderr
    items = {e["url"].rsplit("/", 1)[1]: e for e in json.loads(exp.stdout)["exposures"]}
    assert set(items) == {"response-a.xlsx", "response-b.xlsx"}
    for name, people in (("response-a.xlsx", 30), ("response-b.xlsx", 20)):
        e = items[name]
        assert e["individuals"] == people
        assert e["first_seen"] == first["audit"]["started_at"]
        assert e["last_seen"] == first["audit"]["started_at"]
        assert e["gone_since"] == second["audit"]["started_at"]
    assert_no_leak(secrets, **outputs, exposures=exp.stdout)


@contextmanager
def receiver(status: int = 200) -> Iterator[tuple[str, list[bytes]]]:
    """A webhook receiver on 127.0.0.1: the bodies POSTed to it."""
    bodies: list[bytes] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            bodies.append(self.rfile.read(length))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", bodies
    finally:
        server.shutdown()
        server.server_close()


def test_webhook_says_what_is_new_without_values(tmp_path: Path) -> None:
    site = _leaky_site(tmp_path)
    secrets = records_secrets(30, 3) | records_secrets(20, 4)
    with serve(site, "127.0.0.1") as s, receiver() as (hook, bodies):
        code, _, err = _audit(tmp_path, s.url, "--notify", hook)
        assert code == 1, err
        assert "webhook sent" in err
        assert len(bodies) == 1
        body = json.loads(bodies[0])
        assert body["site"] == s.url
        assert body["audit"]["id"] == 1
        assert body["audit"]["started_at"]
        assert body["audit"]["finished_at"]
        assert body["counts"]["new"] == 2
        new = {c["url"]: c for c in body["new"]}
        a = new[f"{s.url}/foi/response-a.xlsx"]
        assert (a["verdict"], a["individuals"]) == ("block", 30)
        assert "PERSON" in a["entities"]
        raw = bodies[0].decode()
        assert "sample" not in raw
        assert "fingerprint" not in raw
        assert_no_leak(secrets, webhook=raw)
        # nothing new or changed: no second call
        again = run_audit(
            AuditConfig(
                url=s.url, db=str(tmp_path / "audits.db"), allow_private=True, delay=0, notify=hook
            )
        )
        assert again.diff is not None
        assert not again.notified
        assert again.notify_error is None
        assert len(bodies) == 1


def test_webhook_failure_is_reported_and_the_audit_kept(tmp_path: Path) -> None:
    site = _leaky_site(tmp_path)
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s, receiver(status=500) as (hook, bodies):
        outcome = run_audit(
            AuditConfig(url=s.url, db=str(db), allow_private=True, delay=0, jobs=1, notify=hook)
        )
        assert len(bodies) == 1
    assert outcome.diff is not None
    assert outcome.diff.new_blocking
    assert not outcome.notified
    assert outcome.notify_error is not None
    assert "HTTP 500" in outcome.notify_error
    with open_store(str(db)) as store:
        (audit,) = store.audits()
        assert audit.finished_at is not None
        assert len(store.exposures()) == 2


def test_unchanged_reaudit_uses_conditional_requests_and_stored_results(
    tmp_path: Path, any_db: str
) -> None:
    site = _leaky_site(tmp_path)
    with serve(site, "127.0.0.1") as s:
        config = AuditConfig(url=s.url, db=any_db, allow_private=True, delay=0, jobs=1)
        first = run_audit(config)
        assert first.finished
        assert first.scanned >= 4
        assert sum(site.conditional.values()) == 0
        second = run_audit(config)
    assert second.finished
    assert second.scanned == 0  # nothing scanned again
    assert second.reused >= 4
    for doc in ("/foi/response-a.xlsx", "/foi/response-b.xlsx"):
        assert site.hits[doc] == 2
        assert site.conditional[doc] == 1
        assert site.not_modified[doc] == 1
    with open_store(any_db) as store:
        assert [a.id for a in store.audits()] == [first.audit.id, second.audit.id]
    if not any_db.endswith(".db"):
        return  # the rows below are read with sqlite3
    rows = by_path(fetches(Path(any_db), second.audit.id))
    a = rows["/foi/response-a.xlsx"]
    assert a.status == 304
    assert a.not_modified
    assert (a.verdict, a.individuals) == ("block", 30)  # carried forward
    assert rows["/"].status == 200
    assert rows["/"].verdict == "pass"
    assert second.diff is not None
    assert second.diff.new == []
    assert second.diff.removed == []
    assert second.diff.changed == []


def test_a_site_that_is_down_is_not_reported_gone(tmp_path: Path) -> None:
    """The start page gets no answer: nothing was inspected, so the audit fails (exit 2), is not
    complete, and marks nothing gone; the exposures stay online."""
    site = _leaky_site(tmp_path)
    with serve(site, "127.0.0.1") as s:
        url = s.url
        code, _, err = _audit(tmp_path, url)
        assert code == 1, err
    # the server is gone: connection refused
    code, out, err = _audit(tmp_path, url, "--format", "json", "--retries", "0")
    assert code == 2, err
    assert "the start page got no answer" in err
    report = json.loads(out)
    assert report["audit"]["complete"] is False
    assert report["removed"] == []
    exp = run_cli(
        tmp_path, "exposures", "--site", url, "--db", str(tmp_path / "audits.db"),
        "--format", "json",
    )  # fmt: skip
    items = json.loads(exp.stdout)["exposures"]
    assert len(items) == 2
    assert all(e["gone_since"] is None for e in items), items


def test_a_start_page_answering_500_marks_nothing_gone(tmp_path: Path) -> None:
    site = _leaky_site(tmp_path)
    with serve(site, "127.0.0.1") as s:
        code, _, err = _audit(tmp_path, s.url)
        assert code == 1, err
        site.status("/", 500)
        code, out, err = _audit(tmp_path, s.url, "--format", "json", "--retries", "0")
    assert code == 2, err
    report = json.loads(out)
    assert report["audit"]["complete"] is False
    assert report["removed"] == []
