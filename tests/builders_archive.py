"""Fixture builders for archives (zip, tar, gzip, bzip2, xz) and images (JPEG, PNG, TIFF, WebP).

Each builder writes a real file in the real format and returns the truth: how many people it
exposes and which surfaces the findings must be on. Hostile builders (zip bombs, lying sizes,
traversal names, ZipCrypto encryption) write the bytes by hand where `zipfile` cannot, and stay
fast and small: a bomb's compressed kernel is made once and repeated, never by compressing
gigabytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import random
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, PngImagePlugin
from PIL.TiffImagePlugin import IFDRational

from tests import builders


@dataclass(frozen=True, slots=True)
class Built:
    """What a builder planted: people exposed, surfaces findings must be on, member paths."""

    people: int
    surfaces: frozenset[str] = frozenset()
    members: tuple[str, ...] = ()
    secrets: frozenset[str] = field(default_factory=frozenset)


def _write_records(buf: io.StringIO, n: int, seed: int) -> None:
    w = csv.writer(buf)
    w.writerow(builders.RECORD_HEADER)
    for r in builders.person_records(n, seed=seed):
        w.writerow(
            [v.isoformat() if hasattr(v, "isoformat") else v for v in builders.record_row(r)]
        )


def records_csv_bytes(n: int, *, seed: int) -> bytes:
    """The CSV `tests.builders.records_csv` writes, as bytes (for archive members)."""
    buf = io.StringIO()
    _write_records(buf, n, seed)
    return buf.getvalue().encode("utf-8")


def aggregate_csv_bytes(*, seed: int) -> bytes:
    """Counts by country and month: nothing personal, small cells included."""
    rng = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf)
    months = ["Oct 2022", "Nov 2022", "Dec 2022", "Jan 2023"]
    w.writerow(["Country of Citizenship", *months, "Total"])
    for country in ("Mexico", "Guatemala", "Honduras", "Ecuador", "Haiti", "Ukraine", "India"):
        vals = [rng.choice((0, 1, 2, 3, 5, 12, 40)) for _ in months]
        w.writerow([country, *vals, sum(vals)])
    return buf.getvalue().encode("utf-8")


# -- leaking archives and clean controls ----------------------------------------------------------
def records_zip(path: Path, *, n: int = 60, seed: int = 20) -> Built:
    """A zip of CSVs: one of person records (blocks), one of aggregate counts."""
    member = "data/2022/detainees.csv"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data/", b"")
        zf.writestr("data/2022/summary.csv", aggregate_csv_bytes(seed=seed))
        zf.writestr(member, records_csv_bytes(n, seed=seed))
    return Built(n, frozenset({"visible"}), (member,))


def aggregate_zip(path: Path, *, seed: int = 22) -> Built:
    """Clean control: a zip of aggregate statistics."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for year in (2021, 2022, 2023):
            zf.writestr(f"stats/{year}/by-country.csv", aggregate_csv_bytes(seed=seed + year))
        zf.writestr("README.txt", b"Monthly book-ins by country of citizenship.\n")
    return Built(0)


def tar_gz_with_hidden_sheet(path: Path, *, n: int = 40, seed: int = 21, tmp: Path) -> Built:
    """A tar.gz holding a workbook whose hidden sheet holds `n` detainees."""
    wb = tmp / "stats.xlsx"
    builders.detention_workbook(wb, n=n, seed=seed)
    member = "release/2022-11/stats.xlsx"
    with tarfile.open(path, "w:gz") as tf:
        tf.add(wb, arcname=member)
        info = tarfile.TarInfo("release/2022-11/NOTES.txt")
        notes = b"Detention statistics, fiscal year 2023.\n"
        info.size = len(notes)
        tf.addfile(info, io.BytesIO(notes))
    return Built(n, frozenset({"hidden_sheet"}), (member,))


def gzip_csv(path: Path, *, n: int = 50, seed: int = 23, inner: str = "records.csv") -> Built:
    """A gzip'd CSV of person records, with the original name in the gzip header."""
    data = records_csv_bytes(n, seed=seed)
    with path.open("wb") as raw, gzip.GzipFile(filename=inner, mode="wb", fileobj=raw) as gz:
        gz.write(data)
    return Built(n, frozenset({"visible"}), (inner,))


# -- raw zip writing (what zipfile cannot write) --------------------------------------------------
@dataclass(slots=True)
class RawMember:
    """One member as it is stored: `data` is the stored (compressed, maybe encrypted) bytes."""

    name: str
    data: bytes
    crc: int
    file_size: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0
    compress_size: int | None = None
    external_attr: int = 0
    create_system: int = 0


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def raw_member(name: str, payload: bytes) -> RawMember:
    return RawMember(name, deflate(payload), zlib.crc32(payload), len(payload))


def write_raw_zip(path: Path, members: Sequence[RawMember]) -> None:
    """A zip written byte by byte (zip64 is not needed: every size here is under 4 GiB)."""
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode("utf-8")
        flags = m.flags | 0x800
        csize = len(m.data) if m.compress_size is None else m.compress_size
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            flags,
            m.method,
            0,
            0x21,
            m.crc,
            csize,
            m.file_size,
            len(name),
            0,
        )
        out += name + m.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (m.create_system << 8) | 20,
            20,
            flags,
            m.method,
            0,
            0x21,
            m.crc,
            csize,
            m.file_size,
            len(name),
            0,
            0,
            0,
            0,
            m.external_attr,
            offset,
        )
        central += name
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))


def zeros_deflated(total: int, *, block: int = 1024 * 1024) -> bytes:
    """A raw deflate stream of `total` zero bytes, made from one compressed block repeated.

    With a full flush after each block the compressor forgets its history, so every block
    compresses to the same bytes: a gigabyte of zeros costs one megabyte of compression.
    """
    assert total % block == 0
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(bytes(block)) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.flush()
    return first + again * (total // block - 1) + tail


def zeros_crc(total: int, *, block: int = 1024 * 1024) -> int:
    crc = 0
    zero = bytes(block)
    for _ in range(total // block):
        crc = zlib.crc32(zero, crc)
    return crc


def zip_bomb(path: Path, *, size: int = 1024**3, members: int = 1) -> Built:
    """`members` entries, each `size` zero bytes deflated (1 GiB -> about 1 MB), sizes declared
    honestly: the directory alone shows the bomb."""
    data = zeros_deflated(size)
    crc = zeros_crc(size)
    write_raw_zip(path, [RawMember(f"zeros-{i}.bin", data, crc, size) for i in range(members)])
    return Built(0)


def lying_bomb_zip(path: Path, *, size: int = 1024**3) -> Built:
    """A bomb that declares itself tiny: 1 GiB of zeros, declared as 1,000 bytes uncompressed."""
    write_raw_zip(path, [RawMember("small.txt", zeros_deflated(size), 0, 1000)])
    return Built(0)


def short_declared_zip(path: Path, *, n: int = 30, seed: int = 24) -> Built:
    """A zip whose member declares fewer bytes than it holds, with a CRC that matches the short
    version: `zipfile` reads the first rows only, other tools show the whole table."""
    payload = records_csv_bytes(n, seed=seed)
    cut = len(payload) // 10
    m = RawMember("records.csv", deflate(payload), zlib.crc32(payload[:cut]), cut)
    write_raw_zip(path, [m])
    return Built(n)


def nested_zip(path: Path, *, depth: int = 10, seed: int = 25) -> Built:
    """A CSV of records inside `depth` zips, one inside the other."""
    data = records_csv_bytes(5, seed=seed)
    name = "records.csv"
    for level in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, data)
        data = buf.getvalue()
        name = f"level{depth - level}.zip"
    path.write_bytes(data)
    return Built(5)


def nested_bomb_zip(path: Path, *, fan: int = 16) -> Built:
    """42.zip-style: a zip of `fan` zips, each holding `fan` members of 256 MiB of zeros."""
    inner = io.BytesIO()
    size = 256 * 1024**2
    data = zeros_deflated(size)
    crc = zeros_crc(size)
    tmp = path.with_suffix(".inner")
    write_raw_zip(tmp, [RawMember(f"{i}.bin", data, crc, size) for i in range(fan)])
    inner.write(tmp.read_bytes())
    tmp.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(fan):
            zf.writestr(f"lib{i}.zip", inner.getvalue())
    return Built(0)


# -- ZipCrypto (traditional PKWARE encryption): enough to write a real encrypted member
def _crc_table() -> list[int]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()


class _ZipCrypto:
    def __init__(self, password: bytes) -> None:
        self.k = [0x12345678, 0x23456789, 0x34567890]
        for b in password:
            self._update(b)

    def _crc(self, crc: int, b: int) -> int:
        return (crc >> 8) ^ _CRC_TABLE[(crc ^ b) & 0xFF]

    def _update(self, b: int) -> None:
        k0, k1, k2 = self.k
        k0 = self._crc(k0, b)
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = self._crc(k2, k1 >> 24)
        self.k = [k0, k1, k2]

    def encrypt(self, data: bytes) -> bytes:
        out = bytearray()
        for p in data:
            t = (self.k[2] | 2) & 0xFFFF
            out.append(p ^ (((t * (t ^ 1)) >> 8) & 0xFF))
            self._update(p)
        return bytes(out)


def encrypted_zip(path: Path, *, password: bytes = b"s3cret", n: int = 10, seed: int = 26) -> Built:
    """A zip with one clear member and one ZipCrypto-encrypted CSV of records."""
    payload = records_csv_bytes(n, seed=seed)
    crc = zlib.crc32(payload)
    rng = random.Random(seed)
    header = bytes(rng.randrange(256) for _ in range(11)) + bytes([crc >> 24])
    data = _ZipCrypto(password).encrypt(header + deflate(payload))
    clear = raw_member("README.txt", b"Password sent separately.\n")
    write_raw_zip(path, [clear, RawMember("records.csv", data, crc, len(payload), flags=0x1)])
    return Built(n)


def traversal_tar(path: Path, *, n: int = 12, seed: int = 27) -> Built:
    """A tar with ../ traversal and absolute member names, a symlink, a hard link and a device."""
    payload = records_csv_bytes(n, seed=seed)
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tf:
        for name in ("../../etc/cron.d/records.csv", "/tmp/abs/records.csv"):
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            tf.addfile(info, io.BytesIO(payload))
        link = tarfile.TarInfo("shadow-link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/shadow"
        tf.addfile(link)
        hard = tarfile.TarInfo("hard-link")
        hard.type = tarfile.LNKTYPE
        hard.linkname = "/etc/passwd"
        tf.addfile(hard)
        dev = tarfile.TarInfo("dev/sda")
        dev.type = tarfile.BLKTYPE
        tf.addfile(dev)
    return Built(n, frozenset({"visible"}), ("etc/cron.d/records.csv", "tmp/abs/records.csv"))


def gzip_bomb(path: Path, *, total: int = 10 * 1024**3, block: int = 64 * 1024**2) -> Built:
    """`total` zero bytes as concatenated gzip members (a valid multi-member gzip file)."""
    member = gzip.compress(bytes(block), compresslevel=9, mtime=0)
    with path.open("wb") as fh:
        for _ in range(total // block):
            fh.write(member)
    return Built(0)


# -- images ---------------------------------------------------------------------------------------
GPS_IFD = 0x8825
EXIF_IFD = 0x8769


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    deg = int(value)
    minutes_f = (value - deg) * 60
    minutes = int(minutes_f)
    seconds = round((minutes_f - minutes) * 60 * 10000)
    return IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 10000)


def photo_exif(
    *,
    lat: float | None = None,
    lon: float | None = None,
    artist: str | None = None,
    owner: str | None = None,
    comment: str | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Synthetic Camera Co."
    exif[0x0110] = "Model 7"
    if artist:
        exif[0x013B] = artist
    if lat is not None and lon is not None:
        gps = exif.get_ifd(GPS_IFD)
        gps[0] = b"\x02\x03\x00\x00"
        gps[1] = "N" if lat >= 0 else "S"
        gps[2] = _dms(lat)
        gps[3] = "E" if lon >= 0 else "W"
        gps[4] = _dms(lon)
    if owner or comment:
        sub = exif.get_ifd(EXIF_IFD)
        if owner:
            sub[0xA430] = owner
        if comment:
            sub[0x9286] = b"ASCII\x00\x00\x00" + comment.encode("ascii")
    return exif


def gps_photo(
    path: Path,
    *,
    lat: float = 38.8977,
    lon: float = -77.0365,
    artist: str = "Marisol Quintero",
    fmt: str = "JPEG",
) -> Built:
    """A photo whose EXIF holds a GPS position and the photographer's name."""
    img = Image.new("RGB", (64, 48), (120, 160, 200))
    img.save(path, fmt, exif=photo_exif(lat=lat, lon=lon, artist=artist))
    return Built(1, frozenset({"exif"}), secrets=frozenset({artist}))


def clean_photo(path: Path) -> Built:
    """Clean control: a photo without any metadata."""
    Image.new("RGB", (64, 48), (30, 90, 40)).save(path, "JPEG")
    return Built(0)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_author(
    path: Path, *, author: str = "Oluwaseun Adebayo-Lindqvist", late_comment: str | None = None
) -> Built:
    """A PNG with a tEXt Author chunk (and, optionally, an iTXt chunk after the image data)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", author)
    info.add_text("Title", "Regional office floor plan")
    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (255, 255, 255)).save(buf, "PNG", pnginfo=info)
    data = buf.getvalue()
    if late_comment is not None:
        iend = data.rindex(b"IEND") - 4
        chunk = _png_chunk(b"iTXt", b"Comment\x00\x00\x00\x00\x00" + late_comment.encode())
        data = data[:iend] + chunk + data[iend:]
    path.write_bytes(data)
    return Built(1, frozenset({"exif"}), secrets=frozenset({author}))


def jpeg_with_iptc_xmp(path: Path, *, byline: str, caption: str, creator: str) -> Built:
    """A JPEG carrying an IPTC By-line and Caption (APP13) and an XMP dc:creator (APP1)."""
    xmp = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        '<rdf:Description rdf:about="">'
        f"<dc:creator><rdf:Seq><rdf:li>{creator}</rdf:li></rdf:Seq></dc:creator>"
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Site visit</rdf:li></rdf:Alt>'
        "</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(buf, "JPEG", xmp=xmp)
    data = buf.getvalue()

    def dataset(num: int, value: str) -> bytes:
        raw = value.encode("utf-8")
        return b"\x1c\x02" + bytes([num]) + struct.pack(">H", len(raw)) + raw

    iptc = b"\x1c\x01\x5a\x00\x03\x1b\x25\x47" + dataset(80, byline) + dataset(120, caption)
    if len(iptc) % 2:
        iptc += b"\x00"
    block = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = b"Photoshop 3.0\x00" + block
    app13 = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(data[:2] + app13 + data[2:])
    return Built(2, frozenset({"exif"}), secrets=frozenset({byline, creator}))


def truncated_jpeg(path: Path) -> Built:
    """A photo with GPS cut off halfway through its image data."""
    buf = io.BytesIO()
    img = Image.effect_noise((128, 128), 60).convert("RGB")
    img.save(buf, "JPEG", exif=photo_exif(lat=51.5034, lon=-0.1276))
    data = buf.getvalue()
    path.write_bytes(data[: len(data) - len(data) // 3])
    return Built(0)
