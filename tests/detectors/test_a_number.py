"""a-number: 'A' + 7-9 digits; digits alone only with an A-number context word."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import ANumberDetector, normalise_value
from spillguard.detectors.patterns.a_number import normalise_a_number
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = ANumberDetector()

MUST_FLAG: list[FlagRow] = [
    ("A123456789", "", "A123456789"),
    ("Detainee A-123-456-789 was moved", "", "A-123-456-789"),
    ("A 123 456 789", "", "A 123 456 789"),
    ("A#123456789", "", "A#123456789"),
    ("A# 201456789", "", "A# 201456789"),
    ("A-Number: 123-456-789", "", "123-456-789"),
    ("123456789", "A-Number", "123456789"),
    ("123456789", "ANumber", "123456789"),
    ("204 567 890", "Alien Registration Number", "204 567 890"),
    ("número de extranjero 98765432", "", "98765432"),
    ("A12345678", "", "A12345678"),  # 8-digit older number
    ("A1234567", "", "A1234567"),  # 7-digit older number
    ("a123456789", "A-Number", "a123456789"),
    ("USCIS #: 087654321", "", "087654321"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("123456789", ""),  # bare digits, no context
    ("Send it to Room A123", ""),
    ("Print on A4 paper", ""),
    ("Grid cell A1", ""),
    ("Product code A12", ""),
    ("A1234567890123", ""),  # long random digit string
    ("There were a number of cases, 123456789 in total", ""),
    ("a 123456789", ""),  # lower-case a in prose
    ("A000000000", ""),  # placeholder zeros
    ("Invoice INV-2023-000123", ""),
    ("Total $1,234,567", "A-Number"),
    ("2023", "A-Number"),
    ("SKU-A12345678", ""),
    ("Version 1.2.3 of A", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "A_NUMBER"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("A-123-456-789", "123456789"),
        ("A1234567", "001234567"),
        ("A# 012 345 678", "012345678"),
    ],
)
def test_normalised_to_nine_digits(raw: str, canonical: str) -> None:
    assert normalise_a_number(raw) == canonical
    assert normalise_value("A_NUMBER", raw) == canonical
