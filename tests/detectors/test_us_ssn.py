"""us-ssn: SSN layout, SSA validity rules, bare digits only with context."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import UsSsnDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = UsSsnDetector()

MUST_FLAG: list[FlagRow] = [
    ("SSN: 536-22-1847", "", "536-22-1847"),
    ("536-22-1847", "Social Security Number", "536-22-1847"),
    ("His number is 536-22-1847.", "", "536-22-1847"),
    ("536 22 1847", "", "536 22 1847"),
    ("536221847", "SSN", "536221847"),
    ("536221847", "ssn_number", "536221847"),
    ("social security no. 536221847 on file", "", "536221847"),
    ("número de seguro social: 412-90-3318", "", "412-90-3318"),
    ("(SSN 001-01-0001)", "", "001-01-0001"),
    ("665-12-3456", "Notes", "665-12-3456"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("536221847", ""),  # bare 9 digits without context
    ("536221847", "A-Number"),
    ("Invoice INV-2023-000123", ""),
    ("000-12-3456", "SSN"),  # area 000
    ("666-12-3456", "SSN"),  # area 666
    ("912-70-1234", "SSN"),  # 9xx is ITIN territory, never an SSN
    ("536-00-1847", "SSN"),  # group 00
    ("536-22-0000", "SSN"),  # serial 0000
    ("078-05-1120", "SSN"),  # the Woolworth wallet card
    ("123-45-6789", "SSN"),  # the classic placeholder
    ("111-11-1111", "SSN"),  # all the same digit
    ("ZIP 20500-0001", ""),
    ("Order 536-22-18470 shipped", ""),  # part of a longer number
    ("Call (202) 555-0143", ""),
    ("Total $1,234,567 in 2023", ""),
    ("see section 536-22-1847-A", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    match = assert_flags(DETECTOR, text, context, expected)
    assert match.entity == "US_SSN"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_context_raises_confidence() -> None:
    bare = assert_flags(DETECTOR, "ref 536-22-1847", "", "536-22-1847")
    ctx = assert_flags(DETECTOR, "SSN 536-22-1847", "", "536-22-1847")
    assert ctx.confidence > bare.confidence
    assert "context word" in ctx.explanation
