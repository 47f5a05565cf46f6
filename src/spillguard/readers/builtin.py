"""Registers the built-in readers through the same hook third-party plugins use."""

from __future__ import annotations

from spillguard.plugins import hookimpl
from spillguard.readers.base import Reader


@hookimpl
def spillguard_readers() -> list[Reader]:
    from spillguard.readers.archive import ArchiveReader
    from spillguard.readers.calamine_other import XlsOdsReader
    from spillguard.readers.csvtext import CsvReader, PlainTextReader
    from spillguard.readers.docx import DocxReader
    from spillguard.readers.email import EmailReader
    from spillguard.readers.html import HtmlReader
    from spillguard.readers.image import ImageReader
    from spillguard.readers.odf import OdfReader
    from spillguard.readers.ole import OleReader
    from spillguard.readers.pdf import PdfReader
    from spillguard.readers.pptx import PptxReader
    from spillguard.readers.structured import JsonReader, XmlReader, YamlReader
    from spillguard.readers.xlsx import XlsxReader

    # Asked in this order: specific container formats first, text last.
    return [
        XlsxReader(),
        DocxReader(),
        PptxReader(),
        OdfReader(),
        XlsOdsReader(),
        OleReader(),
        PdfReader(),
        ImageReader(),
        ArchiveReader(),
        HtmlReader(),
        XmlReader(),
        JsonReader(),
        EmailReader(),
        YamlReader(),
        CsvReader(),
        PlainTextReader(),
    ]
