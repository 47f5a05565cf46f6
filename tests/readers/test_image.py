"""ImageReader: EXIF (GPS, authors, comments), XMP, IPTC, PNG text, WebP/HEIC boxes; damage."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image

from spillguard.errors import CorruptFile, ReadError
from spillguard.model import NotInspected, Surface, TextPart
from spillguard.readers.base import Source
from spillguard.readers.image import ImageReader
from tests import builders_archive

READER = ImageReader()


def _read(path: Path) -> tuple[dict[str, tuple[str, str]], list[NotInspected]]:
    """{where: (text, context)} and the notes."""
    src = Source.from_path(path)
    kind = READER.sniff(src)
    assert kind is not None
    texts: dict[str, tuple[str, str]] = {}
    notes: list[NotInspected] = []
    for item in READER.read(src, kind):
        if isinstance(item, TextPart):
            assert item.location.surface is Surface.EXIF
            texts[item.location.where] = (item.text, item.context)
        else:
            assert isinstance(item, NotInspected)
            notes.append(item)
    return texts, notes


def test_sniff(tmp_path: Path) -> None:
    for fmt, kind in (
        ("JPEG", "jpeg"),
        ("PNG", "png"),
        ("TIFF", "tiff"),
        ("WEBP", "webp"),
        ("GIF", "gif"),
    ):
        p = tmp_path / f"img.{kind}"
        Image.new("RGB", (8, 8)).save(p, fmt)
        renamed = p.with_suffix(".dat")
        p.rename(renamed)
        assert READER.sniff(Source.from_path(renamed)) == kind
    csv = tmp_path / "a.csv"
    csv.write_text("a,b\n1,2\n")
    assert READER.sniff(Source.from_path(csv)) is None


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP"])
def test_gps_and_artist_from_exif(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / "photo.img"
    builders_archive.gps_photo(path, lat=38.8977, lon=-77.0365, artist="Marisol Quintero", fmt=fmt)
    texts, notes = _read(path)
    assert notes == []
    gps_key = next(k for k in texts if "GPS" in k)
    assert texts[gps_key] == ("GPS 38.897700, -77.036500", "gps")
    artist_key = next(k for k in texts if "Artist" in k)
    assert texts[artist_key] == ("Marisol Quintero", "author")


def test_southern_and_eastern_hemispheres(tmp_path: Path) -> None:
    path = tmp_path / "sydney.jpg"
    builders_archive.gps_photo(path, lat=-33.8568, lon=151.2153)
    texts, _ = _read(path)
    assert texts["EXIF GPS position"][0] == "GPS -33.856800, 151.215300"


def test_owner_and_user_comment(tmp_path: Path) -> None:
    path = tmp_path / "owner.jpg"
    exif = builders_archive.photo_exif(owner="Tomasz Wierzbicki", comment="for the Ruiz file")
    Image.new("RGB", (8, 8)).save(path, "JPEG", exif=exif)
    texts, _ = _read(path)
    assert texts["EXIF CameraOwnerName"] == ("Tomasz Wierzbicki", "author")
    assert texts["EXIF UserComment"] == ("for the Ruiz file", "UserComment")


def test_tiff_artist(tmp_path: Path) -> None:
    path = tmp_path / "scan.tif"
    builders_archive.gps_photo(path, artist="Ines Carvalho", fmt="TIFF")
    texts, _ = _read(path)
    assert texts["EXIF Artist"] == ("Ines Carvalho", "author")


def test_png_text_chunks_also_after_the_image_data(tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    builders_archive.png_with_author(path, author="Oluwaseun Adebayo", late_comment="call 555-0100")
    texts, notes = _read(path)
    assert notes == []
    assert texts["PNG text chunk Author"] == ("Oluwaseun Adebayo", "author")
    assert texts["PNG text chunk Comment"] == ("call 555-0100", "Comment")


def test_png_ztxt_and_exif_chunks(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Description", "visit to the Okafor family", zip=True)
    path = tmp_path / "z.png"
    exif = builders_archive.photo_exif(lat=52.3702, lon=4.8952)
    Image.new("RGB", (8, 8)).save(path, "PNG", pnginfo=info, exif=exif)
    texts, _ = _read(path)
    assert texts["PNG text chunk Description"][0] == "visit to the Okafor family"
    assert texts["EXIF GPS position"][0] == "GPS 52.370200, 4.895200"


def test_iptc_and_xmp(tmp_path: Path) -> None:
    path = tmp_path / "press.jpg"
    builders_archive.jpeg_with_iptc_xmp(
        path, byline="Keanu Makoa", caption="Clinic queue, Ward 4", creator="Dalia Haddad"
    )
    texts, notes = _read(path)
    assert notes == []
    assert texts["IPTC By-line"] == ("Keanu Makoa", "author")
    assert texts["IPTC Caption-Abstract"] == ("Clinic queue, Ward 4", "Caption")
    assert texts["XMP creator"] == ("Dalia Haddad", "author")
    assert texts["XMP description"] == ("Site visit", "description")


def test_clean_photo_has_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.jpg"
    builders_archive.clean_photo(path)
    assert _read(path) == ({}, [])


def test_truncated_jpeg_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "cut.jpg"
    builders_archive.truncated_jpeg(path)
    with pytest.raises(CorruptFile, match="end-of-image marker"):
        _read(path)


def test_damaged_headers_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "bad.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00\x02" + b"\xff\xc0\x00\x03" + bytes(10))
    with pytest.raises(ReadError):
        _read(path)
    png = tmp_path / "cut.png"
    builders_archive.png_with_author(png)
    data = png.read_bytes()
    png.write_bytes(data[: len(data) - 20])
    with pytest.raises(CorruptFile, match="truncated"):
        _read(png)


def test_huge_dimensions_are_not_a_bomb_error(tmp_path: Path) -> None:
    """Pixels are never decoded, so a giant declared size is read for its metadata only."""
    path = tmp_path / "huge.jpg"
    builders_archive.gps_photo(path)
    data = bytearray(path.read_bytes())
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 60000, 60000)  # 3.6 gigapixels declared
    path.write_bytes(bytes(data))
    assert Image.MAX_IMAGE_PIXELS is not None
    assert 2 * Image.MAX_IMAGE_PIXELS < 60000 * 60000
    texts, _ = _read(path)
    assert texts["EXIF GPS position"][0] == "GPS 38.897700, -77.036500"


def test_damaged_gps_is_noted(tmp_path: Path) -> None:
    from PIL.TiffImagePlugin import IFDRational

    exif = builders_archive.photo_exif(lat=10.5, lon=20.5)
    exif.get_ifd(builders_archive.GPS_IFD)[2] = (
        IFDRational(95, 1),
        IFDRational(0, 1),
        IFDRational(0, 1),
    )
    path = tmp_path / "bad-gps.jpg"
    Image.new("RGB", (8, 8)).save(path, "JPEG", exif=exif)
    texts, notes = _read(path)
    assert "EXIF GPS position" not in texts
    assert [n.location.where for n in notes] == ["EXIF GPS position"]


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def heic_with_exif(exif_tiff: bytes) -> bytes:
    """A minimal HEIF file: ftyp, meta (hdlr, iinf with one Exif item, iloc), mdat."""
    ftyp = _box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
    hdlr = _box(b"hdlr", bytes(4) + bytes(4) + b"pict" + bytes(12) + b"\x00")
    infe = _box(b"infe", b"\x02\x00\x00\x00" + struct.pack(">HH", 1, 0) + b"Exif" + b"\x00")
    iinf = _box(b"iinf", bytes(4) + struct.pack(">H", 1) + infe)
    payload = struct.pack(">I", 6) + b"Exif\x00\x00" + exif_tiff

    def build(offset: int) -> bytes:
        iloc = _box(
            b"iloc",
            bytes(4)
            + bytes([0x44, 0x00])
            + struct.pack(">H", 1)
            + struct.pack(">HH", 1, 0)
            + struct.pack(">H", 1)
            + struct.pack(">II", offset, len(payload)),
        )
        meta = _box(b"meta", bytes(4) + hdlr + iinf + iloc)
        return ftyp + meta

    head = build(0)
    head = build(len(head) + 8)
    return head + _box(b"mdat", payload)


def test_heic_exif_without_a_decoder(tmp_path: Path) -> None:
    exif = builders_archive.photo_exif(lat=35.6895, lon=139.6917, artist="Haruka Sato")
    path = tmp_path / "IMG_0001.HEIC"
    tiff = exif.tobytes().removeprefix(b"Exif\x00\x00")
    assert tiff[:2] in (b"II", b"MM")
    path.write_bytes(heic_with_exif(tiff))
    assert READER.sniff(Source.from_path(path)) == "heic"
    texts, notes = _read(path)
    assert notes == []
    assert texts["EXIF GPS position"] == ("GPS 35.689500, 139.691700", "gps")
    assert texts["EXIF Artist"] == ("Haruka Sato", "author")


def test_appended_data_after_png_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "poly.png"
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    path.write_bytes(buf.getvalue() + b"PK\x03\x04 hidden archive")
    texts, notes = _read(path)
    assert texts == {}
    assert len(notes) == 1
    assert "after the end of the image" in notes[0].reason
