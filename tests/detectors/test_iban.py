"""iban: validated with stdnum.iban, compact or grouped."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import IbanDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = IbanDetector()

MUST_FLAG: list[FlagRow] = [
    ("IBAN: DE89 3704 0044 0532 0130 00", "", "DE89 3704 0044 0532 0130 00"),
    ("DE89370400440532013000", "", "DE89370400440532013000"),
    ("GB82 WEST 1234 5698 7654 32", "", "GB82 WEST 1234 5698 7654 32"),
    ("GB82WEST12345698765432", "Account", "GB82WEST12345698765432"),
    ("ES91 2100 0418 4502 0005 1332", "", "ES91 2100 0418 4502 0005 1332"),
    ("Pay to FR14 2004 1010 0505 0001 3M02 606.", "", "FR14 2004 1010 0505 0001 3M02 606"),
    ("NL91ABNA0417164300", "", "NL91ABNA0417164300"),
    ("DE89 3704 0044 0532 0130 00 1234 more", "", "DE89 3704 0044 0532 0130 00"),
    ("BE71 0961 2345 6769", "", "BE71 0961 2345 6769"),
    ("IT60 X054 2811 1010 0000 0123 456", "", "IT60 X054 2811 1010 0000 0123 456"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("DE89 3704 0044 0532 0130 01", ""),  # check digits fail
    ("DE88370400440532013000", ""),
    ("XX89370400440532013000", ""),  # no such country
    ("GB82 WEST 1234 5698 7654", ""),  # too short for GB
    ("Invoice INV-2023-000123", ""),
    ("AB12 CDEF GHIJ", ""),
    ("Order 4556737586899855", ""),
    ("ISO 8601 date 2023-10-15", ""),
    ("US12 3456 7890 1234 5678", ""),  # the US has no IBAN
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "IBAN"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)
