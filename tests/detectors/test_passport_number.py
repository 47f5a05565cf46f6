"""passport-number: context-required document numbers, and validated TD3 MRZ lines."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import PassportNumberDetector
from spillguard.detectors.patterns.passport_number import mrz_check_digit, mrz_line2_valid
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = PassportNumberDetector()

# the ICAO 9303 specimen passport (fictional holder, valid check digits)
MRZ1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
MRZ2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
MRZ_BAD = MRZ2[:13] + "7408123" + MRZ2[20:]  # birth-date check digit broken

MUST_FLAG: list[FlagRow] = [
    ("Passport number: X1234567", "", "X1234567"),
    ("C03005988", "Passport No", "C03005988"),
    ("AB1234567", "passport_number", "AB1234567"),
    ("Pasaporte: G12345678", "", "G12345678"),
    ("passeport n° 12AB34567", "", "12AB34567"),
    ("travel document 5432109", "", "5432109"),
    ("123456789", "Passport", "123456789"),
    (f"{MRZ1}\n{MRZ2}", "", f"{MRZ1}\n{MRZ2}"),
    (f"scan text {MRZ2} end", "", MRZ2),
    ("N0012345", "PassportNumber", "N0012345"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("X1234567", ""),  # no context
    ("Order 123456789", ""),
    ("Apply for a passport at the post office", ""),
    ("Passport photo 2x2 inches", ""),
    ("passport issued 20190415", ""),  # a date, not a number
    ("Passport expires 2031", ""),
    ("passport fee $130", ""),
    ("Passport office: room ABCDEF", ""),  # no digits
    (MRZ_BAD, ""),
    ("passport: 1111111", ""),  # placeholder
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "PASSPORT_NUMBER"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_mrz_check_digits_follow_icao() -> None:
    # ICAO 9303 part 3 worked examples
    assert mrz_check_digit("L898902C3") == 6
    assert mrz_check_digit("740812") == 2
    assert mrz_check_digit("120415") == 9
    assert mrz_line2_valid(MRZ2)
    assert not mrz_line2_valid(MRZ_BAD)
