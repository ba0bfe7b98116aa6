# Trepart — two commands: `make run` and `make test`. Everything else is set up on the way.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup deps assets messages chromium lint bench drill clean demo worker

# `make run` serves the demo as in production: DEBUG off, gunicorn, collected static files
# served by WhiteNoise, our own error pages. Only what plain http on this machine needs differs:
# a local secret key (generated once into the git-ignored var/), no secure-only cookies, and
# e-mail printed to the console. Gunicorn's own access log stays off: Trepart logs requests
# itself, without the address on anonymous pages (docs/configuration.md).
SECRET_FILE := var/secret_key
WORKERS ?= 2
RUN_ENV = SECRET_KEY="$$(cat $(SECRET_FILE))" ALLOWED_HOSTS=127.0.0.1,localhost SECURE_COOKIES=0 \
	EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend SITE_URL=http://$(HOST):$(PORT)

run: setup $(SECRET_FILE)
	@bash scripts/ensure_pdf_libs.sh
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	$(RUN_ENV) $(PY) manage.py load_demo
	@echo "Serving Fjordvik kommune (demo) at http://$(HOST):$(PORT)/  (Ctrl+C stops)"
	$(RUN_ENV) exec $(VENV)/bin/gunicorn trepart.wsgi \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --no-control-socket

$(SECRET_FILE):
	@mkdir -p $(dir $@)
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

test: setup chromium
	@bash scripts/ensure_pdf_libs.sh
	$(VENV)/bin/pytest

setup: deps assets messages

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: install python3.11 (or set PYTHON=...)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js and npm are needed for the front-end packages: install nodejs and npm."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Translations are compiled from the .po files (pure Python, no system gettext needed).
messages: deps
	$(PY) scripts/compile_messages.py

# Browser tests drive Debian's chromium. Install it when we can (root + apt-get), else say how.
chromium:
	@bash scripts/ensure_chromium.sh

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

worker: setup
	DEBUG=1 $(PY) manage.py db_worker

# `make bench` (issue 14, docs/performance.md): seeds a dataset on PostgreSQL (SCALE=small,
# large or national; BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/trepart_bench),
# serves it with gunicorn as in production and loads it with 8 clients; prints each page's p95
# as a multiple of the floor's and writes bench/results/<scale>.md, .svg and .json.
# BENCH_SKIP_SEED=1 measures an earlier seed again; BENCH_SECONDS sets the measured time.
# The in-process micro-benchmarks: $(PY) -m bench.micro
SCALE ?= small
bench: setup
	@bash scripts/ensure_pdf_libs.sh
	SCALE=$(SCALE) $(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3 .pytest_cache

# `make drill` (issue 15, docs/drill.md): its own PostgreSQL cluster, two gunicorn servers and two
# workers, a 50-user locust soak with a backup, a killed worker and a PostgreSQL restart in it;
# checks every acknowledged write, restores the backup; report in drill/results/.
# DRILL_MINUTES=10 for the full run (default 3). Not part of `make test`.
DRILL_VENV := var/drill-venv
drill: setup $(DRILL_VENV)/.installed
	@bash scripts/ensure_pdf_libs.sh
	$(PY) drill/run.py

$(DRILL_VENV)/.installed: drill/requirements.txt
	$(PYTHON) -m venv $(DRILL_VENV)
	$(DRILL_VENV)/bin/pip install --quiet --upgrade pip
	$(DRILL_VENV)/bin/pip install --quiet -r drill/requirements.txt
	touch $@
