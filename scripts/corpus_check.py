"""Scan a directory of real-world (or fuzzed) files, one child process per file, and tabulate.

Why: readers meet files nobody wrote a test for. Each file is scanned with `scan_file` in a forked
child with a wall-clock timeout and an address-space cap, so a hang, a memory blow-up or a crash
of a native library is seen as such instead of taking the run down. Three outcomes are acceptable:
a verdict, or a precise ``error`` from a typed `ReadError`. The generic "internal error while
reading this file (X)" message, a vague "the file could not be read (X)", a timeout or a crash are
bugs; they are listed one by one, with the reader frame that raised, so they can be fixed.

Usage::

    .venv/bin/python scripts/corpus_check.py DIR [DIR...] [--timeout 30] [--mem-gb 3] [--jobs 2]
    .venv/bin/python scripts/corpus_check.py --fuzz 2000 --seed 1 [--out /tmp/fuzz]
    ... --json results.json   # machine-readable results, to compare runs

Nothing printed quotes file content: only paths, verdicts, error messages (which describe
structure) and exception types with source lines of spillguard itself.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing as mp
import os
import resource
import sys
import time
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from spillguard.errors import ReadError  # noqa: E402
from spillguard.scanner import Target, choose_reader, scan_file  # noqa: E402

GENERIC_MARKERS = ("internal error while reading", "the file could not be read (")


@dataclass(slots=True)
class Outcome:
    path: str
    kind: str  # ok | generic | timeout | crash
    verdict: str = ""
    file_type: str = ""
    error: str | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0
    where: str = ""  # for generic errors: the raising frame inside spillguard


def _diagnose(path: Path) -> str:
    """Re-read the file with the reader alone to find which frame raised the generic error."""
    from spillguard.model import TablePart
    from spillguard.plugins import readers as registered_readers
    from spillguard.policy import DEFAULT_POLICY
    from spillguard.readers.base import Source

    try:
        source = Source.from_path(path, display=str(path), limits=DEFAULT_POLICY.limits())
        reader, file_type = choose_reader(source, registered_readers())
        for item in reader.read(source, file_type):
            if isinstance(item, TablePart):
                for _ in item.rows:
                    pass
    except ReadError:
        return "reader raised a ReadError on re-read (the generic error came from elsewhere)"
    except BaseException as exc:  # noqa: BLE001 - this is the diagnosis of exactly that
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if "spillguard" in f.filename and "corpus_check" not in f.filename
        ]
        last = frames[-1] if frames else None
        at = f"{Path(last.filename).name}:{last.lineno} {last.name}" if last else "?"
        return f"{type(exc).__name__} at {at}"
    return "reader is fine on re-read: the error is in detect/assess (not a reader bug)"


def _child(path: str, conn: Connection, mem_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
    os.environ["RUST_BACKTRACE"] = "0"  # a native abort is reported once, as a crash
    started = time.perf_counter()
    result = scan_file(Target(Path(path), path))
    out = Outcome(
        path=path,
        kind="ok",
        verdict=result.verdict.value,
        file_type=result.file_type,
        error=result.error,
        seconds=time.perf_counter() - started,
        peak_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    if result.error and any(m in result.error for m in GENERIC_MARKERS):
        out.kind = "generic"
        out.where = _diagnose(Path(path))
    conn.send(asdict(out))
    conn.close()


def run_one(path: Path, *, timeout: float, mem_bytes: int) -> Outcome:
    """Scan `path` in a forked child; a timeout or a dead child is an outcome, not an exception."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(str(path), child, mem_bytes), daemon=True)
    started = time.perf_counter()
    proc.start()
    child.close()
    try:
        if parent.poll(timeout):
            try:
                data = parent.recv()
            except EOFError:
                data = None
            proc.join(5)
            if data is not None:
                return Outcome(**data)
            return Outcome(
                str(path), "crash", error=f"child died (exit code {proc.exitcode})",
                seconds=time.perf_counter() - started,
            )  # fmt: skip
        proc.kill()
        proc.join()
        return Outcome(str(path), "timeout", error=f"no result after {timeout:.0f} s",
                       seconds=timeout)  # fmt: skip
    finally:
        parent.close()
        if proc.is_alive():
            proc.kill()
            proc.join()


def iter_files(dirs: Sequence[Path]) -> Iterator[Path]:
    for d in dirs:
        if d.is_file():
            yield d
            continue
        for root, subdirs, files in os.walk(d):
            subdirs.sort()
            for name in sorted(files):
                p = Path(root) / name
                if p.is_file() and not p.is_symlink():
                    yield p


def warm_up() -> None:
    """Scan a small table once in the parent, so that lazily loaded data (the names dictionary,
    plugin registries) is loaded before forking and not again in every child."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm.csv"
        path.write_text("Name,Country,Date of birth\nJane Roe,Ireland,1980-02-03\n")
        scan_file(Target(path, "warm.csv"))


def run_all(
    files: Sequence[Path], *, timeout: float, mem_bytes: int, jobs: int, quiet: bool = False
) -> list[Outcome]:
    """Scan every file, `jobs` children at a time (threads only wait on the children)."""
    from concurrent.futures import ThreadPoolExecutor

    warm_up()
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_one, f, timeout=timeout, mem_bytes=mem_bytes) for f in files]
        for n, fut in enumerate(futures, start=1):
            out = fut.result()
            outcomes.append(out)
            if not quiet and (out.kind != "ok" or n % 200 == 0):
                print(f"[{n}/{len(files)}] {out.kind} {out.path}", file=sys.stderr, flush=True)
    return outcomes


def _ext(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return suffix[1:] if suffix else "(none)"


def _reason_class(error: str) -> str:
    """An error message with its numbers and part names folded, to count kinds of error."""
    import re

    text = re.sub(r"\d[\d,]*", "N", error)
    text = re.sub(r"the part \S+", "the part P", text)
    text = re.sub(r"\S+\.(xml|rels|bin)\b", "P", text)
    return text[:140]


def report(outcomes: Sequence[Outcome], *, top: int = 15) -> str:
    lines: list[str] = []
    by_ext: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for o in outcomes:
        label = o.verdict if o.kind == "ok" else o.kind
        by_ext[_ext(o.path)][label] += 1
    cols = ["pass", "warn", "block", "error", "generic", "timeout", "crash"]
    lines.append(f"{'ext':8}" + "".join(f"{c:>9}" for c in cols) + f"{'total':>9}")
    total: collections.Counter[str] = collections.Counter()
    for ext in sorted(by_ext):
        c = by_ext[ext]
        total.update(c)
        lines.append(f"{ext:8}" + "".join(f"{c[k]:>9}" for k in cols) + f"{sum(c.values()):>9}")
    lines.append(f"{'ALL':8}" + "".join(f"{total[k]:>9}" for k in cols)
                 + f"{sum(total.values()):>9}")  # fmt: skip
    errors = collections.Counter(
        _reason_class(o.error or "") for o in outcomes if o.kind == "ok" and o.verdict == "error"
    )
    lines.append("\nerror reasons (typed ReadError), most common first:")
    for reason, n in errors.most_common(40):
        lines.append(f"  {n:6}  {reason}")
    bad = [o for o in outcomes if o.kind != "ok"]
    lines.append(f"\ngeneric errors, timeouts and crashes: {len(bad)}")
    for o in bad:
        lines.append(f"  {o.kind:8} {o.path}\n           {o.error}\n           {o.where}")
    lines.append(f"\nslowest {top}:")
    for o in sorted(outcomes, key=lambda o: -o.seconds)[:top]:
        lines.append(f"  {o.seconds:7.2f} s {o.peak_mb:8.0f} MB  {o.kind:7} {o.verdict:6} {o.path}")
    lines.append(f"\nlargest peak memory {top}:")
    for o in sorted(outcomes, key=lambda o: -o.peak_mb)[:top]:
        lines.append(f"  {o.peak_mb:8.0f} MB {o.seconds:7.2f} s  {o.verdict:6} {o.path}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per file")
    ap.add_argument("--mem-gb", type=float, default=3.0, help="address-space cap per child")
    ap.add_argument("--jobs", type=int, default=max(1, (os.cpu_count() or 2)))
    ap.add_argument("--json", type=Path, help="write every outcome to this JSON file")
    ap.add_argument("--fuzz", type=int, default=0, help="generate N mutated files and scan them")
    ap.add_argument("--seed", type=int, default=0, help="first seed of --fuzz")
    ap.add_argument("--out", type=Path, default=Path("/tmp/spillguard-fuzz"),
                    help="where --fuzz writes its files (kept, to reproduce failures)")  # fmt: skip
    ap.add_argument("--only", default="", help="--fuzz only seeds whose name ends so (.xls)")
    ap.add_argument("--seeds", choices=["all", "sheets", "docs"], default="all",
                    help="--fuzz seed families: spreadsheets, documents or both")  # fmt: skip
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    files = list(iter_files(args.dirs))
    if args.fuzz:
        from tests.readers.test_robust_mutators import build_doc_seeds, build_seeds, write_mutants

        seeds = []
        if args.seeds in ("all", "sheets"):
            seeds += build_seeds(args.out / "seeds")
        if args.seeds in ("all", "docs"):
            seeds += build_doc_seeds(args.out / "docseeds")
        files.extend(
            write_mutants(args.out, count=args.fuzz, seed=args.seed, only=args.only, seeds=seeds)
        )
    if not files:
        ap.error("no files: give directories or --fuzz N")
    started = time.perf_counter()
    outcomes = run_all(
        files, timeout=args.timeout, mem_bytes=int(args.mem_gb * 1024**3), jobs=args.jobs,
        quiet=args.quiet,
    )  # fmt: skip
    print(report(outcomes))
    print(f"\n{len(outcomes)} files in {time.perf_counter() - started:.1f} s")
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1))
    return 1 if any(o.kind != "ok" for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
