"""Never the second leak, for archives and images: plant values, scan, grep both report formats.

Values are planted in archive members (zip, tar.gz, gzip, a tar with traversal names), in broken
archives whose error messages must stay content-free (encrypted, sizes that lie, truncated), and in
image metadata (EXIF GPS and Artist, PNG text, IPTC and XMP).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from spillguard.model import Report
from spillguard.reports.jsonfmt import JsonReporter
from spillguard.reports.text import TextReporter
from tests import builders, builders_archive
from tests.e2e.test_archive_scan import scan
from tests.e2e.test_no_second_leak import _leaks, _secrets

STAFF = {
    "artist": "Marisol Quintero",
    "png": "Oluwaseun Adebayo-Lindqvist",
    "byline": "Keanu Makoa",
    "creator": "Dalia Haddad",
    "caption": "Ximena Etxeberria at the Alder Street shelter",
}
GPS = {"38.897700", "-77.036500", "38.8977", "77.0365", "51.503400", "-0.127600"}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], set[str]]:
    root = tmp_path_factory.mktemp("planted-archive")
    secrets: set[str] = set()
    files: list[Path] = []

    def add(path: Path, n: int, seed: int) -> None:
        files.append(path)
        secrets.update(_secrets(builders.person_records(n, seed=seed)))

    builders_archive.records_zip(root / "release.zip", n=60, seed=20)
    add(root / "release.zip", 60, 20)
    builders_archive.tar_gz_with_hidden_sheet(root / "release.tar.gz", n=40, seed=21, tmp=root)
    add(root / "release.tar.gz", 40, 21)
    builders_archive.gzip_csv(root / "export.csv.gz", n=50, seed=23)
    add(root / "export.csv.gz", 50, 23)
    builders_archive.traversal_tar(root / "t.tar", n=12, seed=27)
    add(root / "t.tar", 12, 27)
    builders_archive.encrypted_zip(root / "locked.zip", n=10, seed=26)
    add(root / "locked.zip", 10, 26)
    builders_archive.short_declared_zip(root / "short.zip", n=30, seed=24)
    add(root / "short.zip", 30, 24)
    full = root / "release.zip"
    (root / "cut.zip").write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    files.append(root / "cut.zip")
    builders_archive.gps_photo(root / "visit.jpg", artist=STAFF["artist"])
    builders_archive.png_with_author(root / "plan.png", author=STAFF["png"])
    builders_archive.jpeg_with_iptc_xmp(
        root / "press.jpg",
        byline=STAFF["byline"],
        caption=STAFF["caption"],
        creator=STAFF["creator"],
    )
    builders_archive.truncated_jpeg(root / "cut.jpg")
    files += [root / "visit.jpg", root / "plan.png", root / "press.jpg", root / "cut.jpg"]
    secrets |= set(STAFF.values()) | GPS
    return files, secrets


def test_no_planted_value_in_reports_or_logs(
    planted: tuple[list[Path], set[str]], caplog: pytest.LogCaptureFixture
) -> None:
    files, secrets = planted
    caplog.set_level(logging.DEBUG, logger="spillguard")
    results = [scan(p) for p in files]
    verdicts = {r.path.rsplit("/", 1)[-1]: r.verdict.value for r in results}
    # the test only means something if the files were read and found
    assert verdicts["release.zip"] == "block"
    assert verdicts["release.tar.gz"] == "block"
    assert verdicts["locked.zip"] == "error"
    assert verdicts["short.zip"] == "error"
    assert verdicts["cut.jpg"] == "error"
    assert sum(len(r.findings) for r in results) > 20
    assert any(f.entity == "GPS_COORDINATES" for r in results for f in r.findings)
    report = Report(version="x", files=results)
    for reporter in (TextReporter(), JsonReporter()):
        buf = io.StringIO()
        reporter.render(report, buf)
        out = buf.getvalue()
        assert len(out) > 1000
        assert _leaks(out, secrets) == []
    assert _leaks(caplog.text, secrets) == []
    for r in results:
        assert _leaks(r.error or "", secrets) == []
