"""Image metadata (EXIF, GPS, XMP, IPTC, PNG text, comments): what a photo says about people.

Why: a photo published on a website can carry the position where it was taken (often a home),
the photographer's or camera owner's name, and captions and comments nobody sees on the page.
Those fields are yielded as `TextPart`s on the surface ``exif``; the GPS position is written as
``GPS 38.897700, -77.036500`` (context ``gps``) for the GPS_COORDINATES detector, and author
fields carry the context ``author``.

What is not inspected, on purpose: the pixels. There is no OCR in the core, so text painted into
an image is not read; this is documented (README) rather than noted per image, which would make
every picture a warning. Pixels are never decoded either, which is also why Pillow's
decompression-bomb guard does not apply: images are opened through their format's plugin class
for their headers only. PNG and WebP metadata are read by walking their chunks here, so text
stored after the image data is found too and truncation is detected; JPEG, TIFF and GIF headers
come from Pillow. HEIC/AVIF metadata is read from the ISO media boxes (``meta``/``iloc``), so no
HEIC decoder is needed. A damaged file is a `CorruptFile`; a damaged metadata block inside a
readable file is a `NotInspected` note.
"""

from __future__ import annotations

import math
import re
import struct
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from lxml import etree
from PIL import GifImagePlugin, Image, IptcImagePlugin, JpegImagePlugin, TiffImagePlugin

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import Location, NotInspected, Surface, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.zipsafe import xml_parser

#: the exceptions Pillow's plugins raise on damaged headers (Image.open catches the same)
_PIL_ERRORS: tuple[type[BaseException], ...] = (
    SyntaxError,
    OSError,
    ValueError,
    EOFError,
    IndexError,
    TypeError,
    KeyError,
    struct.error,
    Image.DecompressionBombError,
)

#: one metadata text block may not inflate past this (a compressed PNG text chunk is a bomb too)
MAX_METADATA_BYTES = 64 * 1024**2

GPS_IFD = 0x8825
EXIF_IFD = 0x8769

#: EXIF tags worth reading: tag -> (name shown in locations, context for the detectors)
_IFD0_TAGS: dict[int, tuple[str, str]] = {
    0x013B: ("Artist", "author"),
    0xFDE8: ("OwnerName", "author"),
    0x9C9D: ("XPAuthor", "author"),
    0x8298: ("Copyright", "Copyright"),
    0x010E: ("ImageDescription", "ImageDescription"),
    0x010D: ("DocumentName", "DocumentName"),
    0x013C: ("HostComputer", "HostComputer"),
    0x9C9C: ("XPComment", "XPComment"),
    0x9C9B: ("XPTitle", "XPTitle"),
    0x9C9F: ("XPSubject", "XPSubject"),
    0x9C9E: ("XPKeywords", "XPKeywords"),
}
_EXIF_IFD_TAGS: dict[int, tuple[str, str]] = {
    0xA430: ("CameraOwnerName", "author"),
    0x9286: ("UserComment", "UserComment"),
    0xFDE8: ("OwnerName", "author"),
}
_XP_TAGS = frozenset({0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F})

#: IPTC-IIM datasets (record 2): number -> (name, context)
_IPTC: dict[int, tuple[str, str]] = {
    80: ("By-line", "author"),
    122: ("Writer-Editor", "author"),
    85: ("By-line Title", "By-line Title"),
    120: ("Caption-Abstract", "Caption"),
    105: ("Headline", "Headline"),
    5: ("Object Name", "Object Name"),
    116: ("Copyright Notice", "Copyright"),
    118: ("Contact", "Contact"),
    110: ("Credit", "Credit"),
    25: ("Keywords", "Keywords"),
    90: ("City", "City"),
    92: ("Sub-location", "Sub-location"),
    95: ("Province-State", "Province-State"),
}

#: XMP properties read (local names; every Dublin Core property is read too)
_XMP_AUTHOR = frozenset({"creator", "Artist", "Author", "OwnerName", "CameraOwnerName", "By-line"})
_XMP_NAMES = _XMP_AUTHOR | frozenset(
    {
        "UserComment",
        "ImageDescription",
        "Copyright",
        "Credit",
        "CaptionWriter",
        "AuthorsPosition",
        "Headline",
        "Instructions",
        "City",
        "State",
        "Country",
        "Location",
        "Sublocation",
        "PersonInImage",
        "CiEmailWork",
        "CiTelWork",
        "CiAdrExtadr",
        "CiAdrCity",
        "CiUrlWork",
        "LastModifiedBy",
        "Owner",
    }
)
_DC_NS = "http://purl.org/dc/elements/1.1/"
_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XMP_GPS = re.compile(r"^\s*(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])\s*$")

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_HEIF_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"})
_AVIF_BRANDS = frozenset({b"avif", b"avis"})


def _label(file_type: str) -> str:
    return {"jpeg": "JPEG", "png": "PNG", "tiff": "TIFF", "webp": "WebP", "gif": "GIF"}.get(
        file_type, file_type.upper()
    )


class ImageReader:
    """JPEG, PNG, TIFF, WebP, GIF, HEIC and AVIF: metadata only, on the surface ``exif``."""

    id: str = "image"

    def sniff(self, source: Source) -> str | None:
        head = source.head
        if head[:3] == b"\xff\xd8\xff":
            return "jpeg"
        if head[:8] == _PNG_MAGIC:
            return "png"
        if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
            return "tiff"
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        if head[:6] in (b"GIF87a", b"GIF89a"):
            return "gif"
        if head[4:8] == b"ftyp" and len(head) >= 16:
            size = int.from_bytes(head[:4], "big")
            brands = {head[8:12]} | {
                head[i : i + 4] for i in range(16, min(size, len(head), 256) - 3, 4)
            }
            if brands & _AVIF_BRANDS:
                return "avif"
            if brands & _HEIF_BRANDS:
                return "heic"
        return None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        out = _Out(source)
        if file_type == "png":
            _read_png(source, out)
        elif file_type == "webp":
            _read_webp(source, out)
        elif file_type in ("heic", "avif"):
            _read_heif(source, out, file_type)
        else:
            _read_with_pillow(source, out, file_type)
        yield from out.items


class _Out:
    """Collects parts; everything here is small (metadata), so a list is fine."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.items: list[ReadItem] = []

    def loc(self, where: str) -> Location:
        s = self.source
        return Location(path=s.display, surface=Surface.EXIF, where=where, member=s.member)

    def text(self, text: str, *, where: str, context: str) -> None:
        text = text.replace("\x00", " ").strip()
        if text:
            self.items.append(TextPart(text=text, location=self.loc(where), context=context))

    def note(self, where: str, reason: str) -> None:
        self.items.append(NotInspected(self.loc(where), reason))


# -- values ----------------------------------------------------------------------------------------
def _decode(value: Any, *, tag: int = 0) -> str:
    """An EXIF/IPTC value as text (UserComment's charset prefix, UTF-16 XP tags, byte tuples)."""
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        value = bytes(v & 0xFF for v in value)
    if isinstance(value, bytes):
        if tag in _XP_TAGS:
            return value.decode("utf-16-le", errors="replace").rstrip("\x00")
        if tag == 0x9286:
            prefix, body = value[:8], value[8:]
            if prefix.startswith(b"UNICODE"):
                enc = "utf-16-be" if body[:1] == b"\x00" else "utf-16-le"
                return body.decode(enc, errors="replace")
            if prefix.startswith((b"ASCII", b"\x00" * 8, b"JIS")):
                value = body
        raw: bytes = value
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("latin-1")
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "; ".join(_decode(v) for v in value)
    return ""


def _gps_text(lat: float, lon: float) -> str:
    return f"GPS {lat:.6f}, {lon:.6f}"


def _to_degrees(value: Any) -> float:
    parts = list(value) if isinstance(value, (tuple, list)) else [value]
    if not 1 <= len(parts) <= 3:
        return math.nan
    deg = 0.0
    for part, scale in zip(parts, (1.0, 60.0, 3600.0), strict=False):
        deg += float(part) / scale
    return deg


def _add_gps(out: _Out, lat: float, lon: float, *, where: str) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 90 or abs(lon) > 180:
        out.note(where, "a GPS position is present but damaged (out of range or unreadable)")
        return
    if lat == 0 and lon == 0:
        return  # 0,0 is the "no fix" placeholder cameras write: not a place anyone was
    out.text(_gps_text(lat, lon), where=where, context="gps")


# -- EXIF ------------------------------------------------------------------------------------------
def _exif_parts(exif: Image.Exif, out: _Out) -> None:
    for tag, (name, context) in _IFD0_TAGS.items():
        if tag in exif:
            out.text(_decode(exif[tag], tag=tag), where=f"EXIF {name}", context=context)
    sub = exif.get_ifd(EXIF_IFD)
    for tag, (name, context) in _EXIF_IFD_TAGS.items():
        if tag in sub:
            out.text(_decode(sub[tag], tag=tag), where=f"EXIF {name}", context=context)
    gps = exif.get_ifd(GPS_IFD)
    if 2 in gps or 4 in gps:
        where = "EXIF GPS position"
        if 2 not in gps or 4 not in gps:
            out.note(where, "a GPS position is present but incomplete (latitude or longitude)")
            return
        lat = _to_degrees(gps[2]) * (-1 if _decode(gps.get(1, "N")).strip() == "S" else 1)
        lon = _to_degrees(gps[4]) * (-1 if _decode(gps.get(3, "E")).strip() == "W" else 1)
        _add_gps(out, lat, lon, where=where)


def _exif_from_bytes(data: bytes, out: _Out, *, where: str) -> None:
    exif = Image.Exif()
    try:
        with _pillow_warnings(out, where):
            exif.load(data)
            _exif_parts(exif, out)
    except _PIL_ERRORS:
        out.note(where, "the EXIF block is damaged and could not be read")


@contextmanager
def _pillow_warnings(out: _Out, where: str) -> Iterator[None]:
    """Pillow warns (rather than raising) about damaged EXIF; a warning becomes a note, so a
    partly read block is never silent. The warning's own text is not quoted."""
    with warnings.catch_warnings(record=True) as log:
        warnings.simplefilter("always")
        yield
    for w in log:
        if issubclass(w.category, Image.DecompressionBombWarning):
            continue  # pixels are never decoded
        out.note(where, f"part of the metadata is damaged ({w.category.__name__})")
        break


# -- XMP -------------------------------------------------------------------------------------------
def _xmp_parts(data: bytes, out: _Out) -> None:
    where = "XMP metadata"
    start = data.find(b"<x:xmpmeta")
    if start < 0:
        start = data.find(b"<rdf:RDF")
    end_tag = b"</x:xmpmeta>" if data[start : start + 10] == b"<x:xmpmeta" else b"</rdf:RDF>"
    end = data.find(end_tag, start)
    if start < 0 or end < 0:
        out.note(where, "an XMP packet is present but truncated or not XML")
        return
    packet = data[start : end + len(end_tag)]
    if b"<!ENTITY" in packet or b"<!DOCTYPE" in packet:
        out.note(where, "the XMP packet declares XML entities; it was not parsed")
        return
    try:
        root = etree.fromstring(packet, parser=xml_parser())
    except etree.XMLSyntaxError:
        out.note(where, "the XMP packet is not well-formed XML")
        return
    gps: dict[str, str] = {}
    for name, text in _xmp_properties(root):
        if name in ("GPSLatitude", "GPSLongitude"):
            gps[name] = text
            continue
        context = "author" if name in _XMP_AUTHOR else name
        out.text(text, where=f"XMP {name}", context=context)
    if gps:
        lat = _xmp_coordinate(gps.get("GPSLatitude", ""))
        lon = _xmp_coordinate(gps.get("GPSLongitude", ""))
        _add_gps(out, lat, lon, where="XMP GPS position")


def _xmp_properties(root: etree._Element) -> Iterator[tuple[str, str]]:
    """(local name, text) of the properties read: element values (through rdf:Seq/Alt/Bag
    lists) and attributes (XMP's short form ``<rdf:Description dc:title="...">``)."""
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        qn = etree.QName(el)
        for attr, value in el.attrib.items():
            aq = etree.QName(attr)
            if aq.namespace != _RDF_NS and _wanted(aq):
                yield aq.localname, str(value)
        if qn.namespace == _RDF_NS or not _wanted(qn):
            continue
        texts = [str(t).strip() for t in el.itertext() if str(t).strip()]
        if texts:
            yield qn.localname, "; ".join(texts)


def _wanted(qn: etree.QName) -> bool:
    return qn.namespace == _DC_NS or qn.localname in _XMP_NAMES or qn.localname.startswith("GPSL")


def _xmp_coordinate(text: str) -> float:
    m = _XMP_GPS.match(text)
    if m is None:
        return math.nan
    deg = int(m.group(1)) + float(m.group(2)) / 60 + float(m.group(3) or 0) / 3600
    return -deg if m.group(4) in "SW" else deg


# -- IPTC ------------------------------------------------------------------------------------------
def _iptc_parts(img: Any, out: _Out) -> None:
    try:
        info = IptcImagePlugin.getiptcinfo(img)
    except _PIL_ERRORS:
        out.note("IPTC metadata", "the IPTC block is damaged and could not be read")
        return
    if not info:
        return
    for (record, number), value in info.items():
        if record != 2 or number not in _IPTC:
            continue
        name, context = _IPTC[number]
        values = value if isinstance(value, list) else [value]
        out.text("; ".join(_decode(v) for v in values), where=f"IPTC {name}", context=context)


# -- JPEG, TIFF, GIF through Pillow ----------------------------------------------------------------
_PLUGINS: dict[str, Callable[[str], Any]] = {
    "jpeg": JpegImagePlugin.JpegImageFile,
    "tiff": TiffImagePlugin.TiffImageFile,
    "gif": GifImagePlugin.GifImageFile,
}


def _read_with_pillow(source: Source, out: _Out, file_type: str) -> None:
    label = _label(file_type)
    try:
        with _pillow_warnings(out, f"{label} metadata"):
            img = _PLUGINS[file_type](str(source.path))
    except _PIL_ERRORS:
        raise CorruptFile(f"the {label} image is damaged: its headers cannot be read") from None
    with img:
        try:
            with _pillow_warnings(out, "EXIF metadata"):
                _exif_parts(img.getexif(), out)
        except _PIL_ERRORS:
            out.note("EXIF metadata", "the EXIF block is damaged and could not be read")
        if file_type in ("jpeg", "tiff"):
            _iptc_parts(img, out)
        xmp = img.info.get("xmp")
        if xmp is None and file_type == "tiff":
            xmp = img.getexif().get(700)
        if isinstance(xmp, (bytes, str)):
            _xmp_parts(xmp.encode() if isinstance(xmp, str) else xmp, out)
        comment = img.info.get("comment")
        if isinstance(comment, (bytes, str)):
            out.text(_decode(comment), where=f"{label} comment", context="comment")
        if file_type == "tiff":
            _tiff_pages(img, out)
    _check_ending(source, file_type, label)


def _tiff_pages(img: Any, out: _Out) -> None:
    """The text tags of every page after the first (each page has its own directory)."""
    try:
        pages = int(img.n_frames)
        for page in range(1, pages):
            img.seek(page)
            tags = img.tag_v2
            for tag, (name, context) in _IFD0_TAGS.items():
                if tag in tags:
                    out.text(
                        _decode(tags[tag], tag=tag),
                        where=f"page {page + 1} EXIF {name}",
                        context=context,
                    )
    except _PIL_ERRORS:
        out.note("TIFF pages", "a page directory after the first is damaged and was not read")


def _check_ending(source: Source, file_type: str, label: str) -> None:
    """JPEG and GIF end with a marker: without it the file is cut short, or has something
    appended after the image (a classic hiding place). Either way it is not what it seems."""
    marker = {"jpeg": b"\xff\xd9", "gif": b"\x3b"}.get(file_type)
    if marker is None:
        return
    with source.path.open("rb") as fh:
        fh.seek(max(0, source.size - 4096))
        tail = fh.read().rstrip(b"\x00")
    if not tail.endswith(marker):
        raise CorruptFile(
            f"the {label} image does not end with its end-of-image marker: it is truncated, or "
            "data is appended after the image"
        )


# -- PNG -------------------------------------------------------------------------------------------
def _inflate_bounded(data: bytes, *, what: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_METADATA_BYTES)
    except zlib.error:
        raise CorruptFile(f"{what} is damaged: its compressed text is corrupt") from None
    if d.unconsumed_tail:
        raise LimitExceeded(
            f"{what} expands past {MAX_METADATA_BYTES:,} bytes (a decompression bomb?)"
        )
    return out


def _chunk_name(kind: bytes) -> str:
    """``a tEXt chunk``; a damaged type (anything but four ASCII letters) is not echoed."""
    if len(kind) == 4 and kind.isalpha() and kind.isascii():
        return f"a {kind.decode('ascii')} chunk"
    return "a chunk with a damaged type"


def _read_png(source: Source, out: _Out) -> None:
    with source.path.open("rb") as fh:
        if fh.read(8) != _PNG_MAGIC:
            raise CorruptFile("the PNG image is damaged: its signature is wrong")
        pos = 8
        while True:
            head = fh.read(8)
            if len(head) < 8:
                raise CorruptFile("the PNG image is truncated: it has no end chunk (IEND)")
            length, kind = struct.unpack(">I4s", head)
            if pos + 12 + length > source.size:
                raise CorruptFile(
                    f"the PNG image is truncated: {_chunk_name(kind)} runs past the end of the file"
                )
            pos += 12 + length
            if kind == b"IEND":
                break
            if kind not in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
                fh.seek(length + 4, 1)
                continue
            if length > MAX_METADATA_BYTES:
                raise LimitExceeded(
                    f"a PNG {kind.decode()} chunk is {length:,} bytes, over the limit of "
                    f"{MAX_METADATA_BYTES:,} for metadata"
                )
            data = fh.read(length)
            (crc,) = struct.unpack(">I", fh.read(4))
            if zlib.crc32(kind + data) != crc:
                raise CorruptFile(
                    f"the PNG image is damaged: a {kind.decode()} chunk fails its checksum"
                )
            _png_chunk(kind, data, out)
    if source.size > pos:
        out.note(
            "after the end of the PNG image",
            f"{source.size - pos:,} bytes after the end of the image were not inspected",
        )


def _png_chunk(kind: bytes, data: bytes, out: _Out) -> None:
    if kind == b"eXIf":
        _exif_from_bytes(data, out, where="PNG eXIf chunk")
        return
    keyword, _, rest = data.partition(b"\x00")
    key = keyword.decode("latin-1", errors="replace")
    where = f"PNG text chunk {key}"
    if kind == b"tEXt":
        text = rest.decode("latin-1")
    elif kind == b"zTXt":
        text = _inflate_bounded(rest[1:], what=f"the PNG text chunk {key}").decode("latin-1")
    else:  # iTXt: flag, method, language\0, translated keyword\0, text
        if len(rest) < 2:
            out.note(where, "an international text chunk is damaged")
            return
        flag, body = rest[0], rest[2:]
        _, _, body = body.partition(b"\x00")
        _, _, body = body.partition(b"\x00")
        if flag:
            body = _inflate_bounded(body, what=f"the PNG text chunk {key}")
        text = body.decode("utf-8", errors="replace")
    if key == "XML:com.adobe.xmp":
        _xmp_parts(text.encode("utf-8"), out)
    elif key.startswith("Raw profile type"):
        _raw_profile(key, text, out, where=where)
    else:
        context = "author" if key.strip().casefold() == "author" else key
        out.text(text, where=where, context=context)


def _raw_profile(key: str, text: str, out: _Out, *, where: str) -> None:
    """ImageMagick keeps EXIF/XMP/IPTC in PNG text as hex: ``\\nexif\\n   1234\\n4578...``."""
    lines = text.strip().split("\n", 2)
    try:
        payload = bytes.fromhex("".join(lines[2].split())) if len(lines) == 3 else b""
    except ValueError:
        payload = b""
    if not payload:
        out.note(where, "an embedded metadata profile is damaged and could not be read")
        return
    kind = key.removeprefix("Raw profile type").strip().lower()
    if kind in ("exif", "app1") and payload.startswith(b"Exif"):
        _exif_from_bytes(payload[6:], out, where=where)
    elif kind == "xmp":
        _xmp_parts(payload, out)
    else:
        out.note(where, f"an embedded {kind} metadata profile is not inspected")


# -- WebP (RIFF chunks) ----------------------------------------------------------------------------
def _read_webp(source: Source, out: _Out) -> None:
    with source.path.open("rb") as fh:
        riff = fh.read(12)
        declared = int.from_bytes(riff[4:8], "little") + 8
        if declared > source.size:
            raise CorruptFile("the WebP image is truncated: it is shorter than its header says")
        for kind, data in _riff_chunks(fh, declared):
            if kind == b"EXIF":
                body = data[6:] if data.startswith(b"Exif\x00\x00") else data
                _exif_from_bytes(body, out, where="WebP EXIF chunk")
            elif kind == b"XMP ":
                _xmp_parts(data, out)
    if source.size > declared:
        out.note(
            "after the end of the WebP image",
            f"{source.size - declared:,} bytes after the end of the image were not inspected",
        )


def _riff_chunks(fh: IO[bytes], end: int) -> Iterator[tuple[bytes, bytes]]:
    pos = 12
    while pos + 8 <= end:
        fh.seek(pos)
        kind, size = struct.unpack("<4sI", fh.read(8))
        if pos + 8 + size > end:
            raise CorruptFile("the WebP image is damaged: a chunk runs past its end")
        if kind in (b"EXIF", b"XMP "):
            if size > MAX_METADATA_BYTES:
                raise LimitExceeded(f"a WebP metadata chunk is {size:,} bytes, over the limit")
            yield kind, fh.read(size)
        pos += 8 + size + (size & 1)


# -- HEIC / AVIF (ISO base media file format) ------------------------------------------------------
def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the boxes in data[start:end]."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos : pos + 8])
        header = 8
        if size == 1:
            if pos + 16 > end:
                raise CorruptFile("an ISO media box header is cut off")
            size = struct.unpack(">Q", data[pos + 8 : pos + 16])[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise CorruptFile("an ISO media box runs past its container")
        yield kind, pos + header, pos + size
        pos += size


def _read_heif(source: Source, out: _Out, file_type: str) -> None:
    """Exif and XMP items of a HEIF/AVIF file: found in ``meta`` (``iinf`` names the items,
    ``iloc`` says where their bytes are). Pixels need no decoder for this."""
    label = file_type.upper()
    meta_cap = 16 * 1024**2
    with source.path.open("rb") as fh:
        head = fh.read(min(source.size, meta_cap))
    try:
        meta = next(((s, e) for k, s, e in _boxes(head, 0, len(head)) if k == b"meta"), None)
    except CorruptFile as exc:
        raise CorruptFile(f"the {label} image is damaged: {exc}") from None
    if meta is None:
        if source.size > meta_cap:
            out.note(f"{label} metadata", "the metadata box is not in the first 16 MiB; not read")
        return
    try:
        items, locations = _heif_items(head, meta[0] + 4, meta[1])  # meta is a full box
    except (CorruptFile, struct.error, IndexError):
        raise CorruptFile(
            f"the {label} image is damaged: its metadata box cannot be read"
        ) from None
    with source.path.open("rb") as fh:
        for item_id, kind in items.items():
            if kind not in ("Exif", "mime"):
                continue
            extents = locations.get(item_id)
            if not extents:
                continue
            data = b""
            for offset, length in extents:
                if offset + length > source.size or length > MAX_METADATA_BYTES:
                    raise CorruptFile(f"the {label} image is truncated: a metadata item is cut off")
                fh.seek(offset)
                data += fh.read(length)
            if kind == "Exif" and len(data) >= 4:
                skip = int.from_bytes(data[:4], "big") + 4
                _exif_from_bytes(data[skip:], out, where=f"{label} EXIF item")
            elif kind == "mime" and b"xmpmeta" in data:
                _xmp_parts(data, out)


def _heif_items(
    data: bytes, start: int, end: int
) -> tuple[dict[int, str], dict[int, list[tuple[int, int]]]]:
    items: dict[int, str] = {}
    locs: dict[int, list[tuple[int, int]]] = {}
    for kind, s, e in _boxes(data, start, end):
        if kind == b"iinf":
            version = data[s]
            count_size = 2 if version == 0 else 4
            pos = s + 4 + count_size
            for ikind, is_, _ in _boxes(data, pos, e):
                if ikind != b"infe" or data[is_] < 2:
                    continue
                id_size = 2 if data[is_] == 2 else 4
                item_id = int.from_bytes(data[is_ + 4 : is_ + 4 + id_size], "big")
                item_type = data[is_ + 4 + id_size + 2 : is_ + 4 + id_size + 6]
                items[item_id] = item_type.decode("latin-1")
        elif kind == b"iloc":
            version = data[s]
            pos = s + 4
            sizes = data[pos] << 8 | data[pos + 1]
            off_size, len_size, base_size = sizes >> 12, (sizes >> 8) & 15, (sizes >> 4) & 15
            idx_size = sizes & 15 if version in (1, 2) else 0
            pos += 2
            n_size = 2 if version < 2 else 4
            count = int.from_bytes(data[pos : pos + n_size], "big")
            pos += n_size
            for _ in range(count):
                item_id = int.from_bytes(data[pos : pos + n_size], "big")
                pos += n_size
                if version in (1, 2):
                    pos += 2  # construction method
                pos += 2  # data reference index
                base = int.from_bytes(data[pos : pos + base_size], "big")
                pos += base_size
                n_ext = int.from_bytes(data[pos : pos + 2], "big")
                pos += 2
                extents = []
                for _ in range(n_ext):
                    pos += idx_size
                    off = int.from_bytes(data[pos : pos + off_size], "big")
                    pos += off_size
                    length = int.from_bytes(data[pos : pos + len_size], "big")
                    pos += len_size
                    extents.append((base + off, length))
                locs[item_id] = extents
    return items, locs


__all__ = ["MAX_METADATA_BYTES", "ImageReader"]
