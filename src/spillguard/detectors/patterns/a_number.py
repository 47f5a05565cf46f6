"""USCIS alien registration numbers (A_NUMBER).

An A-number is "A" followed by 7 to 9 digits (older numbers are shorter and are padded with
leading zeros to 9). With the letter it is distinctive enough to report in prose; without it,
digits count only when a context word (a column header "A-Number", "alien registration", "A#",
"número de extranjero"...) says what they are — otherwise any nine digits would match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords, all_same, only_digits

_DIGITS = r"(?:[0-9]{3}[- ][0-9]{3}[- ][0-9]{3}|[0-9]{7,9})"

#: "A" + optional separator ("-", " ", "#", "-#", ": ") + digits
_WITH_PREFIX = re.compile(
    rf"(?<![0-9A-Za-z\-#/.])([Aa])(?:\s?#\s?|[-.]\s?|\s)?({_DIGITS})(?![0-9A-Za-z]|[-/][0-9])"
)
#: digits alone (context required)
_BARE = re.compile(rf"(?<![0-9A-Za-z\-/.])({_DIGITS})(?![0-9A-Za-z]|[-/][0-9])")
_DIGIT = re.compile(r"[0-9]")

CONTEXT = ContextWords(
    [
        r"a-\s?(?:number|num|nbr|no\.?)",
        r"a_number",
        r"anumber",
        r"a\s?#",
        r"alien\s+(?:registration\s+)?(?:number|no\.?|#)",
        r"alien\s+reg(?:istration|\.)?",
        r"alien\s+file",
        r"uscis\s+(?:number|no\.?|#)",
        r"n[uú]mero\s+a",
        r"n[uú]mero\s+de\s+(?:registro\s+de\s+)?extranjero",
        r"registro\s+de\s+extranjero",
        r"num[eé]ro\s+d'[eé]tranger",
    ],
    label_only=[r"a\s+(?:number|num|nbr|no\.?)", r"a\s?nr\.?", r"alien\s+id"],
)


def normalise_a_number(value: str) -> str:
    """The canonical form: 9 digits, zero-padded (``A-1234567`` -> ``001234567``)."""
    return only_digits(value).zfill(9)


def _valid(digits: str) -> bool:
    return 7 <= len(digits) <= 9 and not all_same(digits.lstrip("0") or "0") and int(digits) > 0


class ANumberDetector:
    """A_NUMBER: A123456789, A-123-456-789, A#1234567; bare digits with context."""

    id: str = "a-number"
    entities: tuple[str, ...] = ("A_NUMBER",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 7 or not _DIGIT.search(text):
            return
        taken: list[tuple[int, int]] = []
        for m in _WITH_PREFIX.finditer(text):
            digits = only_digits(m.group(2))
            if not _valid(digits):
                continue
            hit = CONTEXT.find(text, m.start(), context)
            lower = m.group(1) == "a"
            if lower and hit is None:
                continue  # "a 1234567" is English; need context for a lower-case prefix
            parts = [f"'A' followed by {len(digits)} digits, the USCIS A-number layout"]
            if hit is not None:
                parts.append(hit.describe())
                confidence = 0.98
            else:
                confidence = 0.85 if len(digits) >= 8 else 0.7
                parts.append("no A-number context word nearby")
            taken.append((m.start(), m.end()))
            yield self._match(m.start(), m.end(), m.group(0), confidence, parts)
        for m in _BARE.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            digits = only_digits(m.group(1))
            if not _valid(digits):
                continue
            hit = CONTEXT.find(text, m.start(), context)
            if hit is None:
                continue
            parts = [
                f"{len(digits)}-digit number without the 'A' prefix",
                hit.describe(),
            ]
            confidence = 0.9 if len(digits) == 9 else 0.75
            yield self._match(m.start(), m.end(), m.group(0), confidence, parts)

    def _match(
        self, start: int, end: int, value: str, confidence: float, parts: list[str]
    ) -> Match:
        return Match(
            entity="A_NUMBER",
            start=start,
            end=end,
            value=value,
            confidence=confidence,
            detector=self.id,
            explanation="; ".join(parts),
        )
