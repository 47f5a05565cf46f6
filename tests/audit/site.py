"""A fixture web site: a real `http.server` on 127.0.0.1 in a thread, serving routes from memory.

Each route has a body, a Content-Type and optionally a status, headers, a redirect, a delay.
The server sends ETag and Last-Modified and answers conditional requests with 304, counts the
requests per path and notes the conditional ones, so tests can see what the crawler asked for.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(slots=True)
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    location: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    validators: bool = True
    #: declared Content-Length (None: the body's length); chunked when `chunked`
    chunked: bool = False


@dataclass
class Site:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    conditional: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)
    delay: float = 0.0
    port: int = 0
    host: str = "127.0.0.1"
    modified: str = formatdate(time.time() - 86400, usegmt=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def page(self, path: str, html: str, **kw: object) -> None:
        self.routes[path] = Route(html.encode("utf-8"), **kw)  # type: ignore[arg-type]

    def file(self, path: str, data: bytes, content_type: str, **kw: object) -> None:
        self.routes[path] = Route(data, content_type, **kw)  # type: ignore[arg-type]

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Route(b"", "text/plain", status=status, location=location)

    def status(self, path: str, status: int) -> None:
        self.routes[path] = Route(f"status {status}".encode(), "text/plain", status=status)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            path = self.path.split("#", 1)[0]
            site.hits[path] += 1
            site.user_agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(path)
            delay = max(site.delay, route.delay if route else 0.0)
            if delay:
                time.sleep(delay)
            if route is None:
                return self._send(404, b"not found", "text/plain", {})
            headers = dict(route.headers)
            if route.location is not None:
                headers["Location"] = route.location
            if route.status == 200 and route.validators:
                etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
                headers["ETag"] = etag
                headers["Last-Modified"] = site.modified
                inm = self.headers.get("If-None-Match")
                ims = self.headers.get("If-Modified-Since")
                if inm or ims:
                    site.conditional[path] += 1
                if (inm and inm == etag) or (not inm and ims == site.modified):
                    site.not_modified[path] += 1
                    return self._send(304, b"", None, headers)
            return self._send(route.status, route.body, route.content_type, headers, route.chunked)

        def _send(
            self,
            status: int,
            body: bytes,
            ctype: str | None,
            headers: dict[str, str],
            chunked: bool = False,
        ) -> None:
            try:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for k, v in headers.items():
                    self.send_header(k, v)
                if status == 304:
                    self.end_headers()
                    return
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    step = 64 * 1024
                    for i in range(0, len(body), step):
                        part = body[i : i + step]
                        self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                    self.wfile.write(b"0\r\n\r\n")
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        return  # the crawler hangs up on purpose (size caps, kills): not a test failure


@contextmanager
def serve(site: Site, host: str = "127.0.0.1") -> Iterator[Site]:
    """Serve `site` on `host` (a free port) in a thread for the duration of the block."""
    server = _Server((host, 0), _handler(site))
    site.port = server.server_address[1]
    if site.host == "127.0.0.1":
        site.host = host
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def html(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1>{body}</body></html>"
    )
