"""email-address: syntax + TLD check; role addresses flagged as such, low confidence."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import EmailAddressDetector, is_role_address
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = EmailAddressDetector()

MUST_FLAG: list[FlagRow] = [
    ("Contact maria.gonzalez@example.org for details", "", "maria.gonzalez@example.org"),
    ("j.smith+foi@council.gov.uk", "Email", "j.smith+foi@council.gov.uk"),
    ("<jean-luc.picard@mail.example.fr>", "", "jean-luc.picard@mail.example.fr"),
    ("o'brien@example.ie", "", "o'brien@example.ie"),
    ("press@dhs.gov", "", "press@dhs.gov"),
    ("Write to FOI@ico.org.uk.", "", "FOI@ico.org.uk"),
    ("user_123@sub.domain.co", "", "user_123@sub.domain.co"),
    ("a.b@example.consulting", "", "a.b@example.consulting"),
    ("x@example.museum", "", "x@example.museum"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("icon@2x.png", ""),  # retina image file name
    ("logo@3x.jpg", ""),
    ("Meet @ 5pm at the office", ""),
    ("user@localhost", ""),  # no TLD
    ("@handle on social media", ""),
    ("name@domain", ""),
    ("a..b@example.com", ""),
    ("email@example.c", ""),  # one-letter TLD
    ("user@123.456", ""),  # numeric TLD
    ("Invoice INV-2023-000123", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "EMAIL_ADDRESS"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_role_address_is_marked_and_low_confidence() -> None:
    role = assert_flags(DETECTOR, "press@dhs.gov", "", "press@dhs.gov")
    person = assert_flags(DETECTOR, "maria.gonzalez@dhs.gov", "", "maria.gonzalez@dhs.gov")
    assert role.explanation.startswith("role address (press@...)")
    assert person.explanation.startswith("personal address")
    assert "maria" not in person.explanation
    assert role.confidence < person.confidence
    assert is_role_address(role.value)
    assert not is_role_address(person.value)
