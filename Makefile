# pcip: the two commands a user needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PCIP_PORT ?= 8000
export PCIP_DATABASE_URL ?= sqlite:///$(CURDIR)/var/pcip.sqlite3
export PCIP_HOME ?= $(CURDIR)/var

.PHONY: install browser redis nats replica replica-remove run test screenshots test-fast fuzz lint typecheck check clean bench drill

install: $(STAMP)

# Reinstall only when the lock file or the project metadata changes. uv (the tool that wrote
# requirements.lock) installs it: 18 s on a fresh clone against pip's 30 s, measured here
# 2026-12-07, and make test on CI starts from a fresh clone. Where uv cannot be had, pip does it.
# Bytecode is compiled at install, as pip does: otherwise the test workers, started together,
# each compile every module they import (2.5 s of CPU an import of the app becomes 6 s).
UV_VERSION := 0.13.9
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	($(BIN)/pip install --quiet uv==$(UV_VERSION) \
	  && $(UV) -r requirements.lock && $(UV) --no-deps -e .) \
	|| ($(BIN)/pip install --quiet --upgrade pip \
	  && $(BIN)/pip install --quiet -r requirements.lock && $(BIN)/pip install --quiet --no-deps -e .)
	touch $(STAMP)

run: install
	$(BIN)/pcip init --demo-if-empty
	$(BIN)/pcip serve --port $(PCIP_PORT)

# Browser tests (tests/e2e) drive Debian's Chromium with a CJK font; installed once, never
# downloaded by Playwright itself. The same CJK font draws the PDF credit reports (WeasyPrint,
# whose pango comes with chromium's dependencies); poppler-utils (pdftotext, pdftoppm) lets the
# report tests read the PDFs back.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@(command -v chromium && command -v pdftotext && ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc) >/dev/null 2>&1 \
	  || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk poppler-utils)

# Redis for the tests of shared counters (sign-in lockout, rate limits across processes):
# started on loopback, without persistence, if none answers; Debian's redis-server if missing.
REDIS_PING := $(BIN)/python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=1).ping()"
redis: install
	@$(REDIS_PING) >/dev/null 2>&1 || ( \
	  (command -v redis-server >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server)) \
	  && redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
	  && for i in 1 2 3 4 5 6 7 8 9 10; do $(REDIS_PING) >/dev/null 2>&1 && break; sleep 0.5; done )

# NATS with JetStream for the exchange tests (docs/exchange.md): started on loopback if none
# answers, its store under var/nats; Debian's nats-server if missing. `make run` does not need it
# (PCIP_EXCHANGE defaults to off).
NATS_PING := $(BIN)/python -c "import asyncio, sys; from pcip.exchange.bus import reachable; sys.exit(0 if asyncio.run(reachable('nats://127.0.0.1:4222')) else 1)"
nats: install
	@$(NATS_PING) >/dev/null 2>&1 || ( \
	  (command -v nats-server >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nats-server)) \
	  && mkdir -p $(CURDIR)/var/nats \
	  && (nohup nats-server -a 127.0.0.1 -p 4222 -js -sd $(CURDIR)/var/nats >$(CURDIR)/var/nats/server.log 2>&1 &) \
	  && for i in 1 2 3 4 5 6 7 8 9 10; do $(NATS_PING) >/dev/null 2>&1 && break; sleep 0.5; done )

# A streaming read replica of the local PostgreSQL (127.0.0.1:5432) on 127.0.0.1:5433, made with
# PostgreSQL's own replication (tools/pg_replica.sh: pg_basebackup -R, a replication slot;
# docs/operations.md). Idempotent; `make replica-remove` deletes it and its slot (a stopped
# replica's slot makes the primary keep WAL without bound).
replica:
	tools/pg_replica.sh create

replica-remove:
	tools/pg_replica.sh remove

# Three workers on two cores: tests wait on PostgreSQL's commits, on their servers and on the
# browser, and a third worker fills those waits. The whole suite (CI=true .ci/run) on this
# 2-core machine, back to back on 2026-12-06: 380 s with 2 workers, 342 s with 3, 344 s
# with 4; the same code with 3 took 387 s twenty minutes later (the machine's speed varies,
# so compare runs taken together). An earlier suite, whose tests spent more of their time in
# the test process, took longer with three: 437 s against 382 s.
# Bytecode is written (a shell may set PYTHONDONTWRITEBYTECODE): otherwise every worker and
# every server a test starts compiles pcip and rewrites the tests' asserts again.
TEST_WORKERS ?= 3
test: install browser redis nats
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -q

# The fuzzers only, deeper than make test sends them (docs/security.md): 100 generated cases per
# operation and mode in process, 20 against the live server with every role.
fuzz: install redis
	env -u PYTHONDONTWRITEBYTECODE PCIP_FUZZ_EXAMPLES=100 PCIP_LIVE_FUZZ_EXAMPLES=20 \
	  $(BIN)/python -m pytest -n $(TEST_WORKERS) -q tests/test_openapi_fuzz.py tests/hardening/test_live_server.py

# The browser tests, saving every page's screenshot in test-output/screenshots/ for review
# (make test saves one only when a test fails; tests/e2e/conftest.py).
screenshots: install browser redis nats
	env -u PYTHONDONTWRITEBYTECODE PCIP_SCREENSHOTS=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) -q tests/e2e

# While working: everything but the browser tests (e2e) and the fuzzers (slow); CI runs all.
test-fast: install redis nats
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -q -m "not slow and not e2e"

# The layers and dependency rules (docs/architecture.md; [tool.importlinter] in pyproject.toml).
lint: install
	$(BIN)/ruff check pcip tests bench
	$(BIN)/ruff format --check pcip tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy pcip

check: lint typecheck test

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Benchmarks, not tests (docs/performance.md): ingestion, inquiries and search on PostgreSQL
# (BENCH_PG, default postgresql://postgres@127.0.0.1:5432). BENCH_SCALE=small takes a minute or two.
BENCH_SCALE ?= full
bench: install nats
	command -v wrk >/dev/null || apt-get install -y wrk
	$(BIN)/python -m bench.run --scale $(BENCH_SCALE)

# Drills, not tests (docs/operations.md): kill -9 of an ingest and of the server under load,
# backup and restore, key rotation; on PostgreSQL (BENCH_PG), a few minutes. DRILL_ROWS sets
# the size of the file the crash drill ingests (default 300000).
DRILL_ROWS ?= 300000
drill: install
	$(BIN)/python -m bench.drills.run --rows $(DRILL_ROWS)
