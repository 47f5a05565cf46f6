"""E-mail reader (.eml, RFC 5322 / MIME): headers, body text and attachments.

Why: FOI responses and "all staff" notices get published as saved e-mails. The people are in the
address headers (From, To, Cc, Reply-To), the subject and the body; records travel as attached
spreadsheets. Addresses are document properties (`metadata`, with ``From`` as the author); the
subject and body are visible text (an HTML body goes through the HTML reader, so its comments and
hidden elements are found too); attachments and attached messages are handed to the scanner as
`EmbeddedFile`s, read recursively.

Parsing is the standard library's ``email`` package with ``policy.default``; header values are
decoded here from the raw header (RFC 2047) so that a malformed header is read as written instead
of tripping the structured header parser. An encrypted message (S/MIME enveloped data,
``multipart/encrypted``) cannot be inspected and is an `EncryptedFile`.
"""

from __future__ import annotations

import email
import email.errors
import email.header
import re
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.message import Message

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded
from spillguard.model import EmbeddedFile, Location, NotInspected, Surface, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.html import html_items
from spillguard.readers.structured import head_text

#: messages are parsed in memory
MAX_EML_BYTES = 100 * 1024**2
#: messages attached to messages, read in place, no deeper than this
_MAX_NESTED = 5
#: parts of one message
_MAX_PARTS = 10_000

ADDRESS_HEADERS = ("From", "Sender", "Reply-To", "To", "Cc", "Bcc")
_AUTHOR_HEADERS = frozenset({"from", "sender"})
_KNOWN = frozenset(
    "from to cc bcc subject date mime-version received message-id return-path reply-to sender "
    "delivered-to x-mailer content-type content-transfer-encoding in-reply-to references "
    "x-originating-ip user-agent thread-topic thread-index".split()
)
_STRONG = frozenset(
    {"from", "received", "message-id", "mime-version", "return-path", "delivered-to"}
)
_FIELD = re.compile(r"([!-9;-~]+):")
_RISKY_NAME = re.compile(r"@|\d{5}")


def sniff_eml(source: Source) -> str | None:
    """``"eml"`` when the file opens with an RFC 5322 header block: every line a ``Name:``
    field or a folded continuation, at least two well-known fields, one of them a field only
    mail has (From, Received, Message-ID, MIME-Version, Return-Path, Delivered-To)."""
    text = head_text(source.head)
    if text is None:
        return None
    name = (source.member or source.display or source.path.name).lower()
    if name.endswith((".yml", ".yaml", ".json", ".csv", ".md", ".html", ".htm")):
        return None
    lines = text.splitlines()
    if source.size > len(source.head) and lines:
        lines = lines[:-1]
    fields: list[str] = []
    ended = False
    for i, ln in enumerate(lines[:500]):
        if not ln.strip():
            ended = True
            break
        if ln[0] in " \t":
            if i == 0:
                return None
            continue
        m = _FIELD.match(ln)
        if m is None:
            return None
        fields.append(m.group(1).lower())
    if not ended and len(lines) > 500:
        return None
    known = {f for f in fields if f in _KNOWN}
    if len(known) >= 2 and known & _STRONG:
        return "eml"
    return None


def _decode_header(raw: str) -> str:
    """An RFC 2047-encoded header value as text; a value that does not decode stays as written."""
    try:
        return str(email.header.make_header(email.header.decode_header(raw)))
    except (email.errors.HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return raw


def _decode_text(data: bytes, charset: str | None) -> str:
    for enc in (charset, "utf-8", "cp1252"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _safe_filename(name: str | None, n: int) -> str:
    """The attachment's file name for locations; one that may hold an address or an ID number
    is replaced by its position."""
    if not name or _RISKY_NAME.search(name):
        return f"attachment {n}"
    return name.replace("\\", "/").rsplit("/", 1)[-1] or f"attachment {n}"


class EmailReader:
    """Saved e-mail messages: address headers, subject, body parts, attachments."""

    id = "eml"

    def sniff(self, source: Source) -> str | None:
        return sniff_eml(source)

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        if source.size > MAX_EML_BYTES:
            raise LimitExceeded(
                f"the message is {source.size:,} bytes, over the limit of {MAX_EML_BYTES:,} bytes"
            )
        with source.path.open("rb") as fh:
            msg = email.message_from_binary_file(fh, policy=policy.default)
        yield from _Message(source).items(msg, prefix="", depth=0)


class _Message:
    def __init__(self, source: Source) -> None:
        self.source = source
        self.attachments = 0
        self.parts = 0

    def _loc(self, where: str, surface: Surface) -> Location:
        return Location(self.source.display, surface, where, self.source.member)

    def items(self, msg: Message, *, prefix: str, depth: int) -> Iterator[ReadItem]:
        inner = Surface.ATTACHMENT if depth else Surface.VISIBLE
        for name, raw in msg.raw_items():
            low = name.lower()
            if low not in {h.lower() for h in ADDRESS_HEADERS} and low != "subject":
                continue
            value = _decode_header(str(raw)).strip()
            if not value:
                continue
            canon = name.title()
            if low == "subject":
                yield TextPart(value, self._loc(f"{prefix}header Subject", inner), "subject")
            else:
                ctx = "author" if low in _AUTHOR_HEADERS else low
                yield TextPart(value, self._loc(f"{prefix}header {canon}", Surface.METADATA), ctx)
        yield from self._body(msg, prefix=prefix, depth=depth, surface=inner)

    def _body(
        self, msg: Message, *, prefix: str, depth: int, surface: Surface
    ) -> Iterator[ReadItem]:
        stack: list[tuple[Message, str]] = [(msg, "1")]
        while stack:
            part, number = stack.pop()
            self.parts += 1
            if self.parts > _MAX_PARTS:
                raise LimitExceeded(f"the message has more than {_MAX_PARTS:,} MIME parts")
            ctype = part.get_content_type()
            if ctype == "multipart/encrypted" or (
                ctype in ("application/pkcs7-mime", "application/x-pkcs7-mime")
                and "enveloped" in str(part.get_param("smime-type") or "enveloped").lower()
            ):
                raise EncryptedFile(f"the message body (MIME part {number}) is encrypted")
            if ctype == "message/rfc822":
                yield from self._attached_message(part, number, prefix, depth)
                continue
            if part.is_multipart():
                children = part.get_payload()
                if not isinstance(children, list):
                    raise CorruptFile(f"MIME part {number} is multipart but holds no parts")
                stack.extend(
                    (child, f"{number}.{i}") for i, child in reversed(list(enumerate(children, 1)))
                )
                continue
            yield from self._leaf(part, number, prefix, surface)

    def _leaf(
        self, part: Message, number: str, prefix: str, surface: Surface
    ) -> Iterator[ReadItem]:
        ctype = part.get_content_type()
        try:
            filename = part.get_filename()
        except (email.errors.HeaderParseError, IndexError, ValueError):
            filename = None
        disposition = part.get_content_disposition()
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        is_body_text = ctype in ("text/plain", "text/html") and disposition != "attachment"
        if filename is None and is_body_text:
            charset = part.get_content_charset()
            if ctype == "text/html":
                where = f"{prefix}body part {number} (HTML), "
                for item in html_items(data, self.source, where_prefix=where, charset=charset):
                    if surface is not Surface.VISIBLE:
                        item = _resurface(item, surface)
                    yield item
                return
            text = _decode_text(data, charset).strip()
            if text:
                yield TextPart(text, self._loc(f"{prefix}body part {number}", surface), "body")
            return
        if not data:
            return
        self.attachments += 1
        name = _safe_filename(filename, self.attachments)
        yield EmbeddedFile(name=f"{prefix}{name}", data=data, surface=Surface.ATTACHMENT)

    def _attached_message(
        self, part: Message, number: str, prefix: str, depth: int
    ) -> Iterator[ReadItem]:
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, Message):
            raise CorruptFile(f"MIME part {number} is an attached message that cannot be read")
        if depth + 1 > _MAX_NESTED:
            raise LimitExceeded(
                f"messages are attached inside messages more than {_MAX_NESTED} deep"
            )
        self.attachments += 1
        yield from self.items(
            inner, prefix=f"{prefix}attached message {self.attachments}, ", depth=depth + 1
        )


def _resurface(item: ReadItem, surface: Surface) -> ReadItem:
    """Visible content of an attached message takes the attachment's surface."""
    if isinstance(item, NotInspected):
        return NotInspected(replace(item.location, surface=surface), item.reason)
    if isinstance(item, EmbeddedFile) or item.location.surface is not Surface.VISIBLE:
        return item
    item.location = replace(item.location, surface=surface)
    return item


__all__ = ["MAX_EML_BYTES", "EmailReader", "sniff_eml"]
