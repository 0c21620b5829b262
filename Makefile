# Developer salary portal. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= portal.settings.dev

.DEFAULT_GOAL := help
.PHONY: help install demo run worker serve migrate test test-fast lint format bench load check audit

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[1m%-10s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev,bench]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the project with its dev dependencies

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

# The development server and, beside it, the background worker that sends mail (printed to
# the console in dev); Ctrl-C stops both.
WORKER := $(PY) manage.py db_worker --backend background --queue-name '*' --no-reload

demo: migrate ## Install, migrate, load demo data and statistics, then serve on 127.0.0.1:8000 with the mail worker
	$(PY) manage.py prepare_demo --url http://$(HOST):$(PORT)
	@echo "Serving on http://$(HOST):$(PORT)/ with the background worker (Ctrl-C stops both)"
	@$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

run: migrate ## Serve the development site and the mail worker without touching the data
	@$(WORKER) & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

worker: migrate ## Run the background worker alone (newsletter mail, confirmations)
	$(WORKER)

serve: install ## Serve with gunicorn and production settings (set SECRET_KEY, DATABASE_URL, REDIS_URL)
	@for var in SECRET_KEY DATABASE_URL REDIS_URL; do \
		[ -n "$${!var}" ] || { echo "make serve: set $$var first (see docs/deploy.md)"; exit 2; }; \
	done
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=portal.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=portal.settings.production $(VENV)/bin/gunicorn -c gunicorn.conf.py portal.wsgi:application

test: install ## Run the whole test suite (set DATABASE_URL to run it on PostgreSQL)
	DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest

audit: install ## Check the installed dependencies against the PyPI advisory database (needs internet)
	$(PIP) install --quiet pip-audit
	$(VENV)/bin/pip-audit --progress-spinner off --skip-editable

lint: install ## Check code style, migrations, and that no secret is committed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	@git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo "make lint: the secrets scan needs a git checkout"; exit 2; }
	git ls-files -z | xargs -0 $(VENV)/bin/detect-secrets-hook --baseline .secrets.baseline

format: install ## Format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## Run the benchmarks in bench/ and print their figures
	@set -e; for script in bench/bench_*.py; do \
		[ -e "$$script" ] || { echo "no benchmarks yet"; break; }; \
		echo "== $$script"; $(PY) $$script; \
	done

load: install ## Load and fault runs at 1M offers on a stack of their own (minutes; LOAD_ARGS=--help)
	$(PY) bench/load/run_load.py $(LOAD_ARGS)
