"""IP addresses (IP_ADDRESS), IPv4 and IPv6, validated with the standard `ipaddress` module.

A dotted quad is also how versions and section numbers are written, so a nearby "version",
"build", "section"... rejects it. Private, loopback and reserved addresses do not point at a
person's connection on the internet, but they do reveal a network layout: they are reported with
lower confidence, and the explanation says which kind they are.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords

_V4 = re.compile(
    r"(?<![0-9A-Za-z.\-])([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9A-Za-z\-]|\.[0-9])"
)
_V6 = re.compile(
    r"(?<![0-9A-Za-z:.])((?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|[0-9]{1,3}(?:\.[0-9]{1,3}){3})?)"
    r"(?![0-9A-Za-z:]|\.[0-9])"
)
_V6_HEX = re.compile(r"[0-9A-Fa-f]")
#: "version" must be close: "version 1.2.3.4", not a sentence that mentions a version earlier
_NOT_IP_WINDOW = 16

NOT_IP = ContextWords(
    [
        r"v",
        r"ver\.?",
        r"version",
        r"versi[oó]n",
        r"release",
        r"build",
        r"firmware",
        r"revision",
        r"rev\.?",
        r"section",
        r"sec\.?",
        r"chapter",
        r"clause",
        r"paragraph",
        r"para\.?",
        r"art[ií]culo",
        r"article",
        r"figure",
        r"fig\.?",
        r"table",
        r"item",
        r"step",
        r"oid",
        r"§",
    ],
    label_only=[r"ver", r"vers"],
)


class IpAddressDetector:
    """IP_ADDRESS: IPv4 and IPv6; versions and section numbers rejected by context."""

    id: str = "ip-address"
    entities: tuple[str, ...] = ("IP_ADDRESS",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 3:
            return
        if "." in text:
            yield from self._find_v4(text, context)
        if "::" in text or text.count(":") >= 7:
            yield from self._find_v6(text, context)

    def _find_v4(self, text: str, context: str) -> Iterator[Match]:
        for m in _V4.finditer(text):
            try:
                addr = ipaddress.IPv4Address(m.group(1))
            except ipaddress.AddressValueError:
                continue
            if NOT_IP.in_label(context) or NOT_IP.near(text, m.start(), window=_NOT_IP_WINDOW):
                continue
            yield self._match(m.start(), m.end(), m.group(1), addr, "IPv4")

    def _find_v6(self, text: str, context: str) -> Iterator[Match]:
        for m in _V6.finditer(text):
            raw = m.group(1)
            if _V6_HEX.search(raw) is None:
                continue
            try:
                addr = ipaddress.IPv6Address(raw)
            except ipaddress.AddressValueError:
                continue
            if NOT_IP.in_label(context) is not None:
                continue
            yield self._match(m.start(), m.end(), raw, addr, "IPv6")

    def _match(
        self,
        start: int,
        end: int,
        value: str,
        addr: ipaddress.IPv4Address | ipaddress.IPv6Address,
        version: str,
    ) -> Match:
        kind = _kind(addr)
        if kind is None:
            explanation = f"{version} address (public internet address); every part is in range"
            confidence = 0.85
        else:
            explanation = f"{version} address ({kind}, not a public internet address)"
            confidence = 0.4
        return Match(
            entity="IP_ADDRESS",
            start=start,
            end=end,
            value=value,
            confidence=confidence,
            detector=self.id,
            explanation=explanation,
        )


def _kind(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if addr.is_loopback:
        return "loopback"
    if addr.is_unspecified:
        return "unspecified"
    if addr.is_link_local:
        return "link-local"
    if addr.is_multicast:
        return "multicast"
    if addr.is_private:
        return "private or non-routable range"
    if addr.is_reserved:
        return "reserved range"
    return None
