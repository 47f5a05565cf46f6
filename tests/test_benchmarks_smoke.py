"""The benchmark script still runs: `benchmarks/run.py --quick --no-compare` writes a report with
its tables (the Presidio comparison has its own smoke test, tests/test_compare_smoke.py).

No timing is asserted (pass or fail against a target depends on the machine); this only proves
the script, its test data and its child processes work end to end, so BENCHMARKS.md can be
regenerated at any time, and that neither the report nor the log quotes a value from the files.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from tests.e2e.test_no_second_leak import _leaks

ROOT = Path(__file__).resolve().parent.parent


def _section(text: str, start: str, end: str) -> str:
    assert start in text, start
    return text.split(start, 1)[1].split(end, 1)[0]


def _planted(csv_path: Path) -> set[str]:
    """Values from the benchmark's own CSV: long surnames, A-number digits, birth dates."""
    out: set[str] = set()
    with csv_path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))[1:300]
    for a_number, last, first, birth, *_ in rows:
        out.add("".join(ch for ch in a_number if ch.isdigit()))
        out.add(birth)
        out.add(f"{first} {last}")
        if len(last) >= 6:
            out.add(last)
    return out


def test_quick_benchmark_writes_report(tmp_path: Path) -> None:
    out, work = tmp_path / "B.md", tmp_path / "work"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--no-compare",
         "--out", str(out), "--workdir", str(work)],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    audit = _section(text, "## Site audits", "## Against Presidio")
    for run in ("| full audit |", "| unchanged re-audit |"):
        row = next(line for line in audit.splitlines() if line.startswith(run))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[1]) > 0, row  # wall time
        assert int(cells[5].replace(",", "")) + int(cells[6].replace(",", "")) == 200, row
    machine = _section(text, "## Machine", "## Versions")
    for key in ("CPU", "Cores", "Memory", "OS"):
        assert f"- {key}: " in machine, key
    versions = _section(text, "## Versions", "## Whole files")
    for package in ("Python", "spillguard", "presidio-analyzer", "presidio-evaluator", "spaCy"):
        assert f"| {package} | " in versions, package
    assert "| Target | Measured | Result |" in _section(text, "### Targets", "### Results")
    results = _section(text, "### Results", "### Parallel scans")
    rows = [line for line in results.splitlines() if line.startswith("| ") and "|--" not in line]
    # header + workbook, CSV, PDF folder, HTML pages (CLI and API each), mixed files (--jobs 1, 2)
    assert len(rows) == 11, rows
    kinds = {"detention": 0, "person CSV": 0, "PDFs": 0, "HTML": 0, "mixed": 0}
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[5]) > 0, row
        assert float(cells[8]) > 0, row  # peak RSS
        kind = next(k for k in kinds if k in cells[0])
        kinds[kind] += 1
        if kind == "HTML":
            assert cells[9] in ("pass", "warn"), row  # news pages must not be blocked
        else:
            assert cells[9] == "block", row  # records, and the leaking PDFs, must be blocked
    assert set(kinds.values()) == {2}, kinds
    assert text.count("PASS") + text.count("FAIL") >= 4
    checks = _section(text, "### Sanity checks", "## Against Presidio")
    assert "OK: PDFs (CLI)" in checks
    assert "OK: PDFs (API, warm)" in checks
    assert "FAILED" not in checks  # every sanity check held
    assert "Not run this time (`--no-compare`)" in _section(text, "## Against Presidio", "## Rerun")
    assert "--jobs 2" in _section(text, "### Parallel scans", "### Start-up")
    planted = _planted(work / "persons.csv")
    assert len(planted) > 500
    outputs = [*(work / "logs").glob("*.err"), *work.glob("*.report.json")]
    assert outputs
    logs = "".join(p.read_text(encoding="utf-8") for p in outputs)
    assert _leaks(text + done.stdout + done.stderr + logs, planted) == []
