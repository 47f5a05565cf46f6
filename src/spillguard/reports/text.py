"""The text report: for people, not parsers. Grouped by file; plain words; precise places."""

from __future__ import annotations

import textwrap
from typing import TextIO

from spillguard.entities import counted
from spillguard.model import FileResult, Finding, Report, Surface, Verdict

_HEAD = {
    Verdict.BLOCK: "BLOCKED",
    Verdict.ERROR: "NOT INSPECTED (blocks)",
    Verdict.WARN: "WARNING",
    Verdict.PASS: "PASSED",
}

_MAX_FINDINGS = 25


def _wrap(text: str, indent: int) -> str:
    pad = " " * indent
    return textwrap.fill(text, width=100, initial_indent=pad, subsequent_indent=pad)


def _finding_lines(f: Finding) -> list[str]:
    where = f.surface.label
    head = f"{f.severity.value.upper():<8}  {counted(f.count, f.entity)} in {where}"
    lines = [
        _wrap(head, 4),
        _wrap(f"where: {f.location}" + (f" (inside {f.member})" if f.member else ""), 14),
        _wrap(f"sample: {f.sample}   confidence: {f.confidence:.2f}   detector: {f.detector}", 14),
    ]
    if f.explanation:
        lines.append(_wrap(f"why: {f.explanation}", 14))
    lines.append(_wrap(f"fingerprint: {f.fingerprint}", 14))
    if f.accepted:
        lines[0] = _wrap(f"ACCEPTED  {counted(f.count, f.entity)} in {where}", 4)
        lines.append(_wrap(f"{f.accepted}", 14))
    return lines


def render_file(fr: FileResult) -> list[str]:
    lines = [f"{_HEAD[fr.verdict]:<9} {fr.path}" + (f"  [{fr.file_type}]" if fr.file_type else "")]
    if fr.verdict is Verdict.ERROR:
        lines.append(
            _wrap(f"This file could not be fully read, so it was not cleared: {fr.error}", 4)
        )
        return lines
    if fr.individuals:
        lines.append(f"    People exposed (estimated distinct individuals): {fr.individuals:,}")
    for r in fr.reasons:
        lines.append(_wrap(f"- {r}", 4))
    if fr.findings:
        lines.append("    Findings:")
        for f in fr.findings[:_MAX_FINDINGS]:
            lines.extend(_finding_lines(f))
        if len(fr.findings) > _MAX_FINDINGS:
            lines.append(f"    ... and {len(fr.findings) - _MAX_FINDINGS} more (see --format json)")
    elif fr.verdict is Verdict.PASS:
        lines.append("    No personal data found.")
    if fr.not_inspected:
        lines.append("    Not inspected:")
        for n in fr.not_inspected:
            place = n.location.where or n.location.member or "part of the file"
            lines.append(_wrap(f"- {place}: {n.reason}", 6))
    return lines


class TextReporter:
    format = "text"

    def render(self, report: Report, out: TextIO) -> None:
        n = len(report.files)
        out.write(f"spillguard {report.version}: {n} file{'s' if n != 1 else ''} scanned\n\n")
        for fr in report.files:
            out.write("\n".join(render_file(fr)) + "\n\n")
        s = report.summary()
        v = s["verdicts"]
        verdict = report.verdict
        word = {Verdict.BLOCK: "BLOCKED", Verdict.WARN: "WARNINGS", Verdict.PASS: "PASSED"}.get(
            verdict, verdict.value.upper()
        )
        parts = [f"{v['block']} blocked", f"{v['warn']} with warnings", f"{v['pass']} passed"]
        if v["error"]:
            parts.append(f"{v['error']} could not be inspected")
        out.write(f"Result: {word}: " + ", ".join(parts) + ".")
        if s["individuals"]:
            out.write(f" People exposed: about {s['individuals']:,}.")
        if s["hidden_surfaces"]:
            shown = ", ".join(Surface(x).label for x in s["hidden_surfaces"])
            out.write(f" Hidden places with personal data: {shown}.")
        out.write("\n")
