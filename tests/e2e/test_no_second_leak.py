"""Never the second leak: plant values in every kind of input, then grep every output for them.

Outputs checked: the text report, the JSON report, the report written with --output, the log on
stderr with --verbose, and the messages of files that fail to read.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests import builders

# (builder, keyword arguments, how many person_records it draws, seed)
PLANTED: list[tuple[str, dict[str, Any], int, int]] = [
    ("detention_workbook", {"n": 400}, 400, 0),
    ("hidden_columns_workbook", {}, 120, 1),
    ("hidden_rows_workbook", {}, 80, 2),
    ("filtered_rows_workbook", {}, 150, 3),
    ("pivot_cache_only_workbook", {}, 300, 4),
    ("comments_workbook", {}, 4, 5),
    ("custom_property_workbook", {}, 1, 6),
    ("white_text_workbook", {}, 3, 13),
    ("defined_names_workbook", {}, 3, 14),
    ("external_link_workbook", {}, 25, 15),
    ("chart_cache_workbook", {}, 5, 16),
    ("orphan_strings_workbook", {}, 3, 17),
]


def _secrets(records: list[dict[str, Any]]) -> set[str]:
    out: set[str] = set()
    for r in records:
        out.add(r["name"])
        for key in ("first_name", "last_name"):
            if len(r[key]) >= 6:
                out.add(r[key])
        out.add(r["a_digits"])
        bd = r["birthdate"]
        out.add(bd.isoformat())
        out.add(bd.strftime("%m/%d/%Y"))
        out.add(re.sub(r"\D", "", r["phone"])[-10:])
    return out


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    root = tmp_path_factory.mktemp("planted")
    secrets: set[str] = set()
    for name, kwargs, n, seed in PLANTED:
        getattr(builders, name)(root / f"{name}.xlsx", **kwargs)
        secrets |= _secrets(builders.person_records(n, seed=seed))
    builders.records_csv(root / "records.csv", 500)
    secrets |= _secrets(builders.person_records(500, seed=12))
    # broken files that still hold values: their error messages must not quote them
    full = root / "detention_workbook.xlsx"
    data = full.read_bytes()
    (root / "truncated.xlsx").write_bytes(data[: len(data) // 2])
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(root / "zero-sheet.xlsx", "w") as dst:
        for item in src.infolist():
            payload = b"" if item.filename.endswith("sheet4.xml") else src.read(item)
            dst.writestr(item, payload)
    # staff names planted by the builders in comment authors and threaded-comment persons
    secrets |= {"Dana Whitfield", "Priya Raghunathan", "priya.raghunathan@example.org"}
    return root, secrets


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spillguard.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env={"SPILLGUARD_SECRET": "planted-test", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
    )


def _leaks(text: str, secrets: set[str]) -> list[str]:
    low = text.casefold()
    found = []
    for s in secrets:
        if s.isdigit():
            if re.search(rf"(?<!\d){re.escape(s)}(?!\d)", text):
                found.append(s)
        elif re.search(rf"(?<!\w){re.escape(s.casefold())}(?!\w)", low):
            found.append(s)
    return found


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_planted_value_in_any_output(
    planted_dir: tuple[Path, set[str]], fmt: str, tmp_path: Path
) -> None:
    root, secrets = planted_dir
    proc = _run("scan", str(root), "--format", fmt, "--verbose", "--no-progress")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert len(secrets) > 1000
    assert "BLOCKED" in proc.stdout or '"block"' in proc.stdout
    assert _leaks(proc.stdout, secrets) == []
    assert _leaks(proc.stderr, secrets) == []
    out = tmp_path / f"report.{fmt}"
    proc2 = _run("scan", str(root), "--format", fmt, "--output", str(out), "--no-progress")
    assert proc2.returncode == 1
    assert _leaks(out.read_text(encoding="utf-8"), secrets) == []


def test_broken_files_report_errors_without_values(planted_dir: tuple[Path, set[str]]) -> None:
    root, secrets = planted_dir
    proc = _run(
        "scan", str(root / "truncated.xlsx"), str(root / "zero-sheet.xlsx"), "--format", "json"
    )
    assert proc.returncode == 1
    assert '"error"' in proc.stdout
    assert "Traceback" not in proc.stderr
    assert _leaks(proc.stdout + proc.stderr, secrets) == []


def test_the_grep_would_catch_a_leak(planted_dir: tuple[Path, set[str]]) -> None:
    """The check above must be able to fail: a report that quotes one value is caught."""
    _, secrets = planted_dir
    some = sorted(secrets)[:3]
    assert _leaks("report: " + " | ".join(some), secrets) != []
