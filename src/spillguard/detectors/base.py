"""The detector contract.

A text detector finds entities in a string. The same detectors judge table cells: the column
engine (`spillguard.detectors.columns`) calls `find` on cell values with the column header as
context, and decides from a sample which entity a column holds.

Every match carries a confidence and an explanation a reviewer can read (which rule, which
context). `Match.value` is the raw text: it never leaves the process; the assess step masks it
and hashes it before anything is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Match:
    entity: str
    start: int
    end: int
    value: str
    confidence: float
    detector: str
    explanation: str

    def __repr__(self) -> str:  # never print the raw value
        return (
            f"Match(entity={self.entity!r}, start={self.start}, end={self.end}, "
            f"confidence={self.confidence}, detector={self.detector!r})"
        )


@runtime_checkable
class TextDetector(Protocol):
    """Finds entities in text. Register it with the ``spillguard_detectors`` hook."""

    #: stable identifier that findings and accepted-findings files refer to; never change it
    id: str

    @property
    def entities(self) -> tuple[str, ...]:
        """Entity IDs this detector can report (``("US_SSN",)``)."""
        ...

    def find(self, text: str, *, context: str = "") -> Iterable[Match]:
        """Yield matches in `text`.

        `context` is framing text: a column header, a form label, a JSON key, nearby words.
        Detectors that need context (a passport number, a date that is a birth date) use it.
        """
        ...
