# crsys: `make run` serves the demo district (`make run PORT=8001` on another port);
# `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# What seed_demo prints and e-mails link to follows the port (unless SITE_URL is set).
SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test lint install worker clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo --slug demo --password demo-pass-2026
	@echo "crsys is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

worker: $(STAMP)
	$(BIN)/celery -A crsys worker --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
