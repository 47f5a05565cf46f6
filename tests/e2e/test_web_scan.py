"""End to end: web and structured-text files through the scanner, with the readers registered as
a plugin (the way the built-ins will be). Leaking files block with the right people count and
surfaces; clean controls do not block; hostile input ends in a precise error or a correct read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from spillguard.model import FileResult, Verdict
from spillguard.plugins import detectors, hookimpl, make_plugin_manager, readers
from spillguard.readers.base import Reader
from spillguard.readers.email import EmailReader
from spillguard.readers.html import HtmlReader
from spillguard.readers.structured import JsonReader, XmlReader, YamlReader
from spillguard.scanner import Target, scan_file
from tests import builders_web as bw


class _WebReaders:
    @hookimpl
    def spillguard_readers(self) -> list[Reader]:
        return [HtmlReader(), XmlReader(), JsonReader(), EmailReader(), YamlReader()]


_PM = make_plugin_manager(entry_points=False)
_PM.register(_WebReaders(), name="web-readers")
READERS = readers(_PM)
DETECTORS = detectors(_PM)


def scan(path: Path) -> FileResult:
    return scan_file(Target(path, str(path)), readers=READERS, detectors=DETECTORS)


@pytest.mark.parametrize("name", sorted(bw.LEAKING))
def test_leaking_files_block(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    truth = bw.LEAKING[name](path)
    fr = scan(path)
    assert fr.error is None
    assert fr.verdict is Verdict.BLOCK
    assert fr.individuals == truth.individuals
    found = {f.surface.value for f in fr.findings}
    assert truth.surfaces <= found, (found, fr.reasons)


def test_news_page_reports_comment_and_hidden_block(tmp_path: Path) -> None:
    bw.news_page_with_hidden_records(tmp_path / "news.html")
    fr = scan(tmp_path / "news.html")
    reasons = " ".join(fr.reasons)
    assert "25 people in HTML comment" in reasons
    assert "10 people in hidden page element" in reasons
    assert fr.file_type == "html"


@pytest.mark.parametrize("name", sorted(bw.CLEAN))
def test_clean_controls_do_not_block(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    bw.CLEAN[name](path)
    fr = scan(path)
    assert fr.error is None
    assert fr.verdict in (Verdict.PASS, Verdict.WARN), fr.reasons
    assert not any(f.surface.hidden for f in fr.findings if f.severity.rank >= 3)


def test_data_url_payload_is_scanned(tmp_path: Path) -> None:
    from tests.builders import person_records

    rows = "".join(f"{p['a_number']},{p['name']}\n" for p in person_records(12, seed=3))
    bw.data_url_page(tmp_path / "d.html", ("A-Number,Name\n" + rows).encode())
    fr = scan(tmp_path / "d.html")
    assert fr.verdict is Verdict.BLOCK
    assert any(f.surface.value == "attachment" for f in fr.findings)


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "lol.xml": (bw.billion_laughs_xml, "declares entities"),
    "deep.json": (bw.deeply_nested_json, "nests deeper than 100 levels"),
    "divs.html": (bw.nested_divs_html, "nests elements more than 255 deep"),
    "alias.yaml": (bw.yaml_alias_bomb, "expands to more than"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_is_a_precise_error(tmp_path: Path, name: str) -> None:
    build, reason = HOSTILE[name]
    build(tmp_path / name)
    fr = scan(tmp_path / name)
    assert fr.verdict is Verdict.ERROR
    assert fr.error is not None
    assert reason in fr.error
    assert "internal error" not in fr.error


def test_zip_named_html_is_not_read_as_a_page(tmp_path: Path) -> None:
    """The extension lies: the file is read as what it is (an archive, when an archive reader is
    registered) or refused, never as a page."""
    bw.zip_named_html(tmp_path / "index.html")
    fr = scan(tmp_path / "index.html")
    assert fr.file_type != "html"
    assert fr.verdict is Verdict.ERROR or fr.file_type == "zip"


@pytest.mark.slow
def test_big_single_line_json_is_read_within_bounds(tmp_path: Path) -> None:
    bw.big_single_line_json(tmp_path / "big.json", megabytes=10)
    fr = scan(tmp_path / "big.json")
    assert fr.file_type == "json"
    assert fr.verdict is Verdict.PASS
    fr2 = scan_file(
        Target(tmp_path / "big.json", "big.json"),
        readers=[JsonReader(max_bytes=5 * 1024 * 1024)],
        detectors=DETECTORS,
    )
    assert fr2.verdict is Verdict.ERROR
    assert fr2.error is not None
    assert "over the limit" in fr2.error
