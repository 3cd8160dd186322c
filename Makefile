# Vetted: `make run` sets everything up and serves the demo site; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per CPU, each module or class on one process (so a
# class loads its shared data once); `make test JOBS=0` runs in this process alone.
JOBS ?= auto

.PHONY: install run test lint format migrations-check demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever a requirements file changes.
$(VENV)/.installed: requirements/base.txt requirements/local.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/local.txt
	touch $@

# Test-only tools from npm, as package-lock.json pins them (axe-core for the accessibility
# tests, vnu-jar for the HTML checker); no install scripts run. Reinstalled when the lock changes.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --ignore-scripts --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: the accessibility and HTML checks will be skipped (CI runs them)."; \
	fi

install: $(VENV)/.installed

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST)

test: install node_modules/.installed
	$(BIN)/pytest -n $(JOBS) --dist loadscope $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .pytest_cache .ruff_cache
