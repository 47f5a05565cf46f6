"""classify_header: the column-header vocabulary (English, Spanish, some French/Portuguese)."""

from __future__ import annotations

import dataclasses

import pytest

from spillguard.detectors.headers import HeaderHint, classify_header, normalise_header

EXPECT = [
    # (header, entity, keyword or None)
    ("Name", "PERSON", "name"),
    ("Full Name", "PERSON", "full name"),
    ("Detainee Name", "PERSON", "full name"),
    ("firstName", "PERSON", "given name"),
    ("FIRST_NAME", "PERSON", "given name"),
    ("LAST_NAME", "PERSON", "last name"),
    ("lastname", "PERSON", "last name"),
    ("Surname", "PERSON", "last name"),
    ("Apellidos", "PERSON", "last name"),
    ("Nombre completo", "PERSON", "full name"),
    ("Prénom", "PERSON", "given name"),
    ("Last, First", "PERSON", "full name"),
    ("DOB", "DATE_OF_BIRTH", None),
    ("DOB_yyyy", "DATE_OF_BIRTH", None),
    ("Date of Birth", "DATE_OF_BIRTH", None),
    ("BirthDate", "DATE_OF_BIRTH", None),
    ("Fecha de nacimiento", "DATE_OF_BIRTH", None),
    ("F. Nac.", "DATE_OF_BIRTH", None),
    ("Age", "AGE", None),
    ("Edad", "AGE", None),
    ("Gender", "GENDER", None),
    ("Sex", "GENDER", None),
    ("Sexo", "GENDER", None),
    ("Nationality", "NATIONALITY", None),
    ("Nat.", "NATIONALITY", None),
    ("Citz", "NATIONALITY", None),
    ("Citizenship", "NATIONALITY", None),
    ("Country of Citizenship", "NATIONALITY", None),
    ("Country of Birth", "NATIONALITY", None),
    ("Nacionalidad", "NATIONALITY", None),
    ("País de origen", "NATIONALITY", None),
    ("A-Number", "A_NUMBER", None),
    ("A#", "A_NUMBER", None),
    ("Alien Number", "A_NUMBER", None),
    ("anumber", "A_NUMBER", None),
    ("Alien Registration Number", "A_NUMBER", None),
    ("SSN", "US_SSN", None),
    ("Social Security Number", "US_SSN", None),
    ("Passport No.", "PASSPORT_NUMBER", None),
    ("Número de pasaporte", "PASSPORT_NUMBER", None),
    ("I-94 Number", "I94_NUMBER", None),
    ("Receipt Number", "USCIS_RECEIPT", None),
    ("Cédula", "NATIONAL_ID", None),
    ("Email", "EMAIL_ADDRESS", None),
    ("Correo electrónico", "EMAIL_ADDRESS", None),
    ("Phone", "PHONE_NUMBER", None),
    ("Tel.", "PHONE_NUMBER", None),
    ("Teléfono", "PHONE_NUMBER", None),
    ("Celular", "PHONE_NUMBER", None),
    ("Mobile Number", "PHONE_NUMBER", None),
    ("Home Address", "STREET_ADDRESS", None),
    ("Dirección", "STREET_ADDRESS", None),
    ("Domicilio", "STREET_ADDRESS", None),
    ("Zip Code", "STREET_ADDRESS", None),
    ("Facility", "DETENTION_FACILITY", None),
    ("Facility Name", "DETENTION_FACILITY", None),
    ("Detention Center", "DETENTION_FACILITY", None),
    ("AOR", "DETENTION_FACILITY", None),
    ("Centro de detención", "DETENTION_FACILITY", None),
    ("Case Status", "CASE_DETAIL", "case status"),
    ("Custody Status", "CASE_DETAIL", "custody status"),
    ("Release Reason", "CASE_DETAIL", "release reason"),
    ("Criminality", "CASE_DETAIL", None),
    ("Estado del caso", "CASE_DETAIL", None),
    ("IP Address", "IP_ADDRESS", None),
    ("Credit Card Number", "CREDIT_CARD", None),
    ("IBAN", "IBAN", None),
    ("Medical Condition", "HEALTH", None),
    ("Diagnóstico", "HEALTH", None),
    ("Religion", "RELIGION", None),
    ("Most Serious Conviction", "CRIMINAL_RECORD", None),
    ("Offence", "CRIMINAL_RECORD", None),
]


@pytest.mark.parametrize(("header", "entity", "keyword"), EXPECT)
def test_header_names_entity(header: str, entity: str, keyword: str | None) -> None:
    hints = classify_header(header)
    assert hints, header
    assert hints[0].entity == entity, (header, hints)
    assert hints[0].weight >= 0.5
    if keyword is not None:
        assert hints[0].keyword == keyword


@pytest.mark.parametrize(
    "header",
    ["Date", "Number", "File name", "Sheet name", "Company name", "Product name", "Total",
     "Grand Total", "Month", "Fiscal Year", "Count", "ID", "Notes", "", "Country Code"],
)  # fmt: skip
def test_headers_that_name_no_personal_data(header: str) -> None:
    assert [h for h in classify_header(header) if h.weight >= 0.5] == []


def test_facility_name_is_not_a_person() -> None:
    assert all(h.entity != "PERSON" for h in classify_header("Facility Name"))
    assert all(h.entity != "PERSON" for h in classify_header("Nombre del centro"))


def test_weak_readings() -> None:
    [user] = classify_header("Username")
    assert user.entity == "PERSON"
    assert user.weight < 0.5
    [country] = classify_header("Country")
    assert country.entity == "NATIONALITY"
    assert country.weight < 0.5


def test_email_address_is_not_a_street_address() -> None:
    assert [h.entity for h in classify_header("Email Address")] == ["EMAIL_ADDRESS"]


def test_hints_are_sorted_and_frozen() -> None:
    hints = classify_header("Detainee name and date of birth")
    assert [h.weight for h in hints] == sorted((h.weight for h in hints), reverse=True)
    assert {h.entity for h in hints} >= {"PERSON", "DATE_OF_BIRTH"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        hints[0].weight = 0.1  # type: ignore[misc]
    assert isinstance(hints[0], HeaderHint)


def test_normalisation() -> None:
    assert normalise_header("firstName") == "first name"
    assert normalise_header("DOB_yyyy") == "dob yyyy"
    assert normalise_header("F. Nac.") == "f nac"
    assert normalise_header("A#") == "a #"
    assert normalise_header("País de Origen") == "pais de origen"
