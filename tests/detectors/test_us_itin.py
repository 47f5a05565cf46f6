"""us-itin: 9xx-GG-xxxx with an IRS ITIN group; bare digits only with context."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import UsItinDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = UsItinDetector()

MUST_FLAG: list[FlagRow] = [
    ("ITIN: 912-70-1234", "", "912-70-1234"),
    ("912-78-4455", "", "912-78-4455"),
    ("955-88-1020", "Tax ID", "955-88-1020"),
    ("990-90-5678", "", "990-90-5678"),
    ("900-99-0001", "", "900-99-0001"),
    ("912 94 1234", "", "912 94 1234"),
    ("912701234", "ITIN", "912701234"),
    ("taxpayer identification number 987651234 issued", "", "987651234"),
    ("912-55-1234", "", "912-55-1234"),  # 50-65 range added by the IRS in 2011
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("912701234", ""),  # bare digits without context
    ("912-89-1234", "ITIN"),  # group 89 is not an ITIN range
    ("912-93-1234", "ITIN"),  # group 93 is not an ITIN range
    ("912-45-1234", "ITIN"),  # group 45 is not an ITIN range
    ("536-70-1234", "ITIN"),  # does not start with 9
    ("912-70-0000", "ITIN"),  # serial 0000
    ("999-99-9999", "ITIN"),  # all the same digit
    ("INV-2023-000123", ""),
    ("Order 912-70-12345", ""),
    ("Budget $912,701,234", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "US_ITIN"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)
