"""Benchmark `spillguard audit` on a local fixture site of 2,000 resources (pages + documents).

    .venv/bin/python benchmarks/audit_bench.py [--resources 2000] [--jobs N] [--quick] [--db URL]

It generates a site (half HTML pages, half documents: CSV, JSON, XLSX and PDF, a few of them
workbooks with a hidden sheet of person records) in a temporary directory, serves it with
`http.server` on 127.0.0.1 (Last-Modified and If-Modified-Since, so a re-audit can get 304s), and
runs the audit CLI twice in fresh child processes against a fresh database (a SQLite file, or with
``--db postgresql+psycopg://...`` a schema of its own on that server, dropped at the end):

* **full audit**: every resource fetched and scanned; wall-clock from spawn to exit;
* **unchanged re-audit**: the same site again; documents answer 304 and pages are reused by
  content hash, so nothing is scanned again.

It prints a markdown table (pages and documents per minute, the re-audit time). Each run is
checked for sense (every resource recorded, every leaking workbook blocked, nothing new and
nothing rescanned the second time); the script exits 1 when a check fails. ``--quick`` is a
smoke run on 200 resources. Only synthetic data; no value from a file is printed.

``--delay 0`` is passed: no start delay. AutoThrottle stays on (as in every audit) and paces the
requests by their latency, aiming at the audit's concurrency.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.builders

from tests.builders import detention_workbook  # noqa: E402

from spillguard.workers import default_jobs  # noqa: E402

#: the CLI, as the `spillguard` entry point runs it
CLI = "from spillguard.cli import main; main()"
PER_SECTION = 50


@dataclass(frozen=True)
class SiteStats:
    pages: int
    documents: int
    leaks: int

    @property
    def resources(self) -> int:
        return self.pages + self.documents


def _page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"{body}</body></html>\n"
    )


def _csv(rng: random.Random, i: int) -> bytes:
    rows = ["month,region,requests,granted"]
    for m in range(1, 13):
        rows.append(f"2024-{m:02d},R{i % 17},{rng.randint(50, 900)},{rng.randint(10, 400)}")
    return ("\n".join(rows) + "\n").encode()


def _json(rng: random.Random, i: int) -> bytes:
    data = {
        "dataset": f"statistics-{i}",
        "rows": [{"year": 2015 + k, "total": rng.randint(100, 10_000)} for k in range(10)],
    }
    return json.dumps(data).encode()


def _xlsx(path: Path, rng: random.Random, i: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Summary")
    ws.append([f"Table {i}: applications by quarter"])
    ws.append(["Quarter", "Received", "Decided"])
    for q in range(1, 5):
        ws.append([f"Q{q}", rng.randint(100, 5000), rng.randint(50, 4000)])
    wb.save(path)


def _pdf(path: Path, rng: random.Random, i: int) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    c.drawString(72, 720, f"Annual report {i}")
    y = 690.0
    for k in range(12):
        c.drawString(72, y, f"Indicator {k}: {rng.randint(1, 999)} cases, {rng.randint(1, 99)}%.")
        y -= 18
    c.showPage()
    c.save()


def build_site(root: Path, resources: int, *, seed: int = 7) -> SiteStats:
    """Half pages, half documents; the documents linked from article pages, the articles from
    section pages, the sections from the home page."""
    rng = random.Random(seed)
    docs_dir = root / "docs"
    docs_dir.mkdir(parents=True)
    documents = resources // 2
    sections = math.ceil(documents / PER_SECTION)
    articles = resources - documents - 1 - sections
    leaks = max(1, documents // 200)
    kinds = ["csv"] * 8 + ["json"] * 3 + ["xlsx"] * 5 + ["pdf"] * 4
    names: list[str] = []
    for i in range(documents):
        if i < leaks:
            name = f"foi-response-{i}.xlsx"
            detention_workbook(docs_dir / name, n=80 + i, seed=100 + i)
        else:
            kind = kinds[i % len(kinds)]
            name = f"dataset-{i}.{kind}"
            path = docs_dir / name
            if kind == "csv":
                path.write_bytes(_csv(rng, i))
            elif kind == "json":
                path.write_bytes(_json(rng, i))
            elif kind == "xlsx":
                _xlsx(path, rng, i)
            else:
                _pdf(path, rng, i)
        names.append(name)
    # articles link the documents round-robin (every document is linked at least once)
    art_dir = root / "articles"
    art_dir.mkdir()
    for a in range(articles):
        linked = names[a::articles]
        body = f"<p>Article {a}: {rng.randint(1, 10**6)} words of prose.</p>" + "".join(
            f'<p><a href="/docs/{n}">{n}</a></p>' for n in linked
        )
        (art_dir / f"a{a}.html").write_text(_page(f"Article {a}", body))
    sec_dir = root / "sections"
    sec_dir.mkdir()
    per = math.ceil(articles / sections)
    for s in range(sections):
        links = "".join(
            f'<li><a href="/articles/a{a}.html">Article {a}</a></li>'
            for a in range(s * per, min(articles, (s + 1) * per))
        )
        (sec_dir / f"s{s}.html").write_text(_page(f"Section {s}", f"<ul>{links}</ul>"))
    home = "".join(
        f'<li><a href="/sections/s{s}.html">Section {s}</a></li>' for s in range(sections)
    )
    (root / "index.html").write_text(_page("Statistics agency", f"<ul>{home}</ul>"))
    return SiteStats(pages=1 + sections + articles, documents=documents, leaks=leaks)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Run:
    name: str
    seconds: float
    code: int
    report: dict[str, object]
    scanned: int
    reused: int


@contextmanager
def database(url: str | None, work: Path) -> Iterator[tuple[str, str]]:
    """(URL for --db, backend name): a SQLite file, or a fresh schema on a PostgreSQL server."""
    if not url:
        yield str(work / "audits.db"), "SQLite"
        return
    import uuid
    from urllib.parse import quote

    import sqlalchemy as sa

    engine = sa.create_engine(url)
    schema = f"sg_bench_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    try:
        yield f"{url}{sep}options={quote(f'-csearch_path={schema}')}", engine.dialect.name
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def audit(url: str, db: str, out: Path, jobs: int, name: str, home: Path) -> Run:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XDG_DATA_HOME": str(home / "data"),
        "SPILLGUARD_SECRET": "benchmark-secret",
    }
    cmd = [
        sys.executable, "-c", CLI, "audit", url, "--db", db, "--allow-private",
        "--delay", "0", "--jobs", str(jobs), "--format", "json", "-o", str(out),
    ]  # fmt: skip
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode == 2 or not out.exists():
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"{name}: the audit failed (exit {done.returncode})")
    m = re.search(r"scanned (\d+) and reused (\d+)", done.stderr)
    scanned, reused = (int(m.group(1)), int(m.group(2))) if m else (-1, -1)
    report = json.loads(out.read_text(encoding="utf-8"))
    return Run(name, seconds, done.returncode, report, scanned, reused)


def check(first: Run, second: Run, stats: SiteStats) -> list[str]:
    problems: list[str] = []
    for run in (first, second):
        if run.report.get("resources") != stats.resources:
            problems.append(
                f"{run.name}: {run.report.get('resources')} resources recorded, "
                f"expected {stats.resources}"
            )
        if run.report["errors"]:
            problems.append(f"{run.name}: {len(run.report['errors'])} errors")  # type: ignore[arg-type]
    blocked = [c for c in first.report["new"] if c["verdict"] == "block"]  # type: ignore[attr-defined]
    if first.code != 1 or len(blocked) != stats.leaks:
        problems.append(f"full audit: {len(blocked)} blocking exposures, expected {stats.leaks}")
    if second.code != 0 or second.report["new"]:
        problems.append("re-audit: something new on an unchanged site")
    if second.scanned != 0:
        problems.append(f"re-audit: {second.scanned} resources scanned again")
    return problems


def table(stats: SiteStats, runs: list[Run], jobs: int, backend: str = "SQLite") -> str:
    lines = [
        f"Local fixture site: {stats.resources:,} resources ({stats.pages:,} HTML pages, "
        f"{stats.documents:,} documents: CSV, JSON, XLSX, PDF; {stats.leaks} leaking workbooks), "
        f"served by http.server on 127.0.0.1; `--jobs {jobs}`, `--delay 0`, {backend}; wall-clock "
        "from spawn to exit of the CLI.",
        "",
        "| Run | Wall time (s) | Pages/min | Documents/min | Resources/min | Scanned | Reused |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        per_min = 60.0 / r.seconds
        lines.append(
            f"| {r.name} | {r.seconds:.1f} | {stats.pages * per_min:,.0f} | "
            f"{stats.documents * per_min:,.0f} | {stats.resources * per_min:,.0f} | "
            f"{r.scanned:,} | {r.reused:,} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--resources", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=default_jobs())
    ap.add_argument("--quick", action="store_true", help="a smoke run on 200 resources")
    ap.add_argument("--out", type=Path, help="also write the table to this file")
    ap.add_argument("--db", help="a PostgreSQL URL to audit into (default: a SQLite file)")
    args = ap.parse_args(argv)
    resources = 200 if args.quick else args.resources
    with tempfile.TemporaryDirectory(prefix="spillguard-audit-bench-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        stats = build_site(work / "site", resources)
        sys.stderr.write(
            f"built {stats.resources} resources in {time.perf_counter() - t0:.1f} s; auditing\n"
        )
        with serve(work / "site") as url, database(args.db, work) as (db, backend):
            first = audit(url, db, work / "r1.json", args.jobs, "full audit", work)
            second = audit(url, db, work / "r2.json", args.jobs, "unchanged re-audit", work)
    text = table(stats, [first, second], args.jobs, backend)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    problems = check(first, second, stats)
    for p in problems:
        sys.stderr.write(f"CHECK FAILED: {p}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
