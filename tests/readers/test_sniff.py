"""Content sniffing: magic numbers, text encodings, zip listings."""

from __future__ import annotations

import codecs
import random
import zipfile
from pathlib import Path

import pytest

from spillguard.readers.sniff import (
    CFB_MAGIC,
    decode_head,
    is_cfb,
    is_zip,
    looks_like_text,
    zip_member_head,
    zip_names,
)

SAMPLE = "Name,Nationality,City\nZoë Müller,German,Köln\nŁukasz Żak,Polish,Łódź\n" * 20


def test_magic_numbers() -> None:
    assert is_zip(b"PK\x03\x04rest")
    assert not is_zip(b"PK\x01\x02")
    assert is_cfb(CFB_MAGIC + b"\x00" * 8)
    assert not is_cfb(b"\xd0\xcf\x11\xe0" + b"\x00" * 4)
    assert not is_zip(b"")
    assert not is_cfb(b"")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SAMPLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "utf-8-sig"),
        (SAMPLE.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"), "utf-16"),
        (SAMPLE.encode("utf-16-le"), "utf-16-le"),
        (SAMPLE.encode("utf-16-be"), "utf-16-be"),
        (SAMPLE.encode("utf-32"), "utf-32"),
    ],
)
def test_unicode_encodings(data: bytes, expected: str) -> None:
    assert looks_like_text(data) == expected
    assert decode_head(data, expected) == SAMPLE


def test_legacy_single_byte_text_decodes_faithfully() -> None:
    text = "Prénom;Nom;Ville\nJérôme;Dupré;Besançon\nRenée;Lefèvre;Nîmes\n" * 30
    data = text.encode("cp1252")
    encoding = looks_like_text(data)
    assert encoding is not None
    assert data.decode(encoding) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Nom;Ville\nJérôme Lefèvre;Besançon;12,50 €\n", "cp1252"),
        ("Año;Calle 1º\nJosé Núñez;¡Olé!\n", "cp1252"),
        ("Name;Straße\nJürgen Müller;Köln\n", "cp1252"),
        ("Imię;Miasto\nŁukasz Żak;Łódź\nżółć gęślą jaźń\n", "cp1250"),
        ("Имя;Город\nИван Петров;Москва\n", "cp1251"),
        ("Όνομα;Πόλη\nΓιώργος Παπαδόπουλος;Αθήνα\n", "cp1253"),
    ],
)
def test_short_legacy_samples(text: str, encoding: str) -> None:
    data = (text * 5).encode(encoding)
    found = looks_like_text(data)
    assert found is not None
    assert data.decode(found) == text * 5


def test_head_cut_inside_a_character_is_still_utf8() -> None:
    data = ("ä" * 100).encode("utf-8")[:-1]
    assert looks_like_text(data) == "utf-8"


def test_binary_is_not_text() -> None:
    rng = random.Random(7)
    junk = bytes(rng.randrange(256) for _ in range(4096))
    assert looks_like_text(junk) is None
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))
    assert looks_like_text(png) is None


def test_nul_riddled_text_that_is_not_utf16_is_binary() -> None:
    data = b"name,id\n" + b"abc\x00\x00\x00def,12\x00\n" * 50
    assert looks_like_text(data) is None


def test_control_characters_mark_binary() -> None:
    data = bytes(range(1, 9)) * 100 + b"some text"
    assert looks_like_text(data) is None


def test_empty_head_is_text() -> None:
    assert looks_like_text(b"") == "utf-8"


def test_zip_names_and_member_head(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("mimetype", "application/x-test")
        for i in range(5):
            zf.writestr(f"dir/f{i}.txt", "x")
    assert zip_names(archive) == ["mimetype"] + [f"dir/f{i}.txt" for i in range(5)]
    assert zip_names(archive, limit=2) == ["mimetype", "dir/f0.txt"]
    assert zip_member_head(archive, "mimetype") == b"application/x-test"
    assert zip_member_head(archive, "missing") is None
    not_zip = tmp_path / "b.zip"
    not_zip.write_bytes(b"PK\x03\x04 but truncated")
    assert zip_names(not_zip) == []
    assert zip_member_head(not_zip, "mimetype") is None
