"""gps-coordinates: DMS and marked decimal pairs anywhere; bare decimal pairs only with context."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import GpsCoordinatesDetector
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = GpsCoordinatesDetector()

MUST_FLAG: list[FlagRow] = [
    ("GPS 38.897700, -77.036500", "gps", "38.897700, -77.036500"),  # the image reader's form
    ("GPS 38.897700, -77.036500", "", "38.897700, -77.036500"),
    ("38.8977, -77.0365", "Coordinates", "38.8977, -77.0365"),
    ("Last known location: 40.7128, -74.0060 (home)", "", "40.7128, -74.0060"),
    ("lat: 51.5034, lon: -0.1276", "", "lat: 51.5034, lon: -0.1276"),
    ("latitude=-33.8568&longitude=151.2153", "", "latitude=-33.8568&longitude=151.2153"),
    ("38°53'51.7\"N 77°02'11.4\"W", "", "38°53'51.7\"N 77°02'11.4\"W"),
    ("taken at 48° 51′ 29.6″ N, 2° 17′ 40.2″ E", "", "48° 51′ 29.6″ N, 2° 17′ 40.2″ E"),
    ("N 19°25.978' W 99°07.985'", "", "N 19°25.978' W 99°07.985'"),
    ("38.8977° N, 77.0365° W", "", "38.8977° N, 77.0365° W"),
    ("https://maps.example.com/@-22.9519,-43.2105,17z", "", "-22.9519,-43.2105"),
    ("19.4326 -99.1332", "Lat/Long", "19.4326 -99.1332"),
    ("Ubicación: 4.7110, -74.0721", "", "4.7110, -74.0721"),
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("38.8977, -77.0365", ""),  # a bare pair without context could be anything
    ("Total 1234.5678, 98.7654", ""),
    ("Scores: 12.345, 67.890", ""),
    ("Python 3.11.4, 3.12.1 supported", "Version"),
    ("version 38.8977, 77.0365", ""),
    ("Logged at 12:30:45.123, 13:01:02.456", ""),
    ("GPS 95.123456, 10.123456", ""),  # latitude out of range
    ("GPS 45.123456, 190.123456", ""),  # longitude out of range
    ("GPS 0.000000, 0.000000", ""),  # the no-fix placeholder
    ("GPS 38.9, -77.0", ""),  # too coarse to place a person
    ("location 38.8977", ""),  # one number is not a position
    ("IP 81.2.69.160", "location"),
    ("Amounts: $1,234.567, $2,345.678", "location"),
    ("Rate 4.125, 4.250 (location adjustment)", ""),
    ("The angle is 45° and the slope 12'", ""),
    ("38°53'51.7\" 77°02'11.4\"", ""),  # no hemisphere letters: angles, not a position
    ("95°53'51.7\"N 77°02'11.4\"W", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "GPS_COORDINATES"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_marked_pairs_are_more_certain_than_context_pairs() -> None:
    dms = assert_flags(DETECTOR, "38°53'51.7\"N 77°02'11.4\"W", "", "38°53'51.7\"N 77°02'11.4\"W")
    ctx = assert_flags(DETECTOR, "GPS 38.897700, -77.036500", "", "38.897700, -77.036500")
    assert dms.confidence > ctx.confidence
    assert "context word 'GPS'" in ctx.explanation


def test_one_match_per_position() -> None:
    matches = list(DETECTOR.find("lat: 51.5034, lon: -0.1276 and GPS 38.897700, -77.036500"))
    assert len(matches) == 2
