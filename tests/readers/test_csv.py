"""Delimited text and plain text: encodings, dialects, headers, streaming, strict decoding."""

from __future__ import annotations

import codecs
import random
import tracemalloc
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from faker import Faker

from spillguard.errors import CorruptFile, LimitExceeded
from spillguard.model import Surface, TablePart, TextPart
from spillguard.readers.base import HEAD_BYTES, Limits, Source
from spillguard.readers.csvtext import CsvReader, PlainTextReader

CSV = CsvReader()
TEXT = PlainTextReader()


def _source(path: Path, data: bytes, *, limits: Limits | None = None) -> Source:
    path.write_bytes(data)
    return Source.from_path(path, limits=limits)


def _table(source: Source) -> TablePart:
    file_type = CSV.sniff(source)
    assert file_type is not None
    parts = list(CSV.read(source, file_type))
    assert len(parts) == 1
    part = parts[0]
    assert isinstance(part, TablePart)
    return part


def _rows(part: TablePart) -> list[tuple[int, list[Any]]]:
    return [(n, list(v)) for n, v in part.rows]


def _people(seed: int, n: int) -> list[list[str]]:
    fake = Faker(["de_DE", "pl_PL", "fr_FR", "es_MX"])
    fake.seed_instance(seed)
    return [[fake.name(), fake.date_of_birth().isoformat(), fake.city(), str(i)] for i in range(n)]


HEADER = ["Name", "Date of birth", "City", "Case"]


def _csv_text(rows: Sequence[Sequence[str]], delimiter: str = ",") -> str:
    def quote(v: str) -> str:
        if any(c in v for c in (delimiter, '"', "\n")):
            return '"' + v.replace('"', '""') + '"'
        return v

    return "".join(delimiter.join(quote(v) for v in row) + "\r\n" for row in rows)


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8 bom"),
        (lambda t: t.encode("utf-16"), "utf-16 bom"),
        (lambda t: t.encode("utf-16-le"), "utf-16-le no bom"),
    ],
)
def test_unicode_csv_round_trip(tmp_path: Path, encode: Any, label: str) -> None:
    people = _people(1, 30)
    source = _source(tmp_path / "people.csv", encode(_csv_text([HEADER, *people])))
    part = _table(source)
    assert part.header == HEADER, label
    assert part.column_labels == HEADER
    assert part.location.surface is Surface.VISIBLE
    assert part.location.where == "lines 2-31"
    assert part.sheet == "people.csv"
    assert _rows(part) == [(i + 2, row) for i, row in enumerate(people)]


def test_cp1252_csv(tmp_path: Path) -> None:
    rows = [["Nom", "Ville", "Montant"], ["Jérôme Lefèvre", "Besançon", "12,50 €"]]
    rows += [["Renée Dupré", "Nîmes", "7,00 €"]] * 40
    source = _source(tmp_path / "export.txt", _csv_text(rows, ";").encode("cp1252"))
    part = _table(source)
    assert part.header == rows[0]
    assert _rows(part)[0] == (2, rows[1])


def test_ascii_head_then_cp1252_later_is_read_as_cp1252(tmp_path: Path) -> None:
    rows = [["Name", "City"]] + [["John Smith", "Leeds"]] * (HEAD_BYTES // 16 + 10)
    rows.append(["Zoë Brontë", "Montréal"])
    source = _source(tmp_path / "late.csv", _csv_text(rows).encode("cp1252"))
    assert source.head.isascii()
    part = _table(source)
    assert _rows(part)[-1][1] == ["Zoë Brontë", "Montréal"]


def test_semicolon_and_tab(tmp_path: Path) -> None:
    people = _people(2, 20)
    semi = _source(tmp_path / "a.dat", _csv_text([HEADER, *people], ";").encode())
    assert CSV.sniff(semi) == "csv"
    assert _table(semi).header == HEADER
    tab = _source(tmp_path / "b.dat", _csv_text([HEADER, *people], "\t").encode())
    assert CSV.sniff(tab) == "tsv"
    part = _table(tab)
    assert part.header == HEADER
    assert _rows(part)[3][1] == people[3]


def test_pipe_delimited(tmp_path: Path) -> None:
    people = _people(3, 10)
    part = _table(_source(tmp_path / "p", _csv_text([HEADER, *people], "|").encode()))
    assert _rows(part)[0][1] == people[0]


def test_headerless_numeric_csv(tmp_path: Path) -> None:
    rows = [[str(i), f"{i * 1.5:.2f}", "2021-03-04", "A0" + str(10_000_000 + i)] for i in range(9)]
    part = _table(_source(tmp_path / "n.csv", _csv_text(rows).encode()))
    assert part.header == ["", "", "", ""]
    assert part.column_labels == ["column 1", "column 2", "column 3", "column 4"]
    assert part.location.where == "lines 1-9"
    assert _rows(part)[0] == (1, rows[0])


def test_headerless_text_csv(tmp_path: Path) -> None:
    fake = Faker("en_GB")
    fake.seed_instance(4)
    rows = [[fake.name(), fake.email(), fake.phone_number()] for _ in range(15)]
    part = _table(_source(tmp_path / "contacts.csv", _csv_text(rows).encode()))
    assert part.header == ["", "", ""]
    assert len(_rows(part)) == 15


def test_header_over_all_text_columns(tmp_path: Path) -> None:
    fake = Faker("it_IT")
    fake.seed_instance(5)
    rows = [["Surname", "Nationality"]] + [[fake.last_name(), "Italian"] for _ in range(12)]
    part = _table(_source(tmp_path / "t.csv", _csv_text(rows).encode()))
    assert part.header == ["Surname", "Nationality"]


def test_quoted_fields_with_newlines_keep_line_numbers(tmp_path: Path) -> None:
    rows = [
        ["Name", "Address", "Note"],
        ["Ana Pérez", "Calle Mayor 1\n28013 Madrid", 'said "hello", left'],
        ["Li Wei", "1 Main St", "none"],
        ["Ola Nordmann", "Storgata 2\nOslo\nNorway", "x"],
        ["Jan Nowak", "ul. Długa 5", "y"],
    ]
    part = _table(_source(tmp_path / "q.csv", _csv_text(rows).encode()))
    got = _rows(part)
    assert got == [(2, rows[1]), (4, rows[2]), (5, rows[3]), (8, rows[4])]
    assert part.location.where == "lines 2-8"


def test_ragged_rows_are_padded_and_widened(tmp_path: Path) -> None:
    data = "Name,Age,City\nA B,1\nC D,2,Paris,extra,more\n\nE F,3,Rome\n"
    part = _table(_source(tmp_path / "r.csv", data.encode()))
    got = _rows(part)
    assert got[0] == (2, ["A B", "1", ""])
    assert got[1] == (3, ["C D", "2", "Paris", "extra", "more"])
    assert got[2] == (5, ["E F", "3", "Rome", "", ""])
    assert part.column_labels == ["Name", "Age", "City", "column 4", "column 5"]
    assert part.header == ["Name", "Age", "City", "", ""]


def test_single_column_csv_by_name(tmp_path: Path) -> None:
    data = "Name\nAlice Martin\nBob Stone\n"
    source = _source(tmp_path / "names.csv", data.encode())
    assert CSV.sniff(source) == "csv"
    same = _source(tmp_path / "names.txt", data.encode())
    assert CSV.sniff(same) is None
    assert TEXT.sniff(same) == "text"


def test_large_csv_streams(tmp_path: Path) -> None:
    rng = random.Random(11)
    path = tmp_path / "big.csv"
    n = 200_000
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("id,name,amount,date,code,city\n")
        for i in range(n):
            fh.write(
                f"{i},Person {rng.randrange(10**6)},{rng.random() * 1000:.2f},"
                f"2020-01-{1 + i % 28:02d},C{rng.randrange(10**5)},Town {i % 97}\n"
            )
    size = path.stat().st_size
    assert size > 10_000_000
    part = _table(Source.from_path(path))
    tracemalloc.start()
    try:
        count = 0
        last = 0
        for number, _values in part.rows:
            count += 1
            last = number
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == n
    assert last == n + 1
    # Holding the rows would take well over 100 MB; streaming stays within a few MB.
    assert peak < size // 2, peak


def test_invalid_bytes_mid_file_is_corrupt(tmp_path: Path) -> None:
    good = ("Name,City\n" + "Łukasz Żak,Łódź\n" * 6000).encode("utf-8")
    assert len(good) > HEAD_BYTES
    data = good + b"Ren\xe9e Dupr\xe9,N\xeemes\n" + "Anna,Kraków\n".encode()
    source = _source(tmp_path / "bad.csv", data)
    with pytest.raises(CorruptFile) as err:
        list(CSV.read(source, "csv"))
    assert str(err.value) == f"the file is not valid UTF-8 at byte offset {len(good) + 3}"
    assert "Ren" not in str(err.value)


def test_invalid_utf16_is_corrupt(tmp_path: Path) -> None:
    good = ("Name,City\n" + "Ana Souza,Lima\n" * 5000).encode("utf-16")
    assert len(good) > HEAD_BYTES
    data = good + b"\x00\xdcA\x00"  # a lone low surrogate
    source = _source(tmp_path / "bad16.csv", data)
    assert CSV.sniff(source) == "csv"
    with pytest.raises(CorruptFile, match=f"not valid UTF-16 at byte offset {len(good)}$"):
        list(CSV.read(source, "csv"))


def test_binary_is_not_claimed(tmp_path: Path) -> None:
    rng = random.Random(3)
    junk = _source(tmp_path / "junk.csv", bytes(rng.randrange(256) for _ in range(20_000)))
    assert CSV.sniff(junk) is None
    assert TEXT.sniff(junk) is None
    nuls = _source(tmp_path / "nul.csv", b"a,b\n" + b"x\x00\x00y,\x00z\x00\x00\n" * 200)
    assert CSV.sniff(nuls) is None
    assert TEXT.sniff(nuls) is None
    zipped = _source(tmp_path / "z.csv", b"PK\x03\x04" + b"a,b,c\n" * 10)
    assert CSV.sniff(zipped) is None
    assert TEXT.sniff(zipped) is None


def test_row_limit(tmp_path: Path) -> None:
    data = _csv_text([HEADER, *_people(6, 20)]).encode()
    source = _source(tmp_path / "l.csv", data, limits=Limits(max_rows=10))
    part = _table(source)
    with pytest.raises(LimitExceeded, match="more than 10 rows"):
        list(part.rows)


def test_prose_is_text_not_csv(tmp_path: Path) -> None:
    prose = (
        "Dear Ms Example,\n\nThank you for your request, which we received on 3 May.\n"
        "We hold the information, but some of it is exempt.\nYours sincerely,\nThe FOI team\n"
    )
    source = _source(tmp_path / "letter.txt", prose.encode())
    assert CSV.sniff(source) is None
    assert TEXT.sniff(source) == "text"
    parts = list(TEXT.read(source, "text"))
    assert len(parts) == 1
    assert isinstance(parts[0], TextPart)
    assert parts[0].text == prose
    assert parts[0].location.where == "lines 1-6"


def test_text_chunks_keep_whole_lines(tmp_path: Path) -> None:
    lines = [f"line {i}: " + "lorem ipsum " * (i % 17) for i in range(1, 20_001)]
    text = "\n".join(lines) + "\n"
    source = _source(tmp_path / "notes.md", text.encode())
    parts = list(TEXT.read(source, "text"))
    assert len(parts) > 3
    assert "".join(p.text for p in parts if isinstance(p, TextPart)) == text
    expected_first = 1
    for part in parts:
        assert isinstance(part, TextPart)
        assert part.text.endswith("\n")
        first, last = (int(x) for x in part.location.where.removeprefix("lines ").split("-"))
        assert first == expected_first
        assert part.text.startswith(f"line {first}:")
        assert part.text.count("\n") == last - first + 1
        expected_first = last + 1
    assert expected_first == 20_001


def test_text_with_invalid_bytes_is_corrupt(tmp_path: Path) -> None:
    good = "Überblick über die Lage\n".encode() * 4000
    assert len(good) > HEAD_BYTES
    source = _source(tmp_path / "t.txt", good + b"\xff\xfe broken\n")
    assert TEXT.sniff(source) == "text"
    with pytest.raises(CorruptFile, match=f"byte offset {len(good)}$"):
        list(TEXT.read(source, "text"))
