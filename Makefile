# Two commands for a newcomer: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install assets chromium demo test lint typecheck pytest bench docs clean

install: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json kinsight/web/assets/kinsight.scss
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(MAKE) assets chromium
	touch $(STAMP)

# GOV.UK Frontend, built from the pinned npm package (package-lock.json) into the web app's static
# files; axe-core for the browser tests' accessibility checks. Built files are not committed.
STATIC := kinsight/web/static
assets:
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	mkdir -p $(STATIC)/govuk $(STATIC)/web var/vendor
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
		kinsight/web/assets/kinsight.scss $(STATIC)/web/kinsight.css
	cp -R node_modules/govuk-frontend/dist/govuk/assets $(STATIC)/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(STATIC)/govuk/
	cp node_modules/axe-core/axe.min.js var/vendor/axe.min.js

# The browser tests drive Debian's chromium; nothing downloads a browser at test time.
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

demo: install
	KINSIGHT_ENV=demo $(BIN)/kinsight demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy kinsight

# Two workers, one per core of the machine the suite must fit; work-stealing keeps the long
# feed tests from leaving one worker idle at the end.
pytest: install
	KINSIGHT_ENV=test $(BIN)/pytest -q -n 2 --dist worksteal

test: lint typecheck pytest

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	KINSIGHT_ENV=test $(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/*.sqlite3* bench/out test-artifacts var/screenshots var/vendor \
		$(STATIC)/govuk $(STATIC)/web/kinsight.css
