"""uscis-receipt: office prefix + 10 digits, with or without separators."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import UscisReceiptDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = UscisReceiptDetector()

MUST_FLAG: list[FlagRow] = [
    ("EAC2112345678", "", "EAC2112345678"),
    ("Receipt WAC-21-123-45678 pending", "", "WAC-21-123-45678"),
    ("lin2290012345", "", "lin2290012345"),
    ("SRC 19 045 12345", "", "SRC 19 045 12345"),
    ("IOE0912345678", "", "IOE0912345678"),
    ("NBC-2312345678", "", "NBC-2312345678"),
    ("case MSC2091234567.", "", "MSC2091234567"),
    ("YSC1990011234", "Receipt #", "YSC1990011234"),
    ("ZLA2201234567", "", "ZLA2201234567"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("ABC2112345678", ""),  # not a USCIS office prefix
    ("EAC211234567", ""),  # 9 digits
    ("EAC21123456789", ""),  # 11 digits
    ("EAC0000000000", ""),  # placeholder
    ("XEAC2112345678", ""),  # part of a longer code
    ("Invoice INV-2023-000123", ""),
    ("2112345678", "Receipt Number"),  # digits without the prefix
    ("EAC office in Vermont", ""),
    ("LINE2112345678", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "USCIS_RECEIPT"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)
