"""phone-number: libphonenumber VALID, US default, '+' international; IDs and dates rejected."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import PhoneNumberDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = PhoneNumberDetector()

MUST_FLAG: list[FlagRow] = [
    ("Call 202-555-0143 today", "", "202-555-0143"),
    ("(212) 555-1234", "", "(212) 555-1234"),
    ("Tel: +1 (202) 555-0143", "", "+1 (202) 555-0143"),
    ("+44 20 7946 0958", "", "+44 20 7946 0958"),
    ("+33 1 23 45 67 89", "", "+33 1 23 45 67 89"),
    ("+52 55 1234 5678", "", "+52 55 1234 5678"),
    ("1-800-555-0199", "", "1-800-555-0199"),
    ("202.555.0143", "", "202.555.0143"),
    ("2125551234", "Phone", "2125551234"),
    # a detention facility switchboard is a real phone number: reported, assessment decides
    ("Facility switchboard: (956) 547-1700", "", "(956) 547-1700"),
    ("+502 2345 6789", "Teléfono", "+502 2345 6789"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("Invoice INV-2023-000123", ""),
    ("Order 2125551234", ""),
    ("Account number 2125551234", ""),
    ("2125551234", "Case Number"),
    ("Meeting on 2023-10-15 12:30:45", ""),
    ("05/17/1990", ""),
    ("SSN 536-22-1847", ""),
    ("A123456789", ""),
    ("A-123-456-789", ""),
    ("Budget $1,234,567,890", ""),
    ("Years 1990-2023, 2024", ""),
    ("ZIP 20500-0001", ""),
    ("CPF 390.533.447-05", ""),
    ("version 10.2.3.4567", ""),
    ("receipt EAC2112345678", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "PHONE_NUMBER"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_bare_digits_without_context_are_low_confidence() -> None:
    bare = assert_flags(DETECTOR, "2125551234", "", "2125551234")
    formatted = assert_flags(DETECTOR, "(212) 555-1234", "", "(212) 555-1234")
    assert bare.confidence < formatted.confidence
