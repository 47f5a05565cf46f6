"""Fixture builders for web and structured-text files: HTML pages, JSON, NDJSON, XML, YAML, e-mail.

Each builder writes a real file and returns the truth: how many people it exposes and on which
surfaces they sit. People come from `tests.builders.person_records` (synthetic, Faker-made);
`records_of(builder)` gives the records a builder planted, for the never-the-second-leak test.
"""

from __future__ import annotations

import base64
import json
import random
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from html import escape
from pathlib import Path
from typing import Any

from tests.builders import person_records


@dataclass(frozen=True, slots=True)
class WebTruth:
    individuals: int
    surfaces: frozenset[str] = field(default_factory=frozenset)
    blocked: bool = False
    #: (n, seed) of the person_records drawn
    drawn: tuple[tuple[int, int], ...] = ()


def _page(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


_ARTICLE = """<header><nav><a href="/">Home</a> | <a href="/news">News</a></nav></header>
<main><article>
<h1>{title}</h1>
<p class="dateline">November 1, 2022</p>
<p>The regional office published its monthly detention statistics today. Average daily population
fell by four percent compared with the previous month, while book-ins rose slightly at two
facilities on the southern border.</p>
<p>Processing times for credible fear reviews remained stable. The office expects to publish the
next update at the end of the quarter.</p>
</article></main>
<footer><p>Questions: <a href="mailto:press@agency.gov">press@agency.gov</a></p></footer>"""


def news_page_with_hidden_records(path: Path, *, seed: int = 40) -> WebTruth:
    """A news page whose HTML comment holds 25 records (name, DOB, A-number) and a
    ``display:none`` block 10 more (a table). Blocked; 35 people."""
    people = person_records(35, seed=seed)
    lines = ["Name, Date of Birth, A-Number"]
    lines += [f"{p['name']}, {p['birthdate'].isoformat()}, A{p['a_digits']}" for p in people[:25]]
    comment = "<!-- draft data, remove before publishing\n" + "\n".join(lines) + "\n-->"
    rows = "".join(
        f"<tr><td>{escape(p['name'])}</td><td>{p['birthdate'].strftime('%m/%d/%Y')}</td>"
        f"<td>{escape(p['a_number'])}</td><td>{escape(p['nationality'])}</td></tr>\n"
        for p in people[25:]
    )
    hidden = (
        '<div class="staging" style="display: none">\n<table>\n<tr><th>Name</th>'
        "<th>Date of Birth</th><th>A-Number</th><th>Country of Citizenship</th></tr>\n"
        f"{rows}</table>\n</div>"
    )
    body = _ARTICLE.format(title="Detention statistics for October") + "\n" + comment + "\n"
    body += hidden
    path.write_text(_page("Detention statistics", body), encoding="utf-8")
    return WebTruth(35, frozenset({"html_comment", "hidden_element"}), True, ((35, seed),))


def jsonld_person_page(path: Path, *, seed: int = 41) -> WebTruth:
    """A profile page with a JSON-LD Person block (name, birth date, home phone, address)."""
    p = person_records(1, seed=seed)[0]
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": p["name"],
        "birthDate": p["birthdate"].isoformat(),
        "telephone": p["phone"],
        "identifier": p["a_number"],
        "nationality": p["nationality"],
    }
    head = f'<script type="application/ld+json">\n{json.dumps(data, indent=2)}\n</script>\n'
    body = "<main><h1>Case profile</h1><p>This page describes a pending case.</p></main>"
    path.write_text(_page("Case profile", body, head), encoding="utf-8")
    return WebTruth(1, frozenset({"script_data"}), True, ((1, seed),))


def people_table_page(path: Path, *, n: int = 40, seed: int = 42) -> WebTruth:
    """A visible table of 40 people (name, date of birth, country, facility). Blocked."""
    people = person_records(n, seed=seed)
    rows = "".join(
        f"<tr><td>{escape(p['name'])}</td><td>{p['birthdate'].isoformat()}</td>"
        f"<td>{escape(p['nationality'])}</td><td>{escape(p['facility'])}</td></tr>\n"
        for p in people
    )
    body = (
        '<h1>Detainee list</h1>\n<table class="data">\n<thead><tr><th>Full Name</th>'
        "<th>Date of Birth</th><th>Nationality</th><th>Facility</th></tr></thead>\n<tbody>\n"
        f"{rows}</tbody></table>"
    )
    path.write_text(_page("Detainee list", body), encoding="utf-8")
    return WebTruth(n, frozenset({"visible"}), True, ((n, seed),))


def json_roster(path: Path, *, n: int = 200, seed: int = 43) -> WebTruth:
    """A JSON export: report metadata and an array of 200 detainee objects. Blocked; 200 people."""
    people = person_records(n, seed=seed)
    data: dict[str, Any] = {
        "report": {"title": "Detention roster", "generated": "2022-11-01", "count": n},
        "detainees": [
            {
                "person": {
                    "name": p["name"],
                    "birthDate": p["birthdate"].isoformat(),
                },
                "aNumber": p["a_number"],
                "nationality": p["nationality"],
                "custody": {"facility": p["facility"], "status": p["case_status"]},
            }
            for p in people
        ],
    }
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    return WebTruth(n, frozenset({"visible"}), True, ((n, seed),))


def ndjson_export(path: Path, *, n: int = 120, seed: int = 44) -> WebTruth:
    """An NDJSON export (one JSON object per line) of 120 records. Blocked."""
    people = person_records(n, seed=seed)
    with path.open("w", encoding="utf-8") as fh:
        for p in people:
            rec = {
                "a_number": p["a_number"],
                "name": p["name"],
                "dob": p["birthdate"].isoformat(),
                "country": p["nationality"],
                "events": [{"type": "book-in", "date": p["book_in_date"].isoformat()}],
            }
            fh.write(json.dumps(rec) + "\n")
    return WebTruth(n, frozenset({"visible"}), True, ((n, seed),))


def xml_export(path: Path, *, n: int = 60, seed: int = 45) -> WebTruth:
    """An XML export of 60 case records (attributes and child elements). Blocked."""
    people = person_records(n, seed=seed)
    recs = "".join(
        f'  <case id="{i}">\n    <alienNumber>{escape(p["a_number"])}</alienNumber>\n'
        f"    <fullName>{escape(p['name'])}</fullName>\n"
        f"    <dateOfBirth>{p['birthdate'].isoformat()}</dateOfBirth>\n"
        f"    <citizenship>{escape(p['nationality'])}</citizenship>\n  </case>\n"
        for i, p in enumerate(people, start=1)
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- nightly export -->\n'
        '<caseExport xmlns="urn:example:cases" generated="2022-11-01">\n'
        f"<title>Case export</title>\n<cases>\n{recs}</cases>\n</caseExport>\n"
    )
    path.write_text(xml, encoding="utf-8")
    return WebTruth(n, frozenset({"visible"}), True, ((n, seed),))


def yaml_staff(path: Path, *, n: int = 15, seed: int = 46) -> WebTruth:
    """A YAML staff file: names, home phones and home addresses (a site's team config)."""
    people = person_records(n, seed=seed)
    rng = random.Random(seed)
    lines = ["---", "# team directory, do not publish", "office: Field Office 12", "staff:"]
    for p in people:
        lines += [
            f"  - name: {p['name']}",
            f'    home_phone: "{p["phone"]}"',
            f'    home_address: "{rng.randrange(100, 9999)} {rng.choice(["Oak", "Elm", "Pine"])}'
            f' Street, Springfield"',
            f"    date_of_birth: {p['birthdate'].isoformat()}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WebTruth(n, frozenset({"visible"}), True, ((n, seed),))


def eml_with_csv_attachment(path: Path, *, n: int = 30, seed: int = 47) -> WebTruth:
    """A saved e-mail (plain and HTML body) with a CSV attachment of 30 records. Blocked."""
    people = person_records(n, seed=seed)
    csv_text = "A-Number,Last Name,First Name,Date of Birth,Country of Citizenship\n" + "".join(
        f"{p['a_number']},{p['last_name']},{p['first_name']},{p['birthdate'].isoformat()},"
        f"{p['nationality']}\n"
        for p in people
    )
    msg = EmailMessage()
    msg["From"] = "Records Unit <records@agency.gov>"
    msg["To"] = "FOI Office <foi@agency.gov>"
    msg["Subject"] = "October extract"
    msg["Date"] = "Tue, 01 Nov 2022 10:00:00 +0000"
    msg.set_content("Attached is the October extract.\n")
    msg.add_alternative(
        "<html><body><p>Attached is the October extract.</p></body></html>", subtype="html"
    )
    msg.add_attachment(
        csv_text.encode("utf-8"), maintype="text", subtype="csv", filename="extract.csv"
    )
    path.write_bytes(msg.as_bytes())
    return WebTruth(n, frozenset({"attachment"}), True, ((n, seed),))


# -- clean controls ------------------------------------------------------------------------------


def press_release_page(path: Path) -> WebTruth:
    """A press release quoting two public officials and an advocate by name, with a press-office
    address and phone line, and NewsArticle JSON-LD whose author is the agency. Not blocked."""
    body = """<main><article>
<h1>Agency announces new processing center standards</h1>
<p>WASHINGTON — Secretary Margaret Ellison announced on Tuesday new standards for processing
centers. "These standards protect everyone in our care," Secretary Ellison said.</p>
<p>Deputy Director Thomas Reyes added that inspections will be published quarterly.
Advocate Linda Okafor of the Border Rights Project welcomed the change.</p>
<p>Media contact: <a href="mailto:press@agency.gov">press@agency.gov</a>, (202) 282-8010.</p>
</article></main>"""
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Agency announces new processing center standards",
        "datePublished": "2022-11-01",
        "author": {"@type": "Organization", "name": "Office of Public Affairs"},
    }
    head = (
        '<meta name="description" content="Press release">\n'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>\n'
    )
    path.write_text(_page("Press release", body, head), encoding="utf-8")
    return WebTruth(0)


def aggregate_stats_page(path: Path) -> WebTruth:
    """A page of aggregate statistics: a table of counts by nationality and facility. Passes."""
    rng = random.Random(48)
    countries = ["Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Cuba", "Haiti"]
    rows = "".join(
        f"<tr><td>{c}</td><td>{rng.randrange(3, 900)}</td><td>{rng.randrange(1, 60)}</td></tr>\n"
        for c in countries
    )
    body = (
        "<h1>Detention statistics, FY2022</h1>\n<p>Counts are book-ins per country of "
        "citizenship.</p>\n<table><tr><th>Country of Citizenship</th><th>Book-ins</th>"
        f"<th>Average Length of Stay (days)</th></tr>\n{rows}</table>"
    )
    path.write_text(_page("Statistics", body), encoding="utf-8")
    return WebTruth(0)


def policy_memo_page(path: Path) -> WebTruth:
    """A policy memo: headings, numbered sections, no personal data. Passes."""
    body = """<main><h1>Memorandum: Use of Alternatives to Detention</h1>
<p><strong>Subject:</strong> Guidance on alternatives to detention for family units</p>
<h2>1. Purpose</h2><p>This memorandum sets out the criteria field offices apply when
considering alternatives to detention.</p>
<h2>2. Policy</h2><ul><li>Case officers review eligibility within 48 hours.</li>
<li>Reviews are recorded in the case management system.</li></ul>
<h2>3. Effective date</h2><p>This guidance takes effect on January 1, 2023.</p></main>"""
    path.write_text(_page("Policy memo", body), encoding="utf-8")
    return WebTruth(0)


# -- hostile -------------------------------------------------------------------------------------


def billion_laughs_xml(path: Path) -> None:
    ents = ['<!ENTITY lol "lol">']
    for i in range(1, 10):
        prev = "lol" if i == 1 else f"lol{i - 1}"
        ents.append(f'<!ENTITY lol{i} "{("&" + prev + ";") * 10}">')
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + "\n".join(ents)
        + "\n]>\n<lolz>&lol9;</lolz>\n",
        encoding="utf-8",
    )


def deeply_nested_json(path: Path, *, depth: int = 10_000) -> None:
    path.write_text("[" * depth + "]" * depth, encoding="utf-8")


def big_single_line_json(path: Path, *, megabytes: int = 50) -> None:
    """One line, ``[{"id": 1, "v": "aaaa..."}, ...]``, about `megabytes` MB."""
    item = '{"id": %d, "v": "' + "x" * 80 + '"}'
    target = megabytes * 1024 * 1024
    with path.open("w", encoding="utf-8") as fh:
        fh.write("[")
        size = 1
        i = 0
        while size < target:
            chunk = ",".join(item % (i + k) for k in range(1000))
            if i:
                fh.write(",")
            fh.write(chunk)
            size += len(chunk) + 1
            i += 1000
        fh.write("]")


def nested_divs_html(path: Path, *, depth: int = 100_000) -> None:
    path.write_text(
        "<!DOCTYPE html><html><body>" + "<div>" * depth + "x" + "</div>" * depth + "</body></html>",
        encoding="utf-8",
    )


def zip_named_html(path: Path) -> None:
    """A zip archive saved as ``.html`` (an extension that lies)."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("index.html", "<html><body><p>inside</p></body></html>")


def yaml_alias_bomb(path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
        prev = name
    path.write_text("---\n" + "\n".join(lines) + "\n", encoding="utf-8")


def data_url_page(path: Path, payload: bytes) -> None:
    """A page linking a file as a base64 ``data:`` URL."""
    b64 = base64.b64encode(payload).decode("ascii")
    body = f'<p><a href="data:text/csv;base64,{b64}" download="x.csv">download</a></p>'
    path.write_text(_page("Download", body), encoding="utf-8")


LEAKING = {
    "news.html": news_page_with_hidden_records,
    "profile.html": jsonld_person_page,
    "people.html": people_table_page,
    "roster.json": json_roster,
    "export.ndjson": ndjson_export,
    "cases.xml": xml_export,
    "staff.yaml": yaml_staff,
    "extract.eml": eml_with_csv_attachment,
}

CLEAN = {
    "press.html": press_release_page,
    "stats.html": aggregate_stats_page,
    "memo.html": policy_memo_page,
}
