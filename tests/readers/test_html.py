"""HTML reader: sniffing, surfaces, tables, script data, limits."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from spillguard.errors import LimitExceeded
from spillguard.model import EmbeddedFile, Surface, TablePart, TextPart
from spillguard.readers.base import Limits, ReadItem, Source
from spillguard.readers.html import HtmlReader, delimited_table

READER = HtmlReader()


def _src(tmp_path: Path, content: str | bytes, name: str = "page.html") -> Source:
    p = tmp_path / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8")
    else:
        p.write_bytes(content)
    return Source.from_path(p, limits=Limits())


def _read(tmp_path: Path, content: str | bytes) -> list[ReadItem]:
    src = _src(tmp_path, content)
    assert READER.sniff(src) == "html"
    return list(READER.read(src, "html"))


def _texts(items: list[ReadItem], surface: Surface) -> list[str]:
    return [i.text for i in items if isinstance(i, TextPart) and i.location.surface is surface]


def _tables(items: list[ReadItem]) -> list[TablePart]:
    return [i for i in items if isinstance(i, TablePart)]


@pytest.mark.parametrize(
    "content",
    [
        "<!DOCTYPE html><html><body>x</body></html>",
        "\ufeff  <!-- banner --> <html><p>x</p></html>",
        "<div class=a>fragment</div>",
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
        "<!doctype HTML>\n<title>t</title>",
    ],
)
def test_sniff_claims_html(tmp_path: Path, content: str) -> None:
    assert READER.sniff(_src(tmp_path, content)) == "html"


@pytest.mark.parametrize(
    "content",
    [
        '<?xml version="1.0"?><records><record/></records>',
        "name,dob\nAna,1990-01-01\n",
        "Plain prose that mentions <b> tags later on.",
        "<records><r>1</r></records>",
        '{"a": "<html>"}',
    ],
)
def test_sniff_rejects_other_text(tmp_path: Path, content: str) -> None:
    assert READER.sniff(_src(tmp_path, content)) is None


def test_sniff_rejects_a_zip_named_html(tmp_path: Path) -> None:
    p = tmp_path / "index.html"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("index.html", "<html><body>x</body></html>")
    assert READER.sniff(Source.from_path(p)) is None


def test_visible_text_per_block_with_lines(tmp_path: Path) -> None:
    items = _read(
        tmp_path, "<html><body>\n<h1>Title</h1>\n<p>One <b>two</b><br>three</p>\n</body></html>"
    )
    parts = [i for i in items if isinstance(i, TextPart)]
    assert [p.text for p in parts] == ["Title", "One two\nthree"]
    assert parts[0].location.where == "<h1> line 2"
    assert parts[1].location.where == "<p> line 3"
    assert parts[1].context == "Title"  # a short block before is the label of the next


def test_comment_is_its_own_surface(tmp_path: Path) -> None:
    items = _read(tmp_path, "<html><body>\n<p>x</p>\n<!-- call Ana\nback -->\n</body></html>")
    comments = [i for i in items if i.location.surface is Surface.HTML_COMMENT]
    assert [c.text for c in comments if isinstance(c, TextPart)] == ["call Ana\nback"]
    assert comments[0].location.where == "<!-- comment --> line 3"


def test_records_in_a_comment_become_a_table(tmp_path: Path) -> None:
    body = "note above the data\nName, DOB, A-Number\n" + "".join(
        f"Person {c}, 1990-01-0{i}, A12345678{i}\n" for i, c in enumerate("ABCD", 1)
    )
    items = _read(tmp_path, f"<html><body>\n<!-- {body} -->\n</body></html>")
    (table,) = _tables(items)
    assert table.location.surface is Surface.HTML_COMMENT
    assert table.header == ["Name", "DOB", "A-Number"]
    rows = list(table.iter_rows())
    assert len(rows) == 4
    assert rows[0][0] == 4  # the page line of the first record
    assert "note above the data" in _texts(items, Surface.HTML_COMMENT)


def test_markup_in_a_comment_is_read_as_markup(tmp_path: Path) -> None:
    html = "<html><body>\n<!--\n<table><tr><th>Name</th><th>Phone</th></tr>"
    html += "<tr><td>Ana Ruiz</td><td>202-555-0101</td></tr></table> -->\n</body></html>"
    items = _read(tmp_path, html)
    (table,) = _tables(items)
    assert table.location.surface is Surface.HTML_COMMENT
    assert list(table.iter_rows()) == [(2, ["Ana Ruiz", "202-555-0101"])]


@pytest.mark.parametrize(
    ("markup", "label"),
    [
        ('<div style="display: none">secret</div>', "<div style=display:none>"),
        (
            '<div style="color:red;visibility:hidden !important">secret</div>',
            "<div style=visibility:hidden>",
        ),
        ("<section hidden>secret</section>", "<section hidden>"),
        ("<template><p>secret</p></template>", "<template>"),
        ("<noscript>secret</noscript>", "<noscript>"),
        (
            '<span aria-hidden="true" style="position:absolute;left:-9999px">secret</span>',
            "<span aria-hidden off-screen>",
        ),
    ],
)
def test_hidden_elements(tmp_path: Path, markup: str, label: str) -> None:
    items = _read(tmp_path, f"<html><body><p>shown</p>{markup}<p>after</p></body></html>")
    assert _texts(items, Surface.HIDDEN_ELEMENT) == ["secret"]
    assert "secret" not in " ".join(_texts(items, Surface.VISIBLE))
    assert _texts(items, Surface.VISIBLE) == ["shown", "after"]
    hidden = next(i for i in items if i.location.surface is Surface.HIDDEN_ELEMENT)
    assert hidden.location.where.startswith(label)


def test_nested_hidden_text_is_never_also_visible(tmp_path: Path) -> None:
    html = '<html><body><div style="display:none"><div><p>deep <b>secret</b></p></div> tail</div>'
    html += "<p>seen</p></body></html>"
    items = _read(tmp_path, html)
    assert _texts(items, Surface.VISIBLE) == ["seen"]
    assert "deep secret" in _texts(items, Surface.HIDDEN_ELEMENT)
    assert "tail" in _texts(items, Surface.HIDDEN_ELEMENT)


def test_form_values_and_data_attributes(tmp_path: Path) -> None:
    html = '<html><body><form><input type="hidden" name="ssn" value="123-45-6789">'
    html += '<input type="submit" value="Send"><select><option value="u-77">Ana</option></select>'
    html += '</form><div data-owner="Ana Ruiz" data-props=\'{"phone": "202-555-0101"}\'>x</div>'
    html += "</body></html>"
    items = _read(tmp_path, html)
    hidden = [
        i for i in items if isinstance(i, TextPart) and i.location.surface is Surface.HIDDEN_ELEMENT
    ]
    by_text = {h.text: h for h in hidden}
    assert by_text["123-45-6789"].context == "ssn"
    assert by_text["123-45-6789"].location.where.startswith("<input type=hidden>")
    assert "Send" not in by_text
    assert "u-77" in by_text
    assert by_text["Ana Ruiz"].context == "data-owner"
    assert by_text["202-555-0101"].location.where.endswith("$.phone")


def test_meta_is_metadata_and_author_is_author(tmp_path: Path) -> None:
    html = '<html><head><meta name="author" content="Dana Whitfield"><meta name="viewport" '
    html += 'content="width=device-width"><meta property="og:title" content="Report"></head></html>'
    items = _read(tmp_path, html)
    meta = [i for i in items if isinstance(i, TextPart) and i.location.surface is Surface.METADATA]
    assert [(m.text, m.context) for m in meta] == [
        ("Dana Whitfield", "author"),
        ("Report", "og:title"),
    ]


def test_json_ld_and_json_scripts_are_script_data(tmp_path: Path) -> None:
    html = '<html><head><script type="application/ld+json">{"@type": "Person", "name": "Ana Ruiz",'
    html += ' "birthDate": "1990-01-01", "address": {"streetAddress": "12 Oak St"}}</script>'
    html += '<script id="__NEXT_DATA__" type="application/json">{"props": {"people": ['
    html += '{"name": "A B", "dob": "1990-01-01"}, {"name": "C D", "dob": "1991-01-01"}]}}</script>'
    html += "</head><body><p>x</p></body></html>"
    items = _read(tmp_path, html)
    tables = [t for t in _tables(items) if t.location.surface is Surface.SCRIPT_DATA]
    person = next(t for t in tables if t.header == ["@type", "name", "birthDate"])
    assert list(person.iter_rows()) == [(1, ["Person", "Ana Ruiz", "1990-01-01"])]
    assert person.location.where == "<script type=application/ld+json> line 1, $"
    people = next(t for t in tables if t.header == ["name", "dob"])
    assert people.location.where.endswith("$.props.people[0..1]")
    assert "12 Oak St" in _texts(items, Surface.SCRIPT_DATA)


def test_inline_js_data_but_not_js_code(tmp_path: Path) -> None:
    html = '<html><body><script>\nvar rows = [{"name": "Ana Ruiz", "dob": "1990-01-01"}];'
    html += "\nfunction greet() { alert('Hello Bob Smith 202-555-0199'); var o = {a: 1}; }\n"
    html += "</script><style>.a{content:'Carol Jones'}</style></body></html>"
    items = _read(tmp_path, html)
    (table,) = _tables(items)
    assert table.location.surface is Surface.SCRIPT_DATA
    assert list(table.iter_rows()) == [(0, ["Ana Ruiz", "1990-01-01"])]
    everything = " ".join(i.text for i in items if isinstance(i, TextPart))
    assert "Bob Smith" not in everything
    assert "Carol Jones" not in everything


def test_declared_json_that_does_not_parse_is_still_read_as_text(tmp_path: Path) -> None:
    items = _read(tmp_path, '<html><script type="application/json">{"a": Ana Ruiz}</script></html>')
    assert _texts(items, Surface.SCRIPT_DATA) == ['{"a": Ana Ruiz}']


def test_mailto_and_tel_links(tmp_path: Path) -> None:
    html = '<html><body><p><a href="mailto:ana.ruiz%40example.org?subject=Hi">write</a> '
    html += '<a href="tel:+12025550101">call</a></p></body></html>'
    items = _read(tmp_path, html)
    links = [i for i in items if isinstance(i, TextPart) and i.context == "link"]
    assert [link.text for link in links] == ["ana.ruiz@example.org subject=Hi", "+12025550101"]
    assert links[0].location.where == "<a href=mailto:> line 1"


def test_table_with_header_and_hidden_rows(tmp_path: Path) -> None:
    html = "<html><body>\n<table>\n<thead><tr><th>Name</th><th>Country</th></tr></thead>\n"
    html += "<tr><td>Ana Ruiz</td><td>Mexico</td></tr>\n"
    html += '<tr style="display:none"><td>Bo Li</td><td>China</td></tr>\n'
    html += "<tr><td>Cy Tan <span hidden>A123456789</span></td><td>Peru</td></tr>\n"
    html += "</table></body></html>"
    items = _read(tmp_path, html)
    visible, hidden = _tables(items)
    assert visible.header == ["Name", "Country"]
    assert visible.location.where == "table 1, line 2"
    assert list(visible.iter_rows()) == [(2, ["Ana Ruiz", "Mexico"]), (4, ["Cy Tan", "Peru"])]
    assert hidden.location.surface is Surface.HIDDEN_ELEMENT
    assert list(hidden.iter_rows()) == [(3, ["Bo Li", "China"])]
    assert _texts(items, Surface.HIDDEN_ELEMENT) == ["A123456789"]
    assert _texts(items, Surface.VISIBLE) == []  # table text is only in the table


def test_layout_table_is_read_as_text(tmp_path: Path) -> None:
    html = '<html><body><table role="presentation"><tr><td><p>Article text</p></td></tr>'
    html += "<tr><td>more</td></tr></table></body></html>"
    items = _read(tmp_path, html)
    assert _tables(items) == []
    assert _texts(items, Surface.VISIBLE) == ["Article text", "more"]


def test_content_after_the_closing_html_tag_is_read(tmp_path: Path) -> None:
    items = _read(tmp_path, "<html><body><p>x</p></body></html>\n<p>appended later</p>")
    assert "appended later" in _texts(items, Surface.VISIBLE)


def test_utf8_without_a_charset_and_cp1252(tmp_path: Path) -> None:
    items = _read(tmp_path, "<html><body><p>José Müller</p></body></html>".encode())
    assert _texts(items, Surface.VISIBLE) == ["José Müller"]
    items = _read(tmp_path, "<html><body><p>José “Pepe”</p></body></html>".encode("cp1252"))
    assert _texts(items, Surface.VISIBLE) == ["José “Pepe”"]


def test_data_url_becomes_an_embedded_file(tmp_path: Path) -> None:
    html = '<html><body><a href="data:text/csv;base64,bmFtZSxkb2IK">csv</a></body></html>'
    items = _read(tmp_path, html)
    (emb,) = [i for i in items if isinstance(i, EmbeddedFile)]
    assert emb.data == b"name,dob\n"
    assert emb.surface is Surface.ATTACHMENT


def test_deep_nesting_is_a_limit_not_a_partial_read(tmp_path: Path) -> None:
    html = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    src = _src(tmp_path, html)
    with pytest.raises(LimitExceeded, match="nests elements more than 255 deep"):
        list(READER.read(src, "html"))


def test_size_limit(tmp_path: Path) -> None:
    src = _src(tmp_path, "<html><body>" + "<p>x</p>" * 1000 + "</body></html>")
    with pytest.raises(LimitExceeded, match="over the limit"):
        list(HtmlReader(max_bytes=1000).read(src, "html"))


def test_delimited_table_needs_three_consistent_lines() -> None:
    assert delimited_table("a, b\nc, d") is None
    assert delimited_table("just a sentence, with a comma\nand another\nthird") is None
    found = delimited_table("a;b;c\n1;2;3\n4;5;6")
    assert found is not None
    assert found[0] == ["a", "b", "c"]
