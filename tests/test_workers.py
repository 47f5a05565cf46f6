"""Worker processes: parallel scans in input order, a time limit, and crashes that fail closed."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

from spillguard import Verdict, scan
from spillguard.model import Location, TextPart
from spillguard.plugins import detectors, make_plugin_manager, readers
from spillguard.policy import Policy
from spillguard.readers.base import ReadItem, Source
from spillguard.scanner import Target, scan_file
from spillguard.workers import run_workers
from tests import builders


class TrapReader:
    """Files starting with SLEEP hang; files starting with CRASH kill the process."""

    id = "trap"

    def sniff(self, source: Source) -> str | None:
        return "trap" if source.head.startswith((b"SLEEP", b"CRASH")) else None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if source.head.startswith(b"SLEEP"):
            time.sleep(60)
        else:
            os._exit(7)  # a native library aborting takes the whole process with it
        yield TextPart("never", Location(source.display))


def _run(paths: list[Path], *, jobs: int, time_limit: float) -> list[tuple[str, str, str]]:
    rs = [TrapReader(), *readers(make_plugin_manager(entry_points=False))]
    dets = detectors(make_plugin_manager(entry_points=False))
    out = run_workers(
        [Target(p, str(p)) for p in paths],
        scan=scan_file,
        display=lambda t: t.display if isinstance(t, Target) else str(t),
        policy=Policy(time_limit=time_limit),
        readers=rs,
        detectors=dets,
        jobs=jobs,
        time_limit=time_limit,
    )
    return [(Path(r.path).name, r.verdict.value, r.error or "") for r in out]


def test_parallel_results_keep_the_input_order(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    for i in range(12):
        p = site / f"f{i:02d}.csv"
        if i % 3 == 0:
            builders.records_csv(p, 30 + i)
        else:
            p.write_text("Facility,Count\nNorth,3\nSouth,5\n")
    one = scan([site])
    two = scan([site], jobs=2)
    assert [f.path for f in two.files] == [f.path for f in one.files]
    assert [(f.verdict, f.individuals) for f in two.files] == [
        (f.verdict, f.individuals) for f in one.files
    ]
    assert {f.verdict for f in two.files} == {Verdict.BLOCK, Verdict.PASS}


def test_a_stuck_file_is_an_error_and_the_rest_are_scanned(tmp_path: Path) -> None:
    stuck = tmp_path / "a-stuck.bin"
    stuck.write_bytes(b"SLEEP" + b"\0" * 10)
    fine = tmp_path / "b-fine.csv"
    builders.records_csv(fine, 20)
    started = time.monotonic()
    results = _run([stuck, fine], jobs=1, time_limit=1.5)
    assert time.monotonic() - started < 30
    assert results[0][1] == "error"
    assert "time limit of 1.5 s" in results[0][2]
    assert results[1][:2] == ("b-fine.csv", "block")


def test_a_reader_that_kills_its_worker_fails_closed(tmp_path: Path) -> None:
    crash = tmp_path / "a-crash.bin"
    crash.write_bytes(b"CRASH" + b"\0" * 10)
    fine = tmp_path / "b-fine.csv"
    builders.records_csv(fine, 20)
    results = _run([crash, fine, crash], jobs=2, time_limit=30)
    assert [r[1] for r in results] == ["error", "block", "error"]
    assert "stopped unexpectedly" in results[0][2]
