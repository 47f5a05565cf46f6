"""Scanning many files in worker processes: in parallel, in order, within a time limit.

Each worker is a forked copy of this process (readers, detectors and the names dictionary are
loaded once, before the fork) that scans one file at a time. A file that takes longer than the
policy's `time_limit` gets verdict ``error`` and its worker is replaced; so does a file whose
reader crashed the worker (a native library aborting): fail closed, never skip. Results come back
in the order of the input, whatever order the workers finish in.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from spillguard.detectors.base import TextDetector
from spillguard.model import FileResult, Verdict
from spillguard.policy import Policy
from spillguard.readers.base import Reader

ProgressFn = Callable[[str], None]
ScanFn = Callable[..., FileResult]


@dataclass(slots=True)
class _Worker:
    process: BaseProcess
    tasks: Connection  # parent -> worker: (index, target) or None to stop
    results: Connection  # worker -> parent: (index, FileResult)
    busy: int | None = None  # index of the file it is scanning
    started: float = 0.0


def _serve(
    tasks: Connection,
    results: Connection,
    scan: ScanFn,
    policy: Policy,
    readers: Sequence[Reader],
    detectors: Sequence[TextDetector],
) -> None:
    while True:
        job = tasks.recv()
        if job is None:
            return
        index, target = job
        results.send((index, scan(target, policy=policy, readers=readers, detectors=detectors)))


def _error(display: str, message: str) -> FileResult:
    return FileResult(path=display, sha256="", verdict=Verdict.ERROR, error=message)


def run_workers(
    targets: Sequence[object],
    *,
    scan: ScanFn,
    display: Callable[[object], str],
    policy: Policy,
    readers: Sequence[Reader],
    detectors: Sequence[TextDetector],
    jobs: int,
    time_limit: float,
    progress: ProgressFn | None = None,
) -> Iterator[FileResult]:
    """Scan `targets` with `jobs` workers; yield results in input order."""
    ctx = multiprocessing.get_context("fork")
    pending = deque(enumerate(targets))
    done: dict[int, FileResult] = {}
    workers: list[_Worker] = []
    next_out = 0

    def start() -> _Worker:
        task_r, task_w = ctx.Pipe(duplex=False)
        res_r, res_w = ctx.Pipe(duplex=False)
        p = ctx.Process(
            target=_serve,
            args=(task_r, res_w, scan, policy, readers, detectors),
            daemon=True,
        )
        p.start()
        task_r.close()
        res_w.close()
        return _Worker(p, task_w, res_r)

    def stop(w: _Worker) -> None:
        if w.process.is_alive():
            w.process.kill()
        w.process.join()
        w.tasks.close()
        w.results.close()

    try:
        workers = [start() for _ in range(max(1, min(jobs, len(targets))))]
        while pending or any(w.busy is not None for w in workers):
            for w in workers:
                if w.busy is None and pending:
                    index, target = pending.popleft()
                    w.busy, w.started = index, time.monotonic()
                    w.tasks.send((index, target))
            busy = [w for w in workers if w.busy is not None]
            now = time.monotonic()
            wait = min((w.started + time_limit - now for w in busy), default=1.0)
            ready = multiprocessing.connection.wait(
                [w.results for w in busy] + [w.process.sentinel for w in busy],
                timeout=max(0.0, wait) if time_limit > 0 else None,
            )
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.busy is None:
                    continue
                index = w.busy
                result: FileResult | None = None
                replace = False
                if w.results in ready:
                    try:
                        _, result = w.results.recv()
                    except (EOFError, OSError):
                        replace = True
                        result = _error(
                            display(targets[index]),
                            "the reader stopped unexpectedly while reading this file (the "
                            "worker process ended); the file was not inspected",
                        )
                elif w.process.sentinel in ready or not w.process.is_alive():
                    replace = True
                    result = _error(
                        display(targets[index]),
                        "the reader stopped unexpectedly while reading this file (the worker "
                        f"process ended with code {w.process.exitcode}); the file was not "
                        "inspected",
                    )
                elif time_limit > 0 and now - w.started > time_limit:
                    replace = True
                    result = _error(
                        display(targets[index]),
                        f"reading this file took longer than the time limit of {time_limit:g} s; "
                        "it was not fully inspected",
                    )
                if result is None:
                    continue
                done[index] = result
                w.busy = None
                if progress:
                    progress(result.path)
                if replace:
                    stop(w)
                    workers[i] = start()
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
    finally:
        for w in workers:
            with contextlib.suppress(OSError, ValueError):  # a worker already gone is reaped
                w.tasks.send(None)
            stop(w)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
