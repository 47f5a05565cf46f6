"""The incident corpus, end to end: files shaped like real leaks must be blocked on the right
surface with a head count within 10% of the truth; clean files must not be blocked.

Why a separate corpus: tests/e2e/test_workbooks.py checks that each hidden surface is read.
These files vary the way real publishers write (languages, header positions, name formats,
identifiers stored as numbers, CSV dialects), which is where a detector tuned on one fixture
breaks. Failures here are findings for the detection engine, not for the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spillguard import FileResult, Surface, Verdict, scan
from tests.incident_builders import CLEAN, LEAKING, Case


def _why(fr: FileResult) -> list[tuple[str, str, str, str, str]]:
    """The findings behind a verdict, for the assertion message (masked samples only)."""
    return [
        (f.entity, f.surface.value, f.location, f.severity.value, f.explanation)
        for f in fr.findings
    ]


def _scan_one(tmp_path: Path, case: Case) -> tuple[FileResult, int, tuple[Surface, ...]]:
    path = tmp_path / case.filename
    truth = case.build(path)
    (fr,) = scan([path]).files
    return fr, truth.people, truth.surfaces


@pytest.mark.parametrize("case", LEAKING, ids=[c.id for c in LEAKING])
def test_incident_is_blocked(tmp_path: Path, case: Case) -> None:
    fr, people, surfaces = _scan_one(tmp_path, case)
    assert fr.verdict is Verdict.BLOCK, (fr.verdict.value, fr.error, fr.reasons, _why(fr))
    blocking = {f.surface for f in fr.findings if f.severity.rank >= 3}
    missing = [s for s in surfaces if s not in blocking]
    assert not missing, (missing, sorted(s.value for s in blocking), fr.reasons)
    assert abs(fr.individuals - people) <= max(1, 0.1 * people), (fr.individuals, people)


@pytest.mark.parametrize("case", CLEAN, ids=[c.id for c in CLEAN])
def test_clean_file_is_not_blocked(tmp_path: Path, case: Case) -> None:
    fr, people, _ = _scan_one(tmp_path, case)
    assert people == 0
    assert fr.error is None, fr.error
    assert fr.verdict in (Verdict.PASS, Verdict.WARN), (fr.verdict.value, fr.reasons, _why(fr))
