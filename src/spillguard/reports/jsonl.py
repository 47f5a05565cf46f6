"""JSON Lines: one object per line, for log pipelines and ``jq`` (``--format jsonl``).

Every line has a ``type``: ``file`` (one per file, without its findings), ``finding`` (one per
finding, with the file's path and verdict and every `Finding` field), ``not_inspected`` (one per
note), ``error`` (one per file that could not be read) and, last, ``summary``. Field names follow
the JSON report; they may be added, never renamed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from spillguard.model import Report, Verdict


def records(report: Report) -> Iterator[dict[str, Any]]:
    """The objects of the report, in output order."""
    for fr in report.files:
        d = fr.to_dict()
        yield {
            "type": "file",
            "path": fr.path,
            "sha256": fr.sha256,
            "file_type": fr.file_type,
            "size": fr.size,
            "verdict": fr.verdict.value,
            "individuals": fr.individuals,
            "reasons": list(fr.reasons),
            "findings": len(fr.findings),
            "not_inspected": len(fr.not_inspected),
            "error": fr.error,
        }
        for f in fr.findings:
            yield {
                "type": "finding",
                "path": fr.path,
                "file_verdict": fr.verdict.value,
                **f.to_dict(),
            }
        for note in d["not_inspected"]:
            yield {
                "type": "not_inspected",
                "path": fr.path,
                "file_verdict": fr.verdict.value,
                **note,
            }
        if fr.verdict is Verdict.ERROR:
            yield {
                "type": "error",
                "path": fr.path,
                "file_verdict": fr.verdict.value,
                "sha256": fr.sha256,
                "file_type": fr.file_type,
                "error": fr.error,
            }
    yield {
        "type": "summary",
        "tool": {"name": "spillguard", "version": report.version},
        "verdict": report.verdict.value,
        **report.summary(),
    }


class JsonlReporter:
    format = "jsonl"

    def render(self, report: Report, out: TextIO) -> None:
        for rec in records(report):
            # ASCII only: a file name holding U+2028 or NEL must not split a record in two for
            # readers that split on every line break (Python's str.splitlines does).
            out.write(json.dumps(rec, ensure_ascii=True, separators=(",", ":")))
            out.write("\n")
