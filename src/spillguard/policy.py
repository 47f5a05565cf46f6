"""The policy: what blocks. Defaults follow the severity model of DESIGN.md.

Policy files (``spillguard.toml``, ``[tool.spillguard]``) arrive with the gate-workflow issue; the
model below is already what they will load into.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from spillguard.readers.base import Limits


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    #: a visible table of people blocks from this many people when it identifies them
    records_block: int = Field(default=10, ge=1)
    #: content that could not be inspected (embedded objects, image-only pages) blocks
    not_inspected_blocks: bool = False
    #: "block" (default) or "warn": which verdict makes the exit code 1
    fail_on: str = Field(default="block", pattern="^(block|warn)$")
    #: entities switched off
    disabled_entities: frozenset[str] = frozenset()
    max_file_bytes: int = Field(default=Limits().max_file_bytes, ge=1)

    def limits(self) -> Limits:
        return Limits(max_file_bytes=self.max_file_bytes)


DEFAULT_POLICY = Policy()
