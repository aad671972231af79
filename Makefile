# The whole set-up on a fresh machine: `make run` or `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: install run dev demo migrate test e2e messages mutate lint format plotlyjs bench bench-smoke plans load load-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py demo

# The demo as users see it: no debug pages (a mistyped address gets the friendly 404), static files through
# whitenoise. `make dev` is the same with DEBUG on, for development.
run: demo
	@echo "Serving implhub on http://$(HOST)/  (Ctrl+C stops it)"
	DEBUG=0 $(BIN)/python manage.py runserver $(HOST)

dev: demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST)

test: install
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

# Every marked string extracts without a warning (needs Debian's gettext; CI installs it). Writes nothing
# to the tree: the catalogue goes to a scratch copy of the locale folder.
messages: install
	@out=$$($(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=.mutation --ignore=tests \
		--ignore=static --no-obsolete 2>&1); status=$$?; rm -rf locale/en; echo "$$out"; \
		test $$status -eq 0 && ! echo "$$out" | grep -qi warning

e2e: install
	$(BIN)/pytest -m e2e tests/e2e

# Mutation testing of the critical modules (tens of minutes; not in `make test` or CI). One module:
# `make mutate MODULE=assessments/access.py`. Results and surviving mutants land in .mutation/.
mutate: install
	$(BIN)/pip install --quiet -e ".[dev,mutation]"
	$(BIN)/python tests/mutation/mutate.py $(MODULE)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

plotlyjs: install  # after upgrading plotly: re-vendor the matching plotly.js
	$(BIN)/python manage.py vendor_plotly

# Latency and query counts against the configured database (DATABASE_URL), filled first with
# `manage.py generate_dataset` (README, Performance). Options: `make bench BENCH="--runs 50 --workers 2"`.
bench: install
	$(BIN)/python -m bench.run $(BENCH)

# The same on a tiny dataset in a database of its own (created and dropped), 2 runs: CI keeps it working.
bench-smoke: install
	$(BIN)/python -m bench.run --smoke

# The PostgreSQL plans of the same pages, read-only: which queries take the database's time, and any
# sequential scan of a large table (docs/performance.md). `make plans PLANS="--plans /tmp/plans"`.
plans: install
	$(BIN)/python -m bench.plans $(PLANS)

# Simulated people (locust) on two gunicorn instances sharing the configured database, then every
# acknowledged write looked up in it (README, Performance). Options: `make load LOAD="--users 50 --time 60"`.
load: install
	$(BIN)/python -m bench.load $(LOAD)

# The same on a tiny dataset in a database of its own (created and dropped), 6 people for 10 s: for CI.
load-smoke: install
	$(BIN)/python -m bench.load --smoke

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mutation
