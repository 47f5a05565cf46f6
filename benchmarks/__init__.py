"""Benchmarks for spillguard's scanner: see benchmarks/README.md and BENCHMARKS.md."""
