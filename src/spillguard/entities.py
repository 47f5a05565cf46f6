"""Entity IDs and the groups the assessment reasons with. IDs are stable: never rename one."""

from __future__ import annotations

#: government identity numbers: a validated one blocks wherever it is
GOVERNMENT_IDS: tuple[str, ...] = (
    "A_NUMBER",
    "US_SSN",
    "US_ITIN",
    "PASSPORT_NUMBER",
    "NATIONAL_ID",
    "I94_NUMBER",
    "USCIS_RECEIPT",
)

FINANCIAL: frozenset[str] = frozenset({"CREDIT_CARD", "IBAN"})

#: entities that say *who* a record is about (a table with one of these is about people)
PERSON_IDENTIFIERS: frozenset[str] = frozenset({*GOVERNMENT_IDS, "PERSON", "EMAIL_ADDRESS"})

#: contact details: personal when they belong to a person, harmless for an organisation
CONTACT: frozenset[str] = frozenset({"PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS"})

#: attributes that are only personal data as part of a person's record
RECORD_ATTRIBUTES: frozenset[str] = frozenset(
    {
        "NATIONALITY",
        "DETENTION_FACILITY",
        "CASE_DETAIL",
        "AGE",
        "GENDER",
        "HEALTH",
        "RELIGION",
        "CRIMINAL_RECORD",
        "ETHNICITY",
        "SEXUAL_ORIENTATION",
        "STREET_ADDRESS",
        "PHONE_NUMBER",
        "DATE_OF_BIRTH",
        "GPS_COORDINATES",
        "IP_ADDRESS",
    }
)

#: special-category or high-harm attributes
SENSITIVE: frozenset[str] = frozenset(
    {
        "HEALTH",
        "RELIGION",
        "CRIMINAL_RECORD",
        "ETHNICITY",
        "SEXUAL_ORIENTATION",
        "CASE_DETAIL",
        "DETENTION_FACILITY",
    }
)

#: entities found only from a column header (no value pattern of their own)
HEADER_ONLY: frozenset[str] = frozenset(
    {
        "DETENTION_FACILITY",
        "CASE_DETAIL",
        "AGE",
        "GENDER",
        "HEALTH",
        "RELIGION",
        "CRIMINAL_RECORD",
        "ETHNICITY",
        "SEXUAL_ORIENTATION",
    }
)

#: a redaction box covers it: a finding whatever it says
COVERED_TEXT = "COVERED_TEXT"

ENTITY_LABELS: dict[str, str] = {
    "PERSON": "names",
    "DATE_OF_BIRTH": "dates of birth",
    "NATIONALITY": "nationalities",
    "A_NUMBER": "A-numbers (alien registration numbers)",
    "USCIS_RECEIPT": "USCIS receipt numbers",
    "I94_NUMBER": "I-94 admission numbers",
    "US_SSN": "US Social Security numbers",
    "US_ITIN": "US taxpayer identification numbers",
    "PASSPORT_NUMBER": "passport numbers",
    "NATIONAL_ID": "national identity numbers",
    "PHONE_NUMBER": "phone numbers",
    "EMAIL_ADDRESS": "e-mail addresses",
    "STREET_ADDRESS": "street addresses",
    "CREDIT_CARD": "payment card numbers",
    "IBAN": "bank account numbers (IBAN)",
    "IP_ADDRESS": "IP addresses",
    "GPS_COORDINATES": "GPS positions",
    "DETENTION_FACILITY": "detention facilities",
    "CASE_DETAIL": "case details",
    "AGE": "ages",
    "GENDER": "gender",
    "HEALTH": "health information",
    "RELIGION": "religion",
    "CRIMINAL_RECORD": "criminal record information",
    "ETHNICITY": "ethnicity",
    "SEXUAL_ORIENTATION": "sexual orientation",
    COVERED_TEXT: "covered passages (text under a box)",
}


_SINGULAR: dict[str, str] = {
    "PERSON": "name",
    "DATE_OF_BIRTH": "date of birth",
    "NATIONALITY": "nationality",
    "A_NUMBER": "A-number (alien registration number)",
    "USCIS_RECEIPT": "USCIS receipt number",
    "I94_NUMBER": "I-94 admission number",
    "US_SSN": "US Social Security number",
    "US_ITIN": "US taxpayer identification number",
    "PASSPORT_NUMBER": "passport number",
    "NATIONAL_ID": "national identity number",
    "PHONE_NUMBER": "phone number",
    "EMAIL_ADDRESS": "e-mail address",
    "STREET_ADDRESS": "street address",
    "CREDIT_CARD": "payment card number",
    "IBAN": "bank account number (IBAN)",
    "IP_ADDRESS": "IP address",
    "GPS_COORDINATES": "GPS position",
    "DETENTION_FACILITY": "detention facility",
    "CASE_DETAIL": "case detail",
    "AGE": "age",
    COVERED_TEXT: "covered passage (text under a box)",
}


def label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.lower().replace("_", " "))


def counted(n: int, entity: str) -> str:
    """``1 date of birth``, ``6,252 dates of birth``."""
    if n == 1:
        return f"1 {_SINGULAR.get(entity, label(entity))}"
    return f"{n:,} {label(entity)}"
