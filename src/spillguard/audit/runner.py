"""`run_audit`: crawl a site, scan what it publishes, keep it in the store, say what changed.

Process layout. Twisted's reactor can run once per process, so each audit crawls in a fresh
child process (forked): `run_audit` can be called again and again (the ``--every`` loop, tests),
and a crash in the crawl cannot take the caller down. The child runs Scrapy; every body it fetches
is written to a temporary file and scanned by `spillguard.scanner.scan_file` in a pool of worker
processes forked from it before the reactor starts, so CPU-bound scans never stall the crawl; the
reactor awaits the scan and records the result. The parent never touches the reactor: it picks or
resumes the audit, waits for the child, then computes the diff, and sends the webhook.

Resuming. Every response is recorded once scanned (idempotent per audit and URL), in batches
written at least every tenth of a second (`AuditWriter`); what a kill loses of the last batch is
simply fetched again. A rerun finds the unfinished audit and skips what it already recorded
(`AuditStore.seen_urls`): recorded documents are not fetched again, recorded pages are fetched
only for their links. After
a graceful stop (Ctrl-C) Scrapy's JOBDIR, under the database's folder and keyed by audit id, also
restores the request queue; after a kill the JOBDIR may be torn, so it is dropped and the crawl is
rediscovered from the start page, the sitemaps and the recorded pages.

Both the child and its workers die with their parent (Linux ``PR_SET_PDEATHSIG``): a killed audit
leaves no crawler behind.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import logging
import mimetypes
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from spillguard.audit.crawl import (
    USER_AGENT,
    AuditSpider,
    CrawlOptions,
    Fetched,
    ScanInterrupted,
    crawl_settings,
    extension,
    strip_fragment,
)
from spillguard.audit.notify import NotifyError, payload, send, should_notify
from spillguard.audit.safety import Scope, check_start_url, host_of
from spillguard.detectors.base import TextDetector
from spillguard.errors import SpillguardError
from spillguard.model import FileResult
from spillguard.policy import DEFAULT_POLICY, Policy
from spillguard.readers.base import Reader
from spillguard.store import (
    AuditDiff,
    AuditInfo,
    AuditWriter,
    Exposure,
    StoredResult,
    default_db_url,
    normalise_site,
    open_store,
    resolve_url,
)

log = logging.getLogger("spillguard.audit")

_CLEAN_MARK = "spillguard-clean-stop"
_MAX_PROBLEMS = 50
#: an audit that lost more than this share of its resources (no answer: network failures, 5xx)
#: is not complete: it cannot tell what is gone
_LOST_SHARE = 0.02


class AuditError(SpillguardError):
    """The audit could not run (bad URL, refused address, the crawl process failed)."""


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """What `run_audit` needs. Sizes in MB, times in seconds."""

    url: str
    db: str | None = None
    max_pages: int | None = None
    max_depth: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_private: bool = False
    allow_hosts: tuple[str, ...] = ()
    max_size_mb: float = 50.0
    timeout: float = 30.0
    retries: int = 2
    jobs: int = 2
    delay: float = 1.0
    policy: Policy = DEFAULT_POLICY
    fresh: bool = False
    notify: str | None = None
    verbose: bool = False

    def recorded_settings(self) -> dict[str, Any]:
        """The settings kept with the audit (plain JSON, nothing secret)."""
        return {
            "url": self.url,
            "max_pages": self.max_pages,
            "max_depth": self.max_depth,
            "include": list(self.include),
            "exclude": list(self.exclude),
            "allow_private": self.allow_private,
            "allow_hosts": list(self.allow_hosts),
            "max_size_mb": self.max_size_mb,
            "timeout": self.timeout,
            "retries": self.retries,
            "jobs": self.jobs,
            "user_agent": USER_AGENT,
        }


@dataclass(slots=True)
class AuditOutcome:
    """What an audit run did. `finished` False: interrupted, resumable by running it again."""

    audit: AuditInfo
    resumed: bool
    finished: bool
    diff: AuditDiff | None = None
    #: the site's exposures (gone ones included) after this audit
    exposures: list[Exposure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notified: bool = False
    notify_error: str | None = None
    #: responses recorded in this run, bodies scanned, results reused (by hash or a 304)
    recorded: int = 0
    scanned: int = 0
    reused: int = 0
    #: the start page got no answer (the site or the network failed): nothing was inspected
    start_failed: bool = False


# -- the scan pool ---------------------------------------------------------------------------------

_W_POLICY: Policy = DEFAULT_POLICY
_W_READERS: list[Reader] = []
_W_DETECTORS: list[TextDetector] = []


def die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG


def _worker_init(parent: int) -> None:
    die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    # Ctrl-C stops the crawl gracefully; the scans in flight must finish, not die
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _noop() -> None:
    return None


def _scan_in_worker(path: str, display: str) -> StoredResult:
    from spillguard.scanner import Target, scan_file

    fr: FileResult = scan_file(
        Target(Path(path), display), policy=_W_POLICY, readers=_W_READERS, detectors=_W_DETECTORS
    )
    return StoredResult.from_file_result(fr)


def _error_result(sha256: str, message: str) -> StoredResult:
    return StoredResult(sha256=sha256, verdict="error", individuals=0, file_type="", error=message)


class PoolStopped(ScanInterrupted):
    """The scan pool was shut down (the crawl is stopping): the scan did not happen."""


class ScanPool:
    """Worker processes forked once, before the reactor runs, scanning one file each at a time.

    A file that takes longer than the policy's time limit gets an error result and the pool is
    replaced; a worker that dies takes the scans in flight with it: they are tried again once,
    and a file that breaks the pool twice gets an error result (fail closed).
    """

    def __init__(self, jobs: int, policy: Policy) -> None:
        global _W_POLICY, _W_READERS, _W_DETECTORS
        from spillguard.plugins import detectors, readers
        from spillguard.scanner import warm_up

        warm_up()
        _W_POLICY, _W_READERS, _W_DETECTORS = policy, list(readers()), list(detectors())
        self.jobs = max(1, jobs)
        self.time_limit = policy.time_limit
        self._ctx = multiprocessing.get_context("fork")
        self._generation = 0
        self._deliberate: set[int] = set()
        self._closing = False
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(
            max_workers=self.jobs,
            mp_context=self._ctx,
            initializer=_worker_init,
            initargs=(os.getpid(),),
        )
        pool.submit(_noop).result()  # fork every worker now
        return pool

    def _replace(self, generation: int, *, deliberate: bool) -> None:
        if generation != self._generation or self._closing:
            return
        if deliberate:
            self._deliberate.add(generation)
        old = self._pool
        for p in list(getattr(old, "_processes", {}).values()):
            with contextlib.suppress(OSError, AttributeError):
                p.kill()
        old.shutdown(wait=False, cancel_futures=True)
        self._generation += 1
        self._pool = self._start()

    async def scan(self, path: Path, display: str, sha256: str) -> StoredResult:
        broke = 0
        while True:
            if self._closing:
                raise PoolStopped
            generation = self._generation
            try:
                fut: Future[StoredResult] = self._pool.submit(_scan_in_worker, str(path), display)
            except (BrokenProcessPool, RuntimeError):
                if self._closing:
                    raise PoolStopped from None
                self._replace(generation, deliberate=False)
                continue
            try:
                result = await asyncio.wait_for(
                    asyncio.wrap_future(fut), self.time_limit if self.time_limit > 0 else None
                )
            except TimeoutError:
                self._replace(generation, deliberate=True)
                return _error_result(
                    sha256,
                    f"reading this file took longer than the time limit of {self.time_limit:g} s;"
                    " it was not fully inspected",
                )
            except asyncio.CancelledError:
                if not fut.cancelled():
                    raise
                if self._closing:
                    raise PoolStopped from None
                continue  # the pool was replaced before this scan started: submit it again
            except BrokenProcessPool:
                if self._closing:
                    raise PoolStopped from None
                if generation in self._deliberate:
                    self._replace(generation, deliberate=False)
                    continue  # another file's time limit took this scan down: try again
                broke += 1
                self._replace(generation, deliberate=False)
                if broke >= 2:
                    return _error_result(
                        sha256,
                        "the reader stopped unexpectedly while reading this file (the worker "
                        "process ended); the file was not inspected",
                    )
                continue
            return replace(result, sha256=sha256)

    def close(self) -> None:
        self._closing = True
        self._pool.shutdown(wait=True, cancel_futures=True)


# -- the sink: from responses to the store ---------------------------------------------------------


class Recorder:
    """The spider's sink: scans bodies (reusing results by content hash) and records them.

    Records go through the audit's `AuditWriter` (batched; `close` writes the rest).
    """

    def __init__(self, writer: AuditWriter, seen: set[str], pool: ScanPool, tmp: Path) -> None:
        self.writer = writer
        self.seen = seen
        self.pool = pool
        self.tmp = tmp
        self.recorded = 0
        self.scanned = 0
        self.reused = 0
        self._n = 0
        self._inflight: dict[str, asyncio.Future[StoredResult]] = {}
        self._timer: asyncio.TimerHandle | None = None
        #: records the writer could not write (the audit is then not complete)
        self.problems: list[str] = []

    def validators(self, url: str) -> tuple[str | None, str | None]:
        v = self.writer.validators(url)
        if v is None or v.sha256 is None:  # no stored result to carry forward on a 304
            return None, None
        return v.etag, v.last_modified

    async def fetched(self, item: Fetched) -> None:
        sha = hashlib.sha256(item.body).hexdigest()
        result = await self._result(item, sha)
        self.writer.record(
            url=item.url,
            status=item.status,
            content_type=item.content_type,
            size=len(item.body),
            sha256=sha,
            etag=item.etag,
            last_modified=item.last_modified,
            result=result,
        )
        self.recorded += 1
        self._flush_soon()

    async def _result(self, item: Fetched, sha: str) -> StoredResult:
        stored = self.writer.stored_result(sha)
        if stored is not None:
            self.reused += 1
            return stored
        pending = self._inflight.get(sha)
        if pending is not None:
            self.reused += 1
            return await asyncio.shield(pending)
        fut: asyncio.Future[StoredResult] = asyncio.get_running_loop().create_future()
        self._inflight[sha] = fut
        try:
            result = await self._scan(item, sha)
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # retrieved: no "never retrieved" warning when nobody waits
            raise
        finally:
            self._inflight.pop(sha, None)
        fut.set_result(result)
        return result

    async def _scan(self, item: Fetched, sha: str) -> StoredResult:
        self._n += 1
        path = self.tmp / f"r{self._n}{_suffix(item)}"
        path.write_bytes(item.body)
        try:
            result = await self.pool.scan(path, item.url, sha)
        finally:
            path.unlink(missing_ok=True)
        self.scanned += 1
        return result

    def not_modified(self, url: str, etag: str | None, last_modified: str | None) -> None:
        self.writer.record(
            url=url,
            status=304,
            content_type=None,
            size=0,
            sha256=None,
            etag=etag,
            last_modified=last_modified,
            result=None,
            not_modified=True,
        )
        self.recorded += 1
        self.reused += 1
        self._flush_soon()

    def failed(self, url: str, status: int, note: str) -> None:
        self.writer.record(
            url=url,
            status=status,
            content_type=None,
            size=0,
            sha256=None,
            etag=None,
            last_modified=None,
            result=None,
            note=note,
        )
        self.recorded += 1
        self._flush_soon()

    def _flush_soon(self) -> None:
        """Records wait at most `max_age` seconds, even when no other record follows."""
        if self._timer is not None or not self.writer.pending:
            return
        with contextlib.suppress(RuntimeError):  # no event loop: flushed by the next record
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.writer.max_age, self._flush_due)

    def _flush_due(self) -> None:
        self._timer = None
        try:
            self.writer.flush()
        except SpillguardError as exc:
            if len(self.problems) < _MAX_PROBLEMS:
                self.problems.append(str(exc))

    def close(self) -> None:
        """Write the records not yet written (at the end of the crawl, or when it stops)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.writer.flush()


def _suffix(item: Fetched) -> str:
    """A file-name extension for the body: the URL's, else one for its Content-Type."""
    ext = extension(item.url)
    if ext and len(ext) <= 8 and ext[1:].isalnum():
        return ext
    ctype = (item.content_type or "").split(";", 1)[0].strip().lower()
    guessed = mimetypes.guess_extension(ctype) if ctype else None
    return guessed or ""


# -- the crawl process -----------------------------------------------------------------------------


@dataclass(slots=True)
class _ChildReport:
    finished: bool = False
    complete: bool = False
    #: the start page got no answer: nothing was inspected
    start_failed: bool = False
    problems: list[str] = field(default_factory=list)
    recorded: int = 0
    scanned: int = 0
    reused: int = 0


def _crawl_child(
    conn: Connection, db_url: str, audit_id: int, opts: CrawlOptions, jobs: int, policy: Policy
) -> None:
    """The body of the crawl process: Scrapy + scan pool; the report goes back on `conn`."""
    die_with_parent()
    report = _ChildReport()
    try:
        _crawl(report, db_url, audit_id, opts, jobs, policy)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, never a traceback
        report.problems.append(f"the crawl failed ({type(exc).__name__}: {_safe(exc)})")
    with contextlib.suppress(OSError):
        conn.send(report)
        conn.close()


def _safe(exc: BaseException) -> str:
    """A message for our own errors; for anything else only its type (it could quote content)."""
    return str(exc) if isinstance(exc, SpillguardError) else "internal error"


def _crawl(
    report: _ChildReport, db_url: str, audit_id: int, opts: CrawlOptions, jobs: int, policy: Policy
) -> None:
    from scrapy.crawler import CrawlerProcess

    store = open_store(db_url)
    try:
        seen = store.seen_urls(audit_id)
        with tempfile.TemporaryDirectory(prefix="spillguard-audit-") as tmp:
            pool = ScanPool(jobs, policy)
            try:
                recorder = Recorder(store.writer(audit_id), seen, pool, Path(tmp))
                if opts.jobdir:
                    (Path(opts.jobdir) / _CLEAN_MARK).unlink(missing_ok=True)
                process = CrawlerProcess(crawl_settings(opts))
                if not opts.verbose:
                    # every failure is recorded with its reason; Scrapy's own log is for -v
                    for name in ("scrapy", "twisted", "protego"):
                        logging.getLogger(name).setLevel(logging.CRITICAL)
                crawler = process.create_crawler(AuditSpider)
                process.crawl(crawler, opts=opts, sink=recorder)
                try:
                    process.start()
                finally:
                    recorder.close()
            finally:
                pool.close()
            spider = crawler.spider
            assert isinstance(spider, AuditSpider)
            report.recorded = recorder.recorded
            report.scanned = recorder.scanned
            report.reused = recorder.reused
            report.problems.extend((spider.problems + recorder.problems)[:_MAX_PROBLEMS])
            reason = spider.close_reason or crawler.stats.get_value("finish_reason")
            if reason != "finished":
                if opts.jobdir and Path(opts.jobdir).is_dir():
                    (Path(opts.jobdir) / _CLEAN_MARK).write_text("stopped cleanly\n")
                report.problems.append(
                    f"the crawl stopped before its end ({reason}); run the same command again to "
                    "resume it"
                )
                return
            report.problems.extend(f"not complete: stopped at {cut}" for cut in sorted(spider.cut))
            start = strip_fragment(opts.start_url)
            report.start_failed = start in spider.unanswered
            lost = len(spider.unanswered)
            if report.start_failed:
                report.problems.append(
                    "not complete: the start page got no answer (the site or the network "
                    "failed): nothing was inspected and nothing is marked gone"
                )
            elif lost > max(2, _LOST_SHARE * report.recorded):
                report.problems.append(
                    f"not complete: {lost} resources got no answer (network failures or server "
                    "errors): what they link to may not have been seen, so nothing is marked gone"
                )
            complete = (
                not spider.cut
                and not spider.problems
                and not recorder.problems
                and not report.start_failed
                and lost <= max(2, _LOST_SHARE * report.recorded)
            )
            store.finish_audit(audit_id, complete=complete)
            report.finished, report.complete = True, complete
            if opts.jobdir:
                shutil.rmtree(opts.jobdir, ignore_errors=True)
    finally:
        store.close()


def data_dir(db_url: str) -> Path:
    """The folder for an audit database's working files (Scrapy job directories)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(str(url.database)).resolve().parent
    base = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".local" / "share") / "spillguard"


def _jobdir(db_url: str, site: str, audit_id: int) -> Path:
    key = hashlib.sha256(f"{db_url}\n{site}".encode()).hexdigest()[:12]
    return data_dir(db_url) / "spillguard-jobs" / f"audit-{audit_id}-{key}"


# -- the entry point -------------------------------------------------------------------------------

#: modules every crawl process imports: loaded once in the parent, so each forked audit (the
#: ``--every`` loop) starts at once. None of them installs a reactor.
_PRELOAD = (
    "scrapy.crawler",
    "scrapy.core.engine",
    "scrapy.core.scheduler",
    "scrapy.core.scraper",
    "scrapy.core.downloader.handlers.http11",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
    "scrapy.downloadermiddlewares.httpcompression",
    "scrapy.extensions.throttle",
    "scrapy.downloadermiddlewares.cookies",
    "scrapy.http.cookies",
    "scrapy.extensions.remote_control",
    "scrapy.extensions.feedexport",
    "scrapy.robotstxt",
    "scrapy.squeues",
    "scrapy.pqueues",
    "scrapy.spidermiddlewares.referer",
    "scrapy.spidermiddlewares.offsite",
    "scrapy.downloadermiddlewares.offsite",
)


def _preload() -> None:
    import importlib

    for name in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    assert "twisted.internet.reactor" not in sys.modules, "a reactor must not run in the parent"
    from spillguard.plugins import detectors, readers
    from spillguard.scanner import warm_up

    readers()
    detectors()
    warm_up()


Echo = Callable[[str], None]


def run_audit(config: AuditConfig, *, echo: Echo | None = None) -> AuditOutcome:
    """Audit `config.url` once: crawl, scan, record, diff, notify. `AuditError` when it cannot run.

    An unfinished audit of the same site is resumed unless `config.fresh`. `echo` receives
    progress lines (stderr in the CLI).
    """
    say = echo or (lambda _line: None)
    try:
        url = check_start_url(config.url)
        site = normalise_site(url)
    except SpillguardError as exc:
        raise AuditError(str(exc)) from None
    scope = Scope.for_url(url, extra_hosts=config.allow_hosts, allow_private=config.allow_private)
    try:
        scope.check_host(host_of(url))
    except SpillguardError as exc:
        raise AuditError(str(exc)) from None
    db_url = resolve_url(config.db) if config.db else default_db_url()

    store = open_store(db_url)
    try:
        open_audit = store.unfinished_audit(site)
        if open_audit is not None and config.fresh:
            store.finish_audit(open_audit.id, complete=False)
            say(f"audit #{open_audit.id} of {site} closed unfinished (--fresh)")
            open_audit = None
        resumed = open_audit is not None
        info = open_audit or store.start_audit(site, settings=config.recorded_settings())
    finally:
        store.close()
    jobdir = _jobdir(db_url, site, info.id)
    if jobdir.exists() and not (jobdir / _CLEAN_MARK).exists():
        shutil.rmtree(jobdir, ignore_errors=True)  # torn by a kill: rediscover instead
    jobdir.parent.mkdir(parents=True, exist_ok=True)
    say(f"{'resuming' if resumed else 'starting'} audit #{info.id} of {site}")

    opts = CrawlOptions(
        start_url=url,
        site=site,
        scope=scope,
        max_pages=config.max_pages,
        max_depth=config.max_depth,
        include=config.include,
        exclude=config.exclude,
        max_size=int(config.max_size_mb * 1024 * 1024),
        timeout=config.timeout,
        retries=config.retries,
        start_delay=config.delay,
        concurrency=max(2, min(8, config.jobs * 2)),
        jobdir=str(jobdir),
        verbose=config.verbose,
    )
    _preload()
    report, interrupted = _run_child(db_url, info.id, opts, config.jobs, config.policy)
    if interrupted:
        for problem in report.problems:
            say(f"note: {problem}")
        say(f"audit #{info.id} was not finished; run the same command again to resume it")
        raise KeyboardInterrupt
    outcome = AuditOutcome(
        audit=info,
        resumed=resumed,
        finished=report.finished,
        problems=list(report.problems),
        recorded=report.recorded,
        scanned=report.scanned,
        reused=report.reused,
        start_failed=report.start_failed,
    )
    store = open_store(db_url)
    try:
        outcome.audit = next((a for a in store.audits(site) if a.id == info.id), info)
        if not report.finished:
            return outcome
        outcome.diff = store.diff(info.id)
        outcome.exposures = store.exposures(site)
    finally:
        store.close()
    if config.notify and should_notify(outcome.diff):
        try:
            send(config.notify, payload(outcome.diff))
            outcome.notified = True
        except NotifyError as exc:
            outcome.notify_error = str(exc)
    return outcome


def _run_child(
    db_url: str, audit_id: int, opts: CrawlOptions, jobs: int, policy: Policy
) -> tuple[_ChildReport, bool]:
    """Run the crawl process to its end; its report, and whether Ctrl-C was pressed."""
    ctx = multiprocessing.get_context("fork")
    recv, send_end = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_crawl_child,
        args=(send_end, db_url, audit_id, opts, jobs, policy),
        name="spillguard-audit-crawl",
    )
    child.start()
    send_end.close()
    report: _ChildReport | None = None
    interrupted = False
    while report is None:
        try:
            if recv.poll(0.5):
                got = recv.recv()
                report = got if isinstance(got, _ChildReport) else _ChildReport()
            elif not child.is_alive():
                break
        except KeyboardInterrupt:
            interrupted = True  # the child got the same Ctrl-C and stops gracefully: wait
            continue
        except (EOFError, OSError):
            break
    while True:
        try:
            child.join()
            break
        except KeyboardInterrupt:
            interrupted = True
            continue
    recv.close()
    if report is None:
        report = _ChildReport(
            problems=[
                f"the crawl process ended unexpectedly (exit code {child.exitcode}); run the "
                "same command again to resume the audit"
            ]
        )
    return report, interrupted


def parse_every(text: str) -> float:
    """Seconds in an interval like ``90s``, ``30m``, ``1h``, ``1d`` (a bare number: seconds)."""
    value = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    mult = 1
    if value and value[-1] in units:
        mult = units[value[-1]]
        value = value[:-1]
    try:
        n = float(value)
    except ValueError:
        raise AuditError(
            f"--every takes an interval like 90s, 30m, 1h or 1d, not {text!r}"
        ) from None
    if n <= 0 or n != n:
        raise AuditError(f"--every must be a positive interval, not {text!r}")
    return n * mult


__all__ = [
    "AuditConfig",
    "AuditError",
    "AuditOutcome",
    "Recorder",
    "ScanPool",
    "data_dir",
    "parse_every",
    "run_audit",
]
