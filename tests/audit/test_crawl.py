"""One audit of a fixture site with everything a real site has, checked behaviour by behaviour.

The site runs on ``localhost``; a second server on ``127.0.0.1`` (another host name, so another
host) is where an off-site link and redirect point: it must never be asked for anything.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from spillguard import __version__
from tests import builders
from tests.audit.conftest import (
    XLSX,
    Row,
    assert_no_leak,
    by_path,
    dump,
    fetches,
    records_secrets,
    run_cli,
)
from tests.audit.site import Site, html, serve
from tests.builders_pdf import covered_filing_pdf

N_RECORDS = 60


@dataclass
class Audited:
    site: Site
    other: Site
    done: subprocess.CompletedProcess[str]
    report: dict[str, object]
    rows: dict[str, Row]
    db: Path
    secrets: set[str]
    report_text: str


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Audited]:
    tmp = tmp_path_factory.mktemp("crawl")
    builders.detention_workbook(tmp / "d.xlsx", n=N_RECORDS, seed=0)
    truth = covered_filing_pdf(tmp / "f.pdf")
    secrets = records_secrets(N_RECORDS, 0) | truth.secrets
    other = Site()
    other.page("/landing", html("Elsewhere", "another host"))
    other.page("/page", html("Elsewhere", "another host"))
    with serve(other, "127.0.0.1") as o:
        site = Site(host="localhost")
        site.page(
            "/",
            html(
                "Agency",
                '<a href="/about.html">About</a> <a href="reports/">Reports</a> '
                '<a href="/private/secret.html">Private</a> <a href="/missing.html">Old</a> '
                '<a href="/broken.html">Broken</a> <a href="/moved">Moved</a> '
                '<a href="/elsewhere">Partner</a> <a href="/big.zip">Archive</a> '
                '<a href="/stream.bin">Stream</a> <a href="mailto:press@agency.example">Press</a> '
                f'<a href="{o.url}/page">Off site</a> <link rel="stylesheet" href="/style.css">'
                '<a href="/about.html#team">Team</a>',
            ),
        )
        site.page("/about.html", html("About", "<p>We publish statistics every month.</p>"))
        site.page("/about2.html", html("About (new)", "<p>The new about page.</p>"))
        site.page(
            "/reports/",
            html(
                "Reports",
                '<a href="detention.xlsx">Detention statistics</a> '
                '<a href="/reports/filing.pdf">Court filing</a>',
            ),
        )
        site.file("/reports/detention.xlsx", (tmp / "d.xlsx").read_bytes(), XLSX)
        site.file("/reports/filing.pdf", (tmp / "f.pdf").read_bytes(), "application/pdf")
        site.page("/private/secret.html", html("Secret", "never fetched"))
        site.status("/broken.html", 500)
        site.redirect("/moved", "/about2.html", 301)
        site.redirect("/elsewhere", f"{o.url}/landing")
        site.file("/big.zip", b"PK" + b"\0" * (2 * 1024 * 1024), "application/zip")
        site.file("/stream.bin", b"x" * (2 * 1024 * 1024), "application/octet-stream", chunked=True)
        site.file("/style.css", b"body{}", "text/css")
        site.file(
            "/robots.txt",
            b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap.xml\n",
            "text/plain",
        )
        with serve(site, "127.0.0.1") as s:
            site.file(
                "/sitemap.xml",
                (
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    f"<url><loc>{s.url}/only-in-sitemap.html</loc></url>"
                    f"<url><loc>{s.url}/about.html</loc></url></urlset>"
                ).encode(),
                "application/xml",
            )
            site.page("/only-in-sitemap.html", html("Orphan", "<p>Linked from nowhere.</p>"))
            db = tmp / "audits.db"
            out = tmp / "report.json"
            done = run_cli(
                tmp,
                "audit",
                s.url + "/",
                "--db",
                str(db),
                "--allow-private",
                "--format",
                "json",
                "-o",
                str(out),
                "--max-size",
                "1",
                "--retries",
                "1",
                "--delay",
                "0.05",
                "--jobs",
                "2",
            )
            text = out.read_text(encoding="utf-8") if out.exists() else ""
            report = json.loads(text) if text else {}
            yield Audited(
                site, other, done, report, by_path(fetches(db)), db, secrets, report_text=text
            )


def test_exit_code_is_1_for_a_new_blocking_exposure(audited: Audited) -> None:
    assert audited.done.returncode == 1, audited.done.stderr
    assert audited.report["new_blocking"] is True
    assert audited.report["audit"]["complete"] is True  # type: ignore[index]


def test_hidden_records_sheet_blocks_with_its_people(audited: Audited) -> None:
    row = audited.rows["/reports/detention.xlsx"]
    assert row.status == 200
    assert row.verdict == "block"
    assert row.individuals == N_RECORDS
    new = {c["url"].split("/", 3)[3]: c for c in audited.report["new"]}  # type: ignore[attr-defined]
    assert new["reports/detention.xlsx"]["verdict"] == "block"
    assert "A_NUMBER" in new["reports/detention.xlsx"]["entities"]


def test_bad_redaction_pdf_blocks(audited: Audited) -> None:
    row = audited.rows["/reports/filing.pdf"]
    assert row.verdict == "block"
    new = {c["url"].split("/", 3)[3]: c for c in audited.report["new"]}  # type: ignore[attr-defined]
    assert "COVERED_TEXT" in new["reports/filing.pdf"]["entities"]


def test_clean_pages_pass(audited: Audited) -> None:
    for path in ("/", "/about.html", "/reports/"):
        assert audited.rows[path].verdict == "pass", path


def test_sitemap_pages_are_found(audited: Audited) -> None:
    assert audited.rows["/only-in-sitemap.html"].verdict == "pass"
    assert audited.rows["/sitemap.xml"].status == 200
    assert audited.site.hits["/only-in-sitemap.html"] == 1


def test_robots_disallowed_is_recorded_not_fetched(audited: Audited) -> None:
    row = audited.rows["/private/secret.html"]
    assert row.note == "disallowed by robots.txt"
    assert row.verdict is None
    assert audited.site.hits["/private/secret.html"] == 0


def test_redirect_to_another_host_is_recorded_not_followed(audited: Audited) -> None:
    row = audited.rows["/elsewhere"]
    assert row.status == 302
    assert row.note is not None
    assert row.note.startswith("redirect to another host: http://127.0.0.1:")
    assert row.note.endswith("/landing (not followed)")
    assert sum(audited.other.hits.values()) == 0  # neither the redirect nor the off-site link


def test_redirect_on_the_same_host_is_followed(audited: Audited) -> None:
    assert audited.rows["/about2.html"].verdict == "pass"
    assert "/moved" not in audited.rows


def test_http_errors_are_recorded(audited: Audited) -> None:
    assert audited.rows["/missing.html"].status == 404
    broken = audited.rows["/broken.html"]
    assert broken.status == 500
    assert broken.note == "HTTP 500"
    assert audited.site.hits["/broken.html"] == 2  # retried once
    errors = {e["url"].split("/", 3)[3]: e["reason"] for e in audited.report["errors"]}  # type: ignore[attr-defined]
    assert errors["broken.html"] == "HTTP 500"


def test_over_the_size_cap_is_an_error_not_a_scan(audited: Audited) -> None:
    for path in ("/big.zip", "/stream.bin"):  # announced length, and chunked
        row = audited.rows[path]
        assert row.note == "over the 1 MB size cap (not scanned)", path
        assert row.verdict is None


def test_assets_mail_links_and_fragments_are_not_fetched(audited: Audited) -> None:
    assert audited.site.hits["/style.css"] == 0
    assert audited.site.hits["/about.html"] == 1  # /about.html#team is the same page
    assert not any("mailto" in p for p in audited.rows)


def test_user_agent_is_honest(audited: Audited) -> None:
    agents = audited.site.user_agents
    assert agents == {
        f"spillguard/{__version__} (+https://github.com/spillguard/spillguard; personal-data audit)"
    }


def test_no_planted_value_in_any_output(audited: Audited) -> None:
    assert_no_leak(
        audited.secrets,
        stdout=audited.done.stdout,
        stderr=audited.done.stderr,
        report=audited.report_text,
        database=dump(audited.db),
    )
