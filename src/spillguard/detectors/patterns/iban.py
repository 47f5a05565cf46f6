"""International Bank Account Numbers (IBAN).

Country code, two check digits and a national account part, written compact or in groups of four.
python-stdnum validates the country's length and layout and the ISO 7064 mod-97 checksum, which
lets a random string through about once in a hundred — and the country layout cuts that further.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban as stdnum_iban

from spillguard.detectors.base import Match

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z])([A-Z]{2}[0-9]{2}(?:[ ]?[0-9A-Z]{4}){2,7}(?:[ ]?[0-9A-Z]{1,4})?)"
    r"(?![0-9A-Za-z])"
)
_CC = re.compile(r"[A-Z]{2}[0-9]{2}")


class IbanDetector:
    """IBAN: validated with stdnum.iban (country layout + mod-97), with or without spaces."""

    id: str = "iban"
    entities: tuple[str, ...] = ("IBAN",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 15 or not _CC.search(text):
            return
        for m in _CANDIDATE.finditer(text):
            raw = m.group(1)
            end = _longest_valid(raw)
            if end is None:
                continue
            value = raw[:end]
            yield Match(
                entity="IBAN",
                start=m.start(),
                end=m.start() + end,
                value=value,
                confidence=0.95,
                detector=self.id,
                explanation=(
                    f"bank account number (IBAN, country {value[:2]}); length, layout and "
                    "mod-97 check digits are valid"
                ),
            )


def _longest_valid(raw: str) -> int | None:
    """Length of the longest prefix of `raw` (cut at a group boundary) that is a valid IBAN.

    A greedy match can swallow a following group ("DE89 3704 ... 00 1234"), so shorter prefixes
    are tried before giving up.
    """
    cuts = [len(raw)] + [i for i in range(len(raw) - 1, 14, -1) if raw[i] == " "]
    for cut in cuts:
        if stdnum_iban.is_valid(raw[:cut]):
            return cut
    return None
