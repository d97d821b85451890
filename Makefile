# Two commands set everything up on a fresh machine (Python >= 3.11):
#   make demo   installs figwatch into .venv and runs `figwatch demo`
#   make test   installs figwatch with its test tools into .venv and runs lint, types and tests
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.figwatch-installed

.PHONY: demo test bench install bytecode

# Rebuilt when the compiled extractor modules change too (setup.py compiles them with mypyc).
$(STAMP): pyproject.toml setup.py $(wildcard pipeline/figures/*.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(MAKE) --no-print-directory bytecode
	touch $(STAMP)

install: $(STAMP) bytecode

# An editable install leaves figwatch's own modules uncompiled (pip byte-compiles only what
# it copies), and with PYTHONDONTWRITEBYTECODE set (as in the sessions that run our benchmarks)
# Python never writes their bytecode: every command compiled its ~55 modules from source again,
# about 450 M instructions of each start-up. A module edited later is read from its source (its
# cached bytecode is stale) until the next `make install`.
bytecode:
	$(BIN)/python -m compileall -q pipeline storage alerts bench

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
