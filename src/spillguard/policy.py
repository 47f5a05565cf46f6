"""The policy: what blocks, what is scanned, what is allowed. Defaults follow DESIGN.md.

A policy lives in ``spillguard.toml`` (top-level keys) or in ``pyproject.toml`` under
``[tool.spillguard]``, found from the working directory upwards, or is named with
``--policy FILE``::

    records_block = 10              # a visible table identifying this many people blocks
    fail_on = "block"               # or "warn": which verdict makes the exit code 1
    not_inspected_blocks = false    # content that could not be inspected blocks
    max_file_bytes = 2147483648     # larger files are an error verdict
    time_limit = 300                # seconds per file before it is an error verdict (0: none)
    include = ["**/*"]              # globs, relative to each directory scanned
    exclude = ["**/node_modules/**"]
    disable = ["IP_ADDRESS"]        # entities switched off

    [severity]                      # [tool.spillguard.severity] in pyproject.toml
    PHONE_NUMBER = "low"            # info, low, medium, high, critical

    [allow]                         # values that are fine to publish
    values = ["Jane Official", "press@agency.gov"]
    patterns = ['^[a-z.]+@agency\\.gov$']

An invalid policy is an error naming the key and its line (exit code 2).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from spillguard.accept import Acceptance, find_accepted_file, load_accepted, toml_string
from spillguard.errors import PolicyError
from spillguard.model import Severity
from spillguard.readers.base import Limits

POLICY_FILE = "spillguard.toml"


class Allow(BaseModel):
    """Values that may be published: exact values (case and spacing ignored) and patterns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    values: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for i, p in enumerate(v):
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(
                    f"pattern {i + 1} is not a valid regular expression ({exc.msg})"
                ) from None
        return v

    @property
    def active(self) -> bool:
        return bool(self.values or self.patterns)

    @functools.cached_property
    def _exact(self) -> frozenset[str]:
        return frozenset(_fold(v) for v in self.values)

    @functools.cached_property
    def _regexes(self) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p) for p in self.patterns)

    def allows(self, value: str) -> bool:
        v = value.strip()
        return _fold(v) in self._exact or any(r.fullmatch(v) for r in self._regexes)


def _fold(value: str) -> str:
    return " ".join(value.casefold().split())


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: a visible table of people blocks from this many people when it identifies them
    records_block: int = Field(default=10, ge=1)
    #: content that could not be inspected (embedded objects, image-only pages) blocks
    not_inspected_blocks: bool = False
    #: "block" (default) or "warn": which verdict makes the exit code 1
    fail_on: str = Field(default="block", pattern="^(block|warn)$")
    #: entities switched off
    disable: frozenset[str] = frozenset()
    #: severity overrides by entity
    severity: dict[str, Severity] = Field(default_factory=dict)
    max_file_bytes: int = Field(default=Limits().max_file_bytes, ge=1)
    #: seconds one file may take before it is an error verdict (0: no limit); enforced where
    #: files are scanned in worker processes (the CLI always; the API with jobs > 1 or isolate)
    time_limit: float = Field(default=300.0, ge=0)
    include: tuple[str, ...] = ("**/*",)
    exclude: tuple[str, ...] = ()
    allow: Allow = Field(default_factory=Allow)
    #: accepted-findings file, relative to the policy file (default: the nearest
    #: .spillguard-accepted.toml from the working directory upwards)
    accepted_file: str | None = None
    #: the acceptances loaded from it
    accepted: tuple[Acceptance, ...] = ()
    #: where the policy came from (None: the defaults)
    source: str | None = None

    @property
    def disabled_entities(self) -> frozenset[str]:
        return self.disable

    def limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_file_bytes)

    def selects(self, relative: str) -> bool:
        """Whether a file (path relative to the scanned directory) is scanned."""
        return any(_glob(g).fullmatch(relative) for g in self.include) and not any(
            _glob(g).fullmatch(relative) for g in self.exclude
        )

    def to_toml(self) -> str:
        lines = [f"# effective policy; from {self.source or 'the defaults'}"]
        for key in (
            "records_block",
            "fail_on",
            "not_inspected_blocks",
            "max_file_bytes",
            "time_limit",
        ):
            lines.append(f"{key} = {_toml_value(getattr(self, key))}")
        lines.append(f"include = {_toml_value(list(self.include))}")
        lines.append(f"exclude = {_toml_value(list(self.exclude))}")
        lines.append(f"disable = {_toml_value(sorted(self.disable))}")
        lines.append("")
        lines.append("[severity]")
        lines.extend(f"{k} = {_toml_value(v.value)}" for k, v in sorted(self.severity.items()))
        lines.append("")
        lines.append("[allow]")
        lines.append(f"values = {_toml_value([_mask_allowed(v) for v in self.allow.values])}")
        lines.append(f"patterns = {_toml_value(list(self.allow.patterns))}")
        return "\n".join(lines) + "\n"


def _mask_allowed(value: str) -> str:
    # allowed values are meant to be public, but a policy print-out need not repeat them in full
    return value if "@" in value or len(value) <= 3 else value[:2] + "…" + value[-1:]


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(type(v).__name__)


@functools.cache
def _glob(pattern: str) -> re.Pattern[str]:
    """A path glob as a regex: ``**/`` any directories, ``*`` within one name, ``?`` one char."""
    out = []
    i = 0
    p = pattern.lstrip("/")
    while i < len(p):
        if p.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif p.startswith("**", i):
            out.append(".*")
            i += 2
        elif p[i] == "*":
            out.append("[^/]*")
            i += 1
        elif p[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(p[i]))
            i += 1
    return re.compile("".join(out))


DEFAULT_POLICY = Policy()


# -- loading --------------------------------------------------------------------------------------
def find_policy(start: Path) -> Path | None:
    """The nearest ``spillguard.toml``, or ``pyproject.toml`` with ``[tool.spillguard]``."""
    here = start.resolve()
    for folder in (here, *here.parents):
        candidate = folder / POLICY_FILE
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and re.search(
            r"^\s*\[tool\.spillguard[\].]", pyproject.read_text(encoding="utf-8"), re.M
        ):
            return pyproject
    return None


def load_policy(
    path: Path | None = None, *, start: Path | None = None, accepted: Path | None = None
) -> Policy:
    """Load the policy from `path`, or find one from `start` (default: the working directory),
    with the accepted findings (`accepted`, the policy's `accepted_file`, or the nearest
    ``.spillguard-accepted.toml``)."""
    policy = _load_policy(path, start=start)
    if accepted is None and policy.accepted_file and policy.source:
        accepted = Path(policy.source).parent / policy.accepted_file
    if accepted is None:
        accepted = find_accepted_file(start or Path.cwd())
    if accepted is None:
        return policy
    return Policy(**{**policy.model_dump(), "accepted": load_accepted(accepted)})


def _load_policy(path: Path | None, *, start: Path | None) -> Policy:
    if path is None:
        path = find_policy(start or Path.cwd())
        if path is None:
            return DEFAULT_POLICY
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"cannot read the policy file {path} ({exc.strerror})") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: not valid TOML: {exc}") from None
    prefix: Sequence[str] = ()
    if path.name == "pyproject.toml" or "tool" in data:
        data = data.get("tool", {}).get("spillguard", {})
        prefix = ("tool", "spillguard")
    if not isinstance(data, dict):
        raise PolicyError(f"{path}: the spillguard policy must be a table")
    try:
        return Policy(**data, source=str(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(x) for x in (*prefix, *err["loc"]))
        line = _line_of(text, [str(x) for x in err["loc"] if isinstance(x, str)])
        where = f" (line {line})" if line else ""
        raise PolicyError(f"{path}: key '{key}'{where}: {err['msg']}") from None
    except TypeError as exc:
        raise PolicyError(f"{path}: {exc}") from None


def _line_of(text: str, keys: list[str]) -> int | None:
    """The line where the innermost key of `keys` is set (best effort, for error messages)."""
    for key in reversed(keys):
        k = re.escape(key)
        m = re.search(rf"^[ \t]*\"?{k}\"?[ \t]*=|^[ \t]*\[[^\]\n]*\b{k}\]", text, re.M)
        if m:
            return text.count("\n", 0, m.start()) + 1
    return None


def with_overrides(policy: Policy, **overrides: Any) -> Policy:
    """The policy with command-line values (those not None) put over it."""
    given = {k: v for k, v in overrides.items() if v is not None}
    if not given:
        return policy
    try:
        return Policy(**{**policy.model_dump(), **given})
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PolicyError(f"option {err['loc'][0]}: {err['msg']}") from None


def relative_posix(path: Path, root: Path) -> str:
    try:
        return PurePosixPath(path.relative_to(root).as_posix()).as_posix()
    except ValueError:
        return path.as_posix()
