# Two commands for a newcomer: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck pytest bench docs clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	KINSIGHT_ENV=demo $(BIN)/kinsight demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy kinsight

pytest: install
	KINSIGHT_ENV=test $(BIN)/pytest -q

test: lint typecheck pytest

bench: install
	KINSIGHT_ENV=test $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/*.sqlite3* bench/out test-artifacts
