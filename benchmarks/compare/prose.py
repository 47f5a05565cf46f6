"""The prose corpus: labelled sentences and short documents.

Two parts:

- **presidio-evaluator**: sentences from Presidio's own evaluation generator (its templates, its
  fake-person records and its providers), so this part was not written by us. Its entity names
  are mapped onto ours; the ones we do not measure (dates that are not birth dates, cities,
  organisations, titles...) stay in the gold data as "don't care" spans.
- **documents**: case summaries, letters to applicants and press releases in the style of the
  incidents' publishers, written here from templates with Faker values, each entity span recorded
  as it is inserted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from benchmarks.compare.tables import COUNTRIES, DEMONYMS, FACILITIES
from benchmarks.compare.tables import ENTITIES as TABLE_ENTITIES

#: entities measured in prose (names as in spillguard): the table entities and three more
ENTITIES: tuple[str, ...] = (*TABLE_ENTITIES, "CREDIT_CARD", "IBAN", "IP_ADDRESS")

#: presidio-evaluator's template entities -> ours (None: kept as a "don't care" span)
EVALUATOR_MAPPING: dict[str, str] = {
    "person": "PERSON",
    "name": "PERSON",
    "name_female": "PERSON",
    "name_male": "PERSON",
    "first_name": "PERSON",
    "first_name_male": "PERSON",
    "first_name_female": "PERSON",
    "first_name_nonbinary": "PERSON",
    "last_name": "PERSON",
    "last_name_male": "PERSON",
    "last_name_female": "PERSON",
    "ip_address": "IP_ADDRESS",
    "credit_card_number": "CREDIT_CARD",
    "iban": "IBAN",
    "phone_number": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "email": "EMAIL_ADDRESS",
    "date_of_birth": "DATE_OF_BIRTH",
    "nationality": "NATIONALITY",
    "nation_woman": "NATIONALITY",
    "nation_man": "NATIONALITY",
    "nation_plural": "NATIONALITY",
    "address": "STREET_ADDRESS",
    "street_name": "STREET_ADDRESS",
    "building_number": "STREET_ADDRESS",
    "secondary_address": "STREET_ADDRESS",
    # not measured: dates and times, places, organisations, titles, jobs...
    "date_time": "DATE_TIME",
    "day_of_week": "DATE_TIME",
    "year": "DATE_TIME",
    "country": "GPE",
    "state": "GPE",
    "city": "GPE",
    "state_abbr": "GPE",
    "postcode": "ZIP_CODE",
    "zipcode": "ZIP_CODE",
    "organization": "ORGANIZATION",
    "url": "DOMAIN_NAME",
    "prefix_male": "TITLE",
    "prefix_female": "TITLE",
    "prefix": "TITLE",
    "job": "TITLE",
    "us_driver_license": "US_DRIVER_LICENSE",
    "age": "AGE",
    "religion": "RELIGION",
    "hospital": "ORGANIZATION",
}


@dataclass(slots=True)
class Span:
    entity: str
    start: int
    end: int


@dataclass(slots=True)
class Doc:
    text: str
    spans: list[Span]
    source: str  # "presidio-evaluator" or "documents"
    template: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def evaluator_sentences(n: int, seed: int = 42) -> list[Doc]:
    """`n` sentences from presidio-evaluator's generator, with its default templates and data."""
    import contextlib
    import io

    from presidio_evaluator.data_generator import PresidioSentenceFaker

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        faker = PresidioSentenceFaker(
            "en_US",
            lower_case_ratio=0.05,
            entity_type_mapping=dict(EVALUATOR_MAPPING),
            random_seed=seed,
        )
        random.seed(seed)
        samples = faker.generate_new_fake_sentences(n)
    docs = []
    for s in samples:
        spans = [Span(sp.entity_type, sp.start_position, sp.end_position) for sp in s.spans]
        docs.append(Doc(s.full_text, spans, "presidio-evaluator", str(s.template_id)))
    return docs


class _Writer:
    """Builds a text piece by piece, recording where each entity value lands."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[Span] = []
        self.pos = 0

    def t(self, text: str) -> _Writer:
        self.parts.append(text)
        self.pos += len(text)
        return self

    def e(self, entity: str, value: str) -> _Writer:
        self.spans.append(Span(entity, self.pos, self.pos + len(value)))
        return self.t(value)

    def doc(self, kind: str) -> Doc:
        return Doc("".join(self.parts), self.spans, "documents", kind)


class _Values:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.f = {loc: Faker(loc) for loc in ("en_US", "es_MX", "en_GB", "fr_FR", "pt_BR")}
        for i, f in enumerate(self.f.values()):
            f.seed_instance(seed + i)

    def person(self) -> str:
        f = self.f[self.rnd.choice(list(self.f))]
        return f"{f.first_name()} {f.last_name()}"

    def officer(self) -> str:
        f = self.f[self.rnd.choice(["en_US", "en_GB"])]
        return f"{f.first_name()} {f.last_name()}"

    def dob(self) -> str:
        d = date(1950, 1, 1) + timedelta(days=self.rnd.randrange(0, 365 * 55))
        return self.rnd.choice(
            [
                d.strftime("%B %d, %Y").replace(" 0", " "),
                f"{d.month}/{d.day}/{d.year}",
                d.strftime("%d %B %Y"),
            ]
        )  # fmt: skip

    def other_date(self) -> str:
        d = date(2022, 1, 1) + timedelta(days=self.rnd.randrange(0, 600))
        return self.rnd.choice(
            [d.strftime("%B %d, %Y").replace(" 0", " "), f"{d.month}/{d.day}/{d.year}"]
        )

    def a_number(self) -> str:
        digits = f"{self.rnd.randrange(10_000_000, 250_000_000):09d}"
        return self.rnd.choice(
            [f"A{digits}", f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"A{digits}"]
        )

    def phone(self) -> str:
        return str(self.f[self.rnd.choice(["en_US", "en_GB"])].phone_number())

    def email(self, name: str) -> str:
        import unicodedata

        local = unicodedata.normalize("NFKD", name.lower().replace(" ", ".")).encode(
            "ascii", "ignore"
        )
        return f"{local.decode()}@{self.f['en_US'].free_email_domain()}"

    def address(self) -> str:
        f = self.f[self.rnd.choice(["en_US", "en_US", "en_GB"])]
        return " ".join(str(f.address()).split("\n")).replace("  ", " ")

    def ssn(self) -> str:
        return str(self.f["en_US"].ssn())


def _case_summary(v: _Values) -> Doc:
    w = _Writer()
    person = v.person()
    w.t("CASE SUMMARY\n\nSubject: ").e("PERSON", person).t(" (").e("A_NUMBER", v.a_number()).t(
        ")\n"
    )
    w.t("Date of birth: ").e("DATE_OF_BIRTH", v.dob()).t("\nNationality: ")
    w.e("NATIONALITY", v.rnd.choice(DEMONYMS)).t("\n\n")
    w.t("The subject was encountered near the port of entry on ").e("DATE_TIME", v.other_date())
    w.t(" and transferred to ").e("GPE", v.rnd.choice(FACILITIES)).t(". ")
    w.t("Counsel of record, ").e("PERSON", v.person()).t(", may be reached at ")
    w.e("PHONE_NUMBER", v.phone()).t(". ")
    w.t("A master calendar hearing is set for ").e("DATE_TIME", v.other_date())
    w.t(" before Immigration Judge ")
    w.e("PERSON", v.officer()).t(".\n")
    if v.rnd.random() < 0.5:
        w.t("The subject's sister, ").e("PERSON", v.person()).t(", lives at ")
        w.e("STREET_ADDRESS", v.address()).t(" and has offered to act as sponsor.\n")
    w.t("Prepared by Deportation Officer ").e("PERSON", v.officer()).t(".")
    return w.doc("case summary")


def _letter(v: _Values) -> Doc:
    w = _Writer()
    name = v.person()
    w.e("PERSON", name).t("\n").e("STREET_ADDRESS", v.address()).t("\n\n")
    w.e("DATE_TIME", v.other_date()).t("\n\nDear ").e("PERSON", name).t(",\n\n")
    w.t("Thank you for your request under the Freedom of Information Act received on ")
    w.e("DATE_TIME", v.other_date()).t(". Your reference number is FOI-").t(
        str(v.rnd.randrange(1000, 9999))
    )
    w.t(". We hold the information you asked for and enclose it with this letter.\n\n")
    if v.rnd.random() < 0.5:
        w.t("Our records show your date of birth as ").e("DATE_OF_BIRTH", v.dob())
        w.t(" and your Social Security number as ").e("US_SSN", v.ssn()).t(". ")
    w.t("If you are not satisfied, you may ask for an internal review by writing to ")
    w.e("EMAIL_ADDRESS", "foi@agency.gov").t(" or calling ").e("PHONE_NUMBER", "0300 123 4567")
    w.t(" (Monday to Friday, 9am to 5pm). ")
    w.t("You can also reach me directly at ").e("EMAIL_ADDRESS", v.email(v.officer())).t(".\n\n")
    w.t("Yours sincerely,\n\n").e("PERSON", v.officer()).t("\nInformation Governance Officer")
    return w.doc("letter")


def _press_release(v: _Values) -> Doc:
    w = _Writer()
    city = v.rnd.choice(["El Paso", "San Diego", "Newark", "Atlanta", "Phoenix", "Houston"])
    w.t("FOR IMMEDIATE RELEASE\n\n").e("GPE", city).t(" man sentenced for identity fraud\n\n")
    w.e("GPE", city.upper()).t(" - ").e("PERSON", v.person()).t(", 41, a ")
    w.e("NATIONALITY", v.rnd.choice(DEMONYMS)).t(" national, was sentenced on ").e(
        "DATE_TIME", v.other_date()
    )
    w.t(" to 36 months in federal prison, U.S. Attorney ").e("PERSON", v.officer())
    w.t(" announced. According to court documents, the defendant used the identities of ")
    w.t(f"{v.rnd.randrange(12, 300)} people to open credit accounts in ").e("GPE", city)
    w.t(" and ").e("GPE", v.rnd.choice(COUNTRIES)).t(". ")
    w.t('"Identity theft harms real families," said Special Agent in Charge ')
    w.e("PERSON", v.officer()).t(". The case was investigated by the Department of Homeland ")
    w.t("Security and prosecuted by Assistant U.S. Attorney ").e("PERSON", v.officer()).t(".\n\n")
    w.t("Media contact: ").e("PERSON", v.officer()).t(", ").e("PHONE_NUMBER", v.phone())
    w.t(", ").e("EMAIL_ADDRESS", v.email(v.officer())).t("\n###")
    return w.doc("press release")


def documents(n: int, seed: int = 3) -> list[Doc]:
    v = _Values(seed)
    makers = [_case_summary, _letter, _press_release]
    return [makers[i % len(makers)](v) for i in range(n)]


def build(n_sentences: int, n_documents: int, seed: int = 42) -> list[Doc]:
    return evaluator_sentences(n_sentences, seed) + documents(n_documents, seed)
