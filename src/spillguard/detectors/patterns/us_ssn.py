"""US Social Security numbers (US_SSN).

Dashed or spaced numbers in the SSN layout are reported on their own; nine bare digits only with
an SSN context word, because nine-digit numbers are everywhere (A-numbers, routing numbers, ZIP+4).
The SSA's structural rules reject numbers that were never issued: area 000, 666 and 900-999
(the 9xx range is ITINs), group 00, serial 0000, plus numbers famous from advertising.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import ContextWords, all_same

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z\-/.])([0-9]{3})([- ]?)([0-9]{2})\2([0-9]{4})(?![0-9A-Za-z\-/]|\.[0-9])"
)
_DIGIT = re.compile(r"[0-9]")

CONTEXT = ContextWords(
    [
        r"ssn(?:\s*(?:number|no\.?|#))?",
        r"ss\s?#",
        r"soc\.?\s*sec\.?",
        r"social\s+security(?:\s+(?:number|no\.?|#))?",
        r"seguro\s+social",
        r"n[uú]mero\s+de\s+seguro\s+social",
        r"s\.s\.n\.?",
    ],
    label_only=[r"ss\s?(?:no|num|number)"],
)

#: numbers known from advertising and specimen cards; never a real person's SSN
_KNOWN_INVALID = frozenset({"078051120", "219099999", "123456789", "457555462"})


def ssn_structure_ok(digits: str) -> bool:
    """SSA structural validity of 9 digits (area, group, serial) plus the known-invalid list."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area[0] == "9":
        return False
    if group == "00" or serial == "0000":
        return False
    return digits not in _KNOWN_INVALID and not all_same(digits)


class UsSsnDetector:
    """US_SSN: ddd-dd-dddd and ddd dd dddd; bare ddddddddd only with context."""

    id: str = "us-ssn"
    entities: tuple[str, ...] = ("US_SSN",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 9 or not _DIGIT.search(text):
            return
        for m in _CANDIDATE.finditer(text):
            digits = m.group(1) + m.group(3) + m.group(4)
            if not ssn_structure_ok(digits):
                continue
            sep = m.group(2)
            hit = CONTEXT.find(text, m.start(), context)
            if sep == "" and hit is None:
                continue
            layout = {
                "-": "9-digit number in SSN format (3-2-4 with dashes)",
                " ": "9-digit number in SSN format (3-2-4 with spaces)",
                "": "9 digits without separators",
            }[sep]
            parts = [layout, "area, group and serial numbers are valid"]
            if hit is not None:
                parts.append(hit.describe())
                confidence = 0.95 if sep else 0.85
            else:
                confidence = 0.75 if sep == "-" else 0.5
                parts.append("no SSN context word nearby")
            yield Match(
                entity="US_SSN",
                start=m.start(),
                end=m.end(),
                value=m.group(0),
                confidence=confidence,
                detector=self.id,
                explanation="; ".join(parts),
            )
