# One command for the benchmarks. `make bench` bootstraps .venv (spillguard, its dev tools and
# benchmarks/requirements.txt: Presidio and the pinned spaCy model), then rewrites BENCHMARKS.md.
#
#   make bench                  whole-file timings + the Presidio comparison -> BENCHMARKS.md
#   make bench-quick            the same on small inputs (a smoke run, ~1 min) -> $(QUICK_OUT)
#   make bench ARGS=--no-compare    extra options for benchmarks/run.py
#   make bench-quick OUT=/tmp/B.md  write the report elsewhere

PYTHON := .venv/bin/python
QUICK_OUT := benchmarks/out/BENCHMARKS-quick.md

.PHONY: bench bench-quick bootstrap

bench: bootstrap
	$(PYTHON) benchmarks/run.py --out $(or $(OUT),BENCHMARKS.md) $(ARGS)

bench-quick: bootstrap
	$(PYTHON) benchmarks/run.py --quick --out $(or $(OUT),$(QUICK_OUT)) $(ARGS)

bootstrap:
	bash scripts/bootstrap
