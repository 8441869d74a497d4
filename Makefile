# Two commands set everything up: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_SETTINGS_MODULE=siteconf.settings.dev

.PHONY: run test prod-check load bench install install-test lint messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Serve the site on the embedded default (SQLite, database search, local media) with demo content.
run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo_content
	$(DEV) $(BIN)/python manage.py ensure_admin
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Install what the tests need, start PostgreSQL and a search node, run every check and test.
test:
	bash scripts/test.sh

## Rehearse production without containers: the Procfile's steps and processes, used as a family
## and staff would (make test runs it too).
prod-check:
	PROD_CHECK_ONLY=1 bash scripts/test.sh

## Submissions under load with a fault halfway, everything counted afterwards (a benchmark:
## figures in RESILIENCE.md). For example: make load LOAD_ARGS="--fault engine-kill".
load:
	LOAD=1 LOAD_ARGS="$(LOAD_ARGS)" bash scripts/test.sh

## Public pages against the framework's floor (figures in BENCHMARKS.md); not part of `make test`.
bench:
	bash scripts/bench.sh

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Rebuild the compiled admin translations after editing locale/zh_Hans/LC_MESSAGES/django.po.
messages:
	msgfmt --check-format -o locale/zh_Hans/LC_MESSAGES/django.mo locale/zh_Hans/LC_MESSAGES/django.po
