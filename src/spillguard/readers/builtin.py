"""Registers the built-in readers through the same hook third-party plugins use.

Each built-in is registered behind a small proxy that imports its module on first use, so a scan
of workbooks never pays for importing the PDF or image libraries (a tenth of a second a run).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from spillguard.plugins import hookimpl
from spillguard.readers.base import Reader, ReadItem, Source

#: (reader id, module, class), asked in this order: specific containers first, text last
BUILTIN_READERS: tuple[tuple[str, str, str], ...] = (
    ("xlsx", "spillguard.readers.xlsx", "XlsxReader"),
    ("docx", "spillguard.readers.docx", "DocxReader"),
    ("pptx", "spillguard.readers.pptx", "PptxReader"),
    ("odf", "spillguard.readers.odf", "OdfReader"),
    ("xls_ods", "spillguard.readers.calamine_other", "XlsOdsReader"),
    ("ole", "spillguard.readers.ole", "OleReader"),
    ("pdf", "spillguard.readers.pdf", "PdfReader"),
    ("image", "spillguard.readers.image", "ImageReader"),
    ("archive", "spillguard.readers.archive", "ArchiveReader"),
    ("html", "spillguard.readers.html", "HtmlReader"),
    ("xml", "spillguard.readers.structured", "XmlReader"),
    ("json", "spillguard.readers.structured", "JsonReader"),
    ("email", "spillguard.readers.email", "EmailReader"),
    ("yaml", "spillguard.readers.structured", "YamlReader"),
    ("csv", "spillguard.readers.csvtext", "CsvReader"),
    ("text", "spillguard.readers.csvtext", "PlainTextReader"),
)


class LazyReader:
    """A reader whose module is imported the first time it is asked anything."""

    def __init__(self, reader_id: str, module: str, cls: str) -> None:
        self.id = reader_id
        self._module = module
        self._cls = cls
        self._reader: Reader | None = None

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            reader: Reader = getattr(importlib.import_module(self._module), self._cls)()
            self._reader = reader
        return self._reader

    def sniff(self, source: Source) -> str | None:
        return self.reader.sniff(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        return self.reader.read(source, file_type)


@hookimpl
def spillguard_readers() -> list[Reader]:
    return [LazyReader(*entry) for entry in BUILTIN_READERS]
