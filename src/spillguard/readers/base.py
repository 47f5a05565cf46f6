"""The reader contract: "can I read this?" and "read it into parts".

A reader turns a file into parts (`TextPart`, `TablePart`) and `NotInspected` notes. It raises a
`ReadError` subclass when it cannot read the file fully; it never skips content silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from spillguard.model import EmbeddedFile, NotInspected, Part

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds that protect the scanner. Going over one is an ``error`` verdict, never a skip."""

    max_file_bytes: int = 2 * 1024**3
    max_part_bytes: int = 1024**3  # one uncompressed member of a zip container
    max_total_uncompressed: int = 4 * 1024**3
    max_compression_ratio: float = 200.0  # uncompressed/compressed, for members over 1 MiB
    max_members: int = 20_000
    max_rows: int = 20_000_000
    max_depth: int = 5  # nesting of embedded files


@dataclass(slots=True)
class Source:
    """A file to read. `display` is the path or URL shown to people; `head` its first bytes."""

    path: Path
    display: str
    size: int
    head: bytes
    limits: Limits = field(default_factory=Limits)
    member: str | None = None  # set when the file lives inside a container
    depth: int = 0

    @classmethod
    def from_path(
        cls, path: Path, *, display: str | None = None, limits: Limits | None = None
    ) -> Source:
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
        return cls(
            path=path,
            display=display if display is not None else str(path),
            size=path.stat().st_size,
            head=head,
            limits=limits or Limits(),
        )


ReadItem = Part | NotInspected | EmbeddedFile


@runtime_checkable
class Reader(Protocol):
    """A format family's reader. Register it with the ``spillguard_readers`` hook."""

    #: stable identifier, e.g. ``"xlsx"``
    id: str

    def sniff(self, source: Source) -> str | None:
        """Return the file type this reader recognises in `source` (``"xlsx"``), or ``None``.

        Decide from content (`source.head`, the zip directory...), not from the extension.
        """
        ...

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        """Yield the file's parts and notes. Raise a `ReadError` subclass when it cannot."""
        ...
