# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench soak lock messages clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "smm-hire needs Python 3.11 or newer: set PYTHON=python3.11")'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

run: $(STAMP)  ## install, migrate, load the demo organisation, serve on http://127.0.0.1:8000
	$(BIN)/smm-hire migrate
	$(BIN)/smm-hire demo
	$(BIN)/smm-hire serve

test: $(STAMP)  ## install and run the whole suite (PostgreSQL half skipped when no server runs)
	$(BIN)/ruff check app alembic tests examples
	$(BIN)/pytest -m "not soak"

bench: $(STAMP)  ## scoring, pages, documents, API and import figures (a few minutes; prints, asserts nothing)
	OMP_NUM_THREADS=1 $(BIN)/python -m tests.benchmarks.scoring
	$(BIN)/python -m tests.benchmarks.pages
	$(BIN)/python -m tests.benchmarks.documents
	$(BIN)/python -m tests.benchmarks.api
	$(BIN)/python -m tests.benchmarks.imports

soak: $(STAMP)  ## the mix under load: 60 s at 64 connections on SQLite and PostgreSQL (about 10 minutes; prints), then the slow crash proofs (about 3 minutes; asserts)
	$(BIN)/python -m tests.benchmarks.load
	$(BIN)/pytest -m soak -s tests/crash

lint: $(STAMP)
	$(BIN)/ruff check app alembic tests examples
	$(BIN)/ruff format --check app alembic tests examples

format: $(STAMP)
	$(BIN)/ruff check --fix app alembic tests examples
	$(BIN)/ruff format app alembic tests examples

messages: $(STAMP)  ## extract new interface strings into app/locale/ru/LC_MESSAGES/messages.po
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ --no-location --sort-output --omit-header -o app/locale/messages.pot .
	$(BIN)/pybabel update -i app/locale/messages.pot -d app/locale -D messages --no-fuzzy-matching --omit-header

lock: $(STAMP)  ## pin what is installed now
	{ head -2 requirements.lock; $(BIN)/pip freeze --exclude-editable | grep -v '^-e'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
