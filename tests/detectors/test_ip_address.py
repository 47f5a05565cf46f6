"""ip-address: IPv4/IPv6 via ipaddress; versions rejected; private ranges lower confidence."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import IpAddressDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = IpAddressDetector()

MUST_FLAG: list[FlagRow] = [
    ("Login from 81.2.69.160 at noon", "", "81.2.69.160"),
    ("8.8.8.8", "IP", "8.8.8.8"),
    ("client=151.101.1.69;", "", "151.101.1.69"),
    ("10.0.0.12", "Host", "10.0.0.12"),  # private: reported, low confidence
    ("2001:4860:4860::8888", "", "2001:4860:4860::8888"),
    ("addr 2a00:1450:4009:81f::200e.", "", "2a00:1450:4009:81f::200e"),
    ("::1", "", "::1"),
    ("fe80::1ff:fe23:4567:890a", "", "fe80::1ff:fe23:4567:890a"),
    ("IP: 203.0.113.7", "", "203.0.113.7"),
    ("Version 2 shipped. The server 81.2.69.160 logged it.", "", "81.2.69.160"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("version 1.2.3.4", ""),
    ("v1.2.3.4", ""),
    ("See section 4.2.1.3 of the guidance", ""),
    ("1.2.3.4", "Version"),
    ("256.1.1.1", ""),  # out of range
    ("192.168.001.001", ""),  # leading zeros are not a valid address
    ("1.2.3.4.5", ""),
    ("Meeting at 12:30:45", ""),
    ("MAC 00:1A:2B:3C:4D:5E", ""),
    ("Total $1,234,567.89", ""),
    ("Invoice INV-2023-000123", ""),
    ("std::vector", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "IP_ADDRESS"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_private_address_has_lower_confidence() -> None:
    private = assert_flags(DETECTOR, "10.0.0.12", "", "10.0.0.12")
    public = assert_flags(DETECTOR, "81.2.69.160", "", "81.2.69.160")
    assert private.confidence < public.confidence
    assert "private" in private.explanation
    assert "public" in public.explanation
