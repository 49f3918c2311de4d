# Buurtmarkt: `make run` to try it, `make test` to prove it. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app marketplace
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test lint translations update-translations chromium clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --directory marketplace/translations --domain messages >/dev/null

install: $(VENV)/.installed translations

## Install, migrate, seed the demo, start the job worker and serve on http://127.0.0.1:$(PORT)
## (Ctrl-C stops both)
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	PUBLIC_URL=$${PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

## Debian's chromium for the browser tests (Playwright cannot download a browser here)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: $(VENV)/.installed
	$(BIN)/ruff check .

## The whole suite on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set: the two passes
## run side by side, each on a core (their databases, ports and Redis keys are their own). The
## PostgreSQL pass reports as it goes; the SQLite pass's report follows, in full when it failed.
test: install chromium lint
	@if [ -z "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest; exit $$?; fi; \
	log=$$(mktemp); \
	echo "== SQLite (beside, report in $$log) and PostgreSQL side by side =="; \
	( env -u TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider > $$log 2>&1; \
	  echo $$? > $$log.rc ) & \
	$(BIN)/pytest -p no:cacheprovider; postgresql=$$?; \
	wait; sqlite=$$(cat $$log.rc); \
	echo "== SQLite =="; \
	if [ "$$sqlite" = 0 ]; then tail -n 15 $$log; else cat $$log; fi; \
	echo "== PostgreSQL: exit $$postgresql, SQLite: exit $$sqlite =="; \
	[ "$$postgresql" = 0 ] && [ "$$sqlite" = 0 ]

## Re-extract strings after changing them, then translate the new ones in nl/messages.po
update-translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		--ignore-dirs ".*" --ignore-dirs "__pycache__" \
		-o marketplace/translations/messages.pot --project=Buurtmarkt .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations \
		--no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
