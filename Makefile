# Two commands on a fresh machine: `make run` (the product) and `make test` (the checks).
# The virtualenv is (re)built from pyproject.toml whenever that file changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint typecheck unit venv clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' 1>&2
	@touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@$(BIN)/verbatim run

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check index bot tests
	$(BIN)/ruff format --check index bot tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
