"""date-of-birth: a valid date + a birth context word + a plausible age."""

from __future__ import annotations

import datetime as dt

import pytest

from spillguard.detectors.patterns import DateOfBirthDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = DateOfBirthDetector()
NEXT_YEAR = dt.date.today().year + 1

MUST_FLAG: list[FlagRow] = [
    ("1990-05-17", "DOB", "1990-05-17"),
    ("1990-05-17 00:00:00", "DateOfBirth", "1990-05-17 00:00:00"),
    ("05/17/1990", "Date of Birth", "05/17/1990"),
    ("17/05/1990", "date_of_birth", "17/05/1990"),
    ("17.05.1990", "Fecha de nacimiento", "17.05.1990"),
    ("Born May 17, 1990 in Guatemala", "", "May 17, 1990"),
    ("D.O.B.: 17 May 1990", "", "17 May 1990"),
    ("nacido el 17 de mayo de 1990", "", "17 de mayo de 1990"),
    ("née le 3 mars 1985", "", "3 mars 1985"),
    ("03/04/85", "Birth Date", "03/04/85"),
    ("19900517", "DOB", "19900517"),
    ("Name: J. Doe, DOB 1961-12-01, A-Number on file", "", "1961-12-01"),
    ("F. Nac.: 01-02-2001", "", "01-02-2001"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("1990-05-17", ""),  # a date with no birth context is an event date
    ("The hearing is on May 17, 2024", ""),
    ("Report published 17/05/2023", "Published"),
    ("2023-10-15", "Date"),
    ("Born in 1990", ""),  # a year is not a date of birth
    (f"{NEXT_YEAR}-01-15", "DOB"),  # in the future
    ("1850-03-01", "Date of birth"),  # more than 120 years ago
    ("1990-13-45", "DOB"),  # not a calendar date
    ("Invoice INV-2023-000123", "DOB"),
    ("unknown", "DOB"),
    ("Total $1,234,567", "Date of birth"),
    ("The program was launched on 2020-01-05; events dated 2021-02-03", ""),
    ("Born 1987. Meeting on 2023-05-17 to review the file", ""),  # birth word in another sentence
    ("The program was born in 2019; first hearing 2020-01-05", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "DATE_OF_BIRTH"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_explanation_names_the_birth_context() -> None:
    m = assert_flags(DETECTOR, "1990-05-17", "DOB", "1990-05-17")
    assert "birth context word 'dob' in the column header" in m.explanation
