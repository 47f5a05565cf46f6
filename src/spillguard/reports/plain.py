"""Plain words shared by the report formats, so SARIF, Markdown and HTML say the same thing.

Everything here is built from the model only: entity labels, surface labels, counts, the masked
sample and the location. No function here ever sees a raw personal value.
"""

from __future__ import annotations

from spillguard.entities import counted
from spillguard.model import FileResult, Finding, Report, Surface, Verdict

#: how a file's verdict reads in a heading or a table cell
FILE_VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.BLOCK: "blocked",
    Verdict.ERROR: "not inspected (blocks)",
    Verdict.WARN: "warning",
    Verdict.PASS: "passed",
}

#: how the verdict of the whole release reads
REPORT_VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.BLOCK: "Release blocked",
    Verdict.WARN: "Warnings: review before publishing",
    Verdict.PASS: "Passed: no personal data found",
    Verdict.ERROR: "Release blocked",
}


def what(f: Finding) -> str:
    """``200 A-numbers (alien registration numbers) in hidden sheet``."""
    return f"{counted(f.count, f.entity)} in {f.surface.label}"


def where(f: Finding) -> str:
    """The precise place, with the archive member or embedded file when there is one."""
    place = f.location or "(no precise place)"
    return f"{place} (inside {f.member})" if f.member else place


def hidden_places(fr: FileResult) -> list[str]:
    """Labels of the hidden surfaces holding findings in one file, most severe first."""
    seen: dict[Surface, int] = {}
    for f in fr.findings:
        if f.surface.hidden:
            seen[f.surface] = max(seen.get(f.surface, -1), f.severity.rank)
    ordered = sorted(seen, key=lambda s: (-seen[s], s.value))
    return [s.label for s in ordered]


def report_hidden_places(report: Report) -> list[str]:
    """Labels of every hidden surface holding findings in the report."""
    return [Surface(s).label for s in report.summary()["hidden_surfaces"]]


def verdict_counts(report: Report) -> str:
    """``2 blocked, 1 could not be inspected, 0 with warnings, 3 passed``."""
    v = report.summary()["verdicts"]
    parts = [f"{v['block']} blocked"]
    if v["error"]:
        parts.append(f"{v['error']} could not be inspected")
    parts += [f"{v['warn']} with warnings", f"{v['pass']} passed"]
    return ", ".join(parts)


def files_scanned(n: int) -> str:
    return f"{n:,} file{'s' if n != 1 else ''} scanned"


def people(n: int) -> str:
    """``1 person``, ``6,252 people``."""
    return "1 person" if n == 1 else f"{n:,} people"
