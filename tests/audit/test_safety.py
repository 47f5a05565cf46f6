"""Safety: the crawl stays on its hosts and never reaches internal addresses unless allowed."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from scrapy.http import Request

from spillguard.audit.crawl import GuardedResolver, ScopeMiddleware, ScopeRefused
from spillguard.audit.runner import AuditConfig, AuditError, parse_every, run_audit
from spillguard.audit.safety import Scope, UnsafeTarget, check_start_url, refused_reason
from spillguard.store import open_store
from tests.audit.conftest import run_cli
from tests.audit.site import Site, html, serve


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # the cloud metadata service
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("fd00::1", "private"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
    ],
)
def test_internal_addresses_are_refused(address: str, kind: str) -> None:
    why = refused_reason(ipaddress.ip_address(address))
    assert why is not None
    assert kind in why


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1::1", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert refused_reason(ipaddress.ip_address(address)) is None


def test_scope_is_the_start_host_and_the_allowed_ones() -> None:
    scope = Scope.for_url("https://www.Agency.example/x", extra_hosts=["cdn.agency.example"])
    assert scope.on_host("https://www.agency.example/a.pdf")
    assert scope.on_host("http://www.agency.example:8080/")  # same host, any port or scheme
    assert scope.on_host("https://cdn.agency.example/f.xlsx")
    assert not scope.on_host("https://agency.example/")
    assert not scope.on_host("https://evil.example/?u=www.agency.example")
    assert not scope.on_host("ftp://www.agency.example/f.xlsx")


def test_literal_and_resolved_internal_hosts_are_refused() -> None:
    scope = Scope.for_url("http://localhost/", extra_hosts=["127.0.0.1", "10.0.0.1"])
    for url in ("http://localhost/", "http://127.0.0.1/", "http://10.0.0.1/"):
        with pytest.raises(UnsafeTarget, match="refused"):
            scope.check_url(url)
    with pytest.raises(UnsafeTarget, match="not on the audited hosts"):
        scope.check_url("http://example.org/")
    allowed = Scope.for_url("http://localhost/", allow_private=True)
    allowed.check_url("http://localhost:1234/page")


def test_every_request_and_every_connection_is_checked() -> None:
    """The downloader middleware checks each request (redirect targets included) before it is
    sent; the resolver checks the address actually connected to."""
    mw = ScopeMiddleware(Scope.for_url("http://localhost/"))
    with pytest.raises(ScopeRefused, match="loopback"):
        mw.process_request(Request("http://localhost/moved-here"))
    with pytest.raises(UnsafeTarget, match="private"):
        GuardedResolver._check("192.168.0.10", "intranet.example")
    assert GuardedResolver._check("93.184.216.34", "www.example.org") == "93.184.216.34"


def test_start_url_must_be_http() -> None:
    for bad in ("file:///etc/passwd", "ftp://example.org/", "http:///nohost", "example.org"):
        with pytest.raises(UnsafeTarget):
            check_start_url(bad)


def test_audit_of_a_loopback_site_is_refused_without_allow_private(tmp_path: Path) -> None:
    site = Site(host="localhost")
    site.page("/", html("Home", "hello"))
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s:
        with pytest.raises(AuditError, match=r"refused: localhost resolves to 127\.0\.0\.1"):
            run_audit(AuditConfig(url=s.url, db=str(db)))
        done = run_cli(tmp_path, "audit", f"http://127.0.0.1:{s.port}/", "--db", str(db))
    assert done.returncode == 2
    assert "refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address" in done.stderr
    assert "--allow-private" in done.stderr
    assert sum(site.hits.values()) == 0
    with open_store(str(db)) as store:
        assert store.audits() == []


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("30m", 1800), ("1h", 3600), ("1d", 86400), ("2.5", 2.5)]
)
def test_every_intervals(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "-1h", "0s", "1w", "nan"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(AuditError):
        parse_every(text)
