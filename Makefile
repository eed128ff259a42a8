# Two commands matter: `make run` (install, load the ontology, serve on 127.0.0.1:8000) and
# `make test` (install with dev extras, lint, type-check, run the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHECKER := tools/neo4j-cypher-check

.PHONY: run test install install-dev load serve lint typecheck pytest verbatim bench clean web

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps: `make run` after an install does not run pip again (about 5 s) unless pyproject.toml changed.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

install-dev: $(VENV)/.installed-dev $(CHECKER)/node_modules/.package-lock.json

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@ $(VENV)/.installed

# Neo4j's own Cypher front end (Node.js), used by tests/test_cypher_neo4j_frontend.py; that test
# skips, saying why, where npm or the registry is missing.
$(CHECKER)/node_modules/.package-lock.json: $(CHECKER)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(CHECKER) --no-audit --no-fund --loglevel=error \
		|| echo "warning: npm ci failed in $(CHECKER); the Neo4j front-end Cypher check will skip"; \
	else echo "npm not found: the Neo4j front-end Cypher check will skip"; fi

# One store start: the service loads the ontology itself unless the store already holds it.
run: install
	$(BIN)/itsm-ontology serve --load --host $(HOST) --port $(PORT)

# The explorer's bundle (app/web/static/) is built from web/ and committed, so `make run` and a
# pip install need no Node.js. After changing web/src or web/package*.json: `make web`, then commit
# app/web/static (tests/test_explorer_static.py fails on a stale bundle).
web:
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	npm run --prefix web build

load:
	$(BIN)/itsm-ontology load

serve:
	$(BIN)/itsm-ontology serve --host $(HOST) --port $(PORT)

lint:
	$(BIN)/ruff check app seed tests bench
	$(BIN)/ruff format --check app seed tests bench

typecheck:
	$(BIN)/mypy

verbatim:
	@if [ -f ../shared/tools/verbatim_check.py ]; then $(BIN)/python ../shared/tools/verbatim_check.py; \
	else echo "verbatim check skipped: ../shared/tools/verbatim_check.py not found"; fi

pytest:
	$(BIN)/pytest

test: install-dev lint typecheck verbatim pytest

# `make bench` at seed scale; e.g. `make bench BENCH_ARGS="--scale 10k"` (see bench/run.py).
bench: install-dev
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache $(CHECKER)/node_modules web/node_modules tests/artifacts
