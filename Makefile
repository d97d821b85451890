# Two commands set everything up on a fresh machine (Python >= 3.11):
#   make demo   installs figwatch into .venv and runs `figwatch demo`
#   make test   installs figwatch with its test tools into .venv and runs lint, types and tests
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.figwatch-installed

.PHONY: demo test bench install

# Rebuilt when the compiled extractor modules change too (setup.py compiles them with mypyc).
$(STAMP): pyproject.toml setup.py $(wildcard pipeline/figures/*.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/figwatch demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.text
	$(BIN)/python -m bench.pipeline
