"""ArchiveReader: sniffing, members, names, and every hostile archive bounded by Limits."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from spillguard.errors import CorruptFile, EncryptedFile, LimitExceeded, ReadError
from spillguard.model import EmbeddedFile, NotInspected, Surface, TextPart
from spillguard.readers.archive import ArchiveReader, is_tar_header, safe_member_name
from spillguard.readers.base import Limits, Source
from tests import builders, builders_archive

READER = ArchiveReader()


@dataclass
class Member:
    name: str
    data: bytes
    path: Path
    surface: Surface


def _source(path: Path, *, limits: Limits | None = None, member: str | None = None) -> Source:
    src = Source.from_path(path, limits=limits)
    src.member = member
    return src


def _read(
    path: Path, *, limits: Limits | None = None
) -> tuple[list[Member], list[NotInspected], list[TextPart]]:
    """Read like the scanner does: each member's file is consumed while the reader waits."""
    src = _source(path, limits=limits)
    kind = READER.sniff(src)
    assert kind is not None
    members: list[Member] = []
    notes: list[NotInspected] = []
    texts: list[TextPart] = []
    for item in READER.read(src, kind):
        if isinstance(item, EmbeddedFile):
            assert item.path is not None
            members.append(Member(item.name, item.path.read_bytes(), item.path, item.surface))
        elif isinstance(item, NotInspected):
            notes.append(item)
        elif isinstance(item, TextPart):
            texts.append(item)
    return members, notes, texts


def _error(path: Path, *, limits: Limits | None = None) -> ReadError:
    with pytest.raises(ReadError) as info:
        _read(path, limits=limits)
    return info.value


# -- sniffing --------------------------------------------------------------------------------------
def _write_variants(tmp: Path) -> dict[str, Path]:
    csv = builders_archive.records_csv_bytes(5, seed=1)
    out = {}
    z = tmp / "a.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("r.csv", csv)
    out["zip"] = z
    t = tmp / "a.tar"
    with tarfile.open(t, "w") as tf:
        info = tarfile.TarInfo("r.csv")
        info.size = len(csv)
        tf.addfile(info, io.BytesIO(csv))
    out["tar"] = t
    (tmp / "a.tar.gz").write_bytes(gzip.compress(t.read_bytes()))
    out["tar.gz"] = tmp / "a.tar.gz"
    (tmp / "a.tar.bz2").write_bytes(bz2.compress(t.read_bytes()))
    out["tar.bz2"] = tmp / "a.tar.bz2"
    (tmp / "a.tar.xz").write_bytes(lzma.compress(t.read_bytes()))
    out["tar.xz"] = tmp / "a.tar.xz"
    (tmp / "r.csv.gz").write_bytes(gzip.compress(csv))
    out["gzip"] = tmp / "r.csv.gz"
    (tmp / "r.csv.bz2").write_bytes(bz2.compress(csv))
    out["bzip2"] = tmp / "r.csv.bz2"
    (tmp / "r.csv.xz").write_bytes(lzma.compress(csv))
    out["xz"] = tmp / "r.csv.xz"
    return out


def test_sniff_recognises_each_format_from_content(tmp_path: Path) -> None:
    for kind, path in _write_variants(tmp_path).items():
        renamed = path.with_name(f"{kind.replace('.', '-')}.dat")
        path.rename(renamed)
        assert READER.sniff(_source(renamed)) == kind


def test_every_format_yields_the_csv(tmp_path: Path) -> None:
    expected = builders_archive.records_csv_bytes(5, seed=1)
    for kind, path in _write_variants(tmp_path).items():
        members, notes, _ = _read(path)
        assert notes == [], kind
        assert [m.data for m in members] == [expected], kind
        assert all(m.surface is Surface.VISIBLE for m in members)
        name = "r.csv"
        assert [m.name for m in members] == [name], kind


def test_sniff_leaves_office_files_and_non_archives_alone(tmp_path: Path) -> None:
    wb = tmp_path / "stats.zip"  # a workbook under a misleading name: still a workbook
    builders.detention_workbook(wb, n=5)
    assert READER.sniff(_source(wb)) is None
    odt = tmp_path / "letter.bin"
    with zipfile.ZipFile(odt, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    assert READER.sniff(_source(odt)) is None
    fake = tmp_path / "report.xlsx"  # a plain zip named like a workbook belongs to the xlsx reader
    with zipfile.ZipFile(fake, "w") as zf:
        zf.writestr("notes.txt", "hello")
    assert READER.sniff(_source(fake)) is None
    assert READER.sniff(_source(fake, member="x/report.zip")) == "zip"
    epub = tmp_path / "book.epub"  # a zip no other reader handles is an archive
    with zipfile.ZipFile(epub, "w") as zf:
        zf.writestr("mimetype", "application/epub+zip")
        zf.writestr("OEBPS/ch1.xhtml", "<html/>")
    assert READER.sniff(_source(epub)) == "zip"
    csv = tmp_path / "r.csv"
    builders.records_csv(csv, 5)
    assert READER.sniff(_source(csv)) is None
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 4)
    assert READER.sniff(_source(blob)) is None


def test_tar_header_check() -> None:
    assert not is_tar_header(b"")
    assert not is_tar_header(b"x" * 512)
    assert not is_tar_header(bytes(512))
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tf:
        info = tarfile.TarInfo("notes.txt")
        info.size = 3
        tf.addfile(info, io.BytesIO(b"abc"))
    # an old (v7) header: no ustar magic, only the checksum says it is tar
    block = bytearray(buf.getvalue())
    block[257:265] = bytes(8)
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\x00 " % sum(block[:512])
    v7 = bytes(block)
    assert is_tar_header(v7)
    damaged = bytearray(v7)
    damaged[5] ^= 0x20
    assert not is_tar_header(bytes(damaged))


# -- members and names -----------------------------------------------------------------------------
def test_zip_members_and_their_names(tmp_path: Path) -> None:
    path = tmp_path / "release.zip"
    builders_archive.records_zip(path, n=12)
    members, notes, texts = _read(path)
    assert notes == []
    assert [m.name for m in members] == ["data/2022/summary.csv", "data/2022/detainees.csv"]
    assert members[1].data == builders_archive.records_csv_bytes(12, seed=20)
    assert len(texts) == 1
    assert texts[0].text.splitlines() == ["data/2022/summary.csv", "data/2022/detainees.csv"]
    assert texts[0].location.where == "names of the archive's members"


def test_member_files_are_removed_once_read(tmp_path: Path) -> None:
    path = tmp_path / "release.zip"
    builders_archive.records_zip(path, n=3)
    members, _, _ = _read(path)
    assert members
    assert not any(m.path.exists() for m in members)
    assert not members[0].path.parent.exists()  # the reader's temporary directory is gone


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("data/records.csv", "data/records.csv"),
        ("../../etc/passwd", "etc/passwd"),
        ("/etc/shadow", "etc/shadow"),
        ("C:\\Windows\\system.ini", "Windows/system.ini"),
        ("a/./b/../c.txt", "a/b/c.txt"),
        ("report\x1b[2J.csv", "report?[2J.csv"),
        ("invoice\u202egpj.exe", "invoice?gpj.exe"),
        ("line\nbreak.txt", "line?break.txt"),
        ("..", "(member 4 without a name)"),
    ],
)
def test_safe_member_name(raw: str, shown: str) -> None:
    assert safe_member_name(raw, 3) == shown


def test_traversal_tar_is_read_safely(tmp_path: Path) -> None:
    path = tmp_path / "t.tar"
    built = builders_archive.traversal_tar(path)
    work = tmp_path / "work"
    work.mkdir()
    members, notes, texts = _read(path)
    assert [m.name for m in members] == list(built.members)
    tmp_dirs = {m.path.parent for m in members}
    assert len(tmp_dirs) == 1
    assert all(m.path.name.startswith("member-") for m in members)
    assert not (tmp_path / "etc").exists()
    reasons = {n.location.where: n.reason for n in notes}
    assert set(reasons) == {"shadow-link", "hard-link", "dev/sda"}
    assert "symbolic link" in reasons["shadow-link"]
    assert "hard link" in reasons["hard-link"]
    assert "device" in reasons["dev/sda"]
    for n in notes:
        assert "/etc/" not in n.reason  # link targets are not quoted
    assert "../" not in texts[0].text


def test_zip_symlink_is_noted_not_followed(tmp_path: Path) -> None:
    path = tmp_path / "links.zip"
    link = builders_archive.raw_member("latest", b"/etc/passwd")
    link.create_system = 3
    link.external_attr = (0o120777 << 16) & 0xFFFFFFFF
    builders_archive.write_raw_zip(path, [link, builders_archive.raw_member("a.txt", b"hello")])
    members, notes, _ = _read(path)
    assert [m.name for m in members] == ["a.txt"]
    assert [n.location.where for n in notes] == ["latest"]
    assert "symbolic link" in notes[0].reason


def test_empty_archives_yield_nothing(tmp_path: Path) -> None:
    z = tmp_path / "empty.zip"
    with zipfile.ZipFile(z, "w"):
        pass
    t = tmp_path / "empty.tar"
    with tarfile.open(t, "w"):
        pass
    for path in (z, t):
        assert _read(path) == ([], [], [])


def test_gzip_header_name_and_comment(tmp_path: Path) -> None:
    path = tmp_path / "upload.bin"
    builders_archive.gzip_csv(path, n=3, inner="exports/people.csv")
    members, _, texts = _read(path)
    assert [m.name for m in members] == ["people.csv"]
    plain = tmp_path / "people.csv.gz"
    plain.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    assert [m.name for m in _read(plain)[0]] == ["people.csv"]
    # a gzip comment (FCOMMENT) is metadata a reader never sees
    body = gzip.compress(b"a,b\n1,2\n", mtime=0)
    header = bytearray(body[:10])
    header[3] |= 0x10
    commented = bytes(header) + b"call Ana on 555\x00" + body[10:]
    c = tmp_path / "c.gz"
    c.write_bytes(commented)
    members, _, texts = _read(c)
    assert [t.text for t in texts] == ["call Ana on 555"]
    assert texts[0].location.surface is Surface.METADATA


def test_multi_member_gzip_is_read_whole(tmp_path: Path) -> None:
    data = builders_archive.records_csv_bytes(20, seed=3)
    half = len(data) // 2
    path = tmp_path / "r.csv.gz"
    path.write_bytes(gzip.compress(data[:half]) + gzip.compress(data[half:]) + bytes(1024))
    members, _, _ = _read(path)
    assert members[0].data == data


# -- damaged and hostile input ---------------------------------------------------------------------
def test_truncated_zip(tmp_path: Path) -> None:
    full = tmp_path / "full.zip"
    builders_archive.records_zip(full, n=200)
    data = full.read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[: len(data) // 2])
    exc = _error(cut)
    assert isinstance(exc, CorruptFile)
    assert "damaged or truncated" in str(exc)


def test_damaged_member_data(tmp_path: Path) -> None:
    path = tmp_path / "bad.zip"
    m = builders_archive.raw_member("r.csv", builders_archive.records_csv_bytes(50, seed=4))
    m.data = m.data[:100] + bytes(50) + m.data[150:]
    builders_archive.write_raw_zip(path, [m])
    exc = _error(path)
    assert isinstance(exc, CorruptFile)
    assert "r.csv" in str(exc)


def test_encrypted_zip(tmp_path: Path) -> None:
    path = tmp_path / "locked.zip"
    builders_archive.encrypted_zip(path, password=b"s3cret", n=4)
    with zipfile.ZipFile(path) as zf:  # the builder writes real ZipCrypto
        assert zf.read("records.csv", pwd=b"s3cret") == builders_archive.records_csv_bytes(
            4, seed=26
        )
    exc = _error(path)
    assert isinstance(exc, EncryptedFile)
    assert "1 encrypted" in str(exc)


def test_zip_bomb_is_refused_from_its_directory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    builders_archive.zip_bomb(path)
    assert path.stat().st_size < 2 * 1024**2
    exc = _error(path)
    assert isinstance(exc, LimitExceeded)
    assert "zeros-0.bin" in str(exc)
    assert "zip bomb" in str(exc)


def test_zip_bomb_with_lying_sizes_stops_at_the_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "liar.zip"
    builders_archive.lying_bomb_zip(path)
    exc = _error(path)
    assert isinstance(exc, CorruptFile)
    assert "declared sizes are wrong" in str(exc)


def test_declared_part_size_is_checked_before_decompressing(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    builders_archive.zip_bomb(path, size=64 * 1024**2)
    exc = _error(path, limits=Limits(max_compression_ratio=1e9, max_part_bytes=16 * 1024**2))
    assert isinstance(exc, LimitExceeded)
    assert "declares 67,108,864 bytes" in str(exc)


def test_ratio_is_checked_on_real_bytes(tmp_path: Path) -> None:
    """A member that declares a modest ratio but inflates far more is stopped as it inflates."""
    size = 64 * 1024**2
    path = tmp_path / "understated.zip"
    data = builders_archive.zeros_deflated(size)
    padded = data + bytes(size // 10 - len(data))  # directory says ratio 10; the stream is ~1000
    member = builders_archive.RawMember("z.bin", padded, builders_archive.zeros_crc(size), size)
    builders_archive.write_raw_zip(path, [member])
    exc = _error(path)
    assert isinstance(exc, LimitExceeded)
    assert "the zip member z.bin expands more than 200 times" in str(exc)


def test_data_hidden_past_the_declared_size(tmp_path: Path) -> None:
    path = tmp_path / "short.zip"
    builders_archive.short_declared_zip(path)
    with zipfile.ZipFile(path) as zf:  # zipfile alone would read a tenth of the table, quietly
        assert len(zf.read("records.csv")) < len(builders_archive.records_csv_bytes(30, seed=24))
    exc = _error(path)
    assert isinstance(exc, CorruptFile)
    assert "declared sizes are wrong" in str(exc)


def test_member_count_limit(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(30):
            zf.writestr(f"f{i}.txt", b"x")
    exc = _error(path, limits=Limits(max_members=20))
    assert isinstance(exc, LimitExceeded)
    assert "30 members" in str(exc)
    t = tmp_path / "many.tar"
    with tarfile.open(t, "w") as tf:
        for i in range(30):
            info = tarfile.TarInfo(f"f{i}.txt")
            info.size = 1
            tf.addfile(info, io.BytesIO(b"x"))
    exc = _error(t, limits=Limits(max_members=20))
    assert isinstance(exc, LimitExceeded)


def test_overlapping_zip_members(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    builders_archive.write_raw_zip(
        good, [builders_archive.raw_member(n, b"same data " * 50) for n in ("a", "b")]
    )
    data = bytearray(good.read_bytes())
    # point the second directory entry at the first member's data
    second = data.rfind(b"PK\x01\x02")
    data[second + 42 : second + 46] = (0).to_bytes(4, "little")
    bad = tmp_path / "overlap.zip"
    bad.write_bytes(bytes(data))
    exc = _error(bad)
    assert isinstance(exc, CorruptFile)


def test_gzip_bomb_is_stopped_by_the_ratio(tmp_path: Path) -> None:
    path = tmp_path / "zeros.gz"
    builders_archive.gzip_bomb(path)  # 10 GiB of zeros in about 10 MB
    assert path.stat().st_size < 20 * 1024**2
    exc = _error(path)
    assert isinstance(exc, LimitExceeded)
    assert "times" in str(exc)


def test_gzip_bomb_is_stopped_by_the_byte_cap(tmp_path: Path) -> None:
    path = tmp_path / "zeros.gz"
    builders_archive.gzip_bomb(path, total=256 * 1024**2, block=64 * 1024**2)
    limits = Limits(max_compression_ratio=1e9, max_part_bytes=100 * 1024**2)
    exc = _error(path, limits=limits)
    assert isinstance(exc, LimitExceeded)
    assert "104,857,600 bytes" in str(exc)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_truncated_stream(tmp_path: Path, compress: object) -> None:
    assert callable(compress)
    data = compress(builders_archive.records_csv_bytes(100, seed=5))
    path = tmp_path / "cut.csv.z"
    path.write_bytes(data[: len(data) * 2 // 3])
    exc = _error(path)
    assert isinstance(exc, CorruptFile)
    assert "truncated" in str(exc) or "corrupt" in str(exc)


def test_garbage_after_a_gzip_stream(tmp_path: Path) -> None:
    path = tmp_path / "tail.gz"
    path.write_bytes(gzip.compress(b"a,b\n1,2\n") + b"PK\x03\x04 appended data")
    exc = _error(path)
    assert isinstance(exc, CorruptFile)
    assert "after the end" in str(exc)


def test_truncated_and_damaged_tar(tmp_path: Path) -> None:
    full = tmp_path / "full.tar"
    csv = builders_archive.records_csv_bytes(100, seed=6)
    with tarfile.open(full, "w") as tf:
        for name in ("a.csv", "b.csv"):
            info = tarfile.TarInfo(name)
            info.size = len(csv)
            tf.addfile(info, io.BytesIO(csv))
    data = full.read_bytes()
    cut = tmp_path / "cut.tar"
    cut.write_bytes(data[: 512 + len(csv) // 2])
    assert isinstance(_error(cut), CorruptFile)
    # a damaged second header: tarfile would stop quietly there; the reader must not
    second = 512 + ((len(csv) + 511) // 512) * 512
    broken = bytearray(data)
    broken[second + 148 : second + 156] = b"9999999\x00"
    bad = tmp_path / "bad.tar"
    bad.write_bytes(bytes(broken))
    exc = _error(bad)
    assert isinstance(exc, CorruptFile)
    assert "cannot be read as tar members" in str(exc)


def test_tar_total_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.tar"
    with tarfile.open(path, "w") as tf:
        for i in range(4):
            info = tarfile.TarInfo(f"{i}.bin")
            info.size = 300_000
            tf.addfile(info, io.BytesIO(bytes(300_000)))
    exc = _error(path, limits=Limits(max_total_uncompressed=1_000_000))
    assert isinstance(exc, LimitExceeded)
    exc = _error(path, limits=Limits(max_part_bytes=100_000))
    assert isinstance(exc, LimitExceeded)
    assert "0.bin" in str(exc)
