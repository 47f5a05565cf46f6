"""USCIS receipt numbers (USCIS_RECEIPT).

Every immigration case has one: three letters naming the service centre or field office that
received it, then ten digits (fiscal year, workday, sequence). The prefix list makes the pattern
specific enough to report without context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import all_same, only_digits

#: service centres (EAC, WAC, LIN, SRC, NBC, MSC, YSC, TSC, VSC, CSC, NSC), the ELIS online
#: prefix IOE, and field-office prefixes (Z + office code)
PREFIXES: tuple[str, ...] = (
    "EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "IOE", "YSC", "TSC", "VSC", "CSC", "NSC",
    "ZLA", "ZNY", "ZSF", "ZHN", "ZMI", "ZCH", "ZNK", "ZBO", "ZDA", "ZSE", "ZAT", "ZWA",
    "ZPH", "ZDE", "ZDC",
)  # fmt: skip

_PREFIX_SET = frozenset(PREFIXES)
#: three letters, then the digits; the prefix is checked against the set afterwards, which is
#: much faster than a case-insensitive alternation scanned at every position
_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])([A-Za-z]{3})[-\s]?"
    r"([0-9]{2}[-\s]?[0-9]{3}[-\s]?[0-9]{5}|[0-9]{10})(?![0-9A-Za-z]|-[0-9])"
)
#: every receipt number ends with at least five digits in a row
_FIVE_DIGITS = re.compile(r"[0-9]{5}")


class UscisReceiptDetector:
    """USCIS_RECEIPT: EAC2112345678, wac-21-123-45678, IOE 0912345678."""

    id: str = "uscis-receipt"
    entities: tuple[str, ...] = ("USCIS_RECEIPT",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 13 or not _FIVE_DIGITS.search(text):
            return
        for m in _CANDIDATE.finditer(text):
            if m.group(1).upper() not in _PREFIX_SET:
                continue
            digits = only_digits(m.group(2))
            if all_same(digits):
                continue
            yield Match(
                entity="USCIS_RECEIPT",
                start=m.start(),
                end=m.end(),
                value=m.group(0),
                confidence=0.95,
                detector=self.id,
                explanation=(
                    f"USCIS case receipt number: office prefix {m.group(1).upper()} "
                    "followed by 10 digits"
                ),
            )
