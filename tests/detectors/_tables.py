"""Shared assertions for the table-driven pattern-detector tests.

A MUST_FLAG row is ``(text, context, expected)``: the detector must report `expected` (the exact
matched text) with its entity. A MUST_NOT_FLAG row is ``(text, context)``: nothing at all.
Every reported match is also checked for the second-leak rule: the explanation never contains the
value, neither as written nor with its separators removed.
"""

from __future__ import annotations

import re

from spillguard.detectors.base import Match, TextDetector

FlagRow = tuple[str, str, str]
NoFlagRow = tuple[str, str]


def _alnum(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value).lower()


def check_explanation(match: Match) -> None:
    assert match.explanation, "every match needs an explanation"
    assert match.value not in match.explanation
    squashed = _alnum(match.value)
    if len(squashed) >= 5:
        assert squashed not in _alnum(match.explanation)
    assert 0.0 <= match.confidence <= 1.0


def assert_flags(detector: TextDetector, text: str, context: str, expected: str) -> Match:
    matches = list(detector.find(text, context=context))
    for m in matches:
        check_explanation(m)
        assert m.detector == detector.id
        assert m.entity in detector.entities
        assert text[m.start : m.end] == m.value
    found = [m for m in matches if m.value == expected]
    assert found, f"expected a match, got {len(matches)} other match(es): {matches!r}"
    return found[0]


def assert_no_flag(detector: TextDetector, text: str, context: str) -> None:
    matches = list(detector.find(text, context=context))
    assert matches == [], f"unexpected match(es): {matches!r}"
