"""The scan pool: results like `spillguard scan`, a time limit that fails closed, recovery."""

from __future__ import annotations

import asyncio
from pathlib import Path

from spillguard.audit.runner import ScanPool
from spillguard.policy import DEFAULT_POLICY, with_overrides
from tests import builders


def test_scans_in_workers_and_a_slow_file_is_an_error(tmp_path: Path) -> None:
    big = tmp_path / "big.xlsx"
    builders.detention_workbook(big, n=3000, seed=1)
    small = tmp_path / "small.csv"
    small.write_text("year,total\n2023,10\n")
    pool = ScanPool(2, with_overrides(DEFAULT_POLICY, time_limit=0.05))
    try:
        slow = asyncio.run(pool.scan(big, "http://site.example/big.xlsx", "a" * 64))
        assert slow.verdict == "error"
        assert slow.sha256 == "a" * 64
        assert slow.error is not None
        assert "longer than the time limit of 0.05 s" in slow.error
        pool.time_limit = 300  # the replaced pool works
        ok = asyncio.run(pool.scan(big, "http://site.example/big.xlsx", "b" * 64))
        clean = asyncio.run(pool.scan(small, "http://site.example/small.csv", "c" * 64))
    finally:
        pool.close()
    assert (ok.verdict, ok.individuals) == ("block", 3000)
    assert "A_NUMBER" in ok.entities
    assert clean.verdict == "pass"
