"""credit-card: 13-19 digits, card groupings, Luhn, known issuer prefixes."""

from __future__ import annotations

import pytest

from spillguard.detectors.patterns import CreditCardDetector
from spillguard.detectors.patterns.credit_card import card_network
from tests.detectors._tables import FlagRow, NoFlagRow, assert_flags, assert_no_flag

DETECTOR = CreditCardDetector()

MUST_FLAG: list[FlagRow] = [
    ("Card 4556 7375 8689 9855", "", "4556 7375 8689 9855"),  # Visa
    ("4556737586899855", "Card", "4556737586899855"),
    ("4556-7375-8689-9855", "", "4556-7375-8689-9855"),
    ("5425 2334 3010 9903", "", "5425 2334 3010 9903"),  # Mastercard
    ("2223 0000 4841 0010", "", "2223 0000 4841 0010"),  # Mastercard 2-series
    ("3714 496353 98431", "", "3714 496353 98431"),  # Amex 4-6-5
    ("6011 0009 9013 9424", "", "6011 0009 9013 9424"),  # Discover
    ("3566 0020 2036 0505", "", "3566 0020 2036 0505"),  # JCB
    ("4111111111111111", "", "4111111111111111"),  # test card: low confidence, still shown
]

MUST_NOT_FLAG: list[NoFlagRow] = [
    ("4556 7375 8689 9856", ""),  # Luhn fails
    ("9556 7375 8689 9851", ""),  # no network starts with 9
    ("1234 5678 9012 3456", ""),
    ("4556 7375 8689", ""),  # 12 digits
    ("45567375868998551234", ""),  # 20 digits
    ("4556 73758 6899855", ""),  # not a card grouping
    ("0000 0000 0000 0000", ""),
    ("Invoice INV-2023-000123", ""),
    ("Total $4,556,737,586,899,855", ""),
    ("+44 20 7946 0958", ""),
    ("DE89 3704 0044 0532 0130 00", ""),
]


@pytest.mark.parametrize(("text", "context", "expected"), MUST_FLAG)
def test_must_flag(text: str, context: str, expected: str) -> None:
    assert assert_flags(DETECTOR, text, context, expected).entity == "CREDIT_CARD"


@pytest.mark.parametrize(("text", "context"), MUST_NOT_FLAG)
def test_must_not_flag(text: str, context: str) -> None:
    assert_no_flag(DETECTOR, text, context)


def test_test_card_is_low_confidence() -> None:
    test = assert_flags(DETECTOR, "4111111111111111", "", "4111111111111111")
    real = assert_flags(DETECTOR, "4556737586899855", "", "4556737586899855")
    assert test.confidence < real.confidence
    assert card_network("378282246310005") == "American Express"
