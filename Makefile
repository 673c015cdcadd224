# The two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set up what is missing first (Debian packages, .venv, dependencies) and are quick when done.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on the 2-core CI machines: the suite takes about a third of the time.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint setup bench clean

setup:
	bash scripts/setup.sh

run:
	bash scripts/setup.sh --db --demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	.venv/bin/pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	$(PY) scripts/benchmark.py

clean:
	rm -rf .venv staticfiles .pytest_cache
