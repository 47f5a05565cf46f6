"""Registers the built-in detectors through the same hook third-party plugins use."""

from __future__ import annotations

from spillguard.detectors.base import TextDetector
from spillguard.plugins import hookimpl


@hookimpl
def spillguard_detectors() -> list[TextDetector]:
    from spillguard.detectors.names import NationalityDetector, PersonDetector
    from spillguard.detectors.patterns import PATTERN_DETECTORS

    return [*PATTERN_DETECTORS, PersonDetector(), NationalityDetector()]
