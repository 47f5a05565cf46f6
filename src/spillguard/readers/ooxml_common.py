"""What every OOXML package (XLSX, DOCX, PPTX) shares: relationships, content types, document
properties, custom XML and embedded files.

Why one module: Word, Excel and PowerPoint files are the same OPC container around different main
parts, and the places a publisher never looks (``docProps/*``, ``customXml/*``, the embedded
objects under ``*/embeddings/``) are laid out the same way in all three. Reading them once, here,
keeps the three readers telling the same story about the same structure. Everything goes through
`zipsafe` (bounded members, XML without entities).
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import olefile

from spillguard.errors import ReadError
from spillguard.model import EmbeddedFile, Location, NotInspected, Surface, TextPart
from spillguard.readers.base import Source
from spillguard.readers.sniff import is_cfb
from spillguard.readers.zipsafe import (
    SafeZip,
    is_zip,
    local,
    parse_part,
    rels_name,
    resolve_target,
    try_list_zip,
)

PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

#: makes a Location for a surface and a precise place; each reader passes its own
LocFn = Callable[[Surface, str], Location]

#: core properties that are dates, counters or versions, not words anyone wrote
_CORE_SKIP = frozenset({"created", "modified", "lastPrinted", "revision", "version"})
#: app.xml properties that name people or organisations (or point somewhere)
_APP_KEEP = ("Company", "Manager", "HyperlinkBase")


@dataclass(frozen=True, slots=True)
class Rel:
    """One OPC relationship: its type URI, its resolved target, whether it points outside."""

    type: str
    target: str
    external: bool

    @property
    def kind(self) -> str:
        """The last segment of the type URI: ``officeDocument``, ``slide``, ``footer``..."""
        return self.type.rsplit("/", 1)[-1]


def read_rels(zf: SafeZip, part: str) -> dict[str, Rel]:
    """The relationships of `part` (``""`` for the package), by id; {} when it has none."""
    name = rels_name(part)
    if not zf.has(name):
        return {}
    root = parse_part(zf, name)
    out: dict[str, Rel] = {}
    for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
        rid = rel.get("Id")
        target = rel.get("Target")
        if not rid or target is None:
            continue
        external = rel.get("TargetMode") == "External"
        out[rid] = Rel(
            type=rel.get("Type") or "",
            target=target if external else resolve_target(part, target),
            external=external,
        )
    return out


def main_part(zf: SafeZip, default: str) -> str:
    """The package's main part (``word/document.xml``...), through ``_rels/.rels``."""
    if zf.has("_rels/.rels"):
        for rel in read_rels(zf, "").values():
            if rel.kind == "officeDocument" and not rel.external and zf.has(rel.target):
                return zf.resolve(rel.target) or rel.target
    return default


def content_types(zf: SafeZip, *, max_bytes: int = 4 * 1024**2) -> bytes:
    """The raw ``[Content_Types].xml`` (for sniffing by substring), or b"" when absent, too big
    or unreadable. Only a sniffing aid: reading never depends on it."""
    name = "[Content_Types].xml"
    if not zf.has(name) or zf.size(name) > max_bytes:
        return b""
    try:
        return zf.read(name)
    except ReadError:
        return b""


def sniff_ooxml(
    source: Source,
    *,
    main_part: str,
    plain: tuple[str, tuple[bytes, ...]],
    macro: tuple[str, tuple[bytes, ...]],
    head_markers: tuple[bytes, ...] = (),
) -> str | None:
    """The file type of an OOXML package by its content types (``plain`` or ``macro``: a name
    and the main-part content types), or by its main part. A damaged or oversized zip that names
    the main part is still claimed, so that reading reports the precise error instead of
    "unsupported format"."""
    if not is_zip(source.head):
        return None
    try:
        zf = SafeZip(source.path, limits=source.limits)
    except ReadError:
        names = try_list_zip(source.path)
        if names is not None:
            return plain[0] if any(n.lower() == main_part for n in names) else None
        markers = (main_part.encode(), *head_markers)
        return plain[0] if any(m in source.head for m in markers) else None
    with zf:
        ct = content_types(zf)
        if any(t in ct for t in macro[1]):
            return macro[0]
        if any(t in ct for t in plain[1]) or zf.has(main_part):
            return plain[0]
    return None


# -- document properties ---------------------------------------------------------------------
def doc_props(zf: SafeZip, loc: LocFn) -> Iterator[TextPart]:
    """Core, app and custom properties, then custom XML: all METADATA.

    Authors (creator, last modified by, company, manager) carry the context ``author``: they are
    expected to name staff, and the assessment treats them as such.
    """
    core = "docProps/core.xml"
    if zf.has(core):
        for el in parse_part(zf, core):
            name = local(el.tag)
            text = (el.text or "").strip()
            if not text or name in _CORE_SKIP:
                continue
            ctx = "author" if name in ("creator", "lastModifiedBy") else name
            yield TextPart(text=text, location=loc(Surface.METADATA, f"{core} {name}"), context=ctx)
    app = "docProps/app.xml"
    if zf.has(app):
        for el in parse_part(zf, app):
            name = local(el.tag)
            text = (el.text or "").strip()
            if text and name in _APP_KEEP:
                yield TextPart(
                    text=text,
                    location=loc(Surface.METADATA, f"{app} {name}"),
                    context="author" if name != "HyperlinkBase" else name,
                )
    custom = "docProps/custom.xml"
    if zf.has(custom):
        for prop in parse_part(zf, custom):
            if local(prop.tag) != "property":
                continue
            pname = prop.get("name") or ""
            for val in prop:
                text = "".join(str(t) for t in val.itertext()).strip()
                if local(val.tag) == "filetime" and re.match(r"\d{4}-\d\d-\d\dT00:00:00", text):
                    text = text[:10]
                if text:
                    yield TextPart(
                        text=text,
                        location=loc(Surface.METADATA, f"custom property {pname}"),
                        context=pname,
                    )
    yield from custom_xml(zf, loc)


def custom_xml(zf: SafeZip, loc: LocFn) -> Iterator[TextPart]:
    """Data bound to the document (``customXml/item*.xml``): one METADATA part per element that
    holds text, with the element's name as context (``BirthDate``), so a detector sees the
    label a form gave the value. Attributes are settings (Word's bibliography store names its
    citation style in them), not data, and are left out."""
    for name in zf.names():
        low = name.lower()
        if not (low.startswith("customxml/item") and low.endswith(".xml")) or "props" in low:
            continue
        for el in parse_part(zf, name).iter():
            if not isinstance(el.tag, str):
                continue
            text = (el.text or "").strip()
            if text:
                yield TextPart(
                    text=text,
                    location=loc(Surface.METADATA, f"{name} <{local(el.tag)}>"),
                    context=local(el.tag),
                )


# -- embedded files --------------------------------------------------------------------------
def embedded_files(
    zf: SafeZip, folder: str, loc: LocFn, *, surface: Surface = Surface.ATTACHMENT
) -> Iterator[EmbeddedFile | NotInspected]:
    """Every member under `folder` (``word/embeddings/``) as an `EmbeddedFile` the scanner reads
    recursively, through `embedded_item`."""
    prefix = folder.lower().rstrip("/") + "/"
    for name in zf.names():
        if not name.lower().startswith(prefix) or "/_rels/" in name.lower():
            continue
        if zf.is_encrypted(name):
            yield NotInspected(
                location=loc(surface, name),
                reason="the embedded file is encrypted inside the zip; it cannot be inspected",
            )
            continue
        yield embedded_item(name, zf.read(name), loc, surface=surface)


def embedded_item(
    name: str, data: bytes, loc: LocFn, *, surface: Surface = Surface.ATTACHMENT
) -> EmbeddedFile | NotInspected:
    """One embedded object. OLE packages that wrap a file (``\x01Ole10Native``, ``Package``,
    ``CONTENTS``) are unwrapped so the file itself is read; OLE documents spillguard knows
    (workbooks, Word and PowerPoint files, encrypted packages) are handed over as they are; an
    OLE object of another application (an equation, a drawing) or a damaged one is a
    `NotInspected` note: the container is readable, only that object is not."""
    if not is_cfb(data[:8]):
        return EmbeddedFile(name=name, data=data, surface=surface)
    kind, inner_name, payload = _ole_object(data)
    if kind == "wrapped":
        full = f"{name}/{inner_name}" if inner_name else name
        return EmbeddedFile(name=full, data=payload, surface=surface)
    if kind == "document":
        return EmbeddedFile(name=name, data=data, surface=surface)
    reason = (
        "the embedded OLE object is damaged (its sector tables cannot be read); not inspected"
        if kind == "damaged"
        else "an embedded OLE object of an application spillguard does not read (no workbook, "
        "document or packaged file inside); not inspected"
    )
    return NotInspected(location=loc(surface, name), reason=reason)


def media_files(zf: SafeZip, folder: str) -> Iterator[EmbeddedFile]:
    """Pictures shown in the document (``word/media/``): read for their own metadata (EXIF, GPS,
    author) by whichever reader knows the image type. They are visible, so the surface is
    VISIBLE and the pictures' hidden layers keep their own surfaces."""
    prefix = folder.lower().rstrip("/") + "/"
    for name in zf.names():
        if name.lower().startswith(prefix) and not zf.is_encrypted(name):
            yield EmbeddedFile(name=name, data=zf.read(name), surface=Surface.VISIBLE)


#: top-level OLE streams of documents another reader handles (XLS, DOC, PPT, encrypted OOXML)
_OLE_DOCUMENT_STREAMS = frozenset(
    {"workbook", "book", "worddocument", "powerpoint document", "encryptedpackage"}
)


def _ole_object(data: bytes) -> tuple[str, str, bytes]:
    """(kind, wrapped file name, wrapped bytes) of an OLE object: kind is ``wrapped``,
    ``document``, ``other`` or ``damaged``."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(e).lower(): "/".join(e) for e in ole.listdir(streams=True)}
            if "\x01ole10native" in streams:
                raw = ole.openstream(streams["\x01ole10native"]).read()
                native = _ole10native(raw)
                if native is not None:
                    return "wrapped", native[0], native[1]
            for wanted in ("package", "contents"):
                if wanted in streams:
                    payload = ole.openstream(streams[wanted]).read()
                    if payload:
                        return "wrapped", "", payload
    except (OSError, ValueError, IndexError, struct.error):
        return "damaged", "", b""
    tops = {n.split("/", 1)[0] for n in streams}
    return ("document" if tops & _OLE_DOCUMENT_STREAMS else "other"), "", b""


def unwrap_ole(data: bytes) -> tuple[str, bytes] | None:
    """The file wrapped in an OLE object, as ``(file name, bytes)``; None when `data` is not a
    wrapper (not a CFB, damaged, or an OLE object of another application)."""
    if not is_cfb(data[:8]):
        return None
    kind, name, payload = _ole_object(data)
    return (name, payload) if kind == "wrapped" else None


def _cstring(data: bytes, pos: int) -> tuple[bytes, int]:
    end = data.find(b"\x00", pos)
    if end < 0:
        raise ValueError("unterminated string")
    return data[pos:end], end + 1


def _ole10native(raw: bytes) -> tuple[str, bytes] | None:
    """Parse an ``\\x01Ole10Native`` stream (Packager Shell Object): size, flags, label, source
    path, two words, temporary path, data size, data. None when it does not parse."""
    try:
        pos = 4 + 2  # total size, flags
        label, pos = _cstring(raw, pos)
        _src, pos = _cstring(raw, pos)
        pos += 8  # two unknown 32-bit words
        _tmp, pos = _cstring(raw, pos)
        (size,) = struct.unpack_from("<I", raw, pos)
        pos += 4
    except (ValueError, struct.error):
        return None
    if size > len(raw) - pos:
        return None
    name = label.decode("cp1252", errors="replace").replace("\\", "/")
    return posixpath.basename(name).strip(), raw[pos : pos + size]


def script_notes(zf: SafeZip, loc: LocFn) -> Iterator[NotInspected]:
    """Macro projects: program code, not inspected for personal data, but said so."""
    for name in zf.names():
        if posixpath.basename(name.lower()) == "vbaproject.bin":
            yield NotInspected(
                location=loc(Surface.SCRIPT_DATA, name),
                reason="VBA macro project: program code, not inspected for personal data",
            )


__all__ = [
    "CT_NS",
    "PKG_REL",
    "REL_NS",
    "LocFn",
    "Rel",
    "content_types",
    "custom_xml",
    "doc_props",
    "embedded_files",
    "embedded_item",
    "main_part",
    "media_files",
    "read_rels",
    "script_notes",
    "unwrap_ole",
]
