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
$(VENV)/.installed-%: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[$*]"
	touch $@

## Crawl the bundled offline mirror; JSON lines land in output/tribun/<run>.jsonl
crawl: $(VENV)/.installed-test
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
mirror: $(VENV)/.installed-test
	$(BIN)/python -m tools.build_mirror --out mirror

## Re-resolve the pinned versions in constraints.txt from pyproject.toml's bounds (then run make test)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv && .lock-venv/bin/python -m pip install -q -e ".[test]"
	{ echo "# Exact versions CI installs and tests (make lock regenerates it from a fresh install of .[test])."; \
	  .lock-venv/bin/pip freeze | grep -v -e '^-e' -e tribun; } > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
