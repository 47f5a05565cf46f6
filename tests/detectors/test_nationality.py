"""NationalityDetector and nationality_cell_score: a person's attribute, not every country."""

from __future__ import annotations

import pytest

from spillguard.detectors.names import NationalityDetector, nationality_cell_score

DETECTOR = NationalityDetector()

PROSE_FLAG = [
    ("He is a Guatemalan national detained in March.", "Guatemalan"),
    ("She is a citizen of Honduras.", "Honduras"),
    ("Nationality: Mexican", "Mexican"),
    ("Es de nacionalidad hondureña y fue trasladada.", "hondureña"),
    ("The Haitian migrants arrived on Monday.", "Haitian"),
    ("He was born in El Salvador in 1990.", "El Salvador"),
    ("Un ciudadano de Venezuela solicitó asilo.", "Venezuela"),
    ("Country of citizenship: Afghanistan", "Afghanistan"),
    ("A Venezuelan asylum seeker was released.", "Venezuelan"),
    ("The man is a U.S. citizen.", "U.S."),
]

PROSE_NOT_FLAG = [
    "Guatemala reported heavy rain this week.",
    "The agency opened an office in Mexico City.",
    "Trade between Haiti and the Dominican Republic grew.",
    "Afghanistan, Honduras and Venezuela are listed in the annex.",
]


@pytest.mark.parametrize(("text", "value"), PROSE_FLAG)
def test_flags_nationality_with_person_context(text: str, value: str) -> None:
    matches = list(DETECTOR.find(text))
    assert [text[m.start : m.end] for m in matches] == [value]
    assert matches[0].entity == "NATIONALITY"
    assert value not in matches[0].explanation


@pytest.mark.parametrize("text", PROSE_NOT_FLAG)
def test_country_alone_is_not_a_nationality(text: str) -> None:
    assert list(DETECTOR.find(text)) == []


@pytest.mark.parametrize(
    "value",
    ["Guatemala", "El Salvador", "Honduras", "México", "Mexico", "Venezuela", "Haití", "Haiti",
     "Afghanistan", "guatemalteco", "guatemalteca", "Haitian", "haitiano", "Salvadoran",
     "hondureños", "Ecuador", "Cuba", "Brasil", "Nigeria", "Ukraine", "Ucrania"],
)  # fmt: skip
def test_cells_with_country_or_demonym_score_high(value: str) -> None:
    assert nationality_cell_score(value) >= 0.5, value


def test_demonym_scores_above_country_name() -> None:
    assert nationality_cell_score("Guatemalan") > nationality_cell_score("Guatemala")


@pytest.mark.parametrize("code", ["GTM", "HND", "SLV", "MX", "HT"])
def test_iso_codes_need_a_nationality_header(code: str) -> None:
    assert nationality_cell_score(code) < 0.5
    assert nationality_cell_score(code, header="Country of citizenship") >= 0.9
    matches = list(DETECTOR.find(code, context="Nacionalidad"))
    assert len(matches) == 1
    assert matches[0].end == len(code)
    assert list(DETECTOR.find(code)) == []
    assert list(DETECTOR.find(code, context="Currency")) == []


@pytest.mark.parametrize("value", ["Processing Center", "Maria Lopez", "12", "", "XYZ", "Total"])
def test_non_nationalities_score_zero(value: str) -> None:
    assert nationality_cell_score(value) == 0.0
