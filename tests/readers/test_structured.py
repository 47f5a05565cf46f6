"""JSON, NDJSON, XML and YAML readers: sniffing, tables from records, paths, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import Surface, TablePart, TextPart
from spillguard.readers.base import ReadItem, Source
from spillguard.readers.structured import JsonReader, XmlReader, YamlReader
from tests import builders_web as bw

JSON, XML, YAML = JsonReader(), XmlReader(), YamlReader()


def _src(tmp_path: Path, content: str | bytes, name: str) -> Source:
    p = tmp_path / name
    if isinstance(content, str):
        p.write_text(content, encoding="utf-8")
    else:
        p.write_bytes(content)
    return Source.from_path(p)


def _tables(items: list[ReadItem]) -> list[TablePart]:
    return [i for i in items if isinstance(i, TablePart)]


def _texts(items: list[ReadItem]) -> dict[str, TextPart]:
    return {i.location.where: i for i in items if isinstance(i, TextPart)}


# -- sniffing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ('{"a": 1}', "x.txt", "json"),
        ("\ufeff [1, 2, 3]", "x", "json"),
        ('{"a": 1, "b": ', "x.json", "json"),  # broken, but unmistakably JSON: reading reports it
        ('{"a": 1}\n{"a": 2}\n{"a": 3}\n', "x.log", "ndjson"),
        ("[Draft] memo about the [redacted] case", "memo.txt", None),
        ("[1, 2] is a list, said the teacher.", "x.md", None),
        ("name,dob\nAna,1990-01-01\n", "x.csv", None),
        ("{{ template }}", "x.html", None),
    ],
)
def test_json_sniff(tmp_path: Path, content: str, name: str, expected: str | None) -> None:
    assert JSON.sniff(_src(tmp_path, content, name)) == expected


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("---\nname: Ana\nphone: 1\n", "config", "yaml"),
        ("---\nname: Ana\nphone: 1\n", "notes.txt", None),
        ("staff:\n  - name: Ana\n    phone: 1\n", "team.yml", "yaml"),
        ("name: Ana\nphone: 1\n", "notes.txt", None),  # no marker, no YAML name
        ("---\ntitle: Post\ndate: 2022-11-01\n---\n# Heading\nSome prose here.\n", "post.md", None),
        ("---\ntitle: Post\n---\nThis is a paragraph of prose, not data at all.\n", "x", None),
        ("name,phone\nAna,1\nBo,2\n", "x.yaml", None),
        ("From: a@b.org\nTo: c@d.org\nSubject: hi\n\nbody\n", "x.yml", None),
    ],
)
def test_yaml_sniff_is_conservative(
    tmp_path: Path, content: str, name: str, expected: str | None
) -> None:
    assert YAML.sniff(_src(tmp_path, content, name)) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('<?xml version="1.0"?><records/>', "xml"),
        ("<records><r>1</r></records>", "xml"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "xml"),
        ("<html><body>x</body></html>", None),
        ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"/>', None),
        ("<div>fragment</div>", None),
        ("a < b and c > d", None),
    ],
)
def test_xml_sniff(tmp_path: Path, content: str, expected: str | None) -> None:
    assert XML.sniff(_src(tmp_path, content, "x")) == expected


# -- JSON -------------------------------------------------------------------------------------


def test_array_of_objects_is_a_table_with_key_paths(tmp_path: Path) -> None:
    data = {
        "meta": {"author": "Dana Whitfield", "contact": {"phone": "202-555-0142"}},
        "people": [
            {"person": {"name": "Ana Ruiz"}, "ids": ["A1", "A2"], "tags": list("abcdefghijkl")},
            {"person": {"name": "Bo Li"}, "ids": ["B1"]},
        ],
    }
    items = list(JSON.read(_src(tmp_path, json.dumps(data), "x.json"), "json"))
    (table,) = _tables(items)
    assert table.header == ["person.name", "ids[0]", "ids[1]", *[f"tags[{i}]" for i in range(10)],
                            "tags[*]"]  # fmt: skip
    assert table.location.where == "$.people[0..1]"
    rows = list(table.iter_rows())
    assert rows[0][0] == 0
    assert rows[0][1][:3] == ["Ana Ruiz", "A1", "A2"]
    assert rows[0][1][-1] == "k | l"
    assert rows[1][1][:3] == ["Bo Li", "B1", None]
    texts = _texts(items)
    assert texts["$.meta.author"].context == "author"
    assert texts["$.meta.contact.phone"].context == "meta.contact.phone"


def test_keys_that_could_be_values_are_not_shown(tmp_path: Path) -> None:
    data = {"ana.ruiz@example.org": "subscribed", "A123456789": "open"}
    items = list(JSON.read(_src(tmp_path, json.dumps(data), "x.json"), "json"))
    wheres = " ".join(i.location.where for i in items)
    assert "example.org" not in wheres
    assert "123456789" not in wheres
    assert sorted(_texts(items)) == ["$.<key 1>", "$.<key 2>"]


def test_an_object_of_personal_fields_is_one_record(tmp_path: Path) -> None:
    person = {"name": "Ana Ruiz", "birthDate": "1990-01-01", "note": "x", "tags": ["a"]}
    article = {"headline": "Kelly wins", "datePublished": "2022-11-01"}
    data = {"person": person, "article": article}
    items = list(JSON.read(_src(tmp_path, json.dumps(data), "x.json"), "json"))
    (table,) = _tables(items)
    assert table.header == ["name", "birthDate", "note"]
    assert list(table.iter_rows()) == [(1, ["Ana Ruiz", "1990-01-01", "x"])]
    assert table.location.where == "$.person"
    assert sorted(_texts(items)) == [
        "$.article.datePublished",
        "$.article.headline",
        "$.person.tags[0]",
    ]


def test_repeated_keys_are_all_kept(tmp_path: Path) -> None:
    items = list(
        JSON.read(_src(tmp_path, '{"a": {"n": "first"}, "a": {"n": "second"}}', "x"), "json")
    )
    assert sorted(i.text for i in items if isinstance(i, TextPart)) == ["first", "second"]


def test_keyed_records_and_scalar_lists(tmp_path: Path) -> None:
    data = {
        "users": {f"u{i}": {"name": f"N{i}", "dob": "1990-01-01"} for i in range(3)},
        "names": ["Ana Ruiz", "Bo Li", "Cy Tan"],
    }
    tables = _tables(list(JSON.read(_src(tmp_path, json.dumps(data), "x"), "json")))
    assert [t.header for t in tables] == [["key", "name", "dob"], ["names"]]
    assert list(tables[1].iter_rows())[2] == (2, ["Cy Tan"])


def test_array_of_arrays_uses_its_header_row(tmp_path: Path) -> None:
    data = [["name", "dob"], ["Ana Ruiz", "1990-01-01"], ["Bo Li", "1991-02-02"]]
    (table,) = _tables(list(JSON.read(_src(tmp_path, json.dumps(data), "x"), "json")))
    assert table.header == ["name", "dob"]
    assert list(table.iter_rows()) == [
        (1, ["Ana Ruiz", "1990-01-01"]),
        (2, ["Bo Li", "1991-02-02"]),
    ]


def test_json_roster_builder(tmp_path: Path) -> None:
    truth = bw.json_roster(tmp_path / "r.json", n=50)
    tables = _tables(list(JSON.read(Source.from_path(tmp_path / "r.json"), "json")))
    roster = next(t for t in tables if t.location.where == "$.detainees[0..49]")
    assert roster.total_rows == truth.individuals == 50
    assert "person.birthDate" in roster.header


def test_deeply_nested_json_is_a_limit(tmp_path: Path) -> None:
    bw.deeply_nested_json(tmp_path / "d.json")
    src = Source.from_path(tmp_path / "d.json")
    assert JSON.sniff(src) == "json"
    with pytest.raises(LimitExceeded, match="nests deeper than 100 levels"):
        list(JSON.read(src, "json"))


def test_moderately_deep_json_is_a_limit_too(tmp_path: Path) -> None:
    src = _src(tmp_path, '{"a":' * 150 + "1" + "}" * 150, "x.json")
    with pytest.raises(LimitExceeded, match="nests deeper"):
        list(JSON.read(src, "json"))


def test_invalid_json_is_corrupt_with_position(tmp_path: Path) -> None:
    src = _src(tmp_path, '{"name": "Ana Ruiz",\n "dob": }', "x.json")
    with pytest.raises(CorruptFile, match=r"line 2, column 9") as err:
        list(JSON.read(src, "json"))
    assert "Ana" not in str(err.value)


def test_json_size_limit(tmp_path: Path) -> None:
    src = _src(tmp_path, json.dumps([{"a": i} for i in range(1000)]), "x.json")
    with pytest.raises(LimitExceeded, match="over the limit"):
        list(JsonReader(max_bytes=1000).read(src, "json"))


# -- NDJSON -----------------------------------------------------------------------------------


def test_ndjson_streams_into_one_table(tmp_path: Path) -> None:
    bw.ndjson_export(tmp_path / "e.ndjson", n=30)
    src = Source.from_path(tmp_path / "e.ndjson")
    assert JSON.sniff(src) == "ndjson"
    (table,) = _tables(list(JSON.read(src, "ndjson")))
    assert table.header == [
        "a_number",
        "name",
        "dob",
        "country",
        "events[0].type",
        "events[0].date",
    ]
    rows = list(table.iter_rows())
    assert len(rows) == 30
    assert rows[0][0] == 1  # row label: the line number
    assert table.location.where == "lines 1-30"


def test_ndjson_bad_line_names_the_line(tmp_path: Path) -> None:
    src = _src(tmp_path, '{"a": 1}\n{"a": 2}\n{"a": Ana}\n', "x.ndjson")
    with pytest.raises(CorruptFile, match="line 3 of the NDJSON") as err:
        list(JSON.read(src, "ndjson"))
    assert "Ana" not in str(err.value)


# -- XML --------------------------------------------------------------------------------------


def test_xml_records_become_a_table(tmp_path: Path) -> None:
    bw.xml_export(tmp_path / "c.xml", n=5)
    items = list(XML.read(Source.from_path(tmp_path / "c.xml"), "xml"))
    (table,) = _tables(items)
    assert table.header == ["@id", "alienNumber", "fullName", "dateOfBirth", "citizenship"]
    assert table.location.where.startswith("/caseExport/cases/case (lines 6-")
    assert len(list(table.iter_rows())) == 5
    comments = [i for i in items if i.location.surface is Surface.COMMENT]
    assert [c.location.where for c in comments] == ["<!-- comment --> line 2"]
    texts = _texts(items)
    assert texts["line 4, /caseExport/title"].text == "Case export"


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    bw.billion_laughs_xml(tmp_path / "lol.xml")
    src = Source.from_path(tmp_path / "lol.xml")
    assert XML.sniff(src) == "xml"
    with pytest.raises(CorruptFile, match="declares entities"):
        list(XML.read(src, "xml"))


def test_malformed_xml_is_corrupt(tmp_path: Path) -> None:
    src = _src(tmp_path, "<?xml version='1.0'?>\n<r><name>Ana Ruiz</name>\n<x>", "x.xml")
    with pytest.raises(CorruptFile, match="not well-formed") as err:
        list(XML.read(src, "xml"))
    assert "Ana" not in str(err.value)


def test_deep_xml_is_a_limit(tmp_path: Path) -> None:
    src = _src(tmp_path, "<r>" + "<a>" * 400 + "x" + "</a>" * 400 + "</r>", "x.xml")
    with pytest.raises(LimitExceeded, match="deeper than 256"):
        list(XML.read(src, "xml"))


# -- YAML -------------------------------------------------------------------------------------


def test_yaml_staff_is_a_table(tmp_path: Path) -> None:
    bw.yaml_staff(tmp_path / "s.yaml", n=4)
    items = list(YAML.read(Source.from_path(tmp_path / "s.yaml"), "yaml"))
    (table,) = _tables(items)
    assert table.header == ["name", "home_phone", "home_address", "date_of_birth"]
    assert table.location.where == "$.staff[0..3]"
    assert _texts(items)["$.office"].text == "Field Office 12"


def test_yaml_alias_bomb_is_a_limit(tmp_path: Path) -> None:
    bw.yaml_alias_bomb(tmp_path / "b.yaml")
    with pytest.raises(LimitExceeded, match="expands to more than"):
        list(YAML.read(Source.from_path(tmp_path / "b.yaml"), "yaml"))


def test_yaml_python_tags_are_refused(tmp_path: Path) -> None:
    src = _src(tmp_path, "---\na: !!python/object/apply:os.system ['true']\nb: 1\n", "x.yaml")
    with pytest.raises(CorruptFile, match="YAML is not valid"):
        list(YAML.read(src, "yaml"))


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    src = _src(tmp_path, "---\na: 1\nb: [unclosed\nc: 2\n", "x.yaml")
    with pytest.raises(CorruptFile, match=r"YAML is not valid at line \d"):
        list(YAML.read(src, "yaml"))
