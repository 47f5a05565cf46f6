"""US Individual Taxpayer Identification Numbers (US_ITIN).

ITINs are issued to people who cannot get an SSN — often immigrants, so they matter here. They
start with 9 and the middle two digits fall in the IRS ranges 50-65, 70-88, 90-92 and 94-99,
which no SSN uses. Bare nine digits need an ITIN context word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords, all_same

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z\-/.])(9[0-9]{2})([- ]?)([0-9]{2})\2([0-9]{4})(?![0-9A-Za-z\-/]|\.[0-9])"
)

CONTEXT = ContextWords(
    [
        r"itin",
        r"individual\s+taxpayer(?:\s+identification(?:\s+number)?)?",
        r"taxpayer\s+id(?:entification)?(?:\s+(?:number|no\.?|#))?",
        r"tax\s+id",
        r"n[uú]mero\s+de\s+identificaci[oó]n\s+(?:personal\s+)?del\s+contribuyente",
    ],
    label_only=[r"tin"],
)


def itin_group_ok(group: int) -> bool:
    """The IRS ranges for the 4th and 5th digits of an ITIN."""
    return 50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or 94 <= group <= 99


class UsItinDetector:
    """US_ITIN: 9xx-GG-xxxx with a valid ITIN group; bare digits only with context."""

    id: str = "us-itin"
    entities: tuple[str, ...] = ("US_ITIN",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 9 or "9" not in text:
            return
        for m in _CANDIDATE.finditer(text):
            if not itin_group_ok(int(m.group(3))) or m.group(4) == "0000":
                continue
            if all_same(m.group(1) + m.group(3) + m.group(4)):
                continue
            sep = m.group(2)
            hit = CONTEXT.find(text, m.start(), context)
            if sep == "" and hit is None:
                continue
            parts = [
                "9-digit number in ITIN format (starts with 9, middle digits in an IRS ITIN range)"
            ]
            if hit is not None:
                parts.append(hit.describe())
                confidence = 0.95
            else:
                parts.append("no ITIN context word nearby")
                confidence = 0.7 if sep == "-" else 0.5
            yield Match(
                entity="US_ITIN",
                start=m.start(),
                end=m.end(),
                value=m.group(0),
                confidence=confidence,
                detector=self.id,
                explanation="; ".join(parts),
            )
