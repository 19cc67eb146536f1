# The two commands of the README: `make run` and `make test`. Everything they need is
# installed from the project's own files (pyproject.toml + uv.lock, package.json +
# package-lock.json), so they work on a fresh machine. The machine needs Python 3.11,
# Node.js 20+ with npm and WeasyPrint's system libraries: scripts/check-prereqs.sh says
# which is missing (and, as root on Debian or Ubuntu, installs the libraries).

SHELL := /bin/bash
PYTHON ?= python3.11
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(PYTHON)
# uv lives in its own virtual environment in the project folder, so nothing is ever
# installed into the system Python (Debian refuses that: "externally-managed-environment").
TOOLS := .venv-tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= auto

.PHONY: run test install prereqs system-libs python-deps assets chromium lint format check-deploy worker beat bench clean

# The demo runs as users see it: DEBUG off (plain error pages), static files collected and
# served by WhiteNoise. DJANGO_DEBUG=true make run shows Django's debug pages instead.
run: install system-libs ## Install, migrate, seed the demo (swept for today) and serve on 127.0.0.1:8000
	$(RUN) manage.py migrate --noinput
	$(RUN) manage.py collectstatic --noinput --verbosity 0
	$(RUN) manage.py seed_demo --address http://$(HOST):$(PORT)/
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(RUN) manage.py runserver $(HOST):$(PORT)

test: install system-libs chromium ## Install everything, then lint and run the whole suite (browser tests included)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The check needs no database: run it on the embedded default whatever DATABASE_URL says.
	env -u DATABASE_URL $(RUN) manage.py makemigrations --check --dry-run
	@# One pytest worker per core (PYTEST_WORKERS=0 runs in one process); each worker
	@# has its own test database, and a file's tests stay together on one worker.
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile

install: prereqs python-deps assets

prereqs:
	@PYTHON="$(PYTHON)" sh scripts/check-prereqs.sh

# WeasyPrint's libraries (pango, harfbuzz...): installed when run as root on Debian or
# Ubuntu, otherwise the exact apt-get command is printed.
system-libs:
	@PYTHON="$(PYTHON)" sh scripts/check-prereqs.sh --system-libs

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv>=0.9"

python-deps: prereqs $(UV)
	$(UV) sync --frozen

assets: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	sh scripts/build-assets.sh

# Browser tests drive Debian's Chromium; PDF text checks use poppler's pdftotext.
chromium:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else \
	    echo "Chromium or pdftotext is missing: run 'sudo apt-get install -y chromium poppler-utils'"; exit 1; \
	  fi; \
	fi

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: python-deps ## The production settings pass Django's deployment checklist
	DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=governance.example.org \
	DJANGO_SECRET_KEY=$$($(RUN) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	$(RUN) manage.py check --deploy --fail-level WARNING

worker: install ## A Celery worker against Redis (REDIS_URL, default redis://127.0.0.1:6379/0)
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(VENV)/bin/celery -A governance worker --loglevel=info

beat: install ## Celery beat: the daily schedule in governance/celery.py
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(VENV)/bin/celery -A governance beat --loglevel=info --schedule var/celerybeat-schedule

# The benchmark wants PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench
# (BENCH_ARGS= leaves out the minute under load; SCALE=20 is a quick look).
BENCH_ARGS ?= --load
bench: python-deps ## Seed (or reuse) 2,000 contracts, time the main pages against their goals, then load
	$(RUN) manage.py migrate --noinput
	$(RUN) manage.py benchmark --scale $${SCALE:-2000} $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(TOOLS) node_modules static/vendor staticfiles
