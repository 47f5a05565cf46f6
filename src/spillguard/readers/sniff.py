"""Small content checks that readers share to recognise a file from its bytes, not its name.

Readers decide what a file is from what it contains: a renamed workbook is still a workbook, and a
``.csv`` that is really a zip must not be read as text. These helpers look at the first bytes of a
file (`Source.head`) or, for zips, at the central directory, and never raise on odd input: a file
that no reader recognises is reported by the scanner as unrecognised, which blocks.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
import zlib
from pathlib import Path

import charset_normalizer

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: share of control characters (other than tab, newlines, form feed) above which text is binary
_MAX_CONTROL_SHARE = 0.01
#: bytes of the head handed to charset-normalizer (its cost grows with the sample)
_NORMALIZER_SAMPLE = 32 * 1024
# Unicode category Cc (C0, DEL, C1) minus tab, newlines, form feed and \x1a (DOS end of file).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f-\x9f]")


def is_zip(head: bytes) -> bool:
    """True when `head` starts like a zip archive (OOXML, ODF, plain zips)."""
    return head.startswith(ZIP_MAGICS)


def is_cfb(head: bytes) -> bool:
    """True when `head` starts with the OLE compound file magic (XLS, DOC, encrypted OOXML...)."""
    return head.startswith(CFB_MAGIC)


def bom_encoding(head: bytes) -> str | None:
    """The Python codec named by a byte-order mark at the start of `head`, if any."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """Guess UTF-16 without a BOM from where NULs fall (ASCII text leaves every other byte 0)."""
    sample = head[: min(len(head), 4096) & ~1]
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    half = len(sample) // 2
    even_nuls = even.count(0) / half
    odd_nuls = odd.count(0) / half
    if odd_nuls > 0.4 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.4 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def decode_head(head: bytes, encoding: str) -> str | None:
    """Decode `head` strictly, tolerating a character cut in two at its end. None if invalid."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        return str(decoder.decode(head, final=False))
    except UnicodeDecodeError:
        return None


def _mostly_printable(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROLS.findall(text)) / len(text) <= _MAX_CONTROL_SHARE


# Non-letters that Western European text in cp1252 commonly holds.
_CP1252_SYMBOLS = frozenset("€£§°±µ·«»¡–—‘’‚“”„…•×÷©®™¢†‡‰ªº\xa0")


def _all_latin(text: str, *, symbols: frozenset[str] | None = None) -> bool:
    """Every non-ASCII character is a Latin letter (or, if given, one of `symbols`)."""
    for ch in set(text):
        if ch.isascii() or (symbols is not None and ch in symbols):
            continue
        if ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
        else:
            return False
    return True


def _has_other_script(text: str) -> bool:
    """Whether `text` has letters of a script other than Latin (Cyrillic, Greek, Arabic...)."""
    return any(
        unicodedata.category(ch) in ("Lu", "Ll", "Lo")  # not Lm: modifiers such as the caron
        and not ch.isascii()
        and not unicodedata.name(ch, "").startswith("LATIN")
        for ch in set(text)
        if ch not in _CP1252_SYMBOLS
    )


def _legacy_candidates(sample: bytes) -> list[str]:
    """Single-byte code pages for `sample`, most likely first.

    charset-normalizer is unreliable between the Latin code pages on short samples: it ranks
    cp775, cp1250 or mac_latin2 above cp1252 for French text (``è`` then reads as ``č``). cp1252
    is by far the commonest legacy encoding of spreadsheet exports, so when charset-normalizer's
    pick reads as Latin script and cp1252 reads as Latin letters and common symbols only, cp1252
    goes first. Cyrillic, Greek or Polish text fails that test and keeps the normalizer's pick.
    """
    best = charset_normalizer.from_bytes(sample).best()
    ranked = [] if best is None else [codecs.lookup(best.encoding).name]
    as_cp1252 = decode_head(sample, "cp1252")
    if as_cp1252 is None or not _all_latin(as_cp1252, symbols=_CP1252_SYMBOLS):
        if not ranked:
            # No opinion from the normalizer: Central European text is the next likeliest.
            as_cp1250 = decode_head(sample, "cp1250")
            if as_cp1250 is not None and _all_latin(as_cp1250, symbols=_CP1252_SYMBOLS):
                return ["cp1250"]
        return ranked
    if ranked:
        as_best = decode_head(sample, ranked[0])
        if as_best is not None and _has_other_script(as_best):
            return ranked  # Cyrillic, Greek...: trust the normalizer
    return ["cp1252", *ranked]


def looks_like_text(head: bytes) -> str | None:
    """Return the Python codec name that decodes `head` as text, or None for binary content.

    Order: a byte-order mark; UTF-16 without a BOM, recognised by its NUL pattern; strict UTF-8;
    charset-normalizer's best guess; cp1252 when it decodes. Any other NUL byte means binary, and so
    does decoded text with more than 1% control characters.
    """
    if not head:
        return "utf-8"
    candidates: list[str] = []
    bom = bom_encoding(head)
    if bom is not None:
        candidates.append(bom)
    else:
        utf16 = _utf16_without_bom(head)
        if utf16 is not None:
            candidates.append(utf16)
        elif b"\x00" in head:
            return None
        else:
            candidates.append("utf-8")
            candidates.extend(_legacy_candidates(head[:_NORMALIZER_SAMPLE]))
            candidates.append("cp1252")
    for name in candidates:
        text = decode_head(head, name)
        if text is not None and "\x00" not in text and _mostly_printable(text):
            return name
    return None


def zip_names(path: Path, *, limit: int = 20_000) -> list[str]:
    """The member names of the zip at `path`, at most `limit` of them; [] when it is not a zip.

    A damaged zip gives [] so that no container reader claims it; the scanner then reports the file
    as unrecognised, an error verdict, instead of a reader half-reading it.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return []
    return names[:limit]


def zip_member_head(path: Path, name: str, *, size: int = 256) -> bytes | None:
    """The first `size` bytes of member `name` of the zip at `path`, or None if it cannot be had."""
    try:
        with zipfile.ZipFile(path) as zf, zf.open(name) as fh:
            return fh.read(size)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
        EOFError,
        RuntimeError,
        zlib.error,
        NotImplementedError,
    ):
        # RuntimeError: an encrypted member; zlib.error: damaged deflate data; NotImplementedError:
        # a compression method zipfile lacks. Sniffing only: the reader reports the damage.
        return None


__all__ = [
    "CFB_MAGIC",
    "ZIP_MAGICS",
    "bom_encoding",
    "decode_head",
    "is_cfb",
    "is_zip",
    "looks_like_text",
    "zip_member_head",
    "zip_names",
]
