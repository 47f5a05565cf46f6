"""Markdown for a CI comment (GitHub, GitLab): verdict, a table of what blocks, details folded.

File names, locations, reasons and samples come from files a stranger may have named, so every
one of them is escaped: Markdown punctuation gets a backslash (no link, emphasis, table cell or
``@mention`` can be smuggled in) and ``& < >`` become entities (no HTML). The comment stays short
enough for a comment box: findings per file and files in details are capped, with the count of
what was left out.
"""

from __future__ import annotations

import re
from html import escape as html_escape
from typing import TextIO

from spillguard.model import FileResult, Report, Verdict
from spillguard.reports.plain import (
    FILE_VERDICT_WORDS,
    REPORT_VERDICT_WORDS,
    files_scanned,
    hidden_places,
    people,
    report_hidden_places,
    verdict_counts,
    what,
    where,
)

MAX_FINDINGS_PER_FILE = 25
MAX_FILES_IN_DETAILS = 50

_ICON = {Verdict.BLOCK: "⛔", Verdict.ERROR: "⛔", Verdict.WARN: "⚠️", Verdict.PASS: "✅"}
#: characters with an inline meaning anywhere in a line (GitHub Flavored Markdown: code,
#: emphasis, links, table cells, strike-through, @mentions, #references, math)
_PUNCT = re.compile(r"([\\`*_\[\]|~@#$])")
#: characters that mean something only at the start of a line (lists, headings); ">" needs
#: nothing more, as it becomes "&gt;", which starts no quote
_LEADING = re.compile(r"^(\s*)([-+=])")
_LEADING_NUMBER = re.compile(r"^(\s*\d+)([.)])")
_BREAKS = re.compile(r"[\r\n\u0085\u2028\u2029\t]+")


def md_escape(text: str) -> str:
    """Text that Markdown and HTML show as written, on one line, safe inside a table cell."""
    one_line = _BREAKS.sub(" ", text)
    escaped = _PUNCT.sub(r"\\\1", one_line)
    escaped = _LEADING.sub(r"\1\\\2", escaped)
    escaped = _LEADING_NUMBER.sub(r"\1\\\2", escaped)
    return html_escape(escaped, quote=False)


def _cell(text: str) -> str:
    return md_escape(text) if text else "—"


def _table_rows(report: Report) -> list[str]:
    rows = []
    for fr in report.files:
        if fr.verdict not in (Verdict.BLOCK, Verdict.ERROR):
            continue
        if fr.verdict is Verdict.ERROR:
            hides = f"could not be read: {fr.error or 'unknown reason'}"
            count = "—"
        else:
            hides = ", ".join(hidden_places(fr)) or "visible content"
            count = f"{fr.individuals:,}" if fr.individuals else "—"
        rows.append(
            f"| {md_escape(fr.path)} | {FILE_VERDICT_WORDS[fr.verdict]} | {count} "
            f"| {_cell(hides)} |"
        )
    return rows


def _details(fr: FileResult) -> list[str]:
    head = f"<b>{md_escape(fr.path)}</b>: {FILE_VERDICT_WORDS[fr.verdict]}"
    if fr.individuals:
        head += f", {people(fr.individuals)} exposed"
    lines = [f"<details><summary>{_ICON[fr.verdict]} {head}</summary>", ""]
    if fr.verdict is Verdict.ERROR:
        lines.append(
            "This file could not be fully read, so it was not cleared: "
            + md_escape(fr.error or "unknown reason")
        )
        lines.append("")
    for r in fr.reasons:
        lines.append(f"- {md_escape(r)}")
    if fr.reasons:
        lines.append("")
    if fr.findings:
        lines += ["| severity | what | where | sample |", "|---|---|---|---|"]
        for f in fr.findings[:MAX_FINDINGS_PER_FILE]:
            lines.append(
                f"| **{f.severity.value}** | {md_escape(what(f))} | {md_escape(where(f))} "
                f"| <code>{_cell(f.sample)}</code> |"
            )
        left = len(fr.findings) - MAX_FINDINGS_PER_FILE
        if left > 0:
            lines.append("")
            lines.append(f"… and {left:,} more findings (see `--format json`).")
        lines.append("")
    if fr.not_inspected:
        lines.append("Not inspected:")
        lines.append("")
        for n in fr.not_inspected:
            place = n.location.where or n.location.member or "part of the file"
            lines.append(f"- {md_escape(place)}: {md_escape(n.reason)}")
        lines.append("")
    lines.append("</details>")
    return lines


def render_markdown(report: Report) -> str:
    """The whole comment as one string."""
    s = report.summary()
    verdict = report.verdict
    out = [f"## {_ICON[verdict]} spillguard: {REPORT_VERDICT_WORDS[verdict]}", ""]
    summary = f"**{files_scanned(s['files'])}**: {verdict_counts(report)}."
    if s["individuals"]:
        summary += f" **People exposed: about {s['individuals']:,}.**"
    places = report_hidden_places(report)
    if places:
        summary += " Hidden places with personal data: " + md_escape(", ".join(places)) + "."
    out += [summary, ""]
    rows = _table_rows(report)
    if rows:
        out += ["| file | verdict | people | where it hides |", "|---|---|---:|---|", *rows, ""]
    shown = [fr for fr in report.files if fr.findings or fr.not_inspected or fr.error]
    for fr in shown[:MAX_FILES_IN_DETAILS]:
        out += [*_details(fr), ""]
    if len(shown) > MAX_FILES_IN_DETAILS:
        out.append(
            f"… and {len(shown) - MAX_FILES_IN_DETAILS:,} more files with findings "
            "(see `--format json`)."
        )
        out.append("")
    out.append(
        f"<sub>spillguard {md_escape(report.version)}. Samples are masked; no personal value "
        "appears in this report.</sub>"
    )
    return "\n".join(out) + "\n"


class MarkdownReporter:
    format = "markdown"

    def render(self, report: Report, out: TextIO) -> None:
        out.write(render_markdown(report))
