"""Validated pattern detectors: one module per detector, each with a stable ID.

In the style of Yelp's detect-secrets plugins: a detector is a small class with an ``id``, the
``entities`` it reports and ``find(text, *, context="")``. The same instances judge whole table
cells (the caller passes the column header as `context`) and free prose (context words are looked
for just before each match). Register them through ``spillguard.detectors.builtin``.
"""

from __future__ import annotations

from spillguard.detectors.base import TextDetector
from spillguard.detectors.patterns._util import compact, only_digits
from spillguard.detectors.patterns.a_number import ANumberDetector, normalise_a_number
from spillguard.detectors.patterns.credit_card import CreditCardDetector
from spillguard.detectors.patterns.date_of_birth import DateOfBirthDetector
from spillguard.detectors.patterns.email_address import EmailAddressDetector, is_role_address
from spillguard.detectors.patterns.gps_coordinates import GpsCoordinatesDetector
from spillguard.detectors.patterns.i94_number import I94NumberDetector
from spillguard.detectors.patterns.iban import IbanDetector
from spillguard.detectors.patterns.ip_address import IpAddressDetector
from spillguard.detectors.patterns.national_id import NationalIdDetector
from spillguard.detectors.patterns.passport_number import PassportNumberDetector
from spillguard.detectors.patterns.phone_number import PhoneNumberDetector
from spillguard.detectors.patterns.street_address import StreetAddressDetector
from spillguard.detectors.patterns.us_itin import UsItinDetector
from spillguard.detectors.patterns.us_ssn import UsSsnDetector
from spillguard.detectors.patterns.uscis_receipt import UscisReceiptDetector

__all__ = [
    "PATTERN_DETECTORS",
    "STABLE_IDS",
    "ANumberDetector",
    "CreditCardDetector",
    "DateOfBirthDetector",
    "EmailAddressDetector",
    "GpsCoordinatesDetector",
    "I94NumberDetector",
    "IbanDetector",
    "IpAddressDetector",
    "NationalIdDetector",
    "PassportNumberDetector",
    "PhoneNumberDetector",
    "StreetAddressDetector",
    "UsItinDetector",
    "UsSsnDetector",
    "UscisReceiptDetector",
    "is_role_address",
    "normalise_value",
]

#: detector IDs are referenced by findings and accepted-findings files: never rename one
STABLE_IDS: tuple[str, ...] = (
    "us-ssn",
    "us-itin",
    "a-number",
    "uscis-receipt",
    "i94-number",
    "passport-number",
    "email-address",
    "phone-number",
    "credit-card",
    "iban",
    "ip-address",
    "date-of-birth",
    "national-id",
    "gps-coordinates",
    "street-address",
)

PATTERN_DETECTORS: list[TextDetector] = [
    UsSsnDetector(),
    UsItinDetector(),
    ANumberDetector(),
    UscisReceiptDetector(),
    I94NumberDetector(),
    PassportNumberDetector(),
    EmailAddressDetector(),
    PhoneNumberDetector(),
    CreditCardDetector(),
    IbanDetector(),
    IpAddressDetector(),
    DateOfBirthDetector(),
    NationalIdDetector(),
    GpsCoordinatesDetector(),
    StreetAddressDetector(),
]


def normalise_value(entity: str, value: str) -> str:
    """The canonical form of a matched value, for fingerprints and de-duplication.

    The same A-number written ``A-012-345-678`` and ``A12345678`` must hash the same, so the
    assess step should fingerprint this, never the raw text.
    """
    if entity == "A_NUMBER":
        return normalise_a_number(value)
    if entity in ("US_SSN", "US_ITIN", "CREDIT_CARD", "PHONE_NUMBER", "I94_NUMBER"):
        keep_plus = entity == "PHONE_NUMBER" and value.lstrip("( ").startswith("+")
        return ("+" if keep_plus else "") + (
            only_digits(value) if entity != "I94_NUMBER" else compact(value)
        )
    if entity in ("USCIS_RECEIPT", "IBAN", "PASSPORT_NUMBER", "NATIONAL_ID"):
        return compact(value)
    if entity in ("EMAIL_ADDRESS", "IP_ADDRESS"):
        return value.strip().lower()
    return " ".join(value.split()).lower()
