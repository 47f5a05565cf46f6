"""Kill an audit midway (SIGKILL), run the same command again: it resumes the same audit and
ends with every resource recorded exactly once, none lost, nothing fetched twice."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

from spillguard.store import open_store
from tests.audit.conftest import by_path, fetches, popen_cli, run_cli
from tests.audit.site import Site, html, serve

PAGES = 24


def _recorded(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return int(con.execute("select count(*) from fetches").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # tables not created yet


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        for child, parent in parents.items():
            if parent == p and child not in out:
                out.add(child)
                todo.append(child)
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_killed_audit_resumes_without_duplicates_or_losses(tmp_path: Path) -> None:
    site = Site(host="localhost", delay=0.06)
    links = " ".join(f'<a href="/p/{i}.html">page {i}</a>' for i in range(PAGES))
    site.page("/", html("Home", links))
    for i in range(PAGES):
        site.page(f"/p/{i}.html", html(f"Page {i}", f'<a href="/p/{i}.csv">data</a>'))
        site.file(
            f"/p/{i}.csv", f"month,count\n2024-{i % 12 + 1:02d},{i * 7}\n".encode(), "text/csv"
        )
    expected = (
        {"/"} | {f"/p/{i}.html" for i in range(PAGES)} | {f"/p/{i}.csv" for i in range(PAGES)}
    )
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s:
        args = ("audit", s.url, "--db", str(db), "--allow-private", "--delay", "0", "-j", "1")
        proc = popen_cli(tmp_path, *args)
        deadline = time.monotonic() + 30
        while _recorded(db) < 10 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        family = _descendants(proc.pid)
        assert proc.poll() is None, "the audit ended before it could be killed"
        assert family, "the crawl runs in child processes"
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(p) for p in family) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in family), "crawl processes outlived the killed audit"
        before = by_path(fetches(db))
        assert 10 <= len(before) < len(expected)
        with open_store(str(db)) as store:
            (audit,) = store.audits()
            assert audit.finished_at is None
        hits_before = dict(site.hits)

        done = run_cli(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert f"resuming audit #{audit.id}" in done.stderr
    with open_store(str(db)) as store:
        (again,) = store.audits()
        assert again.id == audit.id
        assert again.finished_at is not None
        assert again.complete
    after = by_path(fetches(db, audit.id))  # by_path fails on a URL recorded twice
    assert set(after) == expected
    assert all(r.status == 200 and r.verdict == "pass" for r in after.values())
    con = sqlite3.connect(db)
    try:
        dupes = con.execute(
            "select url, count(*) from resources group by site_id, url having count(*) > 1"
        ).fetchall()
        per_audit = con.execute(
            "select count(*), count(distinct resource_id) from fetches where audit_id = ?",
            (audit.id,),
        ).fetchone()
    finally:
        con.close()
    assert dupes == []
    assert per_audit[0] == per_audit[1] == len(expected)
    for path in before:
        if path.endswith(".csv"):  # recorded documents are not fetched again
            assert site.hits[path] == hits_before[path] == 1, path
    assert not any(os.scandir(db.parent / "spillguard-jobs")), "job directory left behind"


def test_interrupted_audit_keeps_its_queue_and_resumes(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) stops gracefully:
    the audit stays unfinished, Scrapy's job directory keeps the queue, the rerun finishes."""
    site = Site(host="localhost", delay=0.05)
    n = 20
    site.page("/", html("Home", " ".join(f'<a href="/q/{i}.html">{i}</a>' for i in range(n))))
    for i in range(n):
        site.page(f"/q/{i}.html", html(f"Page {i}", "<p>text</p>"))
    expected = {"/"} | {f"/q/{i}.html" for i in range(n)}
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s:
        args = ("audit", s.url, "--db", str(db), "--allow-private", "--delay", "0", "-j", "1")
        proc = popen_cli(tmp_path, *args, new_session=True)
        deadline = time.monotonic() + 30
        while _recorded(db) < 5 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 2, err
        # the crawl child stops gracefully on the same Ctrl-C; whether the parent also reports
        # "interrupted" depends on where its own KeyboardInterrupt lands: not asserted
        assert "was not finished; run the same command again to resume it" in err
        jobs = list((db.parent / "spillguard-jobs").iterdir())
        assert len(jobs) == 1
        assert (jobs[0] / "spillguard-clean-stop").exists()
        assert (jobs[0] / "requests.queue").is_dir()
        before = by_path(fetches(db))
        assert 5 <= len(before) < len(expected)
        done = run_cli(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "resuming audit #1" in done.stderr
    assert set(by_path(fetches(db))) == expected
    assert all(site.hits[p] == 1 for p in expected if p != "/"), dict(site.hits)
