"""Payment card numbers (CREDIT_CARD).

13-19 digits, unbroken or in the groupings printed on cards (4-4-4-4, 4-6-5...), that pass the
Luhn checksum and start with an issuer prefix (IIN) of a known card network with a length that
network uses. Luhn alone passes one random number in ten; the prefix and length rules cut that
further. Well-known test card numbers are reported with low confidence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn

from spillguard.detectors.base import Match
from spillguard.detectors.patterns._util import all_same

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z\-.,/])[0-9](?:[ \-]?[0-9]){12,18}(?![0-9A-Za-z]|[.,\-/][0-9])"
)
_DIGITS13 = re.compile(r"[0-9]{4}")
_GROUPS = re.compile(r"[0-9]+")

_ALLOWED_GROUPINGS = frozenset(
    {(4, 4, 4, 4), (4, 6, 5), (4, 6, 4), (4, 4, 4, 4, 3), (4, 4, 4, 4, 2), (4, 4, 4, 3), (4, 4, 5)}
)

#: well-known test numbers published by the card networks and processors
TEST_NUMBERS = frozenset(
    {
        "4111111111111111",
        "4012888888881881",
        "4242424242424242",
        "5555555555554444",
        "5105105105105100",
        "378282246310005",
        "371449635398431",
        "6011111111111117",
        "3530111333300000",
        "4000056655665556",
        "5200828282828210",
    }
)


def card_network(digits: str) -> str | None:
    """The card network whose IIN range and length fit `digits`, or None."""
    n = len(digits)
    p2, p3, p4, p6 = int(digits[:2]), int(digits[:3]), int(digits[:4]), int(digits[:6])
    if digits[0] == "4" and n in (13, 16, 19):
        return "Visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "Mastercard"
    if p2 in (34, 37) and n == 15:
        return "American Express"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "Discover"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39) or p4 == 3095) and 14 <= n <= 19:
        return "Diners Club"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "JCB"
    if p2 == 62 and 16 <= n <= 19:
        return "UnionPay"
    if (p2 in (50, 56, 57, 58) or p2 == 67 or p4 in (6304, 6759)) and 12 <= n <= 19:
        return "Maestro"
    if 2200 <= p4 <= 2204 and n == 16:
        return "Mir"
    return None


class CreditCardDetector:
    """CREDIT_CARD: Luhn-valid card numbers with a known network prefix."""

    id: str = "credit-card"
    entities: tuple[str, ...] = ("CREDIT_CARD",)

    def find(self, text: str, *, context: str = "") -> Iterator[Match]:
        if len(text) < 13 or not _DIGITS13.search(text):
            return
        for m in _CANDIDATE.finditer(text):
            raw = m.group(0)
            groups = _GROUPS.findall(raw)
            if len(groups) > 1:
                seps = {c for c in raw if not c.isdigit()}
                if len(seps) != 1 or tuple(len(g) for g in groups) not in _ALLOWED_GROUPINGS:
                    continue
            digits = "".join(groups)
            if all_same(digits) or not luhn.is_valid(digits):
                continue
            network = card_network(digits)
            if network is None:
                continue
            test = digits in TEST_NUMBERS
            explanation = (
                f"{len(digits)}-digit {network} card number; Luhn checksum valid; "
                "issuer prefix and length match the network"
            )
            if test:
                explanation += "; this is a published test card number, not a real card"
            yield Match(
                entity="CREDIT_CARD",
                start=m.start(),
                end=m.end(),
                value=raw,
                confidence=0.3 if test else 0.9,
                detector=self.id,
                explanation=explanation,
            )
