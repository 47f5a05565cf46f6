"""The comparison with Presidio still runs: `python -m benchmarks.compare.run --quick` prints its
markdown section, both systems really run (presidio-analyzer and the pinned spaCy model are in
.venv, from benchmarks/requirements.txt), and every table has a row per entity with numbers.

Neither timings nor targets are asserted: whether spillguard meets them is what the benchmark
measures, not whether it works.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from benchmarks.compare.prose import ENTITIES as PROSE_ENTITIES
from benchmarks.compare.systems import PRESIDIO_ENTITIES
from benchmarks.compare.tables import ENTITIES as TABLE_ENTITIES

ROOT = Path(__file__).resolve().parent.parent

#: the entities the generated documents always hold, so the quick run's prose table has them
DOCUMENT_ENTITIES = {
    "PERSON", "DATE_OF_BIRTH", "NATIONALITY", "A_NUMBER", "US_SSN", "PHONE_NUMBER",
    "EMAIL_ADDRESS",
}  # fmt: skip


def _section(text: str, start: str, end: str) -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


def _rows(text: str) -> dict[str, list[str]]:
    """Data rows of the first markdown table in `text`, keyed by their first cell."""
    lines = text.strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    out: dict[str, list[str]] = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        out[cells[0]] = cells[1:]
    return out


def _score(cell: str) -> float:
    value = float(cell)
    assert 0.0 <= value <= 1.0, cell
    return value


def _check_scores(rows: dict[str, list[str]], *, count_col: bool = True) -> None:
    for entity, cells in rows.items():
        assert len(cells) == 7, (entity, cells)  # support, then P R F1 for each system
        if count_col:
            assert int(cells[0].replace(",", "")) >= 0, entity
        for cell in cells[1:4]:
            _score(cell)
        theirs = cells[4:7]
        if entity in PRESIDIO_ENTITIES or entity == "**shared entities**":
            for cell in theirs:
                _score(cell)
        else:
            assert theirs == ["n/a"] * 3, (entity, theirs)


def test_quick_comparison_renders_every_table(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update({"SPILLGUARD_SECRET": "compare-smoke", "XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    env.pop("SPILLGUARD_SECRET_FILE", None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.compare.run", "--quick"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert not re.search(r"\bERROR\b|\w+Error\b|\w+Exception\b", done.stderr), done.stderr[-3000:]
    text = done.stdout
    assert text.startswith("## Against Presidio")
    assert not (tmp_path / "cfg").exists()  # no installation secret was created

    targets = _rows(_section(text, "### Targets", "### Tables"))
    assert len(targets) >= len(TABLE_ENTITIES) + 4, targets
    for target, (measured, result) in targets.items():
        assert result in ("met", "NOT MET"), target
        assert re.search(r"\d", measured), target
    for entity in TABLE_ENTITIES:
        assert any(t.startswith(f"Tables, {entity}:") for t in targets), entity
    for prefix in ("Tables: individuals", "Prose, overall", "Speed, table cells", "Speed, prose"):
        assert any(t.startswith(prefix) for t in targets), prefix

    tables = _section(text, "### Tables", "### Prose")
    assert "| Entity | Columns | spillguard P | R | F1 | Presidio P | R | F1 |" in tables
    by_entity = _rows(tables)
    assert set(by_entity) == set(TABLE_ENTITIES)
    _check_scores(by_entity)
    people = _rows(tables.split("Individuals", 1)[1])
    assert len(people) >= 5
    for name, (truth, counted) in people.items():
        assert int(truth.replace(",", "")) >= 0, name
        assert counted == "none" or int(counted.replace(",", "")) >= 0, name

    prose = _section(text, "### Prose", "### Where Presidio is ahead")
    assert "| Entity | Spans | spillguard P | R | F1 | Presidio P | R | F1 |" in prose
    for part in ("presidio-evaluator", "documents", "all"):
        rows = _rows(_section(prose, f"\n**{part}**", "\n**"))
        assert "**shared entities**" in rows, part
        assert set(rows) <= {*PROSE_ENTITIES, "**shared entities**"}, part
        _check_scores(rows)
        if part != "presidio-evaluator":
            assert set(rows) >= DOCUMENT_ENTITIES, (part, sorted(rows))

    ahead = _section(text, "### Where Presidio is ahead", "### Throughput")
    assert re.search(r"^- ", ahead, re.M)

    throughput = _rows(_section(text, "### Throughput", "\n\n\n"))
    assert set(throughput) == {"table cells", "prose"}
    for what, (ours, theirs, ratio) in throughput.items():
        unit = "cells/s" if what == "table cells" else "MB/s"
        for cell in (ours, theirs):
            m = re.match(rf"([\d,.]+) {unit}", cell)
            assert m, cell
            assert float(m.group(1).replace(",", "")) > 0, cell
        assert float(ratio.removesuffix("x").replace(",", "")) > 0, ratio
