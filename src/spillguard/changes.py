"""Change-aware scans: only what changed since a git revision, and what an update would add.

`changed_files` asks git which files differ from a revision (committed since, staged, modified
or new and not ignored). `added_exposures` compares the reports of two site trees (the live
site and the new build) and keeps what the new one publishes that the old one did not.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spillguard.entities import counted
from spillguard.errors import UsageError
from spillguard.model import FileResult, Finding, Report, Severity, Verdict


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"git could not be run ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise UsageError(f"git {' '.join(args[:2])} failed: {done.stderr.strip()[:200]}")
    return done.stdout


def changed_files(ref: str, *, cwd: Path) -> set[Path]:
    """Files that differ from `ref`: changed since, staged, modified, or untracked."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    names = _git(["diff", "--name-only", "--diff-filter=ACMRT", "-z", ref], cwd).split("\0")
    names += _git(["ls-files", "--others", "--exclude-standard", "-z"], cwd).split("\0")
    return {(top / n).resolve() for n in names if n}


@dataclass(slots=True)
class Added:
    """What one file of the new tree exposes that the old tree did not."""

    path: str
    new_file: bool
    people: int
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def blocking(self) -> bool:
        return self.error is not None or any(
            f.severity.rank >= Severity.HIGH.rank and not f.accepted for f in self.findings
        )

    def sentence(self) -> str:
        if self.error is not None:
            return f"this update publishes {self.path}, which could not be inspected: {self.error}"
        places: list[str] = []
        for f in self.findings:
            if f.surface.hidden:
                place = f"{f.surface.label} '{f.location.split('!')[0].strip(chr(39))}'"
                if place not in places:
                    places.append(place)
        where = f" ({'; '.join(places[:3])})" if places else ""
        if self.people:
            what = f"{self.people:,} new personal record{'s' if self.people != 1 else ''}"
        else:
            what = ", ".join(counted(f.count, f.entity) for f in self.findings[:4])
        return f"this update publishes {what} in {self.path}{where}"


def _rel(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def added_exposures(old: Report, new: Report, *, old_root: Path, new_root: Path) -> list[Added]:
    """Exposures in `new` that `old` does not already publish, file by file (by relative path).

    A finding is already live when the old file has a finding with the same fingerprint (same
    entity, surface, place and values). People added = the new file's people minus the old's.
    """
    old_files: dict[str, FileResult] = {_rel(f.path, old_root): f for f in old.files}
    out: list[Added] = []
    for nf in new.files:
        rel = _rel(nf.path, new_root)
        of = old_files.get(rel)
        if nf.verdict is Verdict.ERROR:
            if of is None or of.verdict is not Verdict.ERROR:
                out.append(Added(rel, of is None, 0, error=nf.error or "unreadable"))
            continue
        live = {f.fingerprint for f in of.findings} if of else set()
        fresh = [f for f in nf.findings if f.fingerprint not in live]
        if not fresh:
            continue
        people = max(0, nf.individuals - (of.individuals if of else 0))
        out.append(Added(rel, of is None, people, fresh))
    return out
