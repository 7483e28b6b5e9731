# crsys: `make run` serves the demo district (`make run PORT=8001` on another port);
# `make test` runs the tests on SQLite; `make test-pg` runs them as CI does, on PostgreSQL and
# Redis (the local defaults below, or DATABASE_URL and REDIS_URL from the environment).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# uv installs the whole dependency tree from uv.lock (pinned, with hashes); uv itself is pinned
# here and lives in its own small venv, so the app's venv holds only what uv.lock lists.
UV_VERSION := 0.13.9
UV := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never
PORT ?= 8000
# What seed_demo prints and e-mails link to follows the port (unless SITE_URL is set).
SITE_URL ?= http://127.0.0.1:$(PORT)
# The demo accounts sign in with a second factor: this authenticator secret (a demo's, public
# like its password). `manage.py totp_code EMAIL` prints the current code without a phone.
DEMO_TOTP_SECRET ?= CRSYSDEMOCRSYSDEMOCRSYSDEMO23456

.PHONY: run test test-pg lint typecheck lock install worker clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet uv==$(UV_VERSION)

# --locked: refuse to install when pyproject.toml changed and uv.lock was not updated (make lock).
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet
	@touch $(STAMP)

install: $(STAMP)

lock: $(UV)
	$(UV) lock --python $(PYTHON)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo --slug demo --password demo-pass-2026 --totp-secret $(DEMO_TOTP_SECRET)
	@echo "crsys is serving on http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	@echo "Sign-in code for the demo accounts: DEBUG=1 $(BIN)/python manage.py totp_code admin@demo.example (or add $(DEMO_TOTP_SECRET) to an authenticator app)"
	DEBUG=1 SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What CI runs: the same suite with the row-level-security and Celery worker tests, which need
# PostgreSQL and Redis (pytest-django creates test_<database> beside the database named here).
test-pg: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/crsys
test-pg: export REDIS_URL ?= redis://127.0.0.1:6379/0
test-pg: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# mypy with django-stubs and djangorestframework-stubs over the modules [tool.mypy] lists.
typecheck: $(STAMP)
	$(BIN)/mypy

worker: $(STAMP)
	$(BIN)/celery -A crsys worker --loglevel=info

clean:
	rm -rf $(VENV) .uv db.sqlite3 staticfiles
