# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
BENCH_ENTRIES ?= 1000000
BENCH_ARGS ?= --reports --imports
BENCH_DB ?= bench

# Debian packages: WeasyPrint (pango, CJK fonts, harfbuzz subsetting so a Chinese PDF renders in
# about 0.5 s instead of 15 s), pdftoppm/pdffonts for checking PDFs.
SYS_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
# Debian's Chromium for the end-to-end tests (Playwright drives it; it never downloads a browser).
E2E_PACKAGES := chromium chromium-driver
# Debian's Redis server (the scale-out tests start their own) and wrk (make bench-http).
SCALE_PACKAGES := redis-server wrk

# A Python 3.12+ interpreter: PYTHON=..., else python3.13/python3.12 on PATH, else pyenv's.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  command -v $$c >/dev/null 2>&1 || [ -x "$$c" ] || continue; \
	  $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$c || echo $$c; } && break; \
	done | head -n 1)

# Local demo: a generated secret kept in var/, plain-HTTP cookies on 127.0.0.1.
RUN_ENV := SECRET_KEY_FILE=var/secret_key ALLOWED_HOSTS=$(HOST),localhost \
	SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_SSL_REDIRECT=false
TEST_ENV := SECRET_KEY=test-only-secret ALLOWED_HOSTS=testserver,localhost,127.0.0.1 DEBUG=false

.PHONY: help
help:
	@echo "make run        build everything and serve the demo portal on http://$(HOST):$(PORT)/"
	@echo "make test       run the whole test suite (end-to-end tests too when Chromium is installed)"
	@echo "make bench      benchmark the catalog with BENCH_ENTRIES entries (default 1,000,000) and the annual report"
	@echo "make bench-http load the public pages with wrk beside a bare Django view (as make run serves them)"
	@echo "make backup     database and media files into var/backups/ (make restore BACKUP=file brings them back)"
	@echo "make lint       ruff check + format check + makemigrations --check"
	@echo "make db-stop    stop the embedded PostgreSQL"

.PHONY: python
python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "No Python 3.12 or newer found. Django 6.1 needs it."; \
	  echo "Install one (Debian 13: apt-get install python3; elsewhere: pyenv install 3.13) or run make PYTHON=/path/to/python3.13"; \
	  exit 1; fi

$(STAMP): requirements.txt | python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

.PHONY: venv
venv: $(STAMP)

.PHONY: sysdeps
sysdeps:
	@missing=$$(for p in $(SYS_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing system packages: $$missing"; \
	    echo "Install them with: sudo apt-get install $$missing"; exit 1; \
	  fi; fi

.PHONY: e2e-deps
e2e-deps:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the end-to-end tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(E2E_PACKAGES) >/dev/null; \
	  else echo "Chromium is missing: sudo apt-get install $(E2E_PACKAGES)"; exit 1; fi; fi

.PHONY: scale-deps
scale-deps:
	@missing=$$(for p in $(SCALE_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing: sudo apt-get install $$missing"; exit 1; fi; fi

var/secret_key:
	@mkdir -p var && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@ && chmod 600 $@

.PHONY: migrate
migrate: venv sysdeps var/secret_key
	$(RUN_ENV) $(PY) manage.py migrate --no-input
	$(RUN_ENV) $(PY) manage.py seed_calendar
	$(RUN_ENV) $(PY) manage.py loaddata themes genres

.PHONY: demo-data
demo-data: migrate
	$(RUN_ENV) $(PY) manage.py seed_demo

.PHONY: run
run: demo-data
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v 0
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(RUN_ENV) $(VENV)/bin/gunicorn disclosure_portal.wsgi --bind $(HOST):$(PORT) --workers 3 --access-logfile -

.PHONY: test
test: venv sysdeps
	@if command -v chromium >/dev/null; then echo "Chromium found: the end-to-end tests run."; \
	else echo "Chromium is NOT installed: the end-to-end tests are skipped (make e2e-deps installs it)."; fi
	$(TEST_ENV) $(PY) -m pytest $(PYTEST_ARGS)

.PHONY: bench
bench: venv sysdeps var/secret_key
	$(RUN_ENV) EMBEDDED_PG_DB=$(BENCH_DB) $(PY) manage.py migrate --no-input -v 0
	$(RUN_ENV) EMBEDDED_PG_DB=$(BENCH_DB) $(PY) manage.py loaddata themes genres -v 0
	$(RUN_ENV) EMBEDDED_PG_DB=$(BENCH_DB) $(PY) manage.py bench --entries $(BENCH_ENTRIES) $(BENCH_ARGS)

# Served as `make run` serves it (its database, gunicorn --workers 3), beside a bare Django view.
.PHONY: bench-http
bench-http: demo-data scale-deps
	$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v 0
	$(RUN_ENV) $(PY) manage.py bench_http $(BENCH_HTTP_ARGS)

BACKUP_DIR ?= var/backups
.PHONY: backup
backup: venv var/secret_key
	$(RUN_ENV) $(PY) manage.py backup --output $(BACKUP_DIR)

.PHONY: restore
restore: venv var/secret_key
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=$(BACKUP_DIR)/portal-backup-YYYYMMDD-HHMMSS.tar"; exit 1; }
	$(RUN_ENV) $(PY) manage.py restore "$(BACKUP)"

.PHONY: lint
lint: venv
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

.PHONY: fmt
fmt: venv
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

.PHONY: db-stop
db-stop: venv
	$(PY) -m disclosure_portal.embedded_db stop
