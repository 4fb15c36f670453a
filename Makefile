# The README's two commands: `make run` (demo server on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 8000
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := PIP_DISABLE_PIP_VERSION_CHECK=1 $(BIN)/python -m pip -q
PYTEST_ARGS ?= -n auto --dist worksteal  # one pytest worker per CPU (pytest-xdist); an idle worker takes over queued tests

.PHONY: run test bench chromium

run: $(VENV)/.stamp-run
	$(BIN)/spbe db upgrade
	$(BIN)/spbe demo
	$(BIN)/spbe serve --host $(HOST) --port $(PORT)

# The layering contract first (fails fast naming the offending import), then the suite.
# pytest exits 5 when it collected no test: that must not pass as green.
test: $(VENV)/.stamp-test chromium
	$(BIN)/lint-imports --no-cache
	@$(BIN)/pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc

bench: $(VENV)/.stamp-test
	@set -e; for f in bench/bench_*.py; do \
	  [ -e "$$f" ] || { echo "make bench: no bench/bench_*.py found" >&2; exit 1; }; \
	  echo "== $$f"; $(BIN)/python "$$f"; \
	done

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Stamps make re-runs skip pip until pyproject.toml changes.
$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.stamp-run

# Browser tests use Debian's Chromium (Playwright's own browser download is not reachable).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then \
	    echo "make test: installing Debian's chromium"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "make test: /usr/bin/chromium is missing and we are not root;" \
	         "browser tests will be skipped (they fail in CI). Install it with: sudo apt-get install chromium" >&2; \
	  fi; \
	fi
