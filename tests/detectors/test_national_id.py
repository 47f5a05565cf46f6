"""national-id: CURP alone; CPF, DNI/NIE, PESEL, Aadhaar validated with python-stdnum."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import NationalIdDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = NationalIdDetector()

MUST_FLAG: list[FlagRow] = [
    ("CURP: BOXW310820HNERXN09", "", "BOXW310820HNERXN09"),
    ("HEGG560427MVZRRL04", "", "HEGG560427MVZRRL04"),  # CURP needs no context
    ("CPF 390.533.447-05", "", "390.533.447-05"),
    ("390.533.447-05", "", "390.533.447-05"),  # formatted CPF alone
    ("39053344705", "CPF", "39053344705"),
    ("DNI: 54362315K", "", "54362315K"),
    ("X2482300W", "", "X2482300W"),  # NIE alone
    ("NIE Y-1234567-X", "", "Y-1234567-X"),
    ("PESEL 44051401359", "", "44051401359"),
    ("2341 2341 2346", "Aadhaar", "2341 2341 2346"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("BOXW310820HNERXN08", ""),  # CURP check digit wrong
    ("39053344705", ""),  # bare CPF digits need context
    ("CPF 390.533.447-06", ""),  # CPF check digits wrong
    ("111.111.111-11", "CPF"),  # placeholder that passes the checksum
    ("54362315K", ""),  # DNI needs context
    ("DNI: 54362315A", ""),  # wrong check letter
    ("44051401359", ""),  # PESEL needs context
    ("234123412346", ""),  # Aadhaar needs context
    ("Invoice INV-2023-000123", "DNI"),
    ("Order 12345678Z", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "NATIONAL_ID"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)
