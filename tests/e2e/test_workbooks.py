"""End to end: each leaking workbook is blocked on the right surface with the right head count;
each clean control is not blocked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spillguard import Surface, Verdict, scan
from tests import builders

Builder = Callable[..., int]

LEAKING: list[tuple[str, Builder, dict[str, Any], Surface]] = [
    (
        "detention-hidden.xlsx",
        builders.detention_workbook,
        {"state": "hidden"},
        Surface.HIDDEN_SHEET,
    ),
    (
        "detention-veryhidden.xlsx",
        builders.detention_workbook,
        {"state": "veryHidden", "n": 800},
        Surface.VERY_HIDDEN_SHEET,
    ),
    ("hidden-columns.xlsx", builders.hidden_columns_workbook, {}, Surface.HIDDEN_COLUMN),
    ("hidden-rows.xlsx", builders.hidden_rows_workbook, {}, Surface.HIDDEN_ROW),
    ("filtered-rows.xlsx", builders.filtered_rows_workbook, {}, Surface.FILTERED_ROW),
    ("pivot-only.xlsx", builders.pivot_cache_only_workbook, {}, Surface.PIVOT_CACHE),
    ("comments.xlsx", builders.comments_workbook, {}, Surface.COMMENT),
    ("custom-property.xlsx", builders.custom_property_workbook, {}, Surface.METADATA),
    ("white-text.xlsx", builders.white_text_workbook, {}, Surface.WHITE_TEXT),
    ("defined-names.xlsx", builders.defined_names_workbook, {}, Surface.DEFINED_NAME),
    ("external-link.xlsx", builders.external_link_workbook, {}, Surface.EXTERNAL_LINK_CACHE),
    ("chart-cache.xlsx", builders.chart_cache_workbook, {}, Surface.CHART_CACHE),
    ("unused-strings.xlsx", builders.orphan_strings_workbook, {}, Surface.HIDDEN_TEXT),
    (
        "pivot-shared-items.xlsx",
        builders.pivot_cache_only_workbook,
        {"with_records": False},
        Surface.PIVOT_CACHE,
    ),
]

CLEAN: list[tuple[str, Builder]] = [
    ("aggregate.xlsx", builders.clean_aggregate_workbook),
    ("facility-directory.xlsx", builders.facility_directory_workbook),
    ("invoices.xlsx", builders.invoice_workbook),
    ("event-dates.xlsx", builders.event_dates_workbook),
    ("budget.xlsx", builders.budget_workbook),
]


@pytest.mark.parametrize(
    ("name", "build", "kwargs", "surface"), LEAKING, ids=[x[0] for x in LEAKING]
)
def test_leaking_workbook_is_blocked(
    tmp_path: Path, name: str, build: Builder, kwargs: dict[str, Any], surface: Surface
) -> None:
    path = tmp_path / name
    truth = build(path, **kwargs)
    report = scan([path])
    (fr,) = report.files
    assert fr.verdict is Verdict.BLOCK, (fr.verdict, fr.error, fr.reasons)
    blocking = [f for f in fr.findings if f.severity.rank >= 3]
    assert any(f.surface is surface for f in blocking), sorted(
        {(f.surface.value, f.entity) for f in fr.findings}
    )
    assert abs(fr.individuals - truth) <= max(1, 0.1 * truth), (fr.individuals, truth)


@pytest.mark.parametrize(("name", "build"), CLEAN, ids=[x[0] for x in CLEAN])
def test_clean_control_is_not_blocked(tmp_path: Path, name: str, build: Builder) -> None:
    path = tmp_path / name
    build(path)
    report = scan([path])
    (fr,) = report.files
    assert fr.verdict in (Verdict.PASS, Verdict.WARN), [
        (f.entity, f.surface.value, f.location, f.explanation) for f in fr.findings
    ]
    assert fr.error is None


def test_records_csv_is_blocked(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    truth = builders.records_csv(path, 5000)
    report = scan([path])
    (fr,) = report.files
    assert fr.verdict is Verdict.BLOCK
    assert abs(fr.individuals - truth) <= 0.1 * truth


def test_detention_report_names_sheet_columns_and_hidden_state(tmp_path: Path) -> None:
    path = tmp_path / "detention-stats.xlsx"
    truth = builders.detention_workbook(path)
    report = scan([path])
    (fr,) = report.files
    hidden = [f for f in fr.findings if f.surface is Surface.HIDDEN_SHEET]
    entities = {f.entity for f in hidden}
    assert {"PERSON", "DATE_OF_BIRTH", "NATIONALITY", "A_NUMBER"} <= entities, entities
    assert {"DETENTION_FACILITY", "CASE_DETAIL"} <= entities, entities
    for f in hidden:
        assert f.location.startswith("Detainees!"), f.location
    anum = next(f for f in hidden if f.entity == "A_NUMBER")
    assert anum.count == truth
    assert any("hidden sheet" in r and f"{truth:,}" in r for r in fr.reasons), fr.reasons
