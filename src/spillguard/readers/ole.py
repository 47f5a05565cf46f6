"""OLE compound files (CFB) that are not XLS workbooks: say precisely why they are not read.

The CFB container holds legacy Word and PowerPoint files, Outlook messages, and, importantly,
password-encrypted OOXML: Office wraps an encrypted .xlsx/.docx in CFB with the streams
``EncryptionInfo`` and ``EncryptedPackage``. None of these is inspected yet, so each read raises a
`ReadError` with a plain reason: the file gets an ``error`` verdict and blocks, as it must.
"""

from __future__ import annotations

from collections.abc import Iterator

from spillguard.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.calamine_other import ole_stream_names, xls_workbook_stream
from spillguard.readers.sniff import is_cfb

#: stream name (lower case) -> (file type, reason it is not inspected)
_KNOWN_STREAMS: tuple[tuple[str, str, str], ...] = (
    ("worddocument", "doc", "legacy Word/PowerPoint binary files are not inspected yet"),
    ("powerpoint document", "ppt", "legacy Word/PowerPoint binary files are not inspected yet"),
    (
        "__properties_version1.0",
        "msg",
        "Outlook message files (.msg) are not inspected yet",
    ),
    ("visio", "vsd", "legacy Visio drawings are not inspected yet"),
)


def classify_cfb(names: list[str]) -> str:
    """The kind of CFB file from its stream names: encrypted-ooxml, doc, ppt, msg, vsd or cfb."""
    lowered = {n.lower() for n in names}
    tops = {n.split("/", 1)[0] for n in lowered}
    if "encryptioninfo" in tops and "encryptedpackage" in tops:
        return "encrypted-ooxml"
    for stream, kind, _ in _KNOWN_STREAMS:
        if stream in tops:
            return kind
    if any(t.startswith("__substg1.0_") for t in tops):
        return "msg"
    return "cfb"


class OleReader:
    """Every CFB file that `XlsOdsReader` does not claim; reading raises with the reason."""

    id = "ole"

    def sniff(self, source: Source) -> str | None:
        if not is_cfb(source.head):
            return None
        names = ole_stream_names(source.path)
        if names is None:
            return "cfb"  # damaged: claimed so that read() can say so
        if xls_workbook_stream(names) is not None:
            return None  # an XLS workbook, for XlsOdsReader
        return classify_cfb(names)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        names = ole_stream_names(source.path)
        if names is None:
            raise CorruptFile(
                "the OLE compound file is damaged or truncated (its sector tables cannot be read)"
            )
        kind = classify_cfb(names)
        if kind == "encrypted-ooxml":
            raise EncryptedFile(
                "the file is encrypted with a password (an encrypted Office document); its "
                "content cannot be inspected"
            )
        for _, known, reason in _KNOWN_STREAMS:
            if kind == known:
                raise UnsupportedFormat(reason)
        if kind == "msg":
            raise UnsupportedFormat("Outlook message files (.msg) are not inspected yet")
        if xls_workbook_stream(names) is not None:
            raise UnsupportedFormat(
                "the OLE file is an XLS workbook; it is read by the XLS/ODS reader, not this one"
            )
        count = len(names)
        raise UnsupportedFormat(
            f"the OLE compound file holds {count} streams or storages of an unrecognised "
            "application (no Workbook, WordDocument, PowerPoint Document or EncryptedPackage "
            "stream); its content is not inspected"
        )
        yield  # pragma: no cover - makes this a generator, as the protocol expects


__all__ = ["OleReader", "classify_cfb"]
