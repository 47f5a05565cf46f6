"""OLE compound files that are not workbooks: encrypted OOXML, legacy Word/PowerPoint, others."""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto.format.ooxml
import openpyxl
import pytest
from xlwt import CompoundDoc

from spillguard.errors import CorruptFile, EncryptedFile, UnsupportedFormat
from spillguard.readers.base import Source
from spillguard.readers.calamine_other import XlsOdsReader
from spillguard.readers.ole import OleReader, classify_cfb

OLE = OleReader()
XLS = XlsOdsReader()


def _cfb_with_stream(name: str) -> bytes:
    """A valid CFB holding one stream called `name` (xlwt writes "Workbook"; rename it).

    A directory entry holds its name as UTF-16LE in 64 bytes followed by the byte length
    (terminating NUL included), so any name up to 31 characters fits in place.
    """
    out = io.BytesIO()
    CompoundDoc.XlsDoc().save(out, b"\x00" * 5000)
    data = bytearray(out.getvalue())
    old = "Workbook".encode("utf-16-le")
    at = data.index(old)
    encoded = name.encode("utf-16-le")
    assert len(encoded) <= 62
    data[at : at + 64] = encoded + b"\x00" * (64 - len(encoded))
    data[at + 64 : at + 66] = (len(encoded) + 2).to_bytes(2, "little")
    return bytes(data)


def _source(path: Path, data: bytes) -> Source:
    path.write_bytes(data)
    return Source.from_path(path)


def test_encrypted_ooxml(tmp_path: Path) -> None:
    plain = tmp_path / "plain.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Name", "A-number"])
    ws.append(["Jane Roe", "A012345678"])
    wb.save(plain)
    encrypted = io.BytesIO()
    with plain.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("s3cret-pass", encrypted)
    source = _source(tmp_path / "locked.xlsx", encrypted.getvalue())
    assert XLS.sniff(source) is None
    assert OLE.sniff(source) == "encrypted-ooxml"
    with pytest.raises(EncryptedFile) as err:
        list(OLE.read(source, "encrypted-ooxml"))
    assert str(err.value) == (
        "the file is encrypted with a password (an encrypted Office document); its content "
        "cannot be inspected"
    )


@pytest.mark.parametrize(
    ("stream", "kind"), [("WordDocument", "doc"), ("PowerPoint Document", "ppt")]
)
def test_legacy_word_and_powerpoint(tmp_path: Path, stream: str, kind: str) -> None:
    source = _source(tmp_path / "legacy.bin", _cfb_with_stream(stream))
    assert XLS.sniff(source) is None
    assert OLE.sniff(source) == kind
    with pytest.raises(UnsupportedFormat, match="legacy Word/PowerPoint binary files"):
        list(OLE.read(source, kind))


def test_unknown_cfb(tmp_path: Path) -> None:
    source = _source(tmp_path / "thing.dat", _cfb_with_stream("Contents"))
    assert XLS.sniff(source) is None
    assert OLE.sniff(source) == "cfb"
    with pytest.raises(UnsupportedFormat, match="unrecognised application"):
        list(OLE.read(source, "cfb"))


def test_truncated_cfb(tmp_path: Path) -> None:
    data = _cfb_with_stream("Contents")
    source = _source(tmp_path / "cut.dat", data[:700])
    assert OLE.sniff(source) == "cfb"
    with pytest.raises(CorruptFile, match="damaged or truncated"):
        list(OLE.read(source, "cfb"))


def test_not_cfb_is_not_claimed(tmp_path: Path) -> None:
    source = _source(tmp_path / "x.doc", b"PK\x03\x04" + b"\x00" * 100)
    assert OLE.sniff(source) is None


def test_classify() -> None:
    assert classify_cfb(["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces/Version"]) == (
        "encrypted-ooxml"
    )
    assert classify_cfb(["__substg1.0_0037001F", "__properties_version1.0"]) == "msg"
    assert classify_cfb(["Contents"]) == "cfb"
