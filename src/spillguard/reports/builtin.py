"""Registers the built-in reporters through the same hook third-party plugins use."""

from __future__ import annotations

from spillguard.plugins import hookimpl
from spillguard.reports.base import Reporter


@hookimpl
def spillguard_reporters() -> list[Reporter]:
    from spillguard.reports.html import HtmlReporter
    from spillguard.reports.jsonfmt import JsonReporter
    from spillguard.reports.jsonl import JsonlReporter
    from spillguard.reports.markdown import MarkdownReporter
    from spillguard.reports.sarif import SarifReporter
    from spillguard.reports.text import TextReporter

    return [
        TextReporter(),
        JsonReporter(),
        SarifReporter(),
        MarkdownReporter(),
        JsonlReporter(),
        HtmlReporter(),
    ]
