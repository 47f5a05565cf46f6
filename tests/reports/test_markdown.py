"""Markdown for a CI comment: verdict, summary, a table of what blocks, details; all escaped.

The output is rendered with markdown-it-py (CommonMark with tables and raw HTML on, as a CI
comment box renders it), so the checks are about what a reader sees, not about source bytes.
"""

from __future__ import annotations

import io
import re

import pytest
from markdown_it import MarkdownIt

from spillguard.model import FileResult, Finding, Report, Severity, Surface, Verdict
from spillguard.reports.markdown import MAX_FINDINGS_PER_FILE, MarkdownReporter, md_escape
from tests.reports.conftest import HOSTILE_NAME, HOSTILE_WHERE, Scanned, hostile_report

_MD = MarkdownIt("commonmark").enable("table")


def _render(report: Report) -> str:
    buf = io.StringIO()
    MarkdownReporter().render(report, buf)
    return buf.getvalue()


def _table_rows(html: str) -> list[list[str]]:
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S):
        rows.append(re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", tr, flags=re.S))
    return rows


@pytest.fixture(scope="module")
def text(scanned: Scanned) -> str:
    return _render(scanned.report)


def test_heading_and_summary(text: str) -> None:
    lines = text.splitlines()
    assert lines[0] == "## ⛔ spillguard: Release blocked"
    summary = lines[2]
    assert summary.startswith("**7 files scanned**: 4 blocked, 1 could not be inspected, 1 with")
    assert "People exposed: about " in summary
    assert "hidden sheet" in summary
    assert "comments" in summary


def test_table_lists_blocked_and_error_files(scanned: Scanned, text: str) -> None:
    site = str(scanned.root / "site")
    html = _MD.render(text)
    rows = _table_rows(html)
    first = rows[0]
    assert first == ["file", "verdict", "people", "where it hides"]
    by_file = {r[0]: r for r in rows[1:] if len(r) == 4 and r[1] != "severity"}
    assert by_file[f"{site}/detention-stats.xlsx"][1:3] == ["blocked", "200"]
    assert by_file[f"{site}/detention-stats.xlsx"][3] == "hidden sheet"
    assert by_file[f"{site}/truncated.xlsx"][1] == "not inspected (blocks)"
    assert "could not be read" in by_file[f"{site}/truncated.xlsx"][3]
    assert f"{site}/aggregate.xlsx" not in by_file


def test_details_per_file_with_masked_samples(scanned: Scanned, text: str) -> None:
    site = str(scanned.root / "site")
    assert text.count("<details>") == text.count("</details>")
    html = _MD.render(text)
    head = f"<b>{site}/detention-stats.xlsx</b>: blocked, 200 people exposed</summary>"
    assert f"<summary>⛔ {head}" in html
    rows = _table_rows(html)
    a_numbers = [r for r in rows if r[1].startswith("200 A-numbers")]
    assert a_numbers, rows
    sev, what, where, sample = a_numbers[0]
    assert sev == "<strong>critical</strong>"
    assert what == "200 A-numbers (alien registration numbers) in hidden sheet"
    assert where == "Detainees!A2:A201"
    assert re.fullmatch(r"<code>A\d\*+\d\d</code>", sample), sample
    assert "Not inspected" in text  # the macro workbook's notes


def test_hostile_names_are_shown_as_written_and_inject_nothing() -> None:
    text = _render(hostile_report())
    html = _MD.render(text)
    assert "<img" not in html
    assert "<script" not in html
    assert "<a " not in html
    assert "<em>" not in html
    rows = _table_rows(html)
    assert all(len(r) == 4 for r in rows), rows
    main = next(r for r in rows if r[1] == "blocked")
    shown = HOSTILE_NAME.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert main[0] == shown.replace('"', "&quot;")
    finding = next(r for r in rows if r[0] == "<strong>critical</strong>")
    where = HOSTILE_WHERE.replace("<", "&lt;").replace(">", "&gt;")
    assert finding[2] == where + " (inside inner/&lt;x&gt;.xlsx)"
    assert finding[3] == "<code>A0******|78</code>"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("- item", "<p>- item</p>"),
        ("12. item", "<p>12. item</p>"),
        ("# title", "<p># title</p>"),
        ("a *b* _c_ `d` [e](f) ~g~", "<p>a *b* _c_ `d` [e](f) ~g~</p>"),
        ("x & y <z>", "<p>x &amp; y &lt;z&gt;</p>"),
        ("> quote", "<p>&gt; quote</p>"),
        ("two\nlines", "<p>two lines</p>"),
    ],
)
def test_md_escape_shows_text_literally(raw: str, shown: str) -> None:
    assert _MD.render(md_escape(raw)).strip() == shown


def test_long_files_are_capped() -> None:
    many = [
        Finding(
            entity="PERSON",
            severity=Severity.LOW,
            surface=Surface.VISIBLE,
            location=f"page {i}",
            count=1,
            sample="J*** D***",
            confidence=0.9,
            detector="person-name",
            explanation="",
            fingerprint=f"{i:032x}",
        )
        for i in range(MAX_FINDINGS_PER_FILE + 7)
    ]
    report = Report(
        version="0.1.0",
        files=[FileResult(path="big.pdf", sha256="", verdict=Verdict.WARN, findings=many)],
    )
    text = _render(report)
    assert text.splitlines()[0] == "## ⚠️ spillguard: Warnings: review before publishing"
    assert text.count("J\\*\\*\\* D\\*\\*\\*") == MAX_FINDINGS_PER_FILE
    assert "and 7 more findings" in text
    assert "| file | verdict |" not in text  # no blocked file: no table


def test_clean_release() -> None:
    report = Report(
        version="0.1.0", files=[FileResult(path="a.csv", sha256="", verdict=Verdict.PASS)]
    )
    text = _render(report)
    assert text.startswith("## ✅ spillguard: Passed: no personal data found\n")
    assert "<details>" not in text
