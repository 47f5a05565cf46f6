"""PDF reader: the text a reader sees, and what the file holds beyond it.

Why this shape: PDF leaks are rarely in the visible text. They are text left under black boxes
(a redaction drawn, not applied), text an earlier revision still carries after an incremental
update, files attached to the document, sticky notes, filled form fields, the author in the
metadata, invisible text. pypdfium2 (PDFium) gives the text layer with glyph positions and the
painted page objects (`pdf_layout`); pikepdf (qpdf) gives the structure (`pdf_structure`); the
earlier revisions are opened from the file's own bytes (`pdf_revisions`). Each part has exactly one
surface; covered text is yielded apart from the visible text, so it is judged as covered.

Fail closed: an encrypted file that needs a password raises `EncryptedFile`; a truncated or damaged
one `CorruptFile`, with a reason that names the structure and the library's error class, never the
library's message (which can quote the file).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.model import EmbeddedFile, Location, NotInspected, Surface, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.pdf_layout import Box, PageLayout, analyse_page
from spillguard.readers.pdf_revisions import (
    MAX_REVISIONS,
    lost_text,
    norm_line,
    revision_ends,
)
from spillguard.readers.pdf_structure import (
    MAX_XMP_BYTES,
    bounded_stream_bytes,
    check_decoded_size,
    embedded_files,
    form_fields,
    has_xfa,
    info_items,
    off_layers,
    page_annotations,
    page_streams,
    xmp_items,
)

#: documents with more pages are refused (an ``error`` verdict), not read in part
MAX_PAGES = 5000
#: a page whose content streams decode to more than this is refused (a "zip bomb" in a page)
MAX_CONTENT_BYTES = 256 * 1024**2
#: the PDF header must start within the first KiB (ISO 32000-1, 7.5.2, as readers tolerate it)
_SNIFF_BYTES = 1024


def _is_emf(head: bytes) -> bool:
    """An Enhanced Metafile: an EMR_HEADER record (type 1) with the " EMF" signature at 40."""
    return head[:4] == b"\x01\x00\x00\x00" and head[40:44] == b" EMF"


#: the end-of-file marker must lie within the last KiB of a complete file
_TAIL_BYTES = 1024


class PdfReader:
    """Reads PDF documents into text parts on their surfaces, notes and attached files."""

    id = "pdf"

    def sniff(self, source: Source) -> str | None:
        if _is_emf(source.head):
            return None  # a Windows metafile may carry a PDF rendering in a comment record
        return "pdf" if b"%PDF-" in source.head[:_SNIFF_BYTES] else None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        _check_complete(source.path, source.size)
        structure = _open_structure(source.path)
        try:
            yield from _read(source, structure)
        except pikepdf.PdfError as exc:
            raise CorruptFile(
                f"the PDF structure is damaged ({type(exc).__name__} while reading objects)"
            ) from None
        except UnicodeDecodeError:
            raise CorruptFile(
                "the PDF structure is damaged (a name or string is not valid text)"
            ) from None
        finally:
            structure.close()


def _check_complete(path: Path, size: int) -> None:
    """A file cut short (an interrupted upload or copy) lacks its final %%EOF marker."""
    with path.open("rb") as fh:
        fh.seek(max(0, size - _TAIL_BYTES))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise CorruptFile(
            "the PDF is truncated: it does not end with the %%EOF marker a complete file has"
        )


def _open_structure(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError:
        raise EncryptedFile(
            "the PDF is encrypted with a password needed to open it; its content cannot be "
            "inspected"
        ) from None
    except pikepdf.PdfError as exc:
        raise CorruptFile(
            f"the PDF structure is damaged and could not be opened ({type(exc).__name__})"
        ) from None


def _open_pages(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedFile(
                "the PDF is encrypted with a password needed to open it; its content cannot be "
                "inspected"
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedFile("the PDF uses an encryption scheme that cannot be opened") from None
        raise CorruptFile(
            f"the PDF could not be opened for its text (PDFium error {code})"
        ) from None


def _read(source: Source, structure: pikepdf.Pdf) -> Iterator[ReadItem]:
    pages = len(structure.pages)
    if pages > MAX_PAGES:
        raise LimitExceeded(f"the PDF has {pages:,} pages, over the limit of {MAX_PAGES:,}")
    # PDFium inflates the catalog's XMP packet whole when it opens the file (several times its
    # size in memory): a small stream that inflates to gigabytes is refused before that
    metadata = structure.Root.get("/Metadata")
    if isinstance(metadata, pikepdf.Stream):
        check_decoded_size(metadata, limit=MAX_XMP_BYTES, what="the XMP metadata")
    doc = _open_pages(source.path)
    try:
        final_lines: set[str] = set()
        yield from _pages(source, structure, doc, final_lines)
    finally:
        doc.close()
    yield from _metadata(source, structure)
    yield from _forms(source, structure)
    for name, stream in embedded_files(structure):
        yield _attachment(source, name, stream)
    yield from _revisions(source, structure, final_lines)


def _loc(source: Source, surface: Surface, where: str) -> Location:
    return Location(path=source.display, surface=surface, where=where, member=source.member)


def _pages(
    source: Source, structure: pikepdf.Pdf, doc: pdfium.PdfDocument, final_lines: set[str]
) -> Iterator[ReadItem]:
    layers, layers_off = off_layers(structure)
    count = len(doc)
    if count != len(structure.pages):
        yield NotInspected(
            _loc(source, Surface.VISIBLE, "page tree"),
            f"the page tree is damaged: PDFium sees {count} pages, qpdf "
            f"{len(structure.pages)}; pages only one of them sees were not inspected",
        )
        count = min(count, len(structure.pages))
    for index in range(count):
        number = index + 1
        pike_page = structure.pages[index]
        limit = min(MAX_CONTENT_BYTES, source.limits.max_part_bytes)
        for stream in page_streams(pike_page):
            check_decoded_size(stream, limit=limit, what=f"the content of page {number}")
        annots = page_annotations(pike_page)
        try:
            page = doc[index]
        except pdfium.PdfiumError:
            raise CorruptFile(f"page {number} of the PDF could not be loaded") from None
        try:
            crop = Box(*page.get_cropbox())
            layout = analyse_page(page, crop=crop, overlays=annots.overlays, off_layers=layers)
        finally:
            page.close()
        for text in _layout_texts(layout):
            final_lines.update(norm_line(ln) for ln in text.split("\n"))
        yield from _page_parts(source, number, layout, layers_off)
        for note in annots.texts:
            where = f"page {number} annotation #{note.index} ({note.subtype})"
            yield TextPart(note.text, _loc(source, Surface.ANNOTATION, where), note.context)
        for name, stream in annots.attachments:
            yield _attachment(source, name, stream)


def _layout_texts(layout: PageLayout) -> Iterator[str]:
    yield layout.text
    for run in (*layout.covered, *layout.invisible, *layout.layered):
        yield run.text


def _page_parts(
    source: Source, number: int, layout: PageLayout, layers_off: int
) -> Iterator[ReadItem]:
    page = f"page {number}"
    if layout.text.strip():
        yield TextPart(layout.text, _loc(source, Surface.VISIBLE, page))
    for run in layout.covered:
        where = f"{page} {run.box.label()}"
        yield TextPart(run.text, _loc(source, Surface.REDACTION_OVERLAY, where), "covered")
    for run in layout.invisible:
        where = f"{page} {run.box.label()}, {run.reason}"
        yield TextPart(run.text, _loc(source, Surface.WHITE_TEXT, where), "invisible")
    for run in layout.layered:
        where = f"{page} {run.box.label()}, in a layer switched off"
        yield TextPart(run.text, _loc(source, Surface.HIDDEN_TEXT, where), "hidden layer")
    hidden = layout.covered or layout.invisible or layout.layered
    if layout.images and not layout.text.strip() and not hidden:
        yield NotInspected(
            _loc(source, Surface.VISIBLE, page),
            f"{page} holds only images (scanned?); no OCR in the core",
        )
    if layout.objects_over_limit:
        yield NotInspected(
            _loc(source, Surface.REDACTION_OVERLAY, page),
            f"{page} has too many drawing objects to check for text under boxes; its text was "
            "read but not compared with what is painted over it",
        )
    if layout.unnamed_layers and layers_off:
        yield NotInspected(
            _loc(source, Surface.HIDDEN_TEXT, page),
            f"{page} has text in optional content whose visibility depends on several layers; "
            "whether it is switched off was not checked (it was read as visible text)",
        )


def _metadata(source: Source, structure: pikepdf.Pdf) -> Iterator[ReadItem]:
    seen: set[tuple[str, str]] = set()
    for key, value, context in info_items(structure):
        if (value, context) not in seen:
            seen.add((value, context))
            yield TextPart(value, _loc(source, Surface.METADATA, f"Info {key}"), context)
    limit = source.limits.max_part_bytes
    for key, value, context in xmp_items(structure, limit=limit):
        if (value, context) not in seen:
            seen.add((value, context))
            yield TextPart(value, _loc(source, Surface.METADATA, f"XMP {key}"), context)


def _forms(source: Source, structure: pikepdf.Pdf) -> Iterator[ReadItem]:
    for name, value in form_fields(structure):
        yield TextPart(value, _loc(source, Surface.FORM_FIELD, f"form field {name}"), name)
    if has_xfa(structure):
        yield NotInspected(
            _loc(source, Surface.FORM_FIELD, "XFA form"),
            "the PDF carries an XFA form (XML form data); its data was not inspected",
        )


def _attachment(source: Source, name: str, stream: pikepdf.Stream) -> EmbeddedFile:
    data = bounded_stream_bytes(
        stream, limit=source.limits.max_part_bytes, what=f"the attached file {name}"
    )
    return EmbeddedFile(name=name, data=data, surface=Surface.ATTACHMENT)


def _revisions(source: Source, structure: pikepdf.Pdf, final_lines: set[str]) -> Iterator[ReadItem]:
    ends = revision_ends(source.path, linearized=structure.is_linearized)
    total = len(ends)
    if total < 2:
        return
    earlier = ends[:-1]
    if len(earlier) > MAX_REVISIONS:
        yield NotInspected(
            _loc(source, Surface.PREVIOUS_REVISION, f"revisions 1-{len(earlier) - MAX_REVISIONS}"),
            f"the PDF has {total} revisions; only the last {MAX_REVISIONS} earlier ones were "
            "compared with the final one",
        )
        earlier = earlier[-MAX_REVISIONS:]
    first = total - len(earlier)
    for offset, end in enumerate(earlier):
        k = first + offset
        try:
            for lost in lost_text(
                source.path, end, k, final_lines=final_lines, max_pages=MAX_PAGES
            ):
                where = f"revision {lost.revision} of {total}, page {lost.page}"
                yield TextPart(lost.text, _loc(source, Surface.PREVIOUS_REVISION, where))
        except pdfium.PdfiumError:
            yield NotInspected(
                _loc(source, Surface.PREVIOUS_REVISION, f"revision {k} of {total}"),
                f"revision {k} of {total} could not be opened on its own; its text was not "
                "compared with the final revision",
            )
