"""Registers the built-in reporters through the same hook third-party plugins use."""

from __future__ import annotations

from spillguard.plugins import hookimpl
from spillguard.reports.base import Reporter


@hookimpl
def spillguard_reporters() -> list[Reporter]:
    from spillguard.reports.jsonfmt import JsonReporter
    from spillguard.reports.text import TextReporter

    return [TextReporter(), JsonReporter()]
