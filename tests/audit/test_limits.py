"""Depth and page limits, include/exclude patterns: a cut crawl is recorded as not complete."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from spillguard.audit.runner import AuditConfig, run_audit
from tests.audit.conftest import by_path, fetches
from tests.audit.site import Site, html, serve


def _site() -> Site:
    site = Site(host="localhost")
    site.page("/", html("Home", '<a href="/a/">A</a> <a href="/b/">B</a> <a href="/t.csv">T</a>'))
    site.page("/a/", html("A", '<a href="/a/deep.html">deeper</a> <a href="/a/x.csv">x</a>'))
    site.page("/a/deep.html", html("Deep", '<a href="/a/deeper.html">deeper</a>'))
    site.page("/a/deeper.html", html("Deeper", "<p>end</p>"))
    site.page("/b/", html("B", '<a href="/b/y.csv">y</a>'))
    for path in ("/t.csv", "/a/x.csv", "/b/y.csv"):
        site.file(path, b"year,total\n2023,10\n", "text/csv")
    return site


ALL = {"/", "/a/", "/a/deep.html", "/a/deeper.html", "/b/", "/t.csv", "/a/x.csv", "/b/y.csv"}


@pytest.mark.parametrize(
    ("options", "paths", "complete"),
    [
        ({}, ALL, True),
        ({"max_depth": 1}, {"/", "/a/", "/b/", "/t.csv"}, False),
        ({"max_pages": 3}, {"/", "/a/", "/b/"}, False),
        ({"exclude": (r"\.csv$",)}, ALL - {"/t.csv", "/a/x.csv", "/b/y.csv"}, True),
        ({"include": (r"/b/",)}, {"/", "/b/", "/b/y.csv"}, True),
    ],
)
def test_limits_and_patterns(
    tmp_path: Path, options: dict[str, object], paths: set[str], complete: bool
) -> None:
    site = _site()
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s:
        config = AuditConfig(url=s.url, db=str(db), allow_private=True, delay=0, jobs=1)
        outcome = run_audit(dataclasses.replace(config, **options))
    assert outcome.finished
    assert outcome.audit.complete is complete
    assert set(by_path(fetches(db))) == paths
    fetched = {p for p, n in site.hits.items() if n} - {"/robots.txt", "/sitemap.xml"}
    assert fetched == paths
    if not complete:
        assert any("not complete: stopped at the" in p for p in outcome.problems)


def test_links_back_to_fetched_pages_do_not_cut_the_crawl(tmp_path: Path) -> None:
    """Site-wide navigation links every page back to the home page: at the depth limit those
    links skip nothing, so the audit is complete."""
    site = Site(host="localhost")
    nav = '<a href="/">Home</a> <a href="/a/">A</a>'
    site.page("/", html("Home", nav))
    site.page("/a/", html("A", nav))
    db = tmp_path / "audits.db"
    with serve(site, "127.0.0.1") as s:
        config = AuditConfig(url=s.url, db=str(db), allow_private=True, delay=0, jobs=1)
        outcome = run_audit(dataclasses.replace(config, max_depth=1))
    assert set(by_path(fetches(db))) == {"/", "/a/"}
    assert outcome.audit.complete is True, outcome.problems
