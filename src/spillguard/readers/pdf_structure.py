"""PDF structure read with pikepdf: metadata, annotations, form fields, attachments, layers.

These stores are not page content, so pdfium's text page never shows them, yet each is published
with the file: the Info dictionary and XMP packet (author, title), sticky notes and their authors,
filled form fields, files attached to the document or to a page, unapplied /Redact annotations,
and optional-content layers switched off. Values are returned to the reader as plain strings; the
reader decides the surface. Nothing here logs or raises with a value in the message.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from lxml import etree

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.readers.pdf_layout import Box
from spillguard.readers.zipsafe import local, xml_parser

#: form fields and annotation trees deeper than this are damaged or hostile
_MAX_TREE_DEPTH = 32
#: fields, attachments and annotations per document beyond which the rest is reported
MAX_ITEMS = 20_000
#: the XMP packet is small in practice; bigger is refused (reported)
MAX_XMP_BYTES = 16 * 1024**2
_STEP = 1024**2
#: annotation subtypes whose rectangle hides the page content under it
_FILLED_MARKUP = frozenset({"/Square", "/Highlight"})
_RC_TAG = re.compile(r"<[^>]{0,2000}>")
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XMLNS = "http://www.w3.org/2000/xmlns/"
#: XMP properties that name the author of the file
_XMP_AUTHOR = frozenset({"creator", "Author", "lastModifiedBy", "Manager", "Owner"})
#: Info keys that name the author of the file
_INFO_AUTHOR = frozenset({"Author", "LastModifiedBy"})
#: Info keys that hold dates and flags, never free text
_INFO_SKIP = frozenset({"CreationDate", "ModDate", "Trapped"})


def text_of(obj: object) -> str | None:
    """A PDF string as text (PDFDocEncoding or UTF-16), or None if `obj` is not a string."""
    if isinstance(obj, pikepdf.String):
        try:
            return str(obj)
        except UnicodeDecodeError:  # damaged UTF-16: keep every byte as a character
            return bytes(obj).decode("latin-1")
    return None


def name_of(obj: object) -> str:
    """A PDF name as text (``/Redact``); '' for anything else or a name that is not UTF-8."""
    if not isinstance(obj, pikepdf.Name):
        return ""
    try:
        return str(obj)
    except UnicodeDecodeError:
        return ""


def bounded_stream_bytes(stream: pikepdf.Stream, *, limit: int, what: str) -> bytes:
    """A stream's decoded bytes, refusing more than `limit` without decoding it all first.

    Flate (the usual filter) is decoded in steps with a cap, so a small stream that inflates to
    gigabytes (a PDF "zip bomb") costs `limit` bytes of memory at most.
    """
    filters = stream.get("/Filter")
    parms = stream.get("/DecodeParms")
    raw_len = stream.get("/Length")
    if isinstance(raw_len, int) and raw_len > limit:
        raise LimitExceeded(f"{what} is {raw_len:,} bytes, over the limit of {limit:,} bytes")
    if filters is None:
        data = stream.read_raw_bytes()
    elif filters == pikepdf.Name.FlateDecode and parms is None:
        raw = stream.read_raw_bytes()
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, limit + 1)
        except zlib.error:
            raise CorruptFile(f"{what} is damaged (its compressed data does not inflate)") from None
    else:
        try:
            data = stream.read_bytes()
        except pikepdf.PdfError:
            raise CorruptFile(f"{what} is damaged (its data cannot be decoded)") from None
    if len(data) > limit:
        raise LimitExceeded(f"{what} holds more than {limit:,} bytes, over the limit")
    return data


def check_decoded_size(stream: pikepdf.Stream, *, limit: int, what: str) -> None:
    """Refuse a stream that decodes to more than `limit` bytes, keeping at most 1 MiB at a time.

    Only Flate (the usual filter) is measured; other filters are bounded by their raw length.
    """
    raw = stream.read_raw_bytes()
    if len(raw) > limit:
        raise LimitExceeded(f"{what} is {len(raw):,} bytes, over the limit of {limit:,} bytes")
    if stream.get("/Filter") != pikepdf.Name.FlateDecode:
        return
    inflater = zlib.decompressobj()
    total = 0
    chunk = raw
    try:
        while chunk:
            total += len(inflater.decompress(chunk, _STEP))
            if total > limit:
                raise LimitExceeded(f"{what} inflates to more than {limit:,} bytes, over the limit")
            chunk = inflater.unconsumed_tail
    except zlib.error:
        raise CorruptFile(f"{what} is damaged (its compressed data does not inflate)") from None


def page_streams(page: pikepdf.Page) -> list[pikepdf.Stream]:
    """The content streams of a page (one stream or an array of them)."""
    contents = page.obj.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return [contents]
    if isinstance(contents, pikepdf.Array):
        return [c for c in contents if isinstance(c, pikepdf.Stream)]
    return []


def info_items(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str, str]]:
    """(key, value, context) of the Info dictionary's text entries."""
    try:
        info = pdf.trailer.get("/Info")
    except pikepdf.PdfError:
        raise CorruptFile("the PDF's Info dictionary is damaged") from None
    if not isinstance(info, pikepdf.Dictionary):
        return
    for count, (key, raw) in enumerate(info.items()):
        if count >= MAX_ITEMS:
            break
        value = text_of(raw)
        if value is None or not value.strip():
            continue
        name = key.lstrip("/")
        if name in _INFO_SKIP:
            continue
        yield name, value, "author" if name in _INFO_AUTHOR else name


def xmp_items(pdf: pikepdf.Pdf, *, limit: int) -> Iterator[tuple[str, str, str]]:
    """(property, value, context) of the XMP packet's text values and attributes."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return
    data = bounded_stream_bytes(stream, limit=min(limit, MAX_XMP_BYTES), what="the XMP metadata")
    if b"<!ENTITY" in data:
        raise CorruptFile("the XMP metadata declares XML entities; it was not parsed")
    start = data.find(b"<")
    if start < 0 or not data.strip():
        return
    try:
        root = etree.fromstring(data[start:], parser=xml_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptFile(f"the XMP metadata is not well-formed XML (line {exc.lineno})") from None
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for raw_attr, raw_value in el.attrib.items():
            attr, value = _s(raw_attr), _s(raw_value)
            if attr.startswith((f"{{{_RDF}}}", f"{{{_XMLNS}}}")) or not value.strip():
                continue
            prop = local(attr)
            yield prop, value, _xmp_context(prop)
        text = el.text
        if text and text.strip() and len(el) == 0:
            prop = _xmp_property(el)
            yield prop, text, _xmp_context(prop)


def _s(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _xmp_property(el: etree._Element) -> str:
    """The XMP property a value belongs to: the nearest ancestor outside the RDF namespace."""
    node: etree._Element | None = el
    while node is not None:
        tag = node.tag
        if isinstance(tag, str) and not tag.startswith(f"{{{_RDF}}}"):
            return local(tag)
        node = node.getparent()
    return ""


def _xmp_context(prop: str) -> str:
    return "author" if prop in _XMP_AUTHOR else prop


@dataclass(frozen=True, slots=True)
class AnnotText:
    text: str
    context: str
    subtype: str
    index: int


@dataclass(slots=True)
class PageAnnotations:
    texts: list[AnnotText]
    overlays: list[Box]
    attachments: list[tuple[str, pikepdf.Stream]]


def page_annotations(page: pikepdf.Page) -> PageAnnotations:
    """The text, covering rectangles and attached files of one page's annotations."""
    out = PageAnnotations([], [], [])
    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return out
    seen: set[tuple[str, str]] = set()
    for index, annot in enumerate(list(annots)[:MAX_ITEMS], start=1):
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        subtype = name_of(annot.get("/Subtype"))
        if subtype == "/Widget":
            continue  # form fields are read from the AcroForm tree
        rect = _rect(annot.get("/Rect"))
        if rect is not None and (subtype == "/Redact" or _filled(annot, subtype)):
            out.overlays.extend(_quads(annot.get("/QuadPoints")) or [rect])
        for key, context in (("/Contents", ""), ("/T", "author"), ("/Subj", "subject"),
                             ("/OverlayText", "overlay text")):  # fmt: skip
            value = text_of(annot.get(key))
            if value and value.strip() and (value, context) not in seen:
                seen.add((value, context))
                out.texts.append(AnnotText(value, context, subtype.lstrip("/"), index))
        if "/Contents" not in annot:
            rich = text_of(annot.get("/RC"))
            if rich and (rich, "") not in seen:
                seen.add((rich, ""))
                plain = _RC_TAG.sub(" ", rich)
                out.texts.append(AnnotText(plain, "", subtype.lstrip("/"), index))
        if subtype == "/FileAttachment":
            spec = annot.get("/FS")
            found = _spec_stream(spec) if isinstance(spec, pikepdf.Dictionary) else None
            if found is not None:
                out.attachments.append(found)
    return out


def _filled(annot: pikepdf.Dictionary, subtype: str) -> bool:
    """A markup annotation that paints an opaque area: a filled square, a dark highlight."""
    if subtype not in _FILLED_MARKUP:
        return False
    opacity = _num(annot.get("/CA", 1.0))
    if opacity is not None and opacity < 1.0:
        return False
    if subtype == "/Square":
        colour = annot.get("/IC")
        return isinstance(colour, pikepdf.Array) and len(colour) > 0
    colour = annot.get("/C")
    if not isinstance(colour, pikepdf.Array) or len(colour) != 3:
        return False
    values = [_num(v) for v in colour]
    return all(v is not None and v < 0.25 for v in values)


def _num(obj: object) -> float | None:
    try:
        return float(obj)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _rect(obj: object) -> Box | None:
    if not isinstance(obj, pikepdf.Array) or len(obj) != 4:
        return None
    nums = [_num(v) for v in obj]
    if any(v is None for v in nums):
        return None
    x0, y0, x1, y1 = (float(v or 0.0) for v in nums)
    return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _quads(obj: object) -> list[Box]:
    if not isinstance(obj, pikepdf.Array) or len(obj) % 8 or len(obj) > 8 * MAX_ITEMS:
        return []
    nums = [_num(v) for v in obj]
    if any(v is None for v in nums):
        return []
    vals = [float(v or 0.0) for v in nums]
    return [
        Box.of_points([(vals[i + k], vals[i + k + 1]) for k in range(0, 8, 2)])
        for i in range(0, len(vals), 8)
    ]


def _spec_name(spec: pikepdf.Dictionary, fallback: str) -> str:
    for key in ("/UF", "/F"):
        name = text_of(spec.get(key))
        if name and name.strip():
            return name.strip().replace("\\", "/").rsplit("/", 1)[-1] or fallback
    return fallback


def _spec_stream(
    spec: pikepdf.Dictionary, fallback: str = "attachment"
) -> tuple[str, pikepdf.Stream] | None:
    ef = spec.get("/EF")
    if not isinstance(ef, pikepdf.Dictionary):
        return None
    for key in ("/UF", "/F"):
        stream = ef.get(key)
        if isinstance(stream, pikepdf.Stream):
            return _spec_name(spec, fallback), stream
    return None


def embedded_files(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Stream]]:
    """(file name, stream) of the files in the document's /EmbeddedFiles name tree."""
    names = pdf.Root.get("/Names")
    if not isinstance(names, pikepdf.Dictionary):
        return
    tree = names.get("/EmbeddedFiles")
    if not isinstance(tree, pikepdf.Dictionary):
        return
    for count, (key, spec) in enumerate(pikepdf.NameTree(tree).items()):
        if count >= MAX_ITEMS:
            raise LimitExceeded(f"the PDF attaches more than {MAX_ITEMS:,} files")
        if isinstance(spec, pikepdf.Dictionary):
            found = _spec_stream(spec, fallback=str(key) or "attachment")
            if found is not None:
                yield found


def form_fields(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str]]:
    """(full field name, value) of every filled AcroForm field (text values only)."""
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    fields = form.get("/Fields")
    if not isinstance(fields, pikepdf.Array):
        return
    seen: set[tuple[int, int]] = set()
    budget = [MAX_ITEMS]
    for f in fields:
        yield from _field(f, "", 0, seen, budget)


def has_xfa(pdf: pikepdf.Pdf) -> bool:
    form = pdf.Root.get("/AcroForm")
    return isinstance(form, pikepdf.Dictionary) and "/XFA" in form


def _field(
    node: object, parent: str, depth: int, seen: set[tuple[int, int]], budget: list[int]
) -> Iterator[tuple[str, str]]:
    if not isinstance(node, pikepdf.Dictionary) or depth > _MAX_TREE_DEPTH or budget[0] <= 0:
        return
    if node.is_indirect:
        if node.objgen in seen:
            return
        seen.add(node.objgen)
    budget[0] -= 1
    partial = text_of(node.get("/T"))
    name = ".".join(p for p in (parent, partial or "") if p)
    value = node.get("/V")
    values: list[str] = []
    if isinstance(value, pikepdf.Array):
        values = [v for v in (text_of(x) for x in value) if v]
    else:
        single = text_of(value)
        if single:
            values = [single]
    for v in values:
        if v.strip():
            yield name or "unnamed field", v
    kids = node.get("/Kids")
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            yield from _field(kid, name, depth + 1, seen, budget)


def off_layers(pdf: pikepdf.Pdf) -> tuple[frozenset[str], int]:
    """(names of optional-content groups switched off by default, how many are off)."""
    props = pdf.Root.get("/OCProperties")
    if not isinstance(props, pikepdf.Dictionary):
        return frozenset(), 0
    default = props.get("/D")
    ocgs = props.get("/OCGs")
    if not isinstance(default, pikepdf.Dictionary):
        return frozenset(), 0
    off: list[pikepdf.Object] = []
    if name_of(default.get("/BaseState")) == "/OFF" and isinstance(ocgs, pikepdf.Array):
        on = default.get("/ON")
        on_ids = {o.objgen for o in on} if isinstance(on, pikepdf.Array) else set()
        off = [g for g in ocgs if g.objgen not in on_ids]
    listed = default.get("/OFF")
    if isinstance(listed, pikepdf.Array):
        off.extend(listed)
    names = {
        n for n in (text_of(g.get("/Name")) for g in off if isinstance(g, pikepdf.Dictionary)) if n
    }
    return frozenset(names), len(off)
