"""Accepted findings: a reviewed decision to publish, recorded by fingerprint, never by value.

The file (``.spillguard-accepted.toml`` by default, meant to be committed) holds one entry per
accepted finding::

    [[accepted]]
    fingerprint = "3f2a..."            # keyed hash of the finding: entity, surface, place, values
    entity = "PERSON"                  # for people reading the file
    path = "site/board-members.xlsx"
    location = "Members!A2:A9"
    reason = "Board members are listed on the public website"
    by = "j.doe"
    accepted = 2026-11-25
    expires = 2027-05-25

A finding that changes (more records, another surface, other values) has another fingerprint, so
an old acceptance does not cover it. An expired acceptance covers nothing and is reported.
Fingerprints are keyed with the installation secret: CI must use the same `SPILLGUARD_SECRET`
as the machine that recorded the acceptance.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spillguard.errors import PolicyError
from spillguard.model import Finding

ACCEPTED_FILE = ".spillguard-accepted.toml"


class Acceptance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    fingerprint: str = Field(pattern=r"^[0-9a-f]{16,64}$")
    reason: str = Field(min_length=3)
    by: str = Field(min_length=1)
    accepted: dt.date
    expires: dt.date | None = None
    entity: str = ""
    path: str = ""
    location: str = ""

    def expired(self, today: dt.date | None = None) -> bool:
        return self.expires is not None and self.expires < (today or dt.date.today())

    def note(self) -> str:
        until = f" until {self.expires.isoformat()}" if self.expires else ""
        return f"accepted by {self.by} on {self.accepted.isoformat()}{until}: {self.reason}"


def find_accepted_file(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / ACCEPTED_FILE
        if candidate.is_file():
            return candidate
    return None


def load_accepted(path: Path) -> tuple[Acceptance, ...]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyError(
            f"cannot read the accepted-findings file {path} ({exc.strerror})"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    entries = data.get("accepted", [])
    if not isinstance(entries, list):
        raise PolicyError(f"{path}: 'accepted' must be an array of tables ([[accepted]])")
    out = []
    for i, entry in enumerate(entries, start=1):
        try:
            out.append(Acceptance(**entry))
        except (ValidationError, TypeError) as exc:
            detail = (
                exc.errors()[0]
                if isinstance(exc, ValidationError)
                else {"loc": (), "msg": str(exc)}
            )
            key = ".".join(str(x) for x in detail["loc"])
            raise PolicyError(
                f"{path}: accepted finding #{i}: key '{key}': {detail['msg']}"
            ) from None
    return tuple(out)


def toml_string(v: str) -> str:
    """`v` as a TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in v:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_str(v: str) -> str:
    return toml_string(v.replace("\n", " "))  # a reason on one line


def render_accepted(entries: Iterable[Acceptance]) -> str:
    parts = [
        "# Findings reviewed and accepted for publication (spillguard accept).",
        "# Fingerprints are keyed hashes: this file holds no personal values.",
    ]
    for a in entries:
        parts.append("")
        parts.append("[[accepted]]")
        fields: dict[str, Any] = a.model_dump()
        for key in ("fingerprint", "entity", "path", "location", "reason", "by"):
            parts.append(f"{key} = {_toml_str(str(fields[key]))}")
        parts.append(f"accepted = {a.accepted.isoformat()}")
        if a.expires:
            parts.append(f"expires = {a.expires.isoformat()}")
    return "\n".join(parts) + "\n"


def add_acceptances(path: Path, new: Sequence[Acceptance]) -> int:
    """Append acceptances (replacing older ones with the same fingerprint); returns how many."""
    existing = list(load_accepted(path)) if path.exists() else []
    fps = {a.fingerprint for a in new}
    kept = [a for a in existing if a.fingerprint not in fps]
    path.write_text(render_accepted([*kept, *new]), encoding="utf-8")
    return len(new)


def acceptance_for(finding: Finding, accepted: Sequence[Acceptance]) -> Acceptance | None:
    for a in accepted:
        if a.fingerprint == finding.fingerprint:
            return a
    return None
