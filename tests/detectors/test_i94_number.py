"""i94-number: 11 characters, context required."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import I94NumberDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = I94NumberDetector()

MUST_FLAG: list[FlagRow] = [
    ("I-94: 123456789A1", "", "123456789A1"),
    ("123456789A1", "I-94 Number", "123456789A1"),
    ("123456789a1", "I94", "123456789a1"),
    ("69412345671", "Admission Number", "69412345671"),
    ("arrival/departure record 98765432101", "", "98765432101"),
    ("I94 # 55501234567 on file", "", "55501234567"),
    ("Admission No. 123456789B2", "", "123456789B2"),
    ("I-94 record number: 32109876543", "", "32109876543"),
    ("número de admisión 123456789C3", "", "123456789C3"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("123456789A1", ""),  # no context
    ("69412345671", ""),  # 11 digits, no context
    ("69412345671", "Phone"),
    ("I-94: 1234567890", ""),  # 10 digits
    ("I-94: 123456789012", ""),  # 12 digits
    ("I-94: 11111111111", ""),  # placeholder
    ("I-94 form instructions, revised 2023", ""),
    ("Invoice INV-2023-000123", "I-94"),
    ("I-94: 12345678AB1", ""),  # wrong layout
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "I94_NUMBER"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)
