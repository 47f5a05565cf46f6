"""Embedded files are read recursively, in their place, with the container's surface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from spillguard import FileResult, Surface, Verdict
from spillguard.model import EmbeddedFile
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.base import ReadItem, Source
from spillguard.scanner import Target, scan_file
from tests import builders

MAGIC = b"BUNDLE1\n"


class BundleReader:
    """A test container: MAGIC, then 'name\\n' + the path of a file to embed, one per line."""

    id = "bundle"

    def sniff(self, source: Source) -> str | None:
        return "bundle" if source.head.startswith(MAGIC) else None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        lines = source.path.read_bytes()[len(MAGIC) :].decode().splitlines()
        for line in lines:
            name, _, target = line.partition("=")
            data = Path(target).read_bytes()
            yield EmbeddedFile(name=name, data=data, surface=Surface.ATTACHMENT)


class BundlePlugin:
    @hookimpl
    def spillguard_readers(self) -> list[BundleReader]:
        return [BundleReader()]


def _scan_file(path: Path) -> FileResult:
    pm = make_plugin_manager(entry_points=False)
    pm.register(BundlePlugin(), name="bundle")
    return scan_file(Target(path, str(path)), readers=readers(pm), detectors=detectors(pm))


def _scan(path: Path) -> tuple[Verdict, list[str], str | None]:
    fr = _scan_file(path)
    return fr.verdict, [f"{f.surface.value}|{f.member}|{f.entity}" for f in fr.findings], fr.error


def test_visible_csv_inside_a_container_is_an_attachment(tmp_path: Path) -> None:
    csv = tmp_path / "records.csv"
    builders.records_csv(csv, 60)
    bundle = tmp_path / "b.bundle"
    bundle.write_bytes(MAGIC + f"data/records.csv={csv}\n".encode())
    verdict, found, error = _scan(bundle)
    assert error is None
    assert verdict is Verdict.BLOCK
    assert "attachment|data/records.csv|A_NUMBER" in found


def test_hidden_sheet_inside_keeps_its_own_surface_and_nesting_is_named(tmp_path: Path) -> None:
    wb = tmp_path / "det.xlsx"
    builders.detention_workbook(wb, n=40)
    inner = tmp_path / "inner.bundle"
    inner.write_bytes(MAGIC + f"stats.xlsx={wb}\n".encode())
    outer = tmp_path / "outer.bundle"
    outer.write_bytes(MAGIC + f"nested/inner.bundle={inner}\n".encode())
    verdict, found, _ = _scan(outer)
    assert verdict is Verdict.BLOCK
    assert "hidden_sheet|nested/inner.bundle/stats.xlsx|A_NUMBER" in found


def test_unknown_embedded_type_is_noted_not_fatal(tmp_path: Path) -> None:
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 8)
    bundle = tmp_path / "b.bundle"
    bundle.write_bytes(MAGIC + f"media/image.emf={blob}\n".encode())
    fr = _scan_file(bundle)
    assert fr.verdict is Verdict.WARN
    assert [n.location.where for n in fr.not_inspected] == ["media/image.emf"]


def test_nesting_over_the_limit_is_an_error(tmp_path: Path) -> None:
    csv = tmp_path / "a.csv"
    csv.write_text("x,y\n1,2\n")
    prev = csv
    for i in range(8):
        b = tmp_path / f"level{i}.bundle"
        b.write_bytes(MAGIC + f"l{i}={prev}\n".encode())
        prev = b
    verdict, _, error = _scan(prev)
    assert verdict is Verdict.ERROR
    assert error is not None
    assert "nested" in error
