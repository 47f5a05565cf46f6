"""E-mail reader: sniffing, headers, bodies, attachments, encrypted messages."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from spillguard.errors import EncryptedFile
from spillguard.model import EmbeddedFile, Surface, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.email import EmailReader

READER = EmailReader()


def _src(tmp_path: Path, content: str | bytes, name: str = "m.eml") -> Source:
    p = tmp_path / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8")
    else:
        p.write_bytes(content)
    return Source.from_path(p)


def _read(tmp_path: Path, msg: EmailMessage) -> list[ReadItem]:
    src = _src(tmp_path, msg.as_bytes())
    assert READER.sniff(src) == "eml"
    return list(READER.read(src, "eml"))


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Ana Ruiz <ana.ruiz@example.org>"
    msg["To"] = "Bo Li <bo.li@example.com>, cy@example.net"
    msg["Cc"] = "records@agency.gov"
    msg["Subject"] = "Case of José Pérez"
    msg["Date"] = "Tue, 01 Nov 2022 10:00:00 +0000"
    return msg


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("From: a@b.org\nTo: c@d.org\nSubject: hi\n\nbody\n", "eml"),
        ("Received: from x by y\n\tid 1\nMessage-ID: <1@x>\nSubject: s\n\nbody", "eml"),
        ("Subject: hi\nTitle: x\n\nbody\n", None),  # no field only mail has
        ("name: Ana\nphone: 1\n", None),
        ("Dear Ana,\nFrom: the office\n", None),
        ("name,dob\nAna,1990\n", None),
    ],
)
def test_sniff(tmp_path: Path, content: str, expected: str | None) -> None:
    assert READER.sniff(_src(tmp_path, content)) == expected


def test_headers_subject_and_plain_body(tmp_path: Path) -> None:
    msg = _message()
    msg.set_content("Please review the file of Ana Ruiz.\n")
    items = _read(tmp_path, msg)
    parts = {i.location.where: i for i in items if isinstance(i, TextPart)}
    assert parts["header From"].context == "author"
    assert parts["header From"].location.surface is Surface.METADATA
    assert parts["header To"].text == "Bo Li <bo.li@example.com>, cy@example.net"
    assert parts["header Cc"].context == "cc"
    assert parts["header Subject"].text == "Case of José Pérez"
    assert parts["header Subject"].location.surface is Surface.VISIBLE
    assert parts["body part 1"].text == "Please review the file of Ana Ruiz."


def test_html_body_goes_through_the_html_reader(tmp_path: Path) -> None:
    msg = _message()
    msg.set_content("plain")
    msg.add_alternative(
        '<html><body><p>Hello</p><!-- A123456789 --><div style="display:none">x y</div>'
        "</body></html>",
        subtype="html",
    )
    items = _read(tmp_path, msg)
    comment = next(i for i in items if i.location.surface is Surface.HTML_COMMENT)
    assert isinstance(comment, TextPart)
    assert comment.text == "A123456789"
    assert comment.location.where.startswith("body part 1.2 (HTML), <!-- comment -->")
    assert any(i.location.surface is Surface.HIDDEN_ELEMENT for i in items)


def test_attachments_are_embedded_files(tmp_path: Path) -> None:
    msg = _message()
    msg.set_content("see attached")
    msg.add_attachment(b"name,dob\nAna,1990-01-01\n", maintype="text", subtype="csv",
                       filename="records.csv")  # fmt: skip
    msg.add_attachment(b"%PDF-1.4 ...", maintype="application", subtype="pdf",
                       filename="A123456789 passport.pdf")  # fmt: skip
    items = _read(tmp_path, msg)
    files = [i for i in items if isinstance(i, EmbeddedFile)]
    assert [(f.name, f.surface) for f in files] == [
        ("records.csv", Surface.ATTACHMENT),
        ("attachment 2", Surface.ATTACHMENT),  # a file name holding an ID is not shown
    ]
    assert files[0].data == b"name,dob\nAna,1990-01-01\n"


def test_attached_message_is_read_in_place(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"] = "Cy Tan <cy@example.net>"
    inner["Subject"] = "original"
    inner["Message-ID"] = "<1@x>"
    inner.set_content("inner body")
    msg = _message()
    msg.set_content("forwarding")
    msg.add_attachment(inner)
    items = _read(tmp_path, msg)
    parts = {i.location.where: i for i in items if isinstance(i, TextPart)}
    assert parts["attached message 1, header From"].context == "author"
    inner_body = parts["attached message 1, body part 1"]
    assert inner_body.text == "inner body"
    assert inner_body.location.surface is Surface.ATTACHMENT


def test_encrypted_message_is_an_error(tmp_path: Path) -> None:
    raw = (
        "From: a@b.org\nTo: c@d.org\nSubject: s\nMIME-Version: 1.0\n"
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="B"\n\n'
        "--B\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
        "--B\nContent-Type: application/octet-stream\n\n-----BEGIN PGP MESSAGE-----\nxx\n--B--\n"
    )
    src = _src(tmp_path, raw)
    with pytest.raises(EncryptedFile, match="encrypted"):
        list(READER.read(src, "eml"))


def test_rfc2047_and_broken_headers(tmp_path: Path) -> None:
    raw = (
        "From: =?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jp@example.org>\n"
        "To: =?bogus-charset?q?x?= <x@example.org>\nSubject: s\nMIME-Version: 1.0\n\nbody\n"
    )
    items = list(READER.read(_src(tmp_path, raw), "eml"))
    parts = {i.location.where: i for i in items if isinstance(i, TextPart)}
    assert parts["header From"].text == "José Pérez <jp@example.org>"
    assert "x@example.org" in parts["header To"].text
