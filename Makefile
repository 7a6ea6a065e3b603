PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run demo test bench check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## One poll of the bundled feeds.yaml / vendors.csv (console alerts without Slack).
run: $(STAMP)
	$(BIN)/monitor --config feeds.yaml run --once

## The whole pipeline on bundled breach reports, offline: feeds served on 127.0.0.1, a throwaway database.
demo: $(STAMP)
	$(BIN)/monitor demo

## The test suite (real HTTP on 127.0.0.1, real SQLite, a local Slack stand-in).
test: $(STAMP)
	$(BIN)/python -m pytest -q

## Benchmarks: ratios measured side by side (not part of `make test`); see BENCHMARKS.md.
## make bench BENCH_ARGS="--quick"  |  BENCH_ARGS="search"  |  BENCH_ARGS="profile" (py-spy)
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/pip install --quiet py-spy
	$(BIN)/python bench/run.py $(BENCH_ARGS)

check: $(STAMP)
	$(BIN)/monitor --config feeds.yaml check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
