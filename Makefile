# The two commands: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set up what is missing first (Debian packages, .venv, dependencies) and are quick when done.
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on the 2-core CI machines: the suite takes about a third of the time.
PYTEST_ARGS ?= -n auto

.PHONY: run test lint setup bench bench-import loadtest clean

setup:
	bash scripts/setup.sh

# The task worker (background exports and PDFs) runs beside the server and stops with it.
run:
	bash scripts/setup.sh --db --demo
	$(PY) manage.py db_worker & WORKER=$$!; trap "kill $$WORKER" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	.venv/bin/pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Every page on the current database (seed it first: manage.py seed_bench --scale 1).
bench: setup
	$(PY) manage.py bench --json bench-results.json

# The firm import and export over 10,000 generated rows, in a throw-away database.
bench-import: setup
	$(PY) scripts/benchmark.py

# gunicorn + locust on PostgreSQL at scale 1 (seeds the database on the first run).
loadtest: setup
	bash scripts/loadtest.sh

clean:
	rm -rf .venv staticfiles .pytest_cache
