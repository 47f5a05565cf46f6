"""Dates of birth (DATE_OF_BIRTH).

A date is only a birth date when something says so: a birth word in the column header or label
(DOB, date of birth, fecha de nacimiento, date de naissance...) or just before the date in the text
("born 17 May 1990"). Dates without that context are event dates and are never reported. The date
must also give a plausible age: born between 120 years ago and today.

Formats: ISO (1990-05-17, also with a time as spreadsheets export it), numeric day/month/year in
either order (05/17/1990, 17.05.1990, 17-05-90), and month names in English, Spanish, French,
Portuguese and German ("May 17, 1990", "17 de mayo de 1990", "17 mai 1990").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextHit, ContextWords

MAX_AGE_YEARS = 120

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan enero ene janvier janv janeiro januar jän",
        "february feb febrero février fevrier févr fevr fevereiro fev februar",
        "march mar marzo mars março marco märz marz mär",
        "april apr abril abr avril avr",
        "may mayo mai maio",
        "june jun junio juin junho juni",
        "july jul julio juillet juil julho juli",
        "august aug agosto ago août aout augusto",
        "september sep sept septiembre setiembre sept septembre setembro set",
        "october oct octubre octobre outubro out oktober okt",
        "november nov noviembre novembre novembro",
        "december dec diciembre dic décembre decembre déc dezembro dez dezember",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH_ALT = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
_TIME = r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?"

_ISO = re.compile(
    rf"(?<![0-9./\-])(?P<y>(?:18|19|20)[0-9]{{2}})(?P<s>[-/.])(?P<m>[0-9]{{1,2}})(?P=s)"
    rf"(?P<d>[0-9]{{1,2}}){_TIME}(?![0-9]|[./\-][0-9])"
)
_NUMERIC = re.compile(
    rf"(?<![0-9./\-])(?P<a>[0-9]{{1,2}})(?P<s>[/.\-])(?P<b>[0-9]{{1,2}})(?P=s)"
    rf"(?P<y>[0-9]{{4}}|[0-9]{{2}}){_TIME}(?![0-9]|[./\-][0-9])"
)
_DAY_MONTH = re.compile(
    rf"(?<![0-9A-Za-z])(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th|er|º|°|o)?\.?(?:\s+(?:de|of))?[\s\-/]+"
    rf"(?P<mon>{_MONTH_ALT})\.?,?(?:\s+(?:del?|of))?[\s\-/]+(?P<y>[0-9]{{4}})(?![0-9])",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?<![0-9A-Za-z])(?P<mon>{_MONTH_ALT})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+"
    rf"(?P<y>[0-9]{{4}})(?![0-9])",
    re.IGNORECASE,
)
#: 8 compact digits (19900517) only under a birth-date header
_COMPACT = re.compile(r"^\s*(?P<y>(?:18|19|20)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})\s*$")
_DIGIT = re.compile(r"[0-9]")

CONTEXT = ContextWords(
    [
        r"d\.?\s?o\.?\s?b\.?",
        r"d/o/b",
        r"date\s+of\s+birth",
        r"birth\s*-?\s*date",
        r"born(?:\s+on)?",
        r"n[ée]e?\s+le",
        r"fecha\s+de\s+nacimiento",
        r"fec(?:ha)?\.?\s*(?:de\s+)?nac(?:imiento|\.)?",
        r"f\.\s*(?:de\s+)?nac(?:imiento|\.)?",
        r"nacimiento",
        r"nacid[oa]",
        r"naci[oó]",
        r"date\s+de\s+naissance",
        r"naissance",
        r"geburtsdatum",
        r"geboren(?:\s+am)?",
        r"geb\.",
        r"data\s+de\s+nascimento",
        r"nascimento",
        r"nascid[oa]",
    ],
    label_only=[r"birth", r"fnac", r"f\s?nac", r"dob\w*", r"geb"],
)

_FORMAT_NAMES = {
    "iso": "year-month-day (ISO) date",
    "numeric": "numeric day/month/year date",
    "day_month": "date with the month written as a word",
    "month_day": "date with the month written as a word",
    "compact": "8-digit year-month-day date",
}


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _expand_year(yy: str, today: dt.date) -> int:
    if len(yy) == 4:
        return int(yy)
    y = int(yy)
    return 2000 + y if 2000 + y <= today.year else 1900 + y


class DateOfBirthDetector:
    """DATE_OF_BIRTH: a valid date with a plausible age, next to a birth context word."""

    id: str = "date-of-birth"
    entities: tuple[str, ...] = ("DATE_OF_BIRTH",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 6 or not _DIGIT.search(text):
            return
        label_hit = CONTEXT.in_label(context)
        if label_hit is None and not CONTEXT.in_text(text):
            return
        today = dt.date.today()
        taken: list[tuple[int, int]] = []
        candidates: list[tuple[int, int, str, list[dt.date]]] = []
        for kind, regex in (
            ("iso", _ISO),
            ("day_month", _DAY_MONTH),
            ("month_day", _MONTH_DAY),
            ("numeric", _NUMERIC),
        ):
            for m in regex.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                dates = _parse(kind, m, today)
                if dates:
                    taken.append((m.start(), m.end()))
                    candidates.append((m.start(), m.end(), kind, dates))
        if not candidates and label_hit is not None:
            cm = _COMPACT.match(text)
            if cm is not None:
                date = _safe_date(int(cm["y"]), int(cm["m"]), int(cm["d"]))
                if date is not None:
                    candidates.append((cm.start("y"), cm.end("d"), "compact", [date]))
        candidates.sort()
        for start, end, kind, dates in candidates:
            hit = label_hit or CONTEXT.near(text, start)
            if hit is None:
                continue
            plausible = [d for d in dates if _plausible(d, today)]
            if not plausible:
                continue
            yield self._match(text, start, end, kind, len(plausible) > 1, hit)

    def _match(
        self, text: str, start: int, end: int, kind: str, ambiguous: bool, hit: ContextHit
    ) -> Match:
        parts = [_FORMAT_NAMES[kind]]
        if ambiguous:
            parts.append("day and month could be either way round; both give a valid date")
        parts.append(f"birth {hit.describe()}")
        parts.append(f"the age it implies is plausible (0-{MAX_AGE_YEARS} years)")
        return Match(
            entity="DATE_OF_BIRTH",
            start=start,
            end=end,
            value=text[start:end],
            confidence=0.95 if hit.where.startswith("the column") else 0.9,
            detector=self.id,
            explanation="; ".join(parts),
        )


def _parse(kind: str, m: re.Match[str], today: dt.date) -> list[dt.date]:
    """Every calendar date the match can mean (numeric dates may be read both ways)."""
    if kind == "iso":
        date = _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
        return [date] if date else []
    if kind in ("day_month", "month_day"):
        month = MONTHS.get(m["mon"].lower())
        date = _safe_date(int(m["y"]), month, int(m["d"])) if month else None
        return [date] if date else []
    year = _expand_year(m["y"], today)
    a, b = int(m["a"]), int(m["b"])
    out = []
    for day, month in ((a, b), (b, a)):
        date = _safe_date(year, month, day)
        if date is not None and date not in out:
            out.append(date)
    return out


def cell_date(value: str, *, today: dt.date | None = None) -> dt.date | None:
    """The date a whole cell holds (any format this detector reads), or None.

    Day and month that could be either way round give the first reading: only the year matters
    to the callers (is this column spread over decades, like birth dates?).
    """
    v = value.strip()
    if not 6 <= len(v) <= 40 or not _DIGIT.search(v):
        return None
    today = today or dt.date.today()
    for kind, regex in (
        ("iso", _ISO),
        ("day_month", _DAY_MONTH),
        ("month_day", _MONTH_DAY),
        ("numeric", _NUMERIC),
    ):
        m = regex.match(v)
        if m is not None and m.end() == len(v):
            dates = _parse(kind, m, today)
            return dates[0] if dates else None
    return None


def _plausible(date: dt.date, today: dt.date) -> bool:
    oldest = _safe_date(today.year - MAX_AGE_YEARS, today.month, 1)
    return oldest is not None and oldest <= date <= today
