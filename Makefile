# Two commands on a fresh Debian machine: `make demo` and `make test`.
# Each installs what it needs (Debian packages when root, a .venv, the project) and is quick the second time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    := .venv
PYTHON  := $(shell command -v python3.11 || command -v python3)
STAMP   := $(VENV)/.installed

# Debian packages: what the programs need to run, then what the tests start for real.
RUN_APT  := python3-venv python3-dev gcc libpcsclite-dev libpcsclite1 \
            libegl1 libegl-mesa0 libgl1-mesa-dri libmtdev1 espeak-ng
TEST_APT := postgresql socat pcscd vsmartcard-vpcd chromium nginx systemd

.PHONY: help demo test soak system-run system-test venv postgres clean

help:
	@echo "make demo   — start a hub with demo data, a kiosk and a wall display"
	@echo "make test   — run the test suite (starts PostgreSQL and pcscd itself)"
	@echo "make soak   — the wall and kiosk benchmarks run long: memory must stay flat"

system-run:
	@.ci/apt-ensure $(RUN_APT)

system-test: system-run
	@.ci/apt-ensure $(TEST_APT)

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade "pip>=24"
	$(VENV)/bin/pip install --quiet -e '.[test]'
	@touch $(STAMP)

venv: $(STAMP)

# axe-core (the console's accessibility scan) from the npm registry, as locked; npm from Debian if absent.
AXE := .ci/axe/node_modules/axe-core/axe.min.js
$(AXE): .ci/axe/package-lock.json
	@command -v npm >/dev/null || .ci/apt-ensure npm
	npm ci --prefix .ci/axe --no-audit --no-fund --silent
	@touch $@

demo: system-run venv
	$(VENV)/bin/lingong demo

test: system-test venv $(AXE)
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/lint-imports --no-cache
	@eval "$$(.ci/postgres up)" && .ci/pcscd up && \
	  trap '.ci/pcscd down' EXIT && \
	  $(VENV)/bin/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

# A week of page turns at 12 s (50,400) and a day of kiosk visits (3,000): memory must stay flat.
# Hours on a 2-core machine without a GPU; SOAK_FLIPS and SOAK_SESSIONS make it shorter or longer.
SOAK_FLIPS    ?= 50400
SOAK_SESSIONS ?= 3000
soak: system-run venv
	$(VENV)/bin/lingong bench display --flips $(SOAK_FLIPS) --size 1920x1080 --timeout 86400 --json
	$(VENV)/bin/lingong bench kiosk --postings 20000 --sessions $(SOAK_SESSIONS) --timeout 86400 --json

clean:
	rm -rf $(VENV) var build *.egg-info .pytest_cache
