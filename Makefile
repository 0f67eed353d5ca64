# The project's table of contents: `make run`, `make test`, `make lint`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/lib/chromium/chromium
NGINX := /usr/sbin/nginx
PG_BIN := /usr/lib/postgresql/15/bin
# The Finnish UI test runs a Finnish Firefox, as a Finnish user has it (tests/firefox/test_finnish.py).
FIREFOX_FI := /usr/lib/firefox-esr/browser/extensions/langpack-fi@firefox-esr.mozilla.org.xpi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Python's bytecode cache stays on for our commands where the environment turns it off
# (PYTHONDONTWRITEBYTECODE): without it each pytest run compiles and rewrites the asserts of
# ~400 modules again, 5 of the quick loop's seconds.
unexport PYTHONDONTWRITEBYTECODE
# Tests run two at a time (pytest-xdist), a file on one worker so that its module's servers
# start once: the browser tests mostly wait (pages, servers, mail), the quick loop computes,
# and either way a 2-core machine has a second core. Override with WORKERS=1 (or more).
WORKERS ?= 2
PARALLEL := -n $(WORKERS) --dist loadfile

.PHONY: run package lock test test-fast test-python test-js test-odoo lint lint-python lint-extension browsers nginx odoo-deps coverage bench clean

# Exactly the versions in requirements.lock (hashes checked), then the project itself.
$(STAMP): setup.cfg pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

## lock: pin every Python dependency of setup.cfg (server and tests) with hashes in requirements.lock
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q pip-tools
	.venv-lock/bin/pip-compile -q --extra test --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links -o requirements.lock setup.cfg
	rm -rf .venv-lock

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

## run: set up and start the server on its embedded defaults (dev mode, demo key `demo`)
run: $(STAMP)
	$(PY) -m server serve

## package: dist/ with the Web Store zip, the CRX signed with KEY (made once, when missing) and the Firefox .xpi
## (UPDATE_URL=https://support.partner.example makes the packages update from that server)
KEY ?= $(HOME)/.config/odoo-support-reporter/crx-key.pem
package: $(STAMP)
	$(PY) -m scripts.package --key "$(KEY)" --out dist $(if $(UPDATE_URL),--update-url "$(UPDATE_URL)")

## browsers: Debian's Chromium and Firefox ESR (with its Finnish language pack) for the browser tests (never a downloaded browser)
browsers:
	@{ test -x $(CHROMIUM) && command -v firefox-esr >/dev/null && test -f $(FIREFOX_FI); } || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium firefox-esr firefox-esr-l10n-fi; }

## nginx: Debian's nginx, openssl (test certificate, CRX signing) and systemd-analyze for tests/deploy/
nginx:
	@{ test -x $(NGINX) && command -v openssl >/dev/null && command -v systemd-analyze >/dev/null; } || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light openssl systemd; }

## test: set up and run every test: JS units, extension lint, server, deployment, browser and real-Odoo tests
test: $(STAMP) node_modules/.installed browsers nginx odoo-deps test-js lint-extension lint-python test-python

# The quick loop's spools on tmpfs where there is one: an fsync there costs nothing.
FAST_TMP := $(shell test -d /dev/shm -a -w /dev/shm && echo TMPDIR=/dev/shm)

## test-fast: the quick loop — JS units and every test that needs no browser, Odoo, nginx or real server
## process; generated-input tests at a tenth of their examples (OSR_FUZZ=fast), spools on tmpfs
test-fast: $(STAMP)
	node --test extension/lib/
	OSR_FUZZ=fast $(FAST_TMP) $(PY) -m pytest -q $(PARALLEL) tests -m 'not slow' --ignore=tests/e2e --ignore=tests/firefox --ignore=tests/odoo --ignore=tests/deploy

## odoo-deps: Debian's PostgreSQL for the real-Odoo tests (a private cluster per run, never the default one)
odoo-deps:
	@test -x $(PG_BIN)/initdb || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

## test-odoo: only the real-Odoo suite; ODOO_SRC=/path/to/odoo [ODOO_ADDONS=/a,/b] for your own build
test-odoo: $(STAMP) node_modules/.installed browsers odoo-deps
	$(PY) -m pytest tests/odoo

test-js:
	node --test extension/lib/

# Three runs: the browser tests in parallel (each worker its own Chromium, Firefox and
# servers); alone, those writing the machine-wide Chromium policy (`policy`); then the rest,
# serially: the real-Odoo suite runs one PostgreSQL cluster and one Odoo per version, and the
# server's crash, outage and full-disk runs count what a lone server does.
test-python: $(STAMP)
	$(PY) -m pytest $(PARALLEL) tests/e2e tests/firefox -m 'not policy'
	$(PY) -m pytest tests/e2e -m policy
	$(PY) -m pytest --ignore=tests/e2e --ignore=tests/firefox

lint-extension: node_modules/.installed
	npx web-ext lint --source-dir extension --self-hosted=false --output text

## lint: ruff for Python, web-ext for the extension
lint: lint-python lint-extension

lint-python: $(STAMP)
	$(PY) -m ruff check server tests bench scripts

## coverage: server tests with branch coverage, server subprocesses included
coverage: $(STAMP)
	$(PY) -m pytest tests/server -q -p no:cacheprovider --cov=server --cov-branch --cov-report=term

## bench: run every benchmark and print its figures and ratios (about 15 minutes warm); the
## real-Odoo ones prepare the harness's Odoo caches on first use, as `make test-odoo` does
BENCHES := detection_latency detection_latency_odoo extension_overhead extension_overhead_odoo \
  ticket_size load post_latency
bench: $(STAMP) browsers odoo-deps
	@failed=""; for b in $(BENCHES); do echo "== bench/$$b.py"; \
	  $(PY) bench/$$b.py || failed="$$failed bench/$$b.py"; done; \
	  if [ -n "$$failed" ]; then echo "== missed their goals:$$failed"; exit 1; fi

clean:
	rm -rf $(VENV) node_modules var .pytest_cache
