"""Safe access to zip containers and the XML parts inside them (OOXML, ODF, EPUB...).

Why: office files are zips of XML written by anyone. A hostile or damaged file can be a zip bomb,
a truncated download, a part that is not well-formed XML, or XML that asks for external entities.
Every reader of a zip-based format opens it through `SafeZip` and parses through `xml_parser` /
`parse_part` / `iterparse_part`, so that each of those cases becomes a precise `ReadError` (fail
closed) instead of a crash, a hang or a silent skip. Error messages name parts, never content.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO, Literal

from lxml import etree

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.readers.base import Limits

#: compression ratios are only judged for members at least this large (small XML parts compress
#: very well and are harmless)
RATIO_MIN_BYTES = 1024 * 1024

_CHUNK = 1024 * 1024

#: the exceptions zipfile and its decompressors raise on damaged or truncated data
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    zlib.error,
    struct.error,
    NotImplementedError,  # unsupported compression method
    UnicodeDecodeError,  # a member name flagged UTF-8 that is not
)


def zip_error_reason(exc: BaseException) -> str:
    """What a zipfile/zlib exception means, in words (never the library's message)."""
    if isinstance(exc, zlib.error):
        return "its compressed data is corrupt"
    if isinstance(exc, EOFError):
        return "its data ends early"
    if isinstance(exc, NotImplementedError):
        return "it uses a compression method spillguard cannot decompress"
    if isinstance(exc, UnicodeDecodeError):
        return "a member name is flagged as UTF-8 but is not valid UTF-8"
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        return "its checksum (CRC-32) does not match its data"
    return f"{type(exc).__name__}"


def is_zip(head: bytes) -> bool:
    """True when `head` starts like a zip archive (local file header or empty archive)."""
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")


class _BoundedReader:
    """A file-like view of a zip member that refuses to yield more than `limit` bytes.

    zipfile already stops at the declared size and checks the CRC; this also stops a member whose
    declared size was accepted but whose real content would run past the per-part limit, and turns
    decompression errors met mid-stream into `CorruptFile`.
    """

    def __init__(self, raw: IO[bytes], *, name: str, limit: int) -> None:
        self._raw = raw
        self._name = name
        self._limit = limit
        self._count = 0

    def read(self, size: int = -1) -> bytes:
        try:
            data = self._raw.read(size if size is not None and size >= 0 else _CHUNK)
        except ZIP_ERRORS as exc:
            raise CorruptFile(
                f"the part {self._name} is damaged or truncated ({zip_error_reason(exc)})"
            ) from None
        self._count += len(data)
        if self._count > self._limit:
            raise LimitExceeded(
                f"the part {self._name} expands past the limit of {self._limit} bytes"
            )
        return data

    def close(self) -> None:
        self._raw.close()


class SafeZip:
    """A zip archive opened with its limits checked up front.

    Checks on opening: the archive is readable, has at most ``limits.max_members`` members, no
    member declares more than ``limits.max_part_bytes``, the total stays under
    ``limits.max_total_uncompressed``, and no member over 1 MiB expands more than
    ``limits.max_compression_ratio`` times. Names are looked up exactly, then case-insensitively
    (OPC part names are case-insensitive).
    """

    def __init__(self, path: Path, *, limits: Limits | None = None, label: str = "file") -> None:
        self.limits = limits or Limits()
        self.label = label
        try:
            self._zip = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            raise CorruptFile(
                f"the {label} is damaged or truncated: not a readable zip archive "
                f"({type(exc).__name__})"
            ) from None
        try:
            self._infos = self._zip.infolist()
            self._check_limits()
        except BaseException:
            self._zip.close()
            raise
        self._by_name: dict[str, zipfile.ZipInfo] = {}
        self._by_lower: dict[str, str] = {}
        for info in self._infos:
            if info.is_dir():
                continue
            # Some writers store Windows paths (xl\workbook.xml); Excel accepts them.
            name = info.filename.replace("\\", "/")
            if name.lower() in self._by_lower:
                self._zip.close()
                # two members that answer to one part name: a reader and Excel could each
                # see a different one, so neither can be trusted
                raise CorruptFile(f"the {label} holds two zip members named {name}")
            self._by_name[name] = info
            self._by_lower[name.lower()] = name

    # -- limits --------------------------------------------------------------------------------
    def _check_limits(self) -> None:
        lim = self.limits
        if len(self._infos) > lim.max_members:
            raise LimitExceeded(
                f"the {self.label} has {len(self._infos)} zip members, over the limit of "
                f"{lim.max_members}"
            )
        total = 0
        for info in self._infos:
            if info.flag_bits & 0x1:
                # an encrypted member cannot be inspected; the caller decides what it means
                continue
            if info.file_size > lim.max_part_bytes:
                raise LimitExceeded(
                    f"the part {info.filename} declares {info.file_size} bytes uncompressed, over "
                    f"the limit of {lim.max_part_bytes}"
                )
            total += info.file_size
            if info.file_size >= RATIO_MIN_BYTES:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > lim.max_compression_ratio:
                    raise LimitExceeded(
                        f"the part {info.filename} expands {ratio:.0f} times when decompressed, "
                        f"over the limit of {lim.max_compression_ratio:.0f} (a zip bomb?)"
                    )
        if total > lim.max_total_uncompressed:
            raise LimitExceeded(
                f"the {self.label} expands to {total} bytes, over the limit of "
                f"{lim.max_total_uncompressed}"
            )

    # -- names ---------------------------------------------------------------------------------
    def names(self) -> list[str]:
        """Member names (files only), in archive order."""
        return list(self._by_name)

    def resolve(self, name: str) -> str | None:
        """The part name of `name` (a leading '/' is ignored, case-insensitive), or None."""
        name = name.replace("\\", "/").lstrip("/")
        if name in self._by_name:
            return name
        return self._by_lower.get(name.lower())

    def has(self, name: str) -> bool:
        return self.resolve(name) is not None

    def size(self, name: str) -> int:
        """Declared uncompressed size of a member."""
        return self._info(name).file_size

    def is_encrypted(self, name: str) -> bool:
        return bool(self._info(name).flag_bits & 0x1)

    def _info(self, name: str) -> zipfile.ZipInfo:
        stored = self.resolve(name)
        if stored is None:
            raise CorruptFile(f"the part {name} is referenced but missing from the {self.label}")
        return self._by_name[stored]

    # -- reading -------------------------------------------------------------------------------
    def open(self, name: str) -> _BoundedReader:
        """A bounded stream of one member; missing member -> CorruptFile."""
        info = self._info(name)
        try:
            raw = self._zip.open(info)
        except ZIP_ERRORS as exc:
            raise CorruptFile(
                f"the part {info.filename} cannot be opened ({zip_error_reason(exc)})"
            ) from None
        except RuntimeError:  # zipfile raises RuntimeError for encrypted members
            raise EncryptedFile(f"the part {info.filename} is encrypted inside the zip") from None
        except ValueError:  # e.g. a local header that contradicts the central directory
            raise CorruptFile(
                f"the part {info.filename} cannot be opened (its zip headers disagree)"
            ) from None
        return _BoundedReader(raw, name=info.filename, limit=self.limits.max_part_bytes)

    def read(self, name: str) -> bytes:
        """The whole content of one member, bounded by the per-part limit."""
        stream = self.open(name)
        try:
            chunks: list[bytes] = []
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            stream.close()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def try_list_zip(path: Path) -> list[str] | None:
    """Member names of a zip, or None when `path` is not a readable zip. For sniffing only."""
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.namelist()
    except ZIP_ERRORS:
        return None


# -- OPC relationships ----------------------------------------------------------------------------
def rels_name(part: str) -> str:
    """The relationships part of `part`: ``xl/workbook.xml`` -> ``xl/_rels/workbook.xml.rels``."""
    folder, base = posixpath.split(part.lstrip("/"))
    return posixpath.join(folder, "_rels", base + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """Resolve a relationship target relative to the part that holds the relationship."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    folder = posixpath.dirname(source_part.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


# -- XML -----------------------------------------------------------------------------------------
#: ISO/IEC 29500 Strict names the same vocabularies under other URIs; readers are written for the
#: Transitional ones, which Excel writes by default. Strict parts are read through this mapping.
STRICT_NAMESPACES: tuple[tuple[bytes, bytes], ...] = (
    (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/chart",
        b"http://schemas.openxmlformats.org/drawingml/2006/chart",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/presentationml/main",
        b"http://schemas.openxmlformats.org/presentationml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/main",
        b"http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
        b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    ),
)
_STRICT_MARK = b"http://purl.oclc.org/ooxml/"
_STRICT_RE = re.compile(b"|".join(re.escape(a) for a, _ in STRICT_NAMESPACES))
_STRICT_MAP = dict(STRICT_NAMESPACES)


def strict_to_transitional(data: bytes) -> bytes:
    """`data` with Strict OOXML namespace URIs replaced by their Transitional equivalents."""
    if _STRICT_MARK not in data:
        return data
    return _STRICT_RE.sub(lambda m: _STRICT_MAP[m.group(0)], data)


class _StrictMapper:
    """A stream view that applies `strict_to_transitional`, also across chunk boundaries."""

    _KEEP = max(len(a) for a, _ in STRICT_NAMESPACES) - 1

    def __init__(self, raw: _BoundedReader, first: bytes) -> None:
        self._raw = raw
        self._buf = first
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        while not self._eof and len(self._buf) <= self._KEEP:
            chunk = self._raw.read(_CHUNK)
            self._eof = not chunk
            self._buf += chunk
        if not self._eof:
            chunk = self._raw.read(_CHUNK)
            self._eof = not chunk
            self._buf += chunk
        buf = self._buf
        cut = len(buf) if self._eof else len(buf) - self._KEEP
        for m in _STRICT_RE.finditer(buf):
            if m.start() < cut < m.end():
                cut = m.end()
        self._buf = buf[cut:]
        return strict_to_transitional(buf[:cut])


def xml_parser(*, huge: bool = False, remove_pis: bool = False) -> etree.XMLParser:
    """A parser that never fetches anything and never expands entities.

    `huge` lifts libxml2's size limits (text nodes over 10 MB, deep trees); use it only for parts
    that are legitimately big (worksheets, pivot records), never as the default.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=False,
        remove_pis=remove_pis,
    )


def _refuse_entities(head: bytes, part: str) -> None:
    """Office formats never declare XML entities (OOXML forbids a DTD; ODF uses none). A part
    that does is hostile (entity expansion, "billion laughs") or hides text behind references
    the parser will not expand: either way its text cannot be read as written."""
    if b"<!ENTITY" in head:
        raise CorruptFile(
            f"the part {part} declares XML entities (a DOCTYPE), which Office files never do; "
            "it was not parsed"
        )


def _only_bad_namespace_uris(log: etree._ListErrorLog) -> bool:
    """True when every complaint is a namespace URI that is not a valid URI. SharePoint writes
    such declarations (``xmlns:ns3="$ListId:Shared Documents;"``) into ``customXml`` parts of
    countless real documents; the XML is otherwise well-formed and nothing is lost."""
    errors = list(log)
    return bool(errors) and all(e.type_name == "WAR_NS_URI" for e in errors)


def _parse_despite_namespace_uris(data: bytes, *, part: str, huge: bool) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge,
        remove_comments=False,
        recover=True,
    )
    root = etree.fromstring(data, parser=parser)
    if root is None or not _only_bad_namespace_uris(parser.error_log):
        raise CorruptFile(f"the part {part} is not well-formed XML (truncated or damaged)")
    return root


def parse_bytes(data: bytes, *, part: str, huge: bool = False) -> etree._Element:
    """Parse one XML document; damaged or empty XML -> CorruptFile naming `part`."""
    if not data.strip():
        raise CorruptFile(f"the part {part} is empty")
    data = strict_to_transitional(data)
    parser = xml_parser(huge=huge)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        # the parser's own log: the exception's may also hold earlier parses' errors
        if _only_bad_namespace_uris(parser.error_log):
            return _parse_despite_namespace_uris(data, part=part, huge=huge)
        raise CorruptFile(
            f"the part {part} is not well-formed XML (truncated or damaged, line {exc.lineno})"
        ) from None


def parse_part(zf: SafeZip, name: str, *, huge: bool = False) -> etree._Element:
    """Read and parse a member of `zf` as XML. A part that declares entities is refused."""
    data = zf.read(name)
    part = zf.resolve(name) or name
    _refuse_entities(data[:_CHUNK], part)
    return parse_bytes(data, part=part, huge=huge)


Event = Literal["start", "end", "start-ns", "end-ns", "comment", "pi"]


def iterparse_part(
    zf: SafeZip,
    name: str,
    *,
    tag: str | tuple[str, ...] | None = None,
    events: tuple[Event, ...] = ("end",),
    huge: bool = True,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream a big XML member: yields ``(event, element)`` like `lxml.etree.iterparse`.

    The caller clears elements it is done with (``elem.clear()``), so memory stays flat for
    worksheets and pivot records of millions of rows. Damaged, truncated or empty XML ->
    CorruptFile naming the part.
    """
    stored = zf.resolve(name) or name
    if zf.size(name) == 0:
        raise CorruptFile(f"the part {stored} is empty")
    stream = zf.open(name)
    try:
        first = stream.read(_CHUNK)
        _refuse_entities(first, stored)
        strict = _STRICT_MARK in first
        source = _StrictMapper(stream, first) if strict else _Prefixed(stream, first)
        parser = etree.iterparse(
            source,
            events=events,
            tag=tag,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=huge,
        )
        try:
            yield from parser
        except etree.XMLSyntaxError as exc:
            raise CorruptFile(
                f"the part {stored} is not well-formed XML (truncated or damaged, "
                f"line {exc.lineno})"
            ) from None
    finally:
        stream.close()


class _Prefixed:
    """A stream that first returns bytes already read from it (the peeked first chunk)."""

    def __init__(self, raw: _BoundedReader, first: bytes) -> None:
        self._raw = raw
        self._first: bytes | None = first

    def read(self, size: int = -1) -> bytes:
        if self._first is not None:
            first, self._first = self._first, None
            if first:
                return first
        return self._raw.read(size)


def local(tag: object) -> str:
    """The local name of an element tag: ``{ns}row`` -> ``row``."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
