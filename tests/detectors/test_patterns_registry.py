"""The pattern detectors as a set: stable unique IDs, protocol, and no raw value in explanations."""

from __future__ import annotations

from faker import Faker

from spillguard.detectors.base import TextDetector
from spillguard.detectors.patterns import PATTERN_DETECTORS, STABLE_IDS
from tests.detectors._tables import check_explanation

EXPECTED_IDS = {
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
}


def test_ids_are_unique_and_stable() -> None:
    ids = [d.id for d in PATTERN_DETECTORS]
    assert len(ids) == len(set(ids))
    assert set(ids) == EXPECTED_IDS
    assert tuple(ids) == STABLE_IDS


def test_every_detector_follows_the_protocol() -> None:
    for d in PATTERN_DETECTORS:
        assert isinstance(d, TextDetector)
        assert d.entities
        assert all(e.isupper() for e in d.entities)


def test_no_explanation_contains_the_raw_value() -> None:
    """Plant generated values in cells and prose; no explanation may repeat any of them."""
    matched_detectors: set[str] = set()
    for locale in ("en_US", "es_MX", "fr_FR", "de_DE", "pt_BR", "en_GB"):
        fake = Faker(locale)
        fake.seed_instance(1234)
        for _ in range(40):
            values = [
                ("SSN", fake.unique.numerify("5##-2#-1###")),
                ("A-Number", "A" + fake.numerify("2########")),
                ("Email", fake.email()),
                ("Phone", fake.phone_number()),
                ("Card", fake.credit_card_number()),
                ("IBAN", fake.iban()),
                ("IP", fake.ipv4_public()),
                ("IPv6", fake.ipv6()),
                ("DOB", fake.date_of_birth(minimum_age=1, maximum_age=90).isoformat()),
                ("Passport", fake.bothify("?#######").upper()),
            ]
            prose = ". ".join(f"{label}: {value}" for label, value in values)
            for d in PATTERN_DETECTORS:
                for label, value in values:
                    for m in d.find(value, context=label):
                        check_explanation(m)
                        matched_detectors.add(d.id)
                for m in d.find(prose):
                    check_explanation(m)
                    for _, value in values:
                        assert value not in m.explanation
    # the test is only meaningful if most detectors actually fired
    assert {"us-ssn", "a-number", "email-address", "credit-card", "iban"} <= matched_detectors
    assert {"ip-address", "date-of-birth", "passport-number", "phone-number"} <= matched_detectors
