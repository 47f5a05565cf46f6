"""Earlier revisions of an incrementally updated PDF.

An incremental update appends changed objects and a new cross-reference section to the end of the
file; everything before stays byte for byte. So the bytes up to each earlier ``startxref N %%EOF``
are a complete PDF as it was before the update, and a name "replaced" in revision 2 can still be
read from revision 1. We open each earlier revision with pdfium (through a read-only view that
stops at its end, so no copy of the file is made) and report the lines of text that the final
revision no longer has anywhere.
"""

from __future__ import annotations

import io
import mmap
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

#: the end of one revision: its cross-reference offset and end-of-file marker
_REVISION_END = re.compile(rb"startxref\s+\d+\s*%%EOF")
#: revisions beyond this many are reported, not read
MAX_REVISIONS = 64
_SPACE = re.compile(r"\s+")


def revision_ends(path: Path, *, linearized: bool) -> list[int]:
    """Byte offsets where each revision ends (the last one is the file as published).

    A linearized file ends its first-page section with an extra end marker that is not a
    revision of its own: it is dropped.
    """
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        ends = [m.end() for m in _REVISION_END.finditer(mm)]
    if linearized and len(ends) > 1:
        ends = ends[1:]
    return ends


class PrefixView(io.RawIOBase):
    """A read-only, seekable view of the first `length` bytes of a file."""

    def __init__(self, path: Path, length: int) -> None:
        super().__init__()
        self._fh = path.open("rb")
        self._length = length
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._length}[whence]
        self._pos = max(0, min(self._length, base + offset))
        return self._pos

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        want = min(len(buffer), self._length - self._pos)
        if want <= 0:
            return 0
        self._fh.seek(self._pos)
        data = self._fh.read(want)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        self._fh.close()
        super().close()


def norm_line(line: str) -> str:
    return _SPACE.sub(" ", line).strip().casefold()


@dataclass(frozen=True, slots=True)
class LostText:
    """Lines of one page of an earlier revision that the final revision no longer holds."""

    revision: int
    page: int
    text: str


def lost_text(
    path: Path, end: int, revision: int, *, final_lines: set[str], max_pages: int
) -> Iterator[LostText]:
    """Open the revision that ends at byte `end`; yield its lines missing from `final_lines`.

    Raises `pypdfium2.PdfiumError` when the revision cannot be opened on its own.
    """
    view = PrefixView(path, end)
    doc = pdfium.PdfDocument(view, autoclose=True)
    try:
        for index in range(min(len(doc), max_pages)):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
            finally:
                textpage.close()
                page.close()
            lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            lost = [ln for ln in lines if ln.strip() and norm_line(ln) not in final_lines]
            if lost:
                yield LostText(revision, index + 1, "\n".join(lost))
    finally:
        doc.close()
