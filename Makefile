# Set-up and everyday commands. Everything installs itself into .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Extra arguments for the crawl, e.g. make crawl ARGS="-a portals=bangka"
ARGS   ?=

.PHONY: crawl test lint bench mirror lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install only when the dependency list changes. constraints.txt pins every package to the versions
# the test suite last passed with; pyproject.toml keeps the bounds a library user gets.
# One stamp per set: the crawl needs only the core dependencies, the tests and the benchmarks add their extras.
$(VENV)/.installed-core: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-%: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[$*]"
	touch $@

## Crawl the bundled offline mirror; JSON lines land in output/tribun/<run>.jsonl
crawl: $(VENV)/.installed-core
	$(BIN)/scrapy crawl tribun -s TRIBUN_MIRROR=mirror $(ARGS)

## Lint and run the whole test suite (what CI runs)
test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

## Benchmarks: prints a Markdown table and writes bench/results/latest.md
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench

## Regenerate the bundled mirror from tools/build_mirror.py
mirror: $(VENV)/.installed-core
	$(BIN)/python -m tools.build_mirror --out mirror

## Re-resolve the pinned versions in constraints.txt from pyproject.toml's bounds (then run make test)
# A fresh venv, so nothing already installed here leaks into the set; the bench extra is locked too, so a
# benchmark run in a year still gets a trafilatura that imports.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install -q -e ".[test,bench]"
	{ echo "# Exact versions CI installs and tests: make lock regenerates this file from a fresh install of"; \
	  echo "# .[test,bench] within pyproject.toml's bounds; then run make test and commit it."; \
	  $(LOCK_VENV)/bin/python -m pip freeze --all --exclude-editable | grep -v -i -e '^tribun-crawler' -e '^pip=='; } > constraints.txt
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(LOCK_VENV) .pytest_cache .ruff_cache
