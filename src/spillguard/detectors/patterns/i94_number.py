"""I-94 arrival/departure record numbers (I94_NUMBER).

Eleven characters: eleven digits (older paper records) or nine digits, a letter and a digit (the
electronic format since 2013). Eleven-digit numbers are common (phone numbers with a country code,
account numbers), so a context word is required: I-94, arrival/departure record, admission number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords, all_same, only_digits

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z\-/.])([0-9]{9}[A-Za-z][0-9]|[0-9]{11})(?![0-9A-Za-z]|[-/.][0-9])"
)
_DIGIT_RUN = re.compile(r"[0-9]{9}")

CONTEXT = ContextWords(
    [
        r"i-?\s?94(?:\s?(?:number|no\.?|#|record))?",
        r"arrival\s*/?\s*departure(?:\s+record)?",
        r"admission\s+(?:record\s+)?(?:number|no\.?|#)",
        r"registro\s+de\s+(?:entrada|llegada)",
        r"n[uú]mero\s+de\s+admisi[oó]n",
    ],
    label_only=[r"admission\s+(?:record|id)", r"i94"],
)


class I94NumberDetector:
    """I94_NUMBER: 11 digits or 9 digits + letter + digit, context required."""

    id: str = "i94-number"
    entities: tuple[str, ...] = ("I94_NUMBER",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 11 or not _DIGIT_RUN.search(text):
            return
        for m in _CANDIDATE.finditer(text):
            value = m.group(1)
            if all_same(only_digits(value)):
                continue
            hit = CONTEXT.find(text, m.start(), context)
            if hit is None:
                continue
            layout = (
                "11 characters in the electronic I-94 layout (9 digits, a letter, a digit)"
                if value[9].isalpha()
                else "11-digit number in the paper I-94 layout"
            )
            yield Match(
                entity="I94_NUMBER",
                start=m.start(),
                end=m.end(),
                value=value,
                confidence=0.92 if value[9].isalpha() else 0.85,
                detector=self.id,
                explanation=f"{layout}; {hit.describe()}",
            )
