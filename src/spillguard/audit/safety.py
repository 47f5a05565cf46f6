"""Where an audit may go: the allowed hosts, and no internal addresses (SSRF).

An audit fetches what a site links to and where it redirects. Left alone, a crawler pointed at a
public site can be steered to the publisher's own network (a link or a redirect to
``http://10.0.0.5/`` or to a name that resolves to ``127.0.0.1``). So the crawl stays on the start
URL's host and the hosts named explicitly, and every address it connects to is checked after DNS
resolution: loopback, private, link-local, multicast, reserved and unspecified addresses are
refused unless `allow_private` is set (an intranet audit, the tests).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from spillguard.errors import SpillguardError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeTarget(SpillguardError):
    """A URL the audit must not fetch (another host, an internal address, an odd scheme)."""


def host_of(url: str) -> str:
    """The lower-case host name of `url`, without a trailing dot or IPv6 brackets."""
    host = urlsplit(url).hostname or ""
    return host.rstrip(".").lower()


def check_start_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL with a host; else `UnsafeTarget`."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeTarget(f"only http and https URLs can be audited, not {url!r}")
    if not parts.hostname:
        raise UnsafeTarget(f"the URL {url!r} has no host")
    try:
        _ = parts.port
    except ValueError:
        raise UnsafeTarget(f"the URL {url!r} has an invalid port") from None
    return url


def refused_reason(ip: IPAddress) -> str | None:
    """Why connecting to `ip` is refused (its kind of address), or None when it is public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return refused_reason(ip.ipv4_mapped)
    for kind, flag in (
        ("loopback", ip.is_loopback),
        ("unspecified", ip.is_unspecified),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return f"a {kind} address"
    if not ip.is_global:
        return "a non-public address"
    return None


def resolve(host: str) -> list[IPAddress]:
    """Every address `host` resolves to (an IP literal resolves to itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"the host {host} could not be resolved ({exc})") from None
    out: list[IPAddress] = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if addr not in out:
            out.append(addr)
    if not out:
        raise UnsafeTarget(f"the host {host} has no address")
    return out


@dataclass(slots=True)
class Scope:
    """The hosts an audit may fetch from, and whether internal addresses are allowed."""

    hosts: frozenset[str]
    allow_private: bool = False
    _checked: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def for_url(
        cls, start_url: str, *, extra_hosts: Iterable[str] = (), allow_private: bool = False
    ) -> Scope:
        hosts = {host_of(start_url)} | {h.strip().rstrip(".").lower() for h in extra_hosts}
        return cls(frozenset(h for h in hosts if h), allow_private)

    def on_host(self, url: str) -> bool:
        """True when `url` is http(s) on one of the allowed hosts (any port)."""
        scheme = urlsplit(url).scheme.lower()
        return scheme in ("http", "https") and host_of(url) in self.hosts

    def check_ip(self, host: str, ip: IPAddress) -> None:
        """Raise `UnsafeTarget` when `ip` (an address of `host`) must not be contacted."""
        if self.allow_private:
            return
        why = refused_reason(ip)
        if why is not None:
            raise UnsafeTarget(
                f"refused: {host} resolves to {ip}, {why} (use --allow-private to audit it)"
            )

    def check_host(self, host: str) -> None:
        """Resolve `host` and check every address; remembered per host for this audit."""
        if host not in self._checked:
            try:
                for ip in resolve(host):
                    self.check_ip(host, ip)
            except UnsafeTarget as exc:
                self._checked[host] = str(exc)
            else:
                self._checked[host] = None
        why = self._checked[host]
        if why is not None:
            raise UnsafeTarget(why)

    def check_url(self, url: str) -> None:
        """Raise `UnsafeTarget` when `url` is off the allowed hosts or resolves inward."""
        if not self.on_host(url):
            raise UnsafeTarget(f"{url} is not on the audited hosts")
        self.check_host(host_of(url))


__all__ = [
    "Scope",
    "UnsafeTarget",
    "check_start_url",
    "host_of",
    "refused_reason",
    "resolve",
]
