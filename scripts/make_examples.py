"""Regenerates examples/: synthetic workbooks modelled on the 2022 detention-statistics incident.

Run: .venv/bin/python scripts/make_examples.py   (needs the dev extras: openpyxl, Faker)
Every person in these files is synthetic.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import builders  # noqa: E402


def main() -> None:
    out = ROOT / "examples"
    out.mkdir(exist_ok=True)
    builders.detention_workbook(out / "detention-stats-fy2023.xlsx", n=6252, state="hidden")
    builders.clean_aggregate_workbook(out / "detention-stats-fy2023-clean.xlsx")
    builders.facility_directory_workbook(out / "facility-directory.xlsx")
    print(f"wrote examples to {out}")


if __name__ == "__main__":
    main()
