# Set-up and everyday commands. Everything installs itself into .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Extra arguments for the crawl, e.g. make crawl ARGS="-a portals=bangka"
ARGS   ?=

.PHONY: crawl test lint bench mirror clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed-%: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e ".[$*]"
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

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
