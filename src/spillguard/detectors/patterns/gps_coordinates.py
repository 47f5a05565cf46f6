"""GPS positions (GPS_COORDINATES): a latitude/longitude pair, in decimal degrees or in
degrees-minutes-seconds.

Why it matters: the position in a photo's EXIF data is often where the photographer lives; a
table of positions can place people at their homes. Why it needs care: a pair of decimals is also
an amount, a score or a version. So:

- degrees-minutes-seconds with hemisphere letters (``38°53'51.7"N 77°02'11.4"W``) and decimals
  with degree signs or hemisphere letters (``38.8977° N, 77.0365° W``) are unmistakable;
- a bare decimal pair (``38.8977, -77.0365``) counts only with context: a label or nearby word
  such as "GPS", "lat/long", "coordinates", "location", a maps link, or the ``GPS`` prefix the
  image reader writes; and only with at least three decimals (about 100 m: fewer is a district,
  not a home) and within range (latitude up to 90, longitude up to 180);
- ``0, 0`` is the "no fix" placeholder, never a position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextHit, ContextWords

GPS_CONTEXT = ContextWords(
    [
        r"gps",
        r"lat",
        r"latitude",
        r"lon",
        r"lng",
        r"longitude",
        r"lat\s*/\s*long?",
        r"coordinates?",
        r"coords?",
        r"geo(?:location|tag|tagged)?",
        r"location",
        r"position",
        r"maps?",
        r"coordenadas",
        r"ubicaci[oó]n",
        r"posici[oó]n",
        r"localisation",
    ],
    label_only=[r"long", r"place", r"where"],
)

_SIGN = r"[-+\u2212]?"
_DEC_LAT = rf"{_SIGN}\d{{1,2}}\.\d{{3,}}"
_DEC_LON = rf"{_SIGN}\d{{1,3}}\.\d{{3,}}"
_DEG = r"\s*°?"
_SEP = r"\s*[,;/]\s*|\s+"

_DECIMAL_PAIR = re.compile(
    rf"(?<![\w.\-+\u2212])"
    rf"(?P<lat>{_DEC_LAT})(?P<latdeg>{_DEG})\s*(?P<ns>[NS](?![A-Za-z]))?"
    rf"(?:{_SEP})"
    rf"(?P<lon>{_DEC_LON})(?P<londeg>{_DEG})\s*(?P<ew>[EW](?![A-Za-z]))?"
    rf"(?![\w]|\.\d)"
)

_LABELLED_PAIR = re.compile(
    rf"(?<![A-Za-z])lat(?:itude)?\s*[:=]?\s*(?P<lat>{_DEC_LAT})\s*[,;&]?\s*"
    rf"(?:lon|lng|long|longitude)\s*[:=]?\s*(?P<lon>{_DEC_LON})(?![\w]|\.\d)",
    re.IGNORECASE,
)

_SEC_MARK = r"(?:\"|″|''|”|’’)"
_MIN_MARK = r"(?:'|′|’)"


def _dms(axis: str, letters: str) -> str:
    return (
        rf"(?P<{axis}pre>[{letters}])?\s*"
        rf"(?P<{axis}d>\d{{1,3}})\s*°\s*"
        rf"(?P<{axis}m>\d{{1,2}}(?:\.\d+)?)\s*{_MIN_MARK}\s*"
        rf"(?:(?P<{axis}s>\d{{1,2}}(?:\.\d+)?)\s*{_SEC_MARK}\s*)?"
        rf"(?P<{axis}post>[{letters}](?![A-Za-z]))?"
    )


_DMS_PAIR = re.compile(
    rf"(?<![\w])(?:{_dms('a', 'NS')})\s*[,;/]?\s*(?:{_dms('b', 'EW')})",
)


def _num(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def _in_range(lat: float, lon: float) -> bool:
    return abs(lat) <= 90 and abs(lon) <= 180 and not (lat == 0 and lon == 0)


_DIGIT = re.compile(r"\d")


class GpsCoordinatesDetector:
    """GPS_COORDINATES: DMS or marked decimal pairs anywhere; bare decimal pairs with context."""

    id: str = "gps-coordinates"
    entities: tuple[str, ...] = ("GPS_COORDINATES",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 7 or not _DIGIT.search(text):
            return
        taken: list[tuple[int, int]] = []
        if "°" in text:
            for m in _DMS_PAIR.finditer(text):
                if self._dms_valid(m):
                    taken.append(m.span())
                    yield self._match(
                        m.start(),
                        m.end(),
                        text,
                        0.9,
                        "degrees-minutes-seconds pair with "
                        "hemisphere letters, within latitude/longitude ranges",
                    )
        for m in _LABELLED_PAIR.finditer(text):
            if _overlaps(m.span(), taken) or not _in_range(_num(m["lat"]), _num(m["lon"])):
                continue
            taken.append(m.span())
            yield self._match(
                m.start(),
                m.end(),
                text,
                0.85,
                "decimal latitude and longitude, each labelled, within range",
            )
        for m in _DECIMAL_PAIR.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            lat, lon = _num(m["lat"]), _num(m["lon"])
            if m["ns"] == "S":
                lat = -abs(lat)
            if m["ew"] == "W":
                lon = -abs(lon)
            if not _in_range(lat, lon):
                continue
            marked = bool(m["ns"] and m["ew"]) or ("°" in m["latdeg"] and "°" in m["londeg"])
            hit: ContextHit | None = None
            if not marked:
                hit = GPS_CONTEXT.find(text, m.start(), context)
                if hit is None:
                    continue
            explanation = (
                "decimal degrees pair with degree signs or hemisphere letters, within range"
                if marked
                else f"decimal degrees pair within latitude/longitude ranges; {hit.describe()}"
                if hit
                else ""
            )
            taken.append(m.span())
            yield self._match(m.start(), m.end(), text, 0.85 if marked else 0.8, explanation)

    @staticmethod
    def _dms_valid(m: re.Match[str]) -> bool:
        lat_letter = m["apre"] or m["apost"]
        lon_letter = m["bpre"] or m["bpost"]
        if not lat_letter or not lon_letter:
            return False
        for axis, limit in (("a", 90), ("b", 180)):
            if int(m[f"{axis}d"]) > limit or float(m[f"{axis}m"]) >= 60:
                return False
            if m[f"{axis}s"] is not None and float(m[f"{axis}s"]) >= 60:
                return False
        return True

    def _match(self, start: int, end: int, text: str, confidence: float, why: str) -> Match:
        value = text[start:end].rstrip()
        return Match(
            entity="GPS_COORDINATES",
            start=start,
            end=start + len(value),
            value=value,
            confidence=confidence,
            detector=self.id,
            explanation=f"GPS position: {why}",
        )


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)
