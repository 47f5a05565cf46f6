"""The crawl: a Scrapy spider that fetches a site's pages and documents for the scanner.

The spider only fetches and follows; what happens to a response (scanning, the database) is the
`Sink`'s business (`spillguard.audit.runner`). It starts from the start URL, robots.txt's
``Sitemap:`` lines and ``/sitemap.xml``, follows links from HTML pages to pages and documents on
the allowed hosts, and obeys robots.txt. Redirects are followed by hand so that each target is
checked first: a redirect to another host is recorded, not followed. Anything it could not fetch
(robots.txt, a size cap, a timeout, an HTTP error, a refused address) is handed to the sink with
its reason: never a silent skip. Depth and page limits are counted: a crawl cut by them is not
complete, so it proves nothing about what disappeared.
"""

from __future__ import annotations

import gzip
import io
import ipaddress
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Protocol
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.throttle import AutoThrottle
from scrapy.http import HtmlResponse, Request, Response
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet import error as twisted_error
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from spillguard import __version__
from spillguard.audit.safety import Scope, UnsafeTarget

log = logging.getLogger("spillguard.audit")

USER_AGENT = (
    f"spillguard/{__version__} (+https://github.com/spillguard/spillguard; personal-data audit)"
)

#: link targets never fetched: styling, scripts, fonts, audio and video carry no published data
#: the readers inspect. Everything else on the allowed hosts is fetched and scanned, so a document
#: type nobody thought of is reported as not inspected rather than skipped.
SKIPPED_EXTENSIONS = frozenset(
    ".css .js .mjs .map .woff .woff2 .ttf .otf .eot .ico .mp3 .mp4 .m4a .m4v .webm .ogg .ogv "
    ".wav .flac .avi .mov .mkv .wmv .mpg .mpeg .swf .exe .dmg .iso .msi .apk".split()
)

#: extensions of documents (not pages): they hold no links, and are asked for conditionally
DOCUMENT_EXTENSIONS = frozenset(
    ".xlsx .xlsm .xls .xlsb .ods .csv .tsv .pdf .docx .docm .doc .rtf .pptx .pptm .ppt .odt .odp "
    ".json .ndjson .jsonl .geojson .xml .yaml .yml .zip .gz .tgz .tar .bz2 .xz .7z .eml .msg "
    ".jpg .jpeg .png .gif .tif .tiff .webp .heic .bmp".split()
)

#: elements whose attribute points at something the page publishes
_LINK_CSS = (
    "a::attr(href), area::attr(href), link::attr(href), iframe::attr(src), frame::attr(src), "
    "img::attr(src), embed::attr(src), object::attr(data), source::attr(src)"
)

_MAX_SITEMAP_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CrawlOptions:
    """What to crawl and how. Sizes in bytes, times in seconds."""

    start_url: str
    site: str
    scope: Scope
    max_pages: int | None = None
    max_depth: int | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_size: int = 50 * 1024 * 1024
    timeout: float = 30.0
    retries: int = 2
    start_delay: float = 1.0
    max_delay: float = 30.0
    concurrency: int = 4
    jobdir: str | None = None
    verbose: bool = False

    def selects(self, url: str) -> bool:
        """True when the include/exclude regexes let `url` be fetched."""
        if self.include and not any(re.search(p, url) for p in self.include):
            return False
        return not any(re.search(p, url) for p in self.exclude)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A response with a body, as the sink receives it."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    etag: str | None
    last_modified: str | None


class Sink(Protocol):
    """Where the spider sends what it fetched (implemented by the runner)."""

    #: URLs already recorded in this audit (a resumed audit): not recorded again
    seen: set[str]

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) of the last fetch of `url`, for a conditional request."""

    async def fetched(self, item: Fetched) -> None:
        """Scan and record a response with a body."""

    def not_modified(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Record a 304: the previous result carries forward."""

    def failed(self, url: str, status: int, note: str) -> None:
        """Record a resource that could not be fetched or scanned, with the reason."""


class ScanInterrupted(Exception):
    """Raised by a sink when the crawl is stopping and a response was not recorded."""


class ScopeRefused(IgnoreRequest):
    """A request the audit's scope refuses (another host, an internal address)."""


class ScopeMiddleware:
    """Downloader middleware: every request is on an allowed host and resolves outward."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScopeMiddleware:
        return cls(crawler.settings["SPILLGUARD_SCOPE"])

    def process_request(self, request: Request) -> None:
        try:
            self.scope.check_url(request.url)
        except UnsafeTarget as exc:
            raise ScopeRefused(str(exc)) from None


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing internal addresses on the address actually connected to (so
    a name that changes its answer between the check and the connection is still caught)."""

    allow_private = False

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        r = super().from_crawler(crawler, reactor)
        assert isinstance(r, GuardedResolver)
        r.allow_private = crawler.settings.getbool("SPILLGUARD_ALLOW_PRIVATE")
        return r

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:
        d = super().getHostByName(name, timeout)
        if not self.allow_private:
            d.addCallback(self._check, name)
        return d

    @staticmethod
    def _check(address: str, name: str) -> str:
        Scope(frozenset(), False).check_ip(name, ipaddress.ip_address(address))
        return address


class Throttle(AutoThrottle):
    """Scrapy's AutoThrottle, except that a 304 may lower the delay as a 200 does.

    AutoThrottle never lowers the delay on a non-200 answer (error pages are small and fast).
    The latency it uses is the time to the response headers, the same for a 304 as for a 200;
    on a re-audit most documents answer 304, and a delay raised once would never come down.
    """

    def _adjust_delay(self, slot: Any, latency: float, response: Response) -> None:
        if response.status == 304:
            response = response.replace(status=200)
        super()._adjust_delay(slot, latency, response)


def crawl_settings(opts: CrawlOptions) -> dict[str, Any]:
    """The Scrapy settings for an audit."""
    settings: dict[str, Any] = {
        "USER_AGENT": USER_AGENT,
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "spillguard",
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": opts.start_delay,
        "AUTOTHROTTLE_MAX_DELAY": max(opts.max_delay, opts.start_delay),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(opts.concurrency),
        "CONCURRENT_REQUESTS": max(8, opts.concurrency * 2),
        "CONCURRENT_REQUESTS_PER_DOMAIN": max(1, opts.concurrency),
        # what a callback yields is requests: Scrapy's 100 parallel workers per response only
        # cost event-loop time, and that time counts in the latency AutoThrottle paces by
        "CONCURRENT_ITEMS": 8,
        "DOWNLOAD_DELAY": 0,
        "RETRY_ENABLED": opts.retries > 0,
        "RETRY_TIMES": opts.retries,
        "DOWNLOAD_TIMEOUT": opts.timeout,
        "DNS_TIMEOUT": opts.timeout,
        "DOWNLOAD_MAXSIZE": opts.max_size,
        "DOWNLOAD_WARNSIZE": 0,
        "DEPTH_LIMIT": 0,  # the spider counts depth itself, so a cut is not silent
        "REDIRECT_ENABLED": False,  # followed by the spider, each target checked first
        "METAREFRESH_ENABLED": False,
        "COOKIES_ENABLED": False,
        # no control ports: Scrapy's telnet console and its remote-control HTTP server (which
        # runs code sent to it) stay off
        "TELNETCONSOLE_ENABLED": False,
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS": {
            "scrapy.extensions.remote_control.RemoteControl": None,
            "scrapy.extensions.telnet.TelnetConsole": None,
            "scrapy.extensions.throttle.AutoThrottle": None,
            f"{Throttle.__module__}.Throttle": 0,
        },
        "HTTPCACHE_ENABLED": False,
        "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
        # bodies waiting for their scan; past this the engine stops downloading
        "SCRAPER_SLOT_MAX_ACTIVE_SIZE": max(opts.max_size * 2, 64 * 1024 * 1024),
        "TWISTED_DNS_RESOLVER": f"{GuardedResolver.__module__}.GuardedResolver",
        "DOWNLOADER_MIDDLEWARES": {f"{ScopeMiddleware.__module__}.ScopeMiddleware": 50},
        "SPILLGUARD_SCOPE": opts.scope,
        "SPILLGUARD_ALLOW_PRIVATE": opts.scope.allow_private,
        "LOG_LEVEL": "INFO" if opts.verbose else "ERROR",
        "LOG_ENABLED": True,
        "LOG_INSTALL_ROOT_HANDLER": opts.verbose,
        "LOGSTATS_INTERVAL": 0,
    }
    if opts.jobdir:
        settings["JOBDIR"] = opts.jobdir
    return settings


def strip_fragment(url: str) -> str:
    """`url` without its fragment, and with ``/`` for an empty path (one URL per page)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def extension(url: str) -> str:
    """The lower-case extension of the URL's last path segment ('' when none)."""
    path = unquote(urlsplit(url).path)
    if path.lower().endswith(".tar.gz"):
        return ".tgz"
    return PurePosixPath(path).suffix.lower()


def is_document(url: str) -> bool:
    """True when the URL names a document (by extension) rather than a page."""
    return extension(url) in DOCUMENT_EXTENSIONS


def no_answer(failure: Failure) -> bool:
    """Whether the site gave no answer (network failure, timeout), as opposed to a request we
    refused ourselves (robots.txt, scope, the size cap)."""
    exc = failure.value
    if isinstance(exc, ScopeRefused | UnsafeTarget | IgnoreRequest):
        return False
    return not (type(exc).__name__ == "DownloadCancelledError" or "max size" in str(exc))


def describe_failure(failure: Failure, opts: CrawlOptions) -> str:
    """A reason for a failed request, without quoting anything the server sent."""
    exc = failure.value
    if isinstance(exc, ScopeRefused | UnsafeTarget):
        return str(exc)
    if isinstance(exc, IgnoreRequest):
        text = str(exc)
        if "robots.txt" in text:
            return "disallowed by robots.txt"
        if "max size" in text.lower() or "MAXSIZE" in text:
            return size_cap_note(opts.max_size)
        return "not fetched (ignored by the crawler)"
    name = type(exc).__name__
    if name == "DownloadCancelledError" or "max size" in str(exc):
        return size_cap_note(opts.max_size)
    if isinstance(exc, twisted_error.TimeoutError) or name in (
        "TimeoutError",
        "ResponseNeverReceived",
    ):
        if name == "ResponseNeverReceived":
            return f"no response (the connection was lost; retried {opts.retries} times)"
        return f"no response within {opts.timeout:g} s (retried {opts.retries} times)"
    if isinstance(exc, twisted_error.DNSLookupError):
        return "the host name could not be resolved"
    if isinstance(exc, twisted_error.ConnectionRefusedError):
        return f"connection refused (retried {opts.retries} times)"
    if isinstance(exc, twisted_error.ConnectError):
        return f"could not connect ({name})"
    return f"the download failed ({name})"


def size_cap_note(max_size: int) -> str:
    mb = max_size / (1024 * 1024)
    return f"over the {mb:g} MB size cap (not scanned)"


class AuditSpider(scrapy.Spider):
    """Fetches the site; hands every response or failure to the sink."""

    name = "spillguard-audit"

    def __init__(self, opts: CrawlOptions, sink: Sink, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.opts = opts
        self.sink = sink
        self.queued: set[str] = set()
        self.counted: set[str] = set(sink.seen)
        #: why the crawl did not reach every resource it found (page or depth limit)
        self.cut: set[str] = set()
        #: errors of the audit's own machinery (not of the site): the audit is incomplete
        self.problems: list[str] = []
        #: resources that got no real answer (network failure, 5xx, 429): what they link to was
        #: not seen, so their absence proves nothing
        self.unanswered: set[str] = set()
        self.close_reason: str | None = None

    def closed(self, reason: str) -> None:
        self.close_reason = reason

    async def start(self) -> AsyncIterator[Any]:
        start = strip_fragment(self.opts.start_url)
        req = self._request(start, depth=0, force=True)
        if req is not None:
            yield req
        origin = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}"
        yield Request(
            origin + "/robots.txt",
            callback=self._robots,
            errback=self._probe_failed,
            meta={
                "dont_obey_robotstxt": True,
                "dont_redirect": True,
                "handle_httpstatus_all": True,
            },
            priority=10,
        )
        yield self._sitemap_request(origin + "/sitemap.xml", probe=True)

    # -- requests --------------------------------------------------------------------------------

    def _request(self, url: str, *, depth: int, force: bool = False) -> Request | None:
        """A request for `url`, or None when it is out of scope, a duplicate or over a limit."""
        url = strip_fragment(url)
        if not self.opts.scope.on_host(url):
            return None
        if not force and (extension(url) in SKIPPED_EXTENSIONS or not self.opts.selects(url)):
            return None
        if url in self.queued:
            return None  # before the depth limit: a link back to a fetched page skips nothing
        if not force and self.opts.max_depth is not None and depth > self.opts.max_depth:
            self.cut.add(f"the depth limit of {self.opts.max_depth}")
            return None
        seen = url in self.sink.seen
        if seen and is_document(url):
            self.queued.add(url)  # recorded before the audit was interrupted; holds no links
            return None
        if (
            not seen
            and url not in self.counted
            and self.opts.max_pages is not None
            and len(self.counted) >= self.opts.max_pages
        ):
            self.cut.add(f"the page limit of {self.opts.max_pages}")
            return None
        self.queued.add(url)
        self.counted.add(url)
        headers: dict[str, str] = {}
        if not seen and is_document(url):
            etag, modified = self.sink.validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        return Request(
            url,
            callback=self._page,
            errback=self._failed,
            headers=headers or None,
            meta={"dont_redirect": True, "handle_httpstatus_all": True, "sg_depth": depth},
            priority=-depth,
        )

    def _sitemap_request(self, url: str, *, probe: bool) -> Request:
        return Request(
            url,
            callback=self._sitemap,
            errback=self._probe_failed if probe else self._failed,
            meta={"dont_redirect": True, "handle_httpstatus_all": True, "sg_probe": probe},
            priority=5,
        )

    # -- responses -------------------------------------------------------------------------------

    async def _page(self, response: Response) -> AsyncIterator[Any]:
        url = strip_fragment(response.url)
        depth = int(response.meta.get("sg_depth", 0))
        seen = url in self.sink.seen
        status = response.status
        try:
            if 300 <= status < 400 and status != 304:
                for req in self._redirect(response, url, depth, seen):
                    yield req
                return
            if status == 304:
                if not seen:
                    self.sink.not_modified(url, *_validators(response))
                return
            if not 200 <= status < 300:
                if status >= 500 or status == 429:
                    self.unanswered.add(url)
                if not seen:
                    self.sink.failed(url, status, f"HTTP {status}")
                return
            for req in self._links(response, depth):
                yield req
            if not seen:
                await self.sink.fetched(_fetched(url, response))
        except Exception as exc:  # noqa: BLE001 - recorded, the audit marked incomplete
            self._problem(url, exc)

    def _redirect(self, response: Response, url: str, depth: int, seen: bool) -> Iterator[Request]:
        location = response.headers.get(b"Location")
        if not location:
            if not seen:
                self.sink.failed(url, response.status, f"HTTP {response.status} without a Location")
            return
        target = strip_fragment(urljoin(url, location.decode("latin-1").strip()))
        if not self.opts.scope.on_host(target):
            if not seen:
                self.sink.failed(
                    url, response.status, f"redirect to another host: {target} (not followed)"
                )
            return
        req = self._request(target, depth=depth, force=True)
        if req is not None:
            yield req

    def _links(self, response: Response, depth: int) -> Iterator[Request]:
        if not isinstance(response, HtmlResponse):
            return
        for href in response.css(_LINK_CSS).getall():
            href = href.strip()
            if not href or href.startswith(("#", "mailto:", "javascript:", "tel:", "data:")):
                continue
            req = self._request(response.urljoin(href), depth=depth + 1)
            if req is not None:
                yield req

    async def _robots(self, response: Response) -> AsyncIterator[Any]:
        url = strip_fragment(response.url)
        if response.status != 200:
            return
        try:
            for sm in sitemap_urls_from_robots(response.body, base_url=url):
                if self.opts.scope.on_host(sm):
                    yield self._sitemap_request(strip_fragment(sm), probe=False)
            if url not in self.sink.seen:
                await self.sink.fetched(_fetched(url, response))
        except Exception as exc:  # noqa: BLE001 - recorded, the audit marked incomplete
            self._problem(url, exc)

    async def _sitemap(self, response: Response) -> AsyncIterator[Any]:
        url = strip_fragment(response.url)
        probe = bool(response.meta.get("sg_probe"))
        seen = url in self.sink.seen
        if response.status != 200:
            if 300 <= response.status < 400 and response.status != 304:
                location = response.headers.get(b"Location")
                if location:
                    target = strip_fragment(urljoin(url, location.decode("latin-1").strip()))
                    if self.opts.scope.on_host(target):
                        yield self._sitemap_request(target, probe=probe)
                        return
            if not probe and not seen:
                self.sink.failed(url, response.status, f"sitemap: HTTP {response.status}")
            return
        try:
            body = response.body
            if body[:2] == b"\x1f\x8b":
                body = _gunzip(body)
            for loc, is_index in _sitemap_entries(body):
                if is_index:
                    if self.opts.scope.on_host(loc):
                        yield self._sitemap_request(loc, probe=False)
                else:
                    req = self._request(loc, depth=1)
                    if req is not None:
                        yield req
            if not seen:
                await self.sink.fetched(_fetched(url, response))
        except Exception as exc:  # noqa: BLE001 - recorded, the audit marked incomplete
            self._problem(url, exc)

    # -- failures --------------------------------------------------------------------------------

    def _failed(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is None:
            self.problems.append(f"a request failed ({type(failure.value).__name__})")
            return
        url = strip_fragment(request.url)
        if no_answer(failure):
            self.unanswered.add(url)
        if url in self.sink.seen:
            return
        try:
            self.sink.failed(url, 0, describe_failure(failure, self.opts))
        except Exception as exc:  # noqa: BLE001 - recorded, the audit marked incomplete
            self._problem(url, exc)

    def _probe_failed(self, failure: Failure) -> None:
        """robots.txt and /sitemap.xml are looked for, not linked: their absence is no error."""
        request = getattr(failure, "request", None)
        if request is not None and isinstance(failure.value, ScopeRefused | UnsafeTarget):
            self._failed(failure)

    def _problem(self, url: str, exc: BaseException) -> None:
        if isinstance(exc, ScanInterrupted):
            return  # not recorded: the resumed audit fetches it again
        log.debug("error while handling %s: %s", url, type(exc).__name__)
        self.problems.append(f"{url}: internal error ({type(exc).__name__})")


def _validators(response: Response) -> tuple[str | None, str | None]:
    def header(name: bytes) -> str | None:
        v = response.headers.get(name)
        return v.decode("latin-1") if v else None

    return header(b"ETag"), header(b"Last-Modified")


def _fetched(url: str, response: Response) -> Fetched:
    ctype = response.headers.get(b"Content-Type")
    etag, modified = _validators(response)
    return Fetched(
        url=url,
        status=response.status,
        content_type=ctype.decode("latin-1") if ctype else None,
        body=response.body,
        etag=etag,
        last_modified=modified,
    )


def _gunzip(data: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
        out = fh.read(_MAX_SITEMAP_BYTES + 1)
    if len(out) > _MAX_SITEMAP_BYTES:
        raise ValueError("sitemap over the size limit")
    return out


def _sitemap_entries(body: bytes) -> Iterable[tuple[str, bool]]:
    """(URL, is a sitemap index entry) for each <loc> of a sitemap."""
    sm = Sitemap(body)
    index = sm.type == "sitemapindex"
    for entry in sm:
        loc = entry.get("loc")
        if isinstance(loc, str) and loc.strip():
            yield strip_fragment(loc.strip()), index


__all__ = [
    "USER_AGENT",
    "AuditSpider",
    "CrawlOptions",
    "Fetched",
    "GuardedResolver",
    "ScanInterrupted",
    "ScopeMiddleware",
    "Sink",
    "Throttle",
    "crawl_settings",
    "describe_failure",
    "is_document",
]
