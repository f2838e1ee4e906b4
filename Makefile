# Proxbox: the two commands are `make demo` and `make test`. See README.md.
SHELL := /bin/bash
STACK := scripts/stack.sh
VENV := .venv/bin
PYTEST_ARGS ?=

.PHONY: demo setup test lint format testdb clean-stack docs bench

## demo: set up the stack (first time ~6 min), serve NetBox, an RQ worker, proxbox-api and a simulated
##       Proxmox on 127.0.0.1, configure Proxbox and run a first Full Update (PROXBOX_DEMO_EXIT=1: then stop)
demo: setup
	@scripts/demo.sh

## setup: venv, NetBox 4.7.3, configuration, database, admin user and API token (idempotent)
setup:
	@$(STACK) setup

## test: ruff, migrations check and the whole test suite against the real NetBox and PostgreSQL
test: testdb lint
	@eval "$$($(STACK) env)" && $(VENV)/pytest $(PYTEST_ARGS)

testdb:
	@$(STACK) testdb

## lint: ruff, mypy --strict on the service, the CLI and the simulator, and the layering contracts
lint:
	@$(VENV)/ruff check .
	@$(VENV)/ruff format --check .
	@$(VENV)/mypy
	@$(VENV)/lint-imports --no-cache

format:
	@$(VENV)/ruff check --fix .
	@$(VENV)/ruff format .

## bench: scaling benchmark of the sync against a real NetBox (FLEETS=S,M,L adds L: ~1.5 h with
##        BENCH_ARGS="--no-floor L", ~2.5 h with its floor); docs/benchmarks.md
FLEETS ?= S,M
BENCH_ARGS ?=
bench: testdb
	@$(VENV)/uv pip install -q -p $(VENV)/python --override .stack/uv-overrides.txt -e '.[bench]'
	@eval "$$($(STACK) env)" && $(VENV)/python bench/bench_sync.py --fleets $(FLEETS) $(BENCH_ARGS)

## clean-stack: drop the dev and test databases and the instance folder (keeps the NetBox template)
clean-stack:
	@$(STACK) clean

## docs: regenerate the docs derived from the code (scripts/gen_docs.py), then build the site into site/
docs: testdb
	@eval "$$($(STACK) env)" && $(VENV)/python scripts/gen_docs.py && $(VENV)/mkdocs build --strict
