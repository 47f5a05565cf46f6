"""Archives and images end to end: scan_file with the readers registered as a plugin would be."""

from __future__ import annotations

from pathlib import Path

import pytest

from spillguard.model import FileResult, Verdict
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.archive import ArchiveReader
from spillguard.readers.base import Reader
from spillguard.readers.image import ImageReader
from spillguard.scanner import Target, scan_file
from tests import builders_archive


class _Plugin:
    @hookimpl
    def spillguard_readers(self) -> list[Reader]:
        return [ArchiveReader(), ImageReader()]


def scan(path: Path) -> FileResult:
    pm = make_plugin_manager(entry_points=False)
    pm.register(_Plugin(), name="archive-image")
    return scan_file(Target(path, str(path)), readers=readers(pm), detectors=detectors(pm))


def _found(fr: FileResult) -> set[str]:
    return {f"{f.surface.value}|{f.member}|{f.entity}" for f in fr.findings}


def test_zip_of_csvs_blocks_and_names_the_member(tmp_path: Path) -> None:
    path = tmp_path / "release.zip"
    built = builders_archive.records_zip(path, n=60)
    fr = scan(path)
    assert fr.error is None
    assert fr.file_type == "zip"
    assert fr.verdict is Verdict.BLOCK
    assert f"visible|{built.members[0]}|A_NUMBER" in _found(fr)
    assert fr.individuals == built.people


def test_tar_gz_with_a_hidden_sheet_keeps_the_surface(tmp_path: Path) -> None:
    path = tmp_path / "release.tar.gz"
    built = builders_archive.tar_gz_with_hidden_sheet(path, n=40, tmp=tmp_path)
    fr = scan(path)
    assert fr.error is None
    assert fr.file_type == "tar.gz"
    assert fr.verdict is Verdict.BLOCK
    assert f"hidden_sheet|{built.members[0]}|A_NUMBER" in _found(fr)
    assert fr.individuals == 40


def test_gzip_csv_blocks(tmp_path: Path) -> None:
    path = tmp_path / "export.csv.gz"
    builders_archive.gzip_csv(path, n=50)
    fr = scan(path)
    assert fr.verdict is Verdict.BLOCK
    assert "visible|records.csv|A_NUMBER" in _found(fr)


def test_aggregate_zip_passes(tmp_path: Path) -> None:
    path = tmp_path / "stats.zip"
    builders_archive.aggregate_zip(path)
    fr = scan(path)
    assert fr.verdict is Verdict.PASS, (fr.reasons, _found(fr), fr.not_inspected)


def test_photo_with_gps_has_exif_findings(tmp_path: Path) -> None:
    path = tmp_path / "site-visit.jpg"
    builders_archive.gps_photo(path)
    fr = scan(path)
    assert fr.error is None
    found = _found(fr)
    assert "exif|None|GPS_COORDINATES" in found
    assert "exif|None|PERSON" in found
    assert fr.verdict in (Verdict.WARN, Verdict.BLOCK)


def test_png_author_is_found(tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    builders_archive.png_with_author(path)
    fr = scan(path)
    assert "exif|None|PERSON" in _found(fr)


def test_clean_photo_passes(tmp_path: Path) -> None:
    path = tmp_path / "clean.jpg"
    builders_archive.clean_photo(path)
    fr = scan(path)
    assert fr.verdict is Verdict.PASS
    assert fr.findings == []


def test_photo_inside_a_zip(tmp_path: Path) -> None:
    import zipfile

    photo = tmp_path / "p.jpg"
    builders_archive.gps_photo(photo)
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(photo, "2023/visit/IMG_0042.jpg")
    fr = scan(path)
    assert "exif|2023/visit/IMG_0042.jpg|GPS_COORDINATES" in _found(fr)


@pytest.mark.parametrize(
    ("builder", "kind", "words"),
    [
        ("zip_bomb", "zip", "zip bomb"),
        ("lying_bomb_zip", "zip", "declared sizes are wrong"),
        ("short_declared_zip", "zip", "declared sizes are wrong"),
        ("nested_bomb_zip", "zip", "zip bomb"),
        ("encrypted_zip", "zip", "encrypted"),
        ("gzip_bomb", "gzip", "decompression bomb"),
    ],
)
def test_hostile_archives_are_precise_errors(
    tmp_path: Path, builder: str, kind: str, words: str
) -> None:
    path = tmp_path / "hostile.bin"
    getattr(builders_archive, builder)(path)
    fr = scan(path)
    assert fr.file_type == kind
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert words in fr.error
    assert "internal error" not in fr.error


def test_nested_ten_deep_is_a_depth_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.zip"
    builders_archive.nested_zip(path, depth=10)
    fr = scan(path)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "nested" in fr.error
    assert "level" in fr.error  # names the member path where it stopped


def test_nested_within_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.zip"
    builders_archive.nested_zip(path, depth=3)
    fr = scan(path)
    assert fr.verdict is Verdict.BLOCK
    assert "visible|level2.zip/level3.zip/records.csv|A_NUMBER" in _found(fr)


def test_traversal_tar_is_read_with_safe_names(tmp_path: Path) -> None:
    path = tmp_path / "t.tar"
    built = builders_archive.traversal_tar(path)
    fr = scan(path)
    assert fr.error is None
    assert fr.verdict is Verdict.BLOCK
    members = {f.member for f in fr.findings}
    assert set(built.members) <= members
    assert not any(m and ".." in m for m in members)
    assert len(fr.not_inspected) == 3


def test_truncated_archive_and_image(tmp_path: Path) -> None:
    full = tmp_path / "full.zip"
    builders_archive.records_zip(full, n=100)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(full.read_bytes()[:-200])
    fr = scan(cut)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "damaged or truncated" in fr.error
    jpg = tmp_path / "cut.jpg"
    builders_archive.truncated_jpeg(jpg)
    fr = scan(jpg)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert "end-of-image marker" in fr.error
