"""SARIF 2.1.0: the format code-scanning interfaces read (GitHub, GitLab, Azure DevOps).

One rule per entity (``A_NUMBER``, ``PERSON``...) plus ``unreadable-file`` and
``not-inspected``; one result per finding. Spreadsheet cells and PDF boxes have no line numbers,
so the precise place goes into ``logicalLocations`` and the result's ``properties``; a region is
given only where the location names lines of the file itself. Results carry the finding's keyed
fingerprint as a partial fingerprint, so a code-scanning UI tracks one exposure across runs.
Samples are the masked ones of the model: no raw value is ever written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePath
from typing import Any, TextIO
from urllib.parse import quote

from spillguard.entities import (
    COVERED_TEXT,
    FINANCIAL,
    GOVERNMENT_IDS,
    SENSITIVE,
    counted,
    label,
)
from spillguard.model import FileResult, Finding, Report, Severity, Verdict
from spillguard.reports.plain import people

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "spillguardFingerprint/v1"
UNREADABLE_RULE = "unreadable-file"
NOT_INSPECTED_RULE = "not-inspected"

_LEVELS: dict[Severity, str] = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "warning",
    Severity.INFO: "note",
}

#: "lines 4-9" or "line 4" at the start of a location of a line-oriented file
_LINES = re.compile(r"^lines? (\d+)(?:\s*-\s*(\d+))?\b")


def level(severity: Severity) -> str:
    """The SARIF level of a severity: blocking severities are errors."""
    return _LEVELS[severity]


def _rule_level(entity: str) -> str:
    if entity in GOVERNMENT_IDS or entity in FINANCIAL or entity == COVERED_TEXT:
        return "error"
    return "warning"


def _rule_help(entity: str) -> str:
    what = label(entity)
    if entity in GOVERNMENT_IDS:
        why = (
            "A validated government identity number blocks the release wherever it is, "
            "visible or hidden."
        )
    elif entity in FINANCIAL:
        why = "Payment card and bank account numbers block the release wherever they are."
    elif entity == COVERED_TEXT:
        why = (
            "Text under a redaction box is still in the file: anyone can copy it out. "
            "Apply the redaction (remove the text) before publishing."
        )
    elif entity in SENSITIVE:
        why = "Special-category information about a person; it blocks as part of a record."
    else:
        why = (
            "Personal data: it blocks on a hidden surface or in a visible table of many people, "
            "and otherwise warns."
        )
    return (
        f"spillguard found {what} in a file the release would publish. {why} "
        "Remove the data from the file (delete hidden sheets, clear pivot caches, comments and "
        "document properties), or publish an aggregate instead; then scan again. "
        "The sample shown is masked; the fingerprint is a keyed hash."
    )


def _rules(entities: list[str]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for entity in entities:
        rules.append(
            {
                "id": entity,
                "name": "".join(w.capitalize() for w in entity.split("_")),
                "shortDescription": {"text": f"Personal data: {label(entity)}"},
                "fullDescription": {"text": _rule_help(entity)},
                "help": {"text": _rule_help(entity)},
                "defaultConfiguration": {"level": _rule_level(entity)},
                "properties": {"tags": ["privacy", "personal-data"]},
            }
        )
    rules.append(
        {
            "id": UNREADABLE_RULE,
            "name": "UnreadableFile",
            "shortDescription": {"text": "A file could not be fully read, so it was not cleared"},
            "fullDescription": {
                "text": "spillguard fails closed: an encrypted, corrupt, truncated or unsupported "
                "file, or one over a limit, blocks the release with the exact reason."
            },
            "help": {
                "text": "Publish a readable, unencrypted copy of the file, or remove it from the "
                "release, then scan again."
            },
            "defaultConfiguration": {"level": "error"},
        }
    )
    rules.append(
        {
            "id": NOT_INSPECTED_RULE,
            "name": "NotInspected",
            "shortDescription": {"text": "Part of a file was seen but could not be inspected"},
            "fullDescription": {
                "text": "Content such as a macro project, a data model or an image-only page "
                "is in the file but spillguard could not inspect it."
            },
            "help": {
                "text": "Check this part by hand, or remove it from the file before publishing."
            },
            "defaultConfiguration": {"level": "warning"},
        }
    )
    return rules


def artifact_uri(path: str, root: Path) -> tuple[str, str | None]:
    """The artifact URI of a report path and its base id.

    Relative to `root` (forward slashes, percent-encoded) when the file is under it, with the
    base id ``%SRCROOT%``; an absolute ``file://`` URI otherwise.
    """
    p = Path(path)
    if p.is_absolute():
        try:
            rel: PurePath = p.relative_to(root)
        except ValueError:
            return p.as_uri(), None
    else:
        rel = p
    return quote(rel.as_posix(), safe="/"), "%SRCROOT%"


def _physical(fr: FileResult, root: Path) -> dict[str, Any]:
    uri, base = artifact_uri(fr.path, root)
    loc: dict[str, Any] = {"uri": uri}
    if base:
        loc["uriBaseId"] = base
    return {"artifactLocation": loc}


def _region(f: Finding) -> dict[str, int] | None:
    if f.member:
        return None
    m = _LINES.match(f.location)
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2) or start)
    if start < 1 or end < start:
        return None
    return {"startLine": start, "endLine": end}


def message(f: Finding) -> str:
    """``200 A-numbers (...) in the hidden sheet (hidden_sheet) at Detainees!A2:A201``."""
    text = f"{counted(f.count, f.entity)} in the {f.surface.label} ({f.surface.value})"
    if f.location:
        text += f" at {f.location}"
    if f.member:
        text += f" inside {f.member}"
    if f.people:
        text += f"; {people(f.people)} in this table"
    return text + "."


def _finding_result(fr: FileResult, f: Finding, index: int, root: Path) -> dict[str, Any]:
    physical = _physical(fr, root)
    region = _region(f)
    if region:
        physical["region"] = region
    place = f"{f.member} :: {f.location}" if f.member else f.location
    location: dict[str, Any] = {"physicalLocation": physical}
    if place:
        location["logicalLocations"] = [
            {"name": f.location or f.member, "fullyQualifiedName": place}
        ]
    return {
        "ruleId": f.entity,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": message(f)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {
            "entity": f.entity,
            "severity": f.severity.value,
            "visibility": f.visibility.value,
            "surface": f.surface.value,
            "surfaceLabel": f.surface.label,
            "location": f.location,
            "member": f.member,
            "count": f.count,
            "people": f.people,
            "sample": f.sample,
            "confidence": round(f.confidence, 3),
            "detector": f.detector,
            "explanation": f.explanation,
            "fingerprint": f.fingerprint,
            "fileVerdict": fr.verdict.value,
        },
    }


def _error_result(fr: FileResult, index: int, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": UNREADABLE_RULE,
        "ruleIndex": index,
        "level": "error",
        "message": {
            "text": f"This file could not be fully read, so it was not cleared: {fr.error}"
        },
        "locations": [{"physicalLocation": _physical(fr, root)}],
        "properties": {"fileVerdict": fr.verdict.value, "fileType": fr.file_type},
    }
    if fr.sha256:
        result["partialFingerprints"] = {FINGERPRINT_KEY: f"unreadable:{fr.sha256}"}
    return result


def _not_inspected_results(fr: FileResult, index: int, root: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for n in fr.not_inspected:
        place = n.location.where or n.location.member or "part of the file"
        location: dict[str, Any] = {"physicalLocation": _physical(fr, root)}
        fq = f"{n.location.member} :: {place}" if n.location.member else place
        location["logicalLocations"] = [{"name": place, "fullyQualifiedName": fq}]
        out.append(
            {
                "ruleId": NOT_INSPECTED_RULE,
                "ruleIndex": index,
                "level": "warning",
                "message": {
                    "text": f"Not inspected: {place} ({n.location.surface.label}): {n.reason}"
                },
                "locations": [location],
                "partialFingerprints": {
                    FINGERPRINT_KEY: f"not-inspected:{fr.sha256}:{n.location.surface.value}:{fq}"
                },
                "properties": {
                    "surface": n.location.surface.value,
                    "location": n.location.where,
                    "member": n.location.member,
                    "fileVerdict": fr.verdict.value,
                },
            }
        )
    return out


def _artifact(fr: FileResult, root: Path) -> dict[str, Any]:
    art: dict[str, Any] = {"location": _physical(fr, root)["artifactLocation"]}
    if fr.size:
        art["length"] = fr.size
    if fr.sha256:
        art["hashes"] = {"sha-256": fr.sha256}
    art["properties"] = {
        "verdict": fr.verdict.value,
        "individuals": fr.individuals,
        "fileType": fr.file_type,
        "reasons": list(fr.reasons),
    }
    return art


def to_sarif(report: Report, *, root: Path | None = None) -> dict[str, Any]:
    """The SARIF 2.1.0 log of a report, as a JSON-ready dict."""
    base = (root or Path.cwd()).resolve()
    entities = sorted({f.entity for fr in report.files for f in fr.findings})
    rules = _rules(entities)
    index = {r["id"]: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for fr in report.files:
        if fr.verdict is Verdict.ERROR:
            results.append(_error_result(fr, index[UNREADABLE_RULE], base))
        for f in fr.findings:
            results.append(_finding_result(fr, f, index[f.entity], base))
        results.extend(_not_inspected_results(fr, index[NOT_INSPECTED_RULE], base))
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "spillguard",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "rules": rules,
                    }
                },
                "artifacts": [_artifact(fr, base) for fr in report.files],
                "results": results,
                "columnKind": "unicodeCodePoints",
                "properties": {"verdict": report.verdict.value, "summary": report.summary()},
            }
        ],
    }


class SarifReporter:
    """``--format sarif``. `root` is the directory artifact URIs are relative to (default: cwd)."""

    format = "sarif"

    def __init__(self, *, root: Path | None = None) -> None:
        self.root = root

    def render(self, report: Report, out: TextIO) -> None:
        json.dump(to_sarif(report, root=self.root), out, indent=2, ensure_ascii=False)
        out.write("\n")
