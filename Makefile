PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LINT_STAMP := $(VENV)/.lint-installed

.PHONY: run demo test lint format bench check clean mutants

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

## Lint, layout and type-check (ruff and mypy, configured in pyproject.toml; installed from the lint extra).
lint: $(LINT_STAMP)
	$(BIN)/ruff format --check monitor tests bench tools
	$(BIN)/ruff check monitor tests bench tools
	$(BIN)/mypy monitor

## Lay the code out with ruff format (configured in pyproject.toml); make lint checks it.
format: $(LINT_STAMP)
	$(BIN)/ruff format monitor tests bench tools

$(LINT_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(LINT_STAMP)

## Benchmarks: ratios measured side by side (not part of `make test`); see BENCHMARKS.md.
## make bench BENCH_ARGS="--quick"  |  BENCH_ARGS="search"  |  BENCH_ARGS="profile" (py-spy)
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/pip install --quiet py-spy
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## Mutation testing (cosmic-ray) of matching, outbox, fetch policy, dedupe, incidents and config, each module
## tested by its own test files, under nice, 35 minutes at most (not part of `make test`; see README).
## make mutants MUTANTS_ARGS="dedupe config"  |  MUTANTS_ARGS="--report"  |  MUTANTS_ARGS="--survivors --budget 600"
MUTANTS_ARGS ?=
mutants: $(STAMP)
	$(BIN)/pip install --quiet -e '.[test,mutants]'
	$(BIN)/python mutation/run.py $(MUTANTS_ARGS)

check: $(STAMP)
	$(BIN)/monitor --config feeds.yaml check

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
