"""Passport numbers (PASSPORT_NUMBER).

Passport numbers have no common layout (6-9 letters and digits), so a bare token is reported
only with a context word: passport, pasaporte, passeport, travel document... The machine-readable
zone (MRZ) printed on a passport's data page is different: its layout and check digits are
standardised (ICAO 9303, TD3), so a validated MRZ line is reported without context. It also holds
the holder's name, nationality and birth date, which the explanation says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords, all_same

_TOKEN = re.compile(r"(?<![0-9A-Za-z\-/.])([A-Za-z0-9]{6,9})(?![0-9A-Za-z]|[-/.][0-9A-Za-z])")
_DIGIT = re.compile(r"[0-9]")
_YYYYMMDD = re.compile(r"(?:19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")

#: TD3 line 2 (44 characters); groups: document number, its check digit, the rest
_MRZ_LINE2 = re.compile(
    r"(?<![A-Z0-9<])([A-Z0-9<]{9})([0-9])([A-Z<]{3})([0-9]{6})([0-9])([MFX<])([0-9]{6})([0-9])"
    r"([A-Z0-9<]{14})([0-9<])([0-9])(?![A-Z0-9<])"
)
_MRZ_LINE1 = re.compile(r"P[A-Z<][A-Z<]{3}[A-Z<]{39}[ \t]*\r?\n[ \t]*\Z")

CONTEXT = ContextWords(
    [
        r"passport(?:\s+(?:number|no\.?|#|num|nr\.?))?",
        r"pasaporte",
        r"passeport",
        r"passaporte",
        r"passaporto",
        r"reisepass",
        r"travel\s+document(?:\s+(?:number|no\.?|#))?",
        r"documento\s+de\s+viaje",
        r"ppt\s+(?:no\.?|#|number)",
    ],
    label_only=[r"ppt", r"pp\s?(?:no|#|number)"],
)

_MRZ_VALUES = (
    {str(d): d for d in range(10)} | {chr(ord("A") + i): 10 + i for i in range(26)} | {"<": 0}
)


def mrz_check_digit(field: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating, sum modulo 10."""
    weights = (7, 3, 1)
    return sum(_MRZ_VALUES[c] * weights[i % 3] for i, c in enumerate(field)) % 10


def mrz_line2_valid(line: str) -> bool:
    """All five check digits of a TD3 second line (document, birth, expiry, optional, composite)."""
    if len(line) != 44:
        return False
    checks = ((0, 9, 9), (13, 19, 19), (21, 27, 27))
    for start, end, check in checks:
        if mrz_check_digit(line[start:end]) != int(line[check]):
            return False
    personal, personal_check = line[28:42], line[42]
    if personal_check == "<":
        if personal.strip("<"):
            return False
    elif mrz_check_digit(personal) != int(personal_check):
        return False
    composite = line[0:10] + line[13:20] + line[21:43]
    return mrz_check_digit(composite) == int(line[43])


def _plausible_number(token: str) -> bool:
    digits = sum(c.isdigit() for c in token)
    if digits < 3 or all_same(token.upper()):
        return False
    # dates written as 8 digits are not document numbers
    return not (digits == 8 and len(token) == 8 and _YYYYMMDD.fullmatch(token))


class PassportNumberDetector:
    """PASSPORT_NUMBER: 6-9 letters/digits next to a passport word; or a valid TD3 MRZ."""

    id: str = "passport-number"
    entities: tuple[str, ...] = ("PASSPORT_NUMBER",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 6 or not _DIGIT.search(text):
            return
        mrz_spans: list[tuple[int, int]] = []
        if len(text) >= 44 and "<" in text:
            for match in self._find_mrz(text):
                mrz_spans.append((match.start, match.end))
                yield match
        label_hit = CONTEXT.in_label(context)
        if label_hit is None and not CONTEXT.in_text(text):
            return
        for m in _TOKEN.finditer(text):
            if any(s <= m.start() < e for s, e in mrz_spans):
                continue
            token = m.group(1)
            if not _plausible_number(token):
                continue
            hit = label_hit or CONTEXT.near(text, m.start())
            if hit is None:
                continue
            yield Match(
                entity="PASSPORT_NUMBER",
                start=m.start(),
                end=m.end(),
                value=token,
                confidence=0.85 if any(c.isalpha() for c in token) else 0.8,
                detector=self.id,
                explanation=(
                    f"{len(token)}-character document number (letters and digits); {hit.describe()}"
                ),
            )

    def _find_mrz(self, text: str) -> Iterator[Match]:
        for m in _MRZ_LINE2.finditer(text):
            if not mrz_line2_valid(m.group(0)):
                continue
            start = m.start()
            line1 = _MRZ_LINE1.search(text, max(0, start - 60), start)
            with_line1 = line1 is not None
            if line1 is not None:
                start = line1.start()
            explanation = (
                "passport machine-readable zone (ICAO TD3); document, birth-date and expiry "
                "check digits are valid; it also encodes the holder's nationality and birth date"
            )
            if with_line1:
                explanation += ", and the name line is present"
            yield Match(
                entity="PASSPORT_NUMBER",
                start=start,
                end=m.end(),
                value=text[start : m.end()],
                confidence=0.99,
                detector=self.id,
                explanation=explanation,
            )
