"""The plugin contract: built-ins register through the same hooks a third-party plugin uses."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from spillguard import Verdict
from spillguard.detectors.base import Match
from spillguard.model import Location, Surface, TextPart
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers, reporters
from spillguard.readers.base import ReadItem, Source
from spillguard.scanner import Target, scan_file


class StaffIdDetector:
    id = "acme-staff-id"
    entities = ("NATIONAL_ID",)
    _re = re.compile(r"\bSTF-\d{6}\b")

    def find(self, text: str, *, context: str = "") -> Iterable[Match]:
        for m in self._re.finditer(text):
            yield Match("NATIONAL_ID", m.start(), m.end(), m.group(), 0.9, self.id, "staff ID")


class LogReader:
    """Reads '.acmelog' files: a magic line, then text."""

    id = "acmelog"

    def sniff(self, source: Source) -> str | None:
        return "acmelog" if source.head.startswith(b"ACMELOG\n") else None

    def read(self, source: Source, file_type: str) -> Iterator[ReadItem]:
        text = source.path.read_text(encoding="utf-8")
        yield TextPart(text, Location(source.display, Surface.HIDDEN_TEXT, "log body"))


class AcmePlugin:
    @hookimpl
    def spillguard_detectors(self) -> list[StaffIdDetector]:
        return [StaffIdDetector()]

    @hookimpl
    def spillguard_readers(self) -> list[LogReader]:
        return [LogReader()]


def test_builtins_are_registered_as_plugins() -> None:
    pm = make_plugin_manager(entry_points=False)
    names = {name for name, _ in pm.list_name_plugin()}
    assert {
        "spillguard.readers.builtin",
        "spillguard.detectors.builtin",
        "spillguard.reports.builtin",
    } <= names
    assert {"xlsx", "csv", "xls_ods", "ole", "text"} <= {r.id for r in readers(pm)}
    assert {"us-ssn", "a-number", "person-name", "nationality"} <= {d.id for d in detectors(pm)}
    assert {"text", "json"} <= set(reporters(pm))


def test_third_party_reader_and_detector(tmp_path: Path) -> None:
    pm = make_plugin_manager(entry_points=False)
    pm.register(AcmePlugin(), name="acme")
    p = tmp_path / "app.acmelog"
    p.write_text("ACMELOG\nuser STF-123456 logged in\n", encoding="utf-8")
    fr = scan_file(Target(p, str(p)), readers=readers(pm), detectors=detectors(pm))
    assert fr.file_type == "acmelog"
    (f,) = [f for f in fr.findings if f.detector == "acme-staff-id"]
    assert f.surface is Surface.HIDDEN_TEXT
    assert fr.verdict is Verdict.BLOCK
    assert "123456" not in f.sample


def test_without_the_plugin_the_format_is_plain_text(tmp_path: Path) -> None:
    pm = make_plugin_manager(entry_points=False)
    p = tmp_path / "app.acmelog"
    p.write_text("ACMELOG\nuser STF-123456 logged in\n", encoding="utf-8")
    fr = scan_file(Target(p, str(p)), readers=readers(pm), detectors=detectors(pm))
    assert fr.file_type == "text"
