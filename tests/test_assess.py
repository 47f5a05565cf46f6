"""Severity is about people, not patterns: rules that real documents taught us."""

from __future__ import annotations

import pytest

from spillguard.assess import assess
from spillguard.detect import PeopleLedger, TextCollector
from spillguard.model import Location, Severity, Surface, TextPart, Verdict
from spillguard.plugins import detectors
from spillguard.policy import DEFAULT_POLICY

DETS = detectors()


def _assess(text: str, surface: Surface, context: str = "") -> tuple[Verdict, dict[str, Severity]]:
    tc = TextCollector(PeopleLedger())
    tc.add_part(TextPart(text, Location("f", surface, "somewhere"), context), DETS)
    tc.finish()
    verdict, findings, _ = assess(tc.hits(), [], [], DEFAULT_POLICY)
    return verdict, {f.entity: f.severity for f in findings}


@pytest.mark.parametrize(
    ("text", "surface", "context", "verdict"),
    [
        # a footer is printed on every page: a name there is as visible as in the body
        ("Prepared by Maria Fernanda Lopez, Policy Unit", Surface.HEADER_FOOTER, "", "warn"),
        # ...but an ID number in a footer still blocks
        ("Case of A-123-456-789", Surface.HEADER_FOOTER, "", "block"),
        # a machine address in a comment is worth a look, not a blocked release
        ("server at 10.20.30.40 was restarted", Surface.COMMENT, "", "warn"),
        # the tool that wrote an image, and its copyright owner, are not its subjects
        ("Mac OS X 10.15", Surface.EXIF, "Software", "pass"),
        ("Photo: Maria Fernanda Lopez", Surface.EXIF, "Copyright", "warn"),
        # a name in a comment is personal data where nobody looks: it blocks
        ("Ask Maria Fernanda Lopez about this", Surface.COMMENT, "", "block"),
    ],
)
def test_severity_rules(text: str, surface: Surface, context: str, verdict: str) -> None:
    got, _ = _assess(text, surface, context)
    assert got.value == verdict
