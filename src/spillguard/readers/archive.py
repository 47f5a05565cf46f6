"""Archives (zip, tar) and compressed streams (gzip, bzip2, xz): every member, read recursively.

Why this shape: a release often ships data as ``data.zip`` or ``export.tar.gz``, and a member of a
published archive is as public as the archive, so members are yielded as `EmbeddedFile` items with
surface ``visible`` and the scanner reads each one with the ordinary readers (a hidden sheet of a
workbook inside a tarball keeps its own surface). Archives are also the classic hostile input, so
everything is bounded before and during extraction:

- member count, declared sizes and declared compression ratios are checked before any byte is
  decompressed (a zip bomb is an ``error`` at once);
- bytes are counted while decompressing, per member and in total, and the ratio of bytes out to
  bytes in is checked as they come, because declared sizes can lie; a zip member's deflate stream
  is inflated here rather than by `zipfile`, so that data beyond a member's declared size (which
  `zipfile` silently drops but other tools show) is an error, not a blind spot;
- members are written to temporary files under names chosen here, never under the member's own
  path, so ``../../etc/passwd``, absolute paths and drive letters can never escape; names shown in
  locations are sanitised (no ``..``, no control or bidi characters);
- tar links and device entries are never followed: they are reported as not inspected.

Nesting depth is enforced by the scanner (`Limits.max_depth`). Error messages name members and
byte counts, never content.
"""

from __future__ import annotations

import bz2
import itertools
import lzma
import posixpath
import re
import stat
import struct
import tarfile
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded, UnsupportedFormat
from spillguard.model import EmbeddedFile, Location, NotInspected, Surface, TextPart
from spillguard.readers.base import Limits, ReadItem, Source
from spillguard.readers.sniff import is_zip, zip_member_head, zip_names
from spillguard.readers.zipsafe import RATIO_MIN_BYTES, ZIP_ERRORS, zip_error_reason

_CHUNK = 1024 * 1024
#: compressed input is fed in small pieces so that a bomb is caught after a few MB of output
_IN_CHUNK = 64 * 1024
_MAX_NAME_CHARS = 300

GZIP_MAGIC = b"\x1f\x8b"
XZ_MAGIC = b"\xfd7zXZ\x00"
BZ2_BLOCK_MAGICS = (b"1AY&SY", b"\x17rE8P\x90")  # first block, or an empty stream's end marker

#: zips whose name says they are Office/ODF files belong to those readers even when they do not
#: claim them (a damaged or fake ``report.xlsx`` is an error, not an archive)
_OFFICE_SUFFIXES = frozenset(
    ".xlsx .xlsm .xltx .xltm .xlam .docx .docm .dotx .dotm .pptx .pptm .potx .potm .ppsx .ppsm "
    ".odt .ods .odp .odg .ott .ots .otp .otg".split()
)
#: main content types of the OPC packages other readers handle
_OFFICE_CONTENT_TYPES = (
    b"spreadsheetml.",
    b"wordprocessingml.",
    b"presentationml.",
    b"ms-excel.",
    b"ms-word.",
    b"ms-powerpoint.",
)
_ODF_MIMETYPE = b"application/vnd.oasis.opendocument."

_TAR_TYPES = {"tar", "tar.gz", "tar.bz2", "tar.xz"}
_STREAM_KINDS = {"gzip": "gzip", "tar.gz": "gzip", "bzip2": "bzip2", "tar.bz2": "bzip2"}
_STREAM_KINDS |= {"xz": "xz", "tar.xz": "xz"}
_COMPRESSED_SUFFIXES = {".gz": "", ".tgz": ".tar", ".bz2": "", ".tbz2": ".tar", ".xz": ""}
_COMPRESSED_SUFFIXES |= {".txz": ".tar", ".gzip": ""}


# -- names -----------------------------------------------------------------------------------------
def safe_member_name(raw: str, index: int) -> str:
    """A member name fit to show a person: relative, without ``..``, without control characters.

    Traversal names (``../../etc/passwd``), absolute paths and drive letters lose the parts that
    point outside the archive; control and bidirectional-override characters (which can fake a
    name or drive a terminal) become ``?``. The name is never used as a file system path.
    """
    name = raw.replace("\\", "/")
    name = re.sub(r"^[A-Za-z]:", "", name)
    parts = [p for p in name.split("/") if p not in ("", ".", "..")]
    name = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
        for ch in "/".join(parts)
    )
    if len(name) > _MAX_NAME_CHARS:
        name = name[:_MAX_NAME_CHARS] + "..."
    return name or f"(member {index + 1} without a name)"


# -- sniffing --------------------------------------------------------------------------------------
def is_tar_header(block: bytes) -> bool:
    """True when `block` starts with a tar header: ustar magic, or a valid header checksum."""
    if len(block) < 512:
        return False
    if block[257:262] == b"ustar":
        return True
    if block[0] == 0:  # a v7 header always starts with a name
        return False
    field_ = block[148:156].replace(b"\x00", b" ").strip()
    if not field_ or any(c not in b"01234567" for c in field_):
        return False
    stored = int(field_, 8)
    total = sum(block[:148]) + 8 * 0x20 + sum(block[156:512])
    return stored == total


def _member_head(source: Source, name: str, *, size: int) -> bytes | None:
    """`zip_member_head`, also None when a deflated member fails to inflate: sniffing only
    decides who reads, and reading reports the damage precisely."""
    try:
        return zip_member_head(source.path, name, size=size)
    except ZIP_ERRORS:
        return None


def _is_empty_tar(source: Source) -> bool:
    """An empty tar is only its end-of-archive blocks: zeros, in 512-byte blocks. (Reading it
    checks that the whole file is zeros, so a file that only starts with zeros fails.)"""
    head = source.head
    return (
        source.size >= 1024
        and source.size % 512 == 0
        and len(head) >= 1024
        and head.count(0) == len(head)
    )


def _is_bzip2(head: bytes) -> bool:
    return (
        head[:3] == b"BZh"
        and len(head) >= 10
        and head[3] in b"123456789"
        and head[4:10] in BZ2_BLOCK_MAGICS
    )


def _stream_kind(head: bytes) -> str | None:
    if head[:3] == GZIP_MAGIC + b"\x08":
        return "gzip"
    if _is_bzip2(head):
        return "bzip2"
    if head[:6] == XZ_MAGIC:
        return "xz"
    return None


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def unused_data(self) -> bytes: ...

    @property
    def needs_input(self) -> bool: ...

    def decompress(self, data: bytes, max_length: int = -1) -> bytes: ...


class _Inflater:
    """zlib's decompressobj with the bz2/lzma interface (`needs_input`, an internal buffer)."""

    def __init__(self, wbits: int) -> None:
        self._d = zlib.decompressobj(wbits)

    @property
    def eof(self) -> bool:
        return self._d.eof

    @property
    def unused_data(self) -> bytes:
        return self._d.unused_data

    @property
    def needs_input(self) -> bool:
        return not self._d.unconsumed_tail

    def decompress(self, data: bytes, max_length: int = -1) -> bytes:
        tail = self._d.unconsumed_tail
        return self._d.decompress(tail + data if tail else data, max(max_length, 0))


def _new_decompressor(kind: str) -> _Decompressor:
    if kind == "gzip":
        return _Inflater(31)
    if kind == "bzip2":
        return bz2.BZ2Decompressor()
    return lzma.LZMADecompressor(format=lzma.FORMAT_XZ)


_STREAM_ERRORS: tuple[type[BaseException], ...] = (zlib.error, OSError, lzma.LZMAError, EOFError)
_STREAM_MAGIC = {"gzip": GZIP_MAGIC, "bzip2": b"BZh", "xz": XZ_MAGIC}


def _peek_decompressed(head: bytes, kind: str, size: int = 512) -> bytes:
    """The first `size` decompressed bytes of a stream whose start is `head` (for sniffing)."""
    try:
        return _new_decompressor(kind).decompress(head, size)
    except _STREAM_ERRORS:
        return b""


# -- budgets ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Budget:
    """Counts decompressed bytes against the limits, as they are produced."""

    limits: Limits
    label: str
    total: int = 0

    def add(self, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_total_uncompressed:
            raise LimitExceeded(
                f"the {self.label} expands past the limit of "
                f"{self.limits.max_total_uncompressed:,} bytes in total (a decompression bomb?)"
            )


@dataclass(slots=True)
class _Meter:
    """Bytes in and out of one member or stream: per-part cap and compression ratio."""

    what: str
    cap: int
    ratio: float
    budget: _Budget
    #: the size the container declares for this member; more output than that is a lie
    declared: int | None = None
    bytes_in: int = 0
    bytes_out: int = 0

    def out(self, n: int) -> None:
        self.bytes_out += n
        self.budget.add(n)
        if self.declared is not None and self.bytes_out > self.declared:
            raise CorruptFile(
                f"{self.what} holds more data than the {self.declared:,} bytes it declares "
                "(its declared sizes are wrong)"
            )
        if self.bytes_out > self.cap:
            raise LimitExceeded(
                f"{self.what} expands past the limit of {self.cap:,} bytes (a decompression bomb?)"
            )
        if self.bytes_out >= RATIO_MIN_BYTES:
            r = self.bytes_out / max(self.bytes_in, 1)
            if r > self.ratio:
                raise LimitExceeded(
                    f"{self.what} expands more than {self.ratio:.0f} times when decompressed "
                    f"(already {r:.0f} times after {self.bytes_in:,} compressed bytes): a "
                    "decompression bomb?"
                )


# -- the reader ------------------------------------------------------------------------------------
class ArchiveReader:
    """Zip, tar, gzip, bzip2 and xz: each member becomes an `EmbeddedFile` the scanner reads."""

    id: str = "archive"

    def sniff(self, source: Source) -> str | None:
        head = source.head
        if is_zip(head):
            return self._sniff_zip(source)
        kind = _stream_kind(head)
        if kind is not None:
            if is_tar_header(_peek_decompressed(head, kind)):
                return {"gzip": "tar.gz", "bzip2": "tar.bz2", "xz": "tar.xz"}[kind]
            return kind
        if is_tar_header(head) or _is_empty_tar(source):
            return "tar"
        return None

    def _sniff_zip(self, source: Source) -> str | None:
        """A zip that is no Office/ODF document (those have their own readers)."""
        name = (source.member or source.display).lower()
        if posixpath.splitext(name)[1] in _OFFICE_SUFFIXES:
            return None
        names = zip_names(source.path, limit=source.limits.max_members + 1)
        lower = {n.lower(): n for n in names}
        if "[content_types].xml" in lower:
            ct = _member_head(source, lower["[content_types].xml"], size=64 * 1024)
            if ct is not None and any(t in ct for t in _OFFICE_CONTENT_TYPES):
                return None
        if "mimetype" in lower:
            mt = _member_head(source, lower["mimetype"], size=128)
            if mt is not None and mt.strip().startswith(_ODF_MIMETYPE):
                return None
        # A damaged zip is claimed too: reading it reports the precise damage.
        return "zip"

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        with tempfile.TemporaryDirectory(prefix="spillguard-archive-") as tmp_name:
            tmp = _TempFiles(Path(tmp_name))
            if file_type == "zip":
                yield from _read_zip(source, tmp)
            elif file_type == "tar":
                yield from _read_tar(source, source.path, tmp, label="tar archive")
            elif file_type in _STREAM_KINDS:
                yield from _read_stream(source, file_type, tmp)
            else:
                raise UnsupportedFormat(f"the archive type {file_type} is not supported")


class _TempFiles:
    """Temporary files under names chosen here (never a member's own path)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._n = 0

    def new(self) -> Path:
        self._n += 1
        return self.root / f"member-{self._n:06d}"


def _loc(source: Source, where: str, surface: Surface = Surface.VISIBLE) -> Location:
    return Location(path=source.display, surface=surface, where=where, member=source.member)


def _names_part(source: Source, names: list[str]) -> TextPart:
    """Member names are published too ("case-A012345678.pdf"), so they are inspected as text."""
    return TextPart(
        text="\n".join(names),
        location=_loc(source, "names of the archive's members"),
        context="file names",
    )


def _embedded_then_delete(name: str, path: Path) -> Iterator[ReadItem]:
    """Yield a member; the scanner reads it while this generator waits; then free the disk."""
    try:
        yield EmbeddedFile(name=name, path=path, surface=Surface.VISIBLE)
    finally:
        path.unlink(missing_ok=True)


# -- zip -------------------------------------------------------------------------------------------
_ZIP_OPEN_ERRORS: tuple[type[BaseException], ...] = (*ZIP_ERRORS, ValueError)
_ZIP_READ_ERRORS: tuple[type[BaseException], ...] = (
    *ZIP_ERRORS,
    ValueError,
    OSError,
    lzma.LZMAError,
)
_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
_LOCAL_SIG = 0x04034B50


def _read_zip(source: Source, tmp: _TempFiles) -> Iterator[ReadItem]:
    limits = source.limits
    try:
        zf = zipfile.ZipFile(source.path)
    except _ZIP_OPEN_ERRORS as exc:
        raise CorruptFile(
            f"the zip archive is damaged or truncated: its directory cannot be read "
            f"({zip_error_reason(exc)})"
        ) from None
    with zf, source.path.open("rb") as raw:
        infos = zf.infolist()
        _check_zip_directory(infos, limits, source.size)
        files = [(i, info) for i, info in enumerate(infos) if not info.is_dir()]
        names = [safe_member_name(info.filename, i) for i, info in files]
        if names:
            yield _names_part(source, names)
        budget = _Budget(limits, "zip archive")
        for (_, info), name in zip(files, names, strict=True):
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                yield NotInspected(
                    _loc(source, name),
                    "a symbolic link stored in the zip: links are not followed",
                )
                continue
            out = tmp.new()
            with out.open("wb") as fh:
                _extract_zip_member(zf, raw, info, name, fh, limits, budget)
            yield from _embedded_then_delete(name, out)


def _check_zip_directory(infos: list[zipfile.ZipInfo], limits: Limits, size: int) -> None:
    """Everything that can be judged from the central directory, before decompressing."""
    if len(infos) > limits.max_members:
        raise LimitExceeded(
            f"the zip archive has {len(infos):,} members, over the limit of {limits.max_members:,}"
        )
    encrypted = [info for info in infos if info.flag_bits & 0x1]
    if encrypted:
        raise EncryptedFile(
            f"the zip archive has {len(encrypted)} encrypted (password-protected) member(s); "
            "their content cannot be inspected"
        )
    total = 0
    for i, info in enumerate(infos):
        name = safe_member_name(info.filename, i)
        if info.file_size > limits.max_part_bytes:
            raise LimitExceeded(
                f"the zip member {name} declares {info.file_size:,} bytes uncompressed, over the "
                f"limit of {limits.max_part_bytes:,}"
            )
        total += info.file_size
        if info.file_size >= RATIO_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise LimitExceeded(
                    f"the zip member {name} declares it expands {ratio:.0f} times when "
                    f"decompressed, over the limit of {limits.max_compression_ratio:.0f} "
                    "(a zip bomb?)"
                )
    if total > limits.max_total_uncompressed:
        raise LimitExceeded(
            f"the zip archive declares {total:,} bytes uncompressed in total, over the limit of "
            f"{limits.max_total_uncompressed:,} (a zip bomb?)"
        )
    # Members whose data overlap are the trick of non-recursive zip bombs (one compressed
    # kernel shared by thousands of entries), and of archives that show different tools
    # different files.
    spans = sorted(
        (info.header_offset, info.header_offset + 30 + info.compress_size) for info in infos
    )
    for (_, end), (start, _) in itertools.pairwise(spans):
        if start < end:
            raise CorruptFile(
                "the zip archive has members whose data overlap (a zip bomb technique, or a "
                "damaged archive)"
            )
    if spans and spans[-1][1] > size:
        raise CorruptFile("the zip archive is truncated: a member's data runs past the file's end")


def _extract_zip_member(
    zf: zipfile.ZipFile,
    raw: IO[bytes],
    info: zipfile.ZipInfo,
    name: str,
    out: IO[bytes],
    limits: Limits,
    budget: _Budget,
) -> None:
    meter = _Meter(
        what=f"the zip member {name}",
        cap=limits.max_part_bytes,
        ratio=limits.max_compression_ratio,
        budget=budget,
        declared=info.file_size,
    )
    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        crc = _copy_raw_member(raw, info, name, out, meter)
    else:
        crc = _copy_via_zipfile(zf, info, name, out, meter)
    if meter.bytes_out != info.file_size:
        raise CorruptFile(
            f"the zip member {name} holds {meter.bytes_out:,} bytes but declares "
            f"{info.file_size:,} (its declared sizes are wrong)"
        )
    if crc != info.CRC:
        raise CorruptFile(f"the zip member {name} is damaged: its checksum (CRC-32) does not match")


def _data_offset(raw: IO[bytes], info: zipfile.ZipInfo, name: str) -> int:
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size:
        raise CorruptFile(f"the zip member {name} is truncated (its local header is cut off)")
    sig, _, _, method, _, _, _, _, _, name_len, extra_len = _LOCAL_HEADER.unpack(header)
    if sig != _LOCAL_SIG:
        raise CorruptFile(f"the zip member {name} is damaged (its local header is missing)")
    if method != info.compress_type:
        raise CorruptFile(
            f"the zip member {name} has headers that disagree (compression method differs)"
        )
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    local_name = raw.read(name_len)
    try:
        same = local_name.decode(encoding) == info.orig_filename
    except UnicodeDecodeError:
        same = False
    if not same:
        raise CorruptFile(
            f"the zip member {name} has headers that disagree (the name in its local header "
            "differs from the directory: different tools would show different files)"
        )
    return info.header_offset + _LOCAL_HEADER.size + int(name_len) + int(extra_len)


def _copy_raw_member(
    raw: IO[bytes], info: zipfile.ZipInfo, name: str, out: IO[bytes], meter: _Meter
) -> int:
    """Stored or deflated data, inflated here so that every byte of it is accounted for."""
    start = _data_offset(raw, info, name)
    raw.seek(start)
    left = info.compress_size
    crc = 0
    inflater = _Inflater(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        chunk = raw.read(min(_IN_CHUNK, left))
        if not chunk:
            raise CorruptFile(f"the zip member {name} is truncated (its data ends early)")
        left -= len(chunk)
        meter.bytes_in += len(chunk)
        if inflater is None:
            meter.out(len(chunk))
            crc = zlib.crc32(chunk, crc)
            out.write(chunk)
            continue
        try:
            for piece in _drain(inflater, chunk):
                meter.out(len(piece))
                crc = zlib.crc32(piece, crc)
                out.write(piece)
        except zlib.error:
            raise CorruptFile(
                f"the zip member {name} is damaged (its compressed data is corrupt)"
            ) from None
        if inflater.eof and (left or inflater.unused_data):
            raise CorruptFile(
                f"the zip member {name} has data after the end of its compressed stream "
                "(hidden from some tools, shown by others)"
            )
    if inflater is not None and not inflater.eof:
        raise CorruptFile(f"the zip member {name} is truncated (its compressed data ends early)")
    return crc


def _copy_via_zipfile(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, out: IO[bytes], meter: _Meter
) -> int:
    """bzip2 / lzma members: zipfile decompresses; bytes are still counted and checked."""
    crc = 0
    try:
        with zf.open(info) as stream:
            while True:
                piece = stream.read(_CHUNK)
                if not piece:
                    break
                # zipfile does not say how much it consumed: judge the ratio on the whole member
                meter.bytes_in = info.compress_size
                meter.out(len(piece))
                crc = zlib.crc32(piece, crc)
                out.write(piece)
    except NotImplementedError:
        raise UnsupportedFormat(
            f"the zip member {name} uses a compression method spillguard cannot decompress"
        ) from None
    except _ZIP_READ_ERRORS as exc:
        raise CorruptFile(
            f"the zip member {name} is damaged or truncated ({zip_error_reason(exc)})"
        ) from None
    return crc


def _drain(d: _Decompressor, data: bytes) -> Iterator[bytes]:
    """Decompress `data` in pieces of at most 1 MiB, so output is metered as it grows."""
    piece = d.decompress(data, _CHUNK)
    if piece:
        yield piece
    while not d.eof and not d.needs_input:
        piece = d.decompress(b"", _CHUNK)
        if not piece:
            break
        yield piece


# -- tar -------------------------------------------------------------------------------------------
_TAR_ERRORS: tuple[type[BaseException], ...] = (tarfile.TarError, EOFError, OSError, ValueError)


def _read_tar(source: Source, path: Path, tmp: _TempFiles, *, label: str) -> Iterator[ReadItem]:
    limits = source.limits
    try:
        tf = tarfile.open(path, mode="r:")  # noqa: SIM115 - closed below, members are streamed
    except _TAR_ERRORS:
        raise CorruptFile(f"the {label} is damaged: its first header cannot be read") from None
    budget = _Budget(limits, label)
    names: list[str] = []
    pending: list[tuple[tarfile.TarInfo, str]] = []
    with tf:
        # First pass: headers only (cheap), so limits and names are known before extracting.
        count = 0
        try:
            for ti in tf:
                count += 1
                if count > limits.max_members:
                    raise LimitExceeded(
                        f"the {label} has more than {limits.max_members:,} members, over the limit"
                    )
                name = safe_member_name(ti.name, count - 1)
                if ti.isreg():
                    if ti.size > limits.max_part_bytes:
                        raise LimitExceeded(
                            f"the tar member {name} is {ti.size:,} bytes, over the limit of "
                            f"{limits.max_part_bytes:,}"
                        )
                    budget.add(ti.size)
                if not ti.isdir():
                    names.append(name)
                pending.append((ti, name))
        except tarfile.TarError:
            raise CorruptFile(f"the {label} is damaged: a member header cannot be read") from None
        _check_tar_end(path, tf.offset, label)
        if names:
            yield _names_part(source, names)
        for ti, name in pending:
            if ti.isdir():
                continue
            if not ti.isreg():
                yield NotInspected(_loc(source, name), _tar_kind(ti))
                continue
            out = tmp.new()
            with out.open("wb") as fh:
                _copy_tar_member(tf, ti, name, fh)
            yield from _embedded_then_delete(name, out)


def _tar_kind(ti: tarfile.TarInfo) -> str:
    if ti.issym():
        return "a symbolic link in the tar archive: links are not followed"
    if ti.islnk():
        return (
            "a hard link in the tar archive: not followed (if it points at another member, that "
            "member is inspected under its own name)"
        )
    if ti.ischr() or ti.isblk():
        return "a device entry in the tar archive: it holds no content and is not read"
    if ti.isfifo():
        return "a named pipe entry in the tar archive: it holds no content and is not read"
    return "a tar entry of a special type: not read"


def _check_tar_end(path: Path, offset: int, label: str) -> None:
    """tarfile stops quietly at a damaged header after the first; anything but zero padding
    after the point where it stopped is content that was not read, so the archive fails."""
    with path.open("rb") as fh:
        fh.seek(offset)
        while True:
            block = fh.read(_CHUNK)
            if not block:
                return
            if block.count(0) != len(block):
                raise CorruptFile(
                    f"the {label} holds data after byte {offset:,} that cannot be read as tar "
                    "members (a damaged header, or data after the end of the archive)"
                )


def _copy_tar_member(tf: tarfile.TarFile, ti: tarfile.TarInfo, name: str, out: IO[bytes]) -> None:
    try:
        stream = tf.extractfile(ti)
        if stream is None:
            raise CorruptFile(f"the tar member {name} cannot be read")
        with stream:
            copied = 0
            while True:
                piece = stream.read(_CHUNK)
                if not piece:
                    break
                copied += len(piece)
                if copied > ti.size:
                    raise CorruptFile(f"the tar member {name} is longer than its header says")
                out.write(piece)
    except _TAR_ERRORS:
        raise CorruptFile(f"the tar member {name} is truncated or damaged") from None
    if copied != ti.size:
        raise CorruptFile(f"the tar member {name} is truncated (its data ends early)")


# -- gzip / bzip2 / xz -----------------------------------------------------------------------------
def _inner_name(source: Source, fname: str | None) -> str:
    if fname:
        return safe_member_name(posixpath.basename(fname.replace("\\", "/")), 0)
    base = posixpath.basename((source.member or source.display).replace("\\", "/"))
    stem, ext = posixpath.splitext(base)
    if ext.lower() in _COMPRESSED_SUFFIXES and stem:
        return safe_member_name(stem + _COMPRESSED_SUFFIXES[ext.lower()], 0)
    return "(decompressed content)"


def _gzip_header(head: bytes) -> tuple[str | None, str | None]:
    """The original file name and the comment stored in a gzip header, when present."""
    if len(head) < 10:
        return None, None
    flags = head[3]
    pos = 10
    if flags & 0x04:  # FEXTRA
        if len(head) < pos + 2:
            return None, None
        pos += 2 + int.from_bytes(head[pos : pos + 2], "little")
    fields: list[str | None] = []
    for bit in (0x08, 0x10):  # FNAME, FCOMMENT
        if not flags & bit:
            fields.append(None)
            continue
        end = head.find(b"\x00", pos)
        if end < 0:
            return None, None
        fields.append(head[pos:end].decode("latin-1"))
        pos = end + 1
    return fields[0], fields[1]


def _read_stream(source: Source, file_type: str, tmp: _TempFiles) -> Iterator[ReadItem]:
    kind = _STREAM_KINDS[file_type]
    limits = source.limits
    is_tar = file_type in _TAR_TYPES
    label = f"{kind} stream"
    fname, comment = _gzip_header(source.head) if kind == "gzip" else (None, None)
    if comment and comment.strip():
        yield TextPart(
            text=comment,
            location=_loc(source, "gzip header comment", Surface.METADATA),
            context="comment",
        )
    meter = _Meter(
        what=f"the {label}",
        cap=limits.max_total_uncompressed if is_tar else limits.max_part_bytes,
        ratio=limits.max_compression_ratio,
        budget=_Budget(limits, label),
    )
    out = tmp.new()
    with out.open("wb") as fh:
        _decompress_stream(source.path, kind, fh.write, meter)
    if is_tar or is_tar_header(_first_bytes(out, 512)):
        yield from _read_tar(source, out, tmp, label=f"tar archive inside the {label}")
        out.unlink(missing_ok=True)
        return
    yield from _embedded_then_delete(_inner_name(source, fname), out)


def _first_bytes(path: Path, n: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


def _decompress_stream(
    path: Path, kind: str, write: Callable[[bytes], object], meter: _Meter
) -> None:
    """Decompress every stream of a (possibly multi-stream) file, metered.

    Zero padding after the last stream (tape blocking) holds nothing and is passed over; any other
    data after it is an error, because no tool would show it and it was not inspected.
    """
    magic = _STREAM_MAGIC[kind]
    d: _Decompressor | None = _new_decompressor(kind)
    pending = b""
    with path.open("rb") as fh:
        while True:
            chunk = fh.read(_IN_CHUNK)
            meter.bytes_in += len(chunk)
            data = pending + chunk
            pending = b""
            while data:
                if d is None:
                    # after a complete stream: another stream, zero padding, or foreign data
                    if len(data) < len(magic) and chunk:
                        pending = data
                        break
                    if data.startswith(magic):
                        d = _new_decompressor(kind)
                    elif data.count(0) == len(data):
                        break
                    else:
                        raise CorruptFile(
                            f"the {kind} file has data after the end of its compressed stream "
                            "that is not compressed data (it was not inspected)"
                        )
                try:
                    for piece in _drain(d, data):
                        meter.out(len(piece))
                        write(piece)
                except _STREAM_ERRORS:
                    raise CorruptFile(
                        f"the {kind} file is damaged: its compressed data is corrupt"
                    ) from None
                if d.eof:
                    data = d.unused_data
                    d = None
                else:
                    data = b""
            if not chunk:
                break
    if d is not None:
        raise CorruptFile(f"the {kind} file is truncated: its compressed data ends early")


__all__ = ["ArchiveReader", "is_tar_header", "safe_member_name"]
