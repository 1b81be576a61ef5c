# careties: every target sets up what it needs, and is quick on a second run.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
SYS_STAMP := var/.system-packages

.PHONY: demo test test-postgres test-fast bench lint setup system assets clean

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,postgres]'
	touch $(STAMP)

$(NODE_STAMP): package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# System packages: Chromium for browser tests, PostgreSQL for the second database run.
$(SYS_STAMP):
	mkdir -p var
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v pg_ctlcluster >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null; \
	  else echo "careties: install Debian packages chromium and postgresql (needs root)"; fi; \
	fi
	touch $(SYS_STAMP)

system: $(SYS_STAMP)

assets: setup
	$(PY) -m careties.web.assets

demo: setup assets
	$(VENV)/bin/careties demo

# The whole suite on SQLite, then again on a throwaway PostgreSQL server.
# Browser tests fail (rather than skip) here if Chromium is missing.
export CARETIES_REQUIRE_BROWSER := 1

test: setup system assets
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-postgres
	$(VENV)/bin/ruff check src tests benchmarks

test-postgres: setup system assets
	@url=$$(scripts/postgres.sh start) && \
	  DATABASE_URL=$$url $(PY) -m pytest; status=$$?; \
	  scripts/postgres.sh stop; exit $$status

test-fast: setup
	$(PY) -m pytest -m "not browser and not slow"

BENCHMARKS := import_events stats referrals network load

bench: setup assets system
	@for b in $(BENCHMARKS); do echo "== benchmarks/$$b.py"; $(PY) benchmarks/$$b.py || exit 1; done

lint: setup
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

clean:
	rm -rf $(VENV) node_modules var
