# Two commands do everything: `make run` (demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# A Python 3.12+ for the virtualenv: a working python3.12/python3.13 on PATH first (a pyenv
# shim that refuses to run is skipped), then pyenv's installed versions, 3.12 first.
define find_python
for candidate in python3.12 python3.13 \
    $$(ls -d "$$(pyenv root 2>/dev/null || echo $$HOME/.pyenv)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -V); do \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help venv install run test lint format migrate demo messages screenshots bench \
	bench-growth clean

help:
	@echo "make run     create .venv, install, migrate, load the demo, serve on http://$(HOST):$(PORT)/"
	@echo "             with a Celery worker and beat for the report builds"
	@echo "make test    install test tools, then ruff, makemigrations --check and the whole suite"
	@echo "make lint    ruff check and format check only"
	@echo "make format  let ruff fix and format the code"
	@echo "make messages  refresh and compile the kk/ru/en translation catalogs (ours and the"
	@echo "             libraries' messages their own catalogs leave untranslated)"
	@echo "make screenshots  run the browser tests and refresh the README's screenshots"
	@echo "make bench   measure heavy operations against their budgets (PostgreSQL)"
	@echo "make bench-growth  the same at 1x, 3x and 10x the country, with growth exponents"

$(PY):
	@python=$$($(find_python)) || { \
	  echo "No Python 3.12 or newer found (tried python3.12, python3.13 and pyenv's versions)."; \
	  echo "Install one, e.g. 'pyenv install 3.12', or from your system's packages, then run make again."; \
	  exit 1; }; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever the dependencies change.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $@

venv: $(PY)
install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The web server and one Celery worker with its beat scheduler, stopped together by Ctrl+C.
# With nothing configured they share a broker folder under var/ (dev only); set
# CELERY_BROKER_URL=redis://... to use Redis instead.
run: demo
	@mkdir -p var
	@echo
	@echo "Admin:   http://$(HOST):$(PORT)/admin/"
	@echo "Reports: http://$(HOST):$(PORT)/reports/   (Ctrl+C stops the server and the worker)"
	@$(VENV)/bin/celery -A tracker worker --beat --pool=solo --loglevel=INFO \
	    --schedule=var/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# The admin's submit line is unfold's template with one label changed: its other words
# are unfold's, translated (or corrected) as the library's (tracker/library_messages).
messages: install
	$(PY) manage.py makemessages -l kk -l ru -l en --no-obsolete --add-location=file \
	  --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=build \
	  --ignore=tracker/templates/admin/submit_line.html
	$(PY) manage.py library_messages
	$(PY) manage.py compilemessages --ignore=.venv

# The browser tests save a screenshot per step under test-artifacts/screenshots/; this
# refreshes the ones the README shows.
screenshots: install
	$(VENV)/bin/pytest tests/browser_tests -k "governor or head or national or office" $(PYTEST_ARGS)
	cp test-artifacts/screenshots/governor_reads_the_report_on_a_laptop_and_a_phone-ru/02-report-laptop.png \
	   tests/browser_tests/screenshots/report-laptop-ru.png
	cp test-artifacts/screenshots/governor_reads_the_report_on_a_laptop_and_a_phone-kk/04-report-phone.png \
	   tests/browser_tests/screenshots/report-phone-kk.png
	cp test-artifacts/screenshots/governor_reviews_builds_compares_and_downloads-ru/02-region-report.png \
	   tests/browser_tests/screenshots/report-page-ru.png
	cp test-artifacts/screenshots/national_analyst_compares_regions_and_downloads_the_ranking-ru/02-national.png \
	   tests/browser_tests/screenshots/national-page-ru.png
	cp test-artifacts/screenshots/a_head_moves_a_service_in_one_step_from_the_list-kk/04-moved.png \
	   tests/browser_tests/screenshots/admin-services-kk.png
	cp test-artifacts/screenshots/a_head_moves_a_service_in_one_step_from_the_list-kk/03-move-form.png \
	   tests/browser_tests/screenshots/status-move-kk.png
	cp test-artifacts/screenshots/a_head_lands_on_their_department-kk/02-head.png \
	   tests/browser_tests/screenshots/workspace-head-kk.png
	cp test-artifacts/screenshots/the_digital_office_lands_on_the_claims_it_must_decide-ru/02-office.png \
	   tests/browser_tests/screenshots/workspace-office-ru.png

# Measured against PostgreSQL (a database of its own, tracker_bench) unless
# BENCH_DATABASE_URL says otherwise; prints figures, budgets and baselines.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker_bench
bench: install
	@psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qtc "SELECT 1" >/dev/null 2>&1 || \
	  { echo "make bench needs PostgreSQL at $(BENCH_DATABASE_URL)"; exit 1; }
	@psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qtc \
	  "SELECT 1 FROM pg_database WHERE datname = 'tracker_bench'" | grep -q 1 || \
	  psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qc "CREATE DATABASE tracker_bench"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench

# Each operation at 1x, 3x and 10x the national dataset (databases tracker_bench,
# tracker_bench_x3, tracker_bench_x10; the tenfold one is generated once, in a while).
bench-growth: install
	@psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qtc "SELECT 1" >/dev/null 2>&1 || \
	  { echo "make bench-growth needs PostgreSQL at $(BENCH_DATABASE_URL)"; exit 1; }
	@psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qtc \
	  "SELECT 1 FROM pg_database WHERE datname = 'tracker_bench'" | grep -q 1 || \
	  psql "$(BENCH_DATABASE_URL:tracker_bench=postgres)" -qc "CREATE DATABASE tracker_bench"
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench --growth $(FACTORS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
