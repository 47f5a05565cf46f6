"""JSON Lines: one typed object per line; every finding with its file; a summary last."""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest

from spillguard.model import Report
from spillguard.reports.jsonl import JsonlReporter
from tests.reports.conftest import HOSTILE_NAME, Scanned, hostile_report


def _lines(report: Report) -> tuple[str, list[dict[str, Any]]]:
    buf = io.StringIO()
    JsonlReporter().render(report, buf)
    text = buf.getvalue()
    return text, [json.loads(line) for line in text.split("\n") if line]


@pytest.fixture(scope="module")
def rendered(scanned: Scanned) -> tuple[str, list[dict[str, Any]]]:
    return _lines(scanned.report)


def test_every_line_is_a_typed_object(rendered: tuple[str, list[dict[str, Any]]]) -> None:
    text, objs = rendered
    assert text.endswith("\n")
    assert len(text.splitlines()) == len(objs)
    assert all(o["type"] in {"file", "finding", "not_inspected", "error", "summary"} for o in objs)
    assert [o["type"] for o in objs].count("summary") == 1
    assert objs[-1]["type"] == "summary"


def test_findings_carry_their_file_and_every_field(
    scanned: Scanned, rendered: tuple[str, list[dict[str, Any]]]
) -> None:
    _, objs = rendered
    findings = [o for o in objs if o["type"] == "finding"]
    expected = [(fr, f) for fr in scanned.report.files for f in fr.findings]
    assert len(findings) == len(expected)
    for obj, (fr, f) in zip(findings, expected, strict=True):
        assert obj["path"] == fr.path
        assert obj["file_verdict"] == fr.verdict.value
        assert {k: v for k, v in obj.items() if k not in {"type", "path", "file_verdict"}} == (
            f.to_dict()
        )


def test_error_files_and_notes(
    scanned: Scanned, rendered: tuple[str, list[dict[str, Any]]]
) -> None:
    _, objs = rendered
    errors = [o for o in objs if o["type"] == "error"]
    assert len(errors) == 1
    assert errors[0]["path"].endswith("truncated.xlsx")
    assert errors[0]["error"]
    notes = [o for o in objs if o["type"] == "not_inspected"]
    assert len(notes) == sum(len(fr.not_inspected) for fr in scanned.report.files) > 0
    assert all(o["path"].endswith("macros.xlsm") and o["reason"] for o in notes)
    files = Counter(o["verdict"] for o in objs if o["type"] == "file")
    assert files == Counter(fr.verdict.value for fr in scanned.report.files)


def test_summary_matches_the_report(
    scanned: Scanned, rendered: tuple[str, list[dict[str, Any]]]
) -> None:
    _, objs = rendered
    summary = objs[-1]
    assert summary["verdict"] == "block"
    assert summary["tool"]["name"] == "spillguard"
    for key, value in scanned.report.summary().items():
        assert summary[key] == value


def test_line_breaks_in_names_cannot_split_a_record() -> None:
    report = hostile_report()
    report.files[0].path = HOSTILE_NAME + "\u2028\n\u0085next"
    text, objs = _lines(report)
    assert text.isascii()
    assert len(text.splitlines()) == len(objs)
    assert objs[0]["path"] == report.files[0].path
