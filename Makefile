# lijian — the two commands: `make run` and `make test`. Nothing needs to be installed by hand:
# the virtualenv is built with uv when it is on PATH, else with pip from the hashed requirements
# exported from uv.lock (pip also honours an intranet mirror configured in pip.conf).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null)
export LIJIAN_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test test-only bench screenshots lint format lock clean help

help:
	@echo "make run    — 安装、迁移数据库、载入天津演示数据并在 http://127.0.0.1:8000 提供服务"
	@echo "make test   — 安装开发依赖和测试所需的系统软件包，运行全部测试"
	@echo "make bench  — 运行基准测试，结果写入 bench/results.json"

$(VENV)/.run-installed: pyproject.toml uv.lock requirements/run.txt
ifneq ($(UV),)
	$(UV) sync --frozen --inexact --python $(PYTHON)
else
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade >/dev/null
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
endif
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements/dev.txt
ifneq ($(UV),)
	$(UV) sync --frozen --inexact --group dev --python $(PYTHON)
else
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
endif
	touch $@

run: $(VENV)/.run-installed
	$(BIN)/lijian migrate --noinput
	$(BIN)/lijian demo
	LIJIAN_HTTPS=0 $(BIN)/lijian serve

test: $(VENV)/.dev-installed
	scripts/ensure-debian-packages.sh chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils
	$(MAKE) --no-print-directory test-only

# The suite without the install steps (used by .ci/run for the PostgreSQL pass), in two stages side by
# side on the two cores: the demo world (tests/demo: the full demo built once and checked by named
# tests, minutes of service calls in one process, its output shown when it ends) and the rest of the
# suite on xdist workers (shown as it runs). make fails when either stage fails; a stage that runs no
# test fails too (pytest's exit 5).
TEST_WORKERS ?= 2
test-only:
	$(BIN)/ruff check src tests bench
	$(BIN)/python scripts/check_translations.py
	$(BIN)/lint-imports --no-cache
	@log=$$(mktemp); \
	$(BIN)/pytest -m demo_world -n 0 --create-db $(PYTEST_ARGS) tests/demo >"$$log" 2>&1 & demo=$$!; \
	trap 'kill $$demo 2>/dev/null; rm -f "$$log"' INT TERM; \
	echo "== the suite (the demo world runs beside it: tests/demo)"; \
	$(BIN)/pytest -m "not demo_world" -n $(TEST_WORKERS) --create-db $(PYTEST_ARGS); suite=$$?; \
	wait $$demo; world=$$?; \
	echo "== the demo world (tests/demo)"; cat "$$log"; rm -f "$$log"; \
	echo "== the suite: exit $$suite; the demo world: exit $$world"; \
	test $$suite -eq 0 && test $$world -eq 0

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench $(BENCH_ARGS)

screenshots: $(VENV)/.dev-installed
	LIJIAN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/browser -p no:cacheprovider

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench

format: $(VENV)/.dev-installed
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# After changing dependencies in pyproject.toml: refresh uv.lock and the pip requirement files.
lock:
	$(UV) lock
	$(UV) export --frozen --no-emit-project --no-dev --format requirements-txt -o requirements/run.txt --quiet
	$(UV) export --frozen --no-emit-project --only-group dev --format requirements-txt -o requirements/dev.txt --quiet

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
