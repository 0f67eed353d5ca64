# The project's table of contents: `make run`, `make test`, `make lint`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/lib/chromium/chromium
PG_BIN := /usr/lib/postgresql/15/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-python test-js test-odoo lint lint-python lint-extension browsers odoo-deps coverage bench clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## run: set up and start the server on its embedded defaults (dev mode, demo key `demo`)
run: $(STAMP)
	$(PY) -m server serve

## browsers: Debian's Chromium and Firefox ESR for the browser tests (never a downloaded browser)
browsers:
	@{ test -x $(CHROMIUM) && command -v firefox-esr >/dev/null; } || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr; }

## odoo-deps: Debian's PostgreSQL for the real-Odoo tests (a private cluster per run, never the default one)
odoo-deps:
	@test -x $(PG_BIN)/initdb || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

## test: set up and run every test: JS units, extension lint, server, browser and real-Odoo tests
test: $(STAMP) node_modules/.installed browsers odoo-deps test-js lint-extension lint-python test-python

## test-odoo: only the real-Odoo suite; ODOO_SRC=/path/to/odoo [ODOO_ADDONS=/a,/b] for your own build
test-odoo: $(STAMP) node_modules/.installed browsers odoo-deps
	$(PY) -m pytest tests/odoo

test-js:
	node --test extension/lib/

test-python: $(STAMP)
	$(PY) -m pytest

lint-extension: node_modules/.installed
	npx web-ext lint --source-dir extension --self-hosted=false --output text

## lint: ruff for Python, web-ext for the extension
lint: lint-python lint-extension

lint-python: $(STAMP)
	$(PY) -m ruff check server tests bench scripts

## coverage: server tests with branch coverage, server subprocesses included
coverage: $(STAMP)
	$(PY) -m pytest tests/server -q -p no:cacheprovider --cov=server --cov-branch --cov-report=term

## bench: print the measured ratios under bench/
bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
