# Two entry points (see README): `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KG     := $(BIN)/kg
CHROMIUM := /usr/bin/chromium

.PHONY: run test exports check-exports lint bench bench-scale fuzz-deep chromium virtuoso clean

# --- environments ---------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

# --- the main job: validate, a sample query, the exports -------------------
# `exports` writes every generated file; tests/test_exports_fresh.py fails when one is stale.
run: $(VENV)/.installed
	$(KG) validate
	$(KG) path disney kling --explain
	$(MAKE) --no-print-directory exports

exports: $(VENV)/.installed
	$(KG) export rdf --format turtle -o exports/ai-video-kg.ttl
	$(KG) export rdf --format jsonld -o exports/ai-video-kg.jsonld
	$(KG) export graphml -o exports/ai-video-kg.graphml
	$(KG) export cypher -o exports/ai-video-kg.cypher
	$(KG) export html -o exports/ai-video-kg.html
	$(KG) export vocabulary -o ontology/kg.ttl
	$(KG) export shapes -o ontology/shapes.ttl

# --- the whole test suite ----------------------------------------------------
test: $(VENV)/.installed-test chromium virtuoso
	$(BIN)/ruff check kg tests bench
	$(KG) fmt --check
	$(KG) validate --full
	$(BIN)/pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check kg tests bench

bench: $(VENV)/.installed
	$(BIN)/python bench/bench.py

# Every command at 10,000 and 100,000 synthetic facts of two shapes, with the C YAML parser,
# networkx, Kuzu and pyoxigraph beside it (docs/performance.md).
bench-scale: $(VENV)/.installed-bench
	$(BIN)/python bench/scale.py --facts 10000,100000
# The property tests at 10,000 cases each, and the fault suites at depth: 20 parallel
# `kg add`, 30 bit-flip runs of the store, 20 kills of `kg add`, 22 out-of-memory queries
# (make test runs them at a quick size; docs/security.md).
fuzz-deep: $(VENV)/.installed-test
	$(BIN)/pytest -q -p no:cacheprovider tests/test_properties.py --hypothesis-profile=deep \
	  --hypothesis-show-statistics
	$(BIN)/pytest -q -p no:cacheprovider --hypothesis-profile=deep tests/test_store.py \
	  tests/test_cli_curate.py tests/test_cli_rdfcli.py tests/test_remote.py tests/test_journal.py \
	  tests/test_faults.py

# The browser tests drive Debian's Chromium; install it when it is missing.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else \
	    echo "error: $(CHROMIUM) is missing; install Debian's chromium package (apt-get install chromium)" >&2; \
	    exit 1; \
	  fi; \
	fi

# tests/test_remote.py runs a private Virtuoso server as a second SPARQL store.
VIRTUOSO := /usr/bin/virtuoso-t
virtuoso:
	@if [ ! -x $(VIRTUOSO) ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource; \
	  else \
	    echo "error: $(VIRTUOSO) is missing; install Debian's virtuoso-opensource package (apt-get install virtuoso-opensource)" >&2; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .ruff_cache .hypothesis *.egg-info
