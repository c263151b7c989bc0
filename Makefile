# Two commands on a fresh machine: `make run` (the product) and `make test` (the checks).
# The virtualenv is (re)built from pyproject.toml whenever that file changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
# Public benchmark data, read in place (never copied into the project).
BENCH_DATA ?= ../shared/benchmarks
SIZES ?= 10000,100000,1000000

.PHONY: run test lint typecheck unit venv clean bench-quality bench-speed bench-summary bench-feeds

# The install also compiles the ranking's C kernel (hatch_build.py): rebuilt when its source changes.
KERNEL_SRC := index/retrieval/kernels/postings.c index/retrieval/kernels/words.c \
	index/retrieval/kernels/files.c index/retrieval/kernels/reads.c
$(STAMP): pyproject.toml $(KERNEL_SRC)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]' 1>&2
	@touch $(STAMP)

# `make run` needs only the product's own packages (the dev extra adds the test tools and the
# semantic extra's PyTorch, ~1.5 GB, for its tests).
RUN_STAMP := $(VENV)/.installed-run
$(RUN_STAMP): pyproject.toml $(KERNEL_SRC)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e . 1>&2
	@touch $(RUN_STAMP)

venv: $(STAMP)

$(BENCH_STAMP): $(STAMP)
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]' 1>&2
	@touch $(BENCH_STAMP)

# Build/open/memory/latency at each size vs Tantivy, SQLite FTS5, bm25s and rank-bm25 (minutes).
bench-speed: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks speed --data $(BENCH_DATA) --sizes $(SIZES)

run: $(RUN_STAMP)
	@$(BIN)/verbatim run

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check index bot benchmarks tests
	$(BIN)/ruff format --check index bot benchmarks tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q

# Answer quality vs plain rank-bm25 on SQuAD and WikiQA (see README, "Quality").
bench-quality: $(STAMP)
	$(BIN)/python -m benchmarks quality --data $(BENCH_DATA)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

bench-summary: $(STAMP)
	$(BIN)/python -m benchmarks summary --data $(BENCH_DATA) --archive

# Pull and index 50 items from a loopback RSS feed (see docs/web-pages-and-feeds.md).
bench-feeds: $(STAMP)
	$(BIN)/python -m benchmarks feeds --items 50
