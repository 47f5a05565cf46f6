"""The benchmark script still runs: `benchmarks/run.py --quick` writes a report with its tables.

No timing is asserted (pass or fail against a target depends on the machine); this only proves
the script, its test data and its child processes work end to end, so BENCHMARKS.md can be
regenerated at any time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_writes_report(tmp_path: Path) -> None:
    out = tmp_path / "B.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    assert "## Targets" in text
    assert "| Target | Measured | Result |" in text
    results = text.split("## Results", 1)[1].split("## Start-up", 1)[0]
    rows = [line for line in results.splitlines() if line.startswith("| ") and "|--" not in line]
    # header + workbook (CLI, API) + CSV (CLI, API) + PDF (CLI, API) + HTML pages (API)
    # + mixed files (--jobs 1, --jobs 2)
    assert len(rows) == 10, rows
    for row in rows[1:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert float(cells[5]) > 0, row
        if cells[0].startswith(("detention", "person CSV")) or "mixed" in cells[0]:
            assert cells[9] == "block", row  # the record files must be blocked
        else:
            assert cells[9] in ("pass", "warn"), row  # a report and news pages must not be
    assert text.count("PASS") + text.count("FAIL") >= 4
    assert "FAILED" not in text  # every sanity check held
    assert "## Parallel scans" in text
