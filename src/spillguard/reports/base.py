"""The reporter contract: render one `Report` to a stream."""

from __future__ import annotations

from typing import Protocol, TextIO, runtime_checkable

from spillguard.model import Report


@runtime_checkable
class Reporter(Protocol):
    """Renders a report. Register it with the ``spillguard_reporters`` hook."""

    #: the ``--format`` name, e.g. ``"json"``
    format: str

    def render(self, report: Report, out: TextIO) -> None: ...
