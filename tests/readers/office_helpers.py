"""Shared helpers for the Word, PowerPoint and OpenDocument reader tests."""

from __future__ import annotations

from pathlib import Path

from spillguard.model import EmbeddedFile, NotInspected, Surface, TablePart, TextPart
from spillguard.readers.base import Reader, ReadItem, Source


def read_all(reader: Reader, path: Path, expect: str | tuple[str, ...]) -> list[ReadItem]:
    """Sniff and read `path` with `reader`; tables' rows are materialised for assertions."""
    source = Source.from_path(path)
    file_type = reader.sniff(source)
    wanted = (expect,) if isinstance(expect, str) else expect
    assert file_type in wanted, file_type
    items = list(reader.read(source, file_type))
    for it in items:
        if isinstance(it, TablePart):
            it.rows = list(it.iter_rows())
    return items


def texts(items: list[ReadItem], surface: Surface) -> list[TextPart]:
    return [i for i in items if isinstance(i, TextPart) and i.location.surface is surface]


def tables(items: list[ReadItem], surface: Surface | None = None) -> list[TablePart]:
    return [
        i
        for i in items
        if isinstance(i, TablePart) and (surface is None or i.location.surface is surface)
    ]


def joined(items: list[ReadItem], surface: Surface) -> str:
    """All text and cell values on one surface, as one string."""
    out = [t.text for t in texts(items, surface)]
    for t in tables(items, surface):
        out.extend(t.header)
        for _, row in t.rows:
            out.extend(str(v) for v in row)
    return "\n".join(out)


def embedded(items: list[ReadItem]) -> list[EmbeddedFile]:
    return [i for i in items if isinstance(i, EmbeddedFile)]


def notes(items: list[ReadItem]) -> list[NotInspected]:
    return [i for i in items if isinstance(i, NotInspected)]
