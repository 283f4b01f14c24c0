# Clearline: `make run` serves the embedded default; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export CLEARLINE_HOME ?= $(CURDIR)/var

.PHONY: run test messages test-sqlite test-postgres lint typecheck check install demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Embedded default: SQLite under var/, Huey on SQLite, in-process channel layer; no outside service.
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/clearline migrate
	DEBUG=$${DEBUG:-1} $(BIN)/clearline demo --if-empty
	DEBUG=$${DEBUG:-1} $(BIN)/clearline serve --host 127.0.0.1 --port 8000

# Browser tests drive Debian's Chromium (Playwright cannot download browsers here); installed when root.
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	else echo "Install Debian's chromium for the browser tests (apt-get install chromium)"; fi

# Email tests drain a real IMAP server (dovecot), started by the tests on a loopback port.
DOVECOT := /usr/sbin/dovecot
$(DOVECOT):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  (apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null 2>&1 || \
	   (apt-get update -qq && apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null)); \
	else echo "Install dovecot-imapd for the IMAP tests (apt-get install dovecot-imapd)"; fi

# The whole suite on SQLite, then again on PostgreSQL + Redis when DATABASE_URL / REDIS_URL are set.
test: $(STAMP) $(CHROMIUM) $(DOVECOT)
	env -u DATABASE_URL -u REDIS_URL $(BIN)/pytest -n 2
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$DATABASE_URL) and Redis ($${REDIS_URL:-unset})"; \
	  $(BIN)/pytest -n 2; \
	else \
	  echo "== DATABASE_URL is not set: the PostgreSQL/Redis run is skipped (CI sets it)"; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: $(STAMP)
	DEBUG=1 $(BIN)/mypy

check: lint typecheck
	env -u DATABASE_URL -u REDIS_URL DEBUG=1 $(BIN)/clearline makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var

# After changing public texts: extract, translate the .po files, then compile (needs GNU gettext).
messages: $(STAMP)
	for app in web kb crypto notices feedback compliance; do (cd src/clearline/$$app && DEBUG=1 DJANGO_SETTINGS_MODULE=clearline.config.settings \
	  ../../../$(BIN)/django-admin makemessages -l es -l ro --no-location && DEBUG=1 \
	  DJANGO_SETTINGS_MODULE=clearline.config.settings ../../../$(BIN)/django-admin compilemessages); done
