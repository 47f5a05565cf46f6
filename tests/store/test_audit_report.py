"""The audit report in text, JSON and HTML: same content in each, calm words, escaped HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from spillguard.reports.audit import render_audit, render_exposures
from spillguard.store import AuditDiff, AuditStore, Exposure, open_store
from tests.store.test_store import SITE, audit_with, ok, result, status

HOSTILE = '/<script>alert("x")</script>&amp;.xlsx'


@pytest.fixture
def reported(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[AuditDiff, list[Exposure]]]:
    db = tmp_path_factory.mktemp("report") / "audits.db"
    with open_store(str(db)) as store:
        audit_with(store, kept=result("kept"), cleaned=result("c1", "block", 12))
        a2 = store.start_audit(SITE, settings={})
        ok(store, a2, "/kept.xlsx", result("kept"))
        ok(store, a2, "/cleaned.xlsx", result("c2", "pass", 0))
        ok(store, a2, HOSTILE.removesuffix(".xlsx"), result("hostile", "block", 6252))
        status(store, a2, "/boom", 500, "HTTP 500 <b>bold</b>")
        store.finish_audit(a2.id, complete=True)
        yield store.diff(a2.id), store.exposures(SITE)


def test_text(reported: tuple[AuditDiff, list[Exposure]]) -> None:
    out = render_audit(*reported, "text")
    assert "audit #2 of http://127.0.0.1:8123" in out
    assert "Compared with audit #1" in out
    assert "New exposures (1):" in out
    assert "6,252 people: A-numbers (alien registration numbers), names" in out
    assert "Removed exposures (gone or now clean) (1):" in out
    assert f"cleaned {SITE}/cleaned.xlsx" in out
    assert "Could not be checked (1): not cleared" in out
    assert out.rstrip().endswith(
        "Result: NEW BLOCKING EXPOSURE: personal data is published that was not before."
    )


def test_json_holds_the_same(reported: tuple[AuditDiff, list[Exposure]]) -> None:
    diff, exposures = reported
    out = json.loads(render_audit(diff, exposures, "json"))
    assert out["new_blocking"] is True
    assert out["audit"]["id"] == diff.audit.id
    assert diff.previous is not None
    assert out["previous"]["id"] == diff.previous.id
    assert [c["individuals"] for c in out["new"]] == [6252]
    assert out["removed"] == [
        {
            "url": SITE + "/cleaned.xlsx",
            "verdict": "block",
            "individuals": 12,
            "entities": ["A_NUMBER", "PERSON"],
            "now": "clean",
        }
    ]
    assert out["errors"] == [{"url": SITE + "/boom", "reason": "HTTP 500 <b>bold</b>"}]
    assert len(out["exposures"]) == len(exposures) == 3
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out["exposures"][0]["first_seen"])


def test_html_is_one_self_contained_escaped_page(
    reported: tuple[AuditDiff, list[Exposure]],
) -> None:
    page = render_audit(*reported, "html")
    assert page.startswith("<!doctype html>")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;" in page
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "New blocking exposure" in page
    assert "6,252 people" in page
    assert page.count("<table>") == 4  # new, removed, errors, exposures


def test_exposures_formats_and_unknown_formats(
    reported: tuple[AuditDiff, list[Exposure]],
) -> None:
    diff, exposures = reported
    text = render_exposures(exposures, "text")
    assert text.startswith("3 exposures: 2 online, 1 gone\n")
    assert json.loads(render_exposures(exposures, "json"))["summary"]["gone"] == 1
    assert render_exposures([], "text") == "No exposures recorded.\n"
    with pytest.raises(ValueError, match="unknown"):
        render_exposures(exposures, "html")
    with pytest.raises(ValueError, match="unknown"):
        render_audit(diff, exposures, "sarif")


def test_first_audit_and_nothing_exposed(tmp_path_factory: pytest.TempPathFactory) -> None:
    db = tmp_path_factory.mktemp("report-clean") / "audits.db"
    store: AuditStore
    with open_store(str(db)) as store:
        a = audit_with(store, calm=result("calm", "pass", 0))
        diff = store.diff(a.id)
        text = render_audit(diff, store.exposures(SITE), "text")
        page = render_audit(diff, store.exposures(SITE), "html")
    assert "First audit of this site" in text
    assert "Result: no personal data exposed on the resources recorded." in text
    assert "No personal data exposed" in page
    assert 'class="banner v-pass"' in page
