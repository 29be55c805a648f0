# Innovationsakademie Handwerk – development commands. `make` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/academy_test
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
ASSETS := static/build/site.css
SCSS := $(wildcard static/scss/*.scss)
SASS := node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps --silence-deprecation=import

.PHONY: help install assets run test test-postgres lint format messages bench lighthouse clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error --ignore-scripts
	touch node_modules/.package-lock.json

# One stylesheet: the parts of Bootstrap in use, compiled from its Sass sources, plus the theme.
$(ASSETS): $(SCSS) node_modules/.package-lock.json
	mkdir -p static/build
	$(SASS) static/scss/site.scss $@

install: $(STAMP) $(ASSETS) ## Create .venv and install Python and npm dependencies, build assets

assets: $(ASSETS) ## Build the static assets (static/scss with Bootstrap's Sass sources from npm)

run: install ## Set up everything on first run, then serve on http://127.0.0.1:$(PORT)/
	mkdir -p var/mail
	SITE_URL=http://127.0.0.1:$(PORT) $(MANAGE) migrate --noinput
	SITE_URL=http://127.0.0.1:$(PORT) $(MANAGE) load_demo --if-empty
	@echo "Website: http://127.0.0.1:$(PORT)/   Verwaltung: http://127.0.0.1:$(PORT)/admin/"
	SITE_URL=http://127.0.0.1:$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: $(STAMP) ## ruff (lint + format check), djhtml, Django checks, missing migrations
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check $$(find templates -name '*.html')
	$(MANAGE) check --fail-level WARNING
	$(MANAGE) makemigrations --check --dry-run

format: $(STAMP) ## Format Python and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml $$(find templates -name '*.html')

PO := locale/de/LC_MESSAGES/django.po
MAKEMESSAGES_IGNORE := --ignore='node_modules/*' --ignore='var/*' --ignore='tests/*' --ignore='static_collected/*'

messages: $(STAMP) ## Update the German catalogue (new strings keep their German wording) and compile it
	$(MANAGE) makemessages -l de --no-obsolete --no-location $(MAKEMESSAGES_IGNORE)
	msgattrib --clear-fuzzy --empty -o $(PO) $(PO)
	msgen -o $(PO) $(PO)
	$(MANAGE) compilemessages -l de --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'

test: install lint ## Lint plus the whole test suite (unit, integration, browser) on SQLite
	DATABASE_URL= $(BIN)/pytest -n 2 --dist loadfile

test-postgres: install ## The same suite on PostgreSQL (DATABASE_URL, default $(PG_URL))
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -n 2 --dist loadfile

bench: install ## Performance benchmark: cold, warm and cached servers (gunicorn, production settings), wrk; writes var/bench/ (BENCH_ARGS="--database postgres --peer DIR")
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lighthouse: install ## Lighthouse (phone profile) on five pages of the demo site under production settings; writes var/lighthouse/, fails below LIGHTHOUSE_MIN (100) (LIGHTHOUSE_ARGS="--runs 3")
	LIGHTHOUSE_MIN=$${LIGHTHOUSE_MIN:-100} CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m bench.lighthouse $(LIGHTHOUSE_ARGS)

clean: ## Remove generated files (venv, node_modules, build output, var/)
	rm -rf $(VENV) node_modules static/build static_collected var

# --- Production topology on one machine (deploy/, docs/deployment.md) ---
.PHONY: cluster cluster-check cluster-kill-one cluster-status cluster-down cluster-restore-test backup

cluster: install assets ## Two gunicorn app servers, task worker, its own Redis (:6380), nginx load balancer on 127.0.0.1:8300 (PostgreSQL on loopback)
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)
	command -v redis-server >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server)
	$(BIN)/python -m deploy.cluster up

cluster-check: ## Journeys through the load balancer of `make cluster` (session, publish, last seat, proxies, Redis and worker stopped)
	$(BIN)/python -m deploy.journey check

cluster-kill-one: ## Confirmations under load while one app server is killed: nothing lost, no overbooking
	$(BIN)/python -m deploy.journey kill-one

cluster-status: ## Which cluster processes run
	$(BIN)/python -m deploy.cluster status

cluster-down: ## Stop everything `make cluster` started
	$(BIN)/python -m deploy.cluster down

backup: ## pg_dump + media of the cluster database into var/backups/<time>/
	deploy/backup.sh

cluster-restore-test: ## Backup, drop, restore, then the journey script against the restored database
	deploy/restore_test.sh
