# motcua — two commands do all set-up: `make run` and `make test`.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Parallel pytest workers (pytest-xdist); the machines here have 2 cores.
WORKERS ?= 2

.PHONY: install run test lint typecount test-sqlite test-sqlite-all test-postgres test-production bench bench-scale lock messages clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock package.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent \
	|| echo "npm install failed: pages work without htmx, only less smoothly"; \
	else echo "npm not found: pages work without htmx, only less smoothly"; fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

run: install
	$(BIN)/motcua migrate --noinput
	$(BIN)/motcua demo
	$(BIN)/motcua pki
	$(BIN)/motcua runserver $(HOST)

# Three phases that share nothing but the CPU run side by side, their outputs shown one after the other: lint
# (mypy is one process, ~30 CPU-s from a fresh clone, which has no .mypy_cache), the SQLite phase, and the
# production shape (its start-up is mostly one process and its smoke test mostly waits on the shape); then
# the PostgreSQL phase, which keeps both cores busy on its own.
test: install
	@lint_log=$$(mktemp); shape_log=$$(mktemp); \
	$(MAKE) --no-print-directory lint >$$lint_log 2>&1 & lint=$$!; \
	$(MAKE) --no-print-directory test-production >$$shape_log 2>&1 & shape=$$!; \
	$(MAKE) --no-print-directory test-sqlite; sqlite=$$?; \
	wait $$lint; linted=$$?; wait $$shape; shaped=$$?; \
	echo "--- make lint (beside test-sqlite)"; cat $$lint_log; \
	echo "--- make test-production (beside test-sqlite)"; cat $$shape_log; rm -f $$lint_log $$shape_log; \
	[ $$linted = 0 ] || echo "make lint failed"; [ $$shaped = 0 ] || echo "make test-production failed"; \
	[ $$linted = 0 ] && [ $$sqlite = 0 ] && [ $$shaped = 0 ]
	@$(MAKE) --no-print-directory test-postgres

lint: install
	$(BIN)/ruff format --check src tests bench deploy
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/motcua makemigrations --check --dry-run >/dev/null
	$(BIN)/mypy

# Type errors left in the apps not yet typed (the `ignore_errors` list in pyproject.toml), per app; never fails.
typecount: install
	@config=$$(mktemp --suffix=.toml); sed 's/^ignore_errors = true/ignore_errors = false/' pyproject.toml >$$config; \
	$(BIN)/mypy --config-file $$config --cache-dir .mypy_cache/typecount >$$config.out; \
	grep -o '^src/motcua/[a-z_]*' $$config.out | sort | uniq -c; tail -1 $$config.out; rm -f $$config $$config.out

# --dist loadfile: a module's tests on one worker, so data a module builds once (tests/conftest.py module_db)
# is built once, not once a worker.
# SQLite (the development database) runs only the tests of what can differ between the engines
# (--engine-dependent: tests/conftest.py ENGINE_DEPENDENT, its test database still built by the migrations);
# PostgreSQL, production's database, runs everything. The whole suite twice was over 6 minutes on 2 cores
# (issue #14 item 4); `make test-sqlite-all` still runs all of it on SQLite.
test-sqlite: install
	$(BIN)/pytest -n $(WORKERS) --dist loadfile -p no:cacheprovider --engine-dependent

test-sqlite-all: install
	$(BIN)/pytest -n $(WORKERS) --dist loadfile -p no:cacheprovider

# The test cluster lives a few minutes and its tables hold a few rows: no autovacuum workers taking a core
# from the tests (the app's connections turn JIT off themselves: settings.py, MOTCUA_PG_JIT).
test-postgres: install
	MOTCUA_PG_OPTIONS="-c autovacuum=off" \
	scripts/with-postgres $(BIN)/pytest -n $(WORKERS) --dist loadfile -p no:cacheprovider

# The production shape (nginx, gunicorn with uvicorn workers, PostgreSQL, Redis, outbox workers) started on
# this machine by scripts/production-shape, and its smoke test through nginx (about 2 minutes on 2 cores).
test-production: install
	scripts/production-shape -- $(BIN)/pytest tests/deploy -p no:cacheprovider -q

# Each line on its own throwaway PostgreSQL; about an hour on 2 cores: the foundation, the statistics
# at 20,000 dossiers, a bank statement of 5,000 lines imported three times (~30 min: each line matched is a
# payment act), a directive at 10 times the province's units, acts beside pgbench (~4 min), the page table
# over gunicorn at 20,000 dossiers (~7 min),
# then the load scenario on the production shape (~3 min: nginx, uvicorn workers, Redis, outbox workers;
# officers, citizens and 4 display boards for 60 s; p50/p95/p99 a page, fails on any error).
bench: install
	scripts/with-postgres $(BIN)/python bench/run.py --dossiers 1000 --runs 5
	scripts/with-postgres $(BIN)/python bench/quality.py --dossiers 20000 --runs 5
	scripts/with-postgres $(BIN)/python bench/lateness.py --dossiers 20000 --runs 5
	scripts/with-postgres $(BIN)/python bench/standing.py --dossiers 20000 --runs 5
	scripts/with-postgres $(BIN)/python bench/queue_waits.py --weeks 52 --runs 5
	scripts/with-postgres $(BIN)/python bench/bank.py --owing 20000 --lines 5000 --runs 3
	scripts/with-postgres $(BIN)/python bench/directives.py --runs 5 --scale 10
	scripts/with-postgres $(BIN)/python bench/acts.py
	scripts/with-postgres $(BIN)/python bench/pages.py --generate 20000
	MOTCUA_OFFICER_OTP=0 scripts/production-shape -- $(BIN)/python bench/load.py

# The page table at province scale: 2,000,000 synthetic dossiers, ~7 GB in /tmp; on 2 cores about 50 minutes
# to generate them and rebuild their statistics, then 8 minutes for the pages (an hour while lists take seconds).
bench-scale: install
	scripts/with-postgres $(BIN)/python bench/pages.py --generate 2000000
	scripts/with-postgres $(BIN)/python bench/lateness.py --dossiers 2000000 --runs 5

# Regenerate the pinned dependency set from pyproject.toml (run after changing dependencies).
lock:
	rm -rf /tmp/motcua-lock && $(PYTHON) -m venv /tmp/motcua-lock
	/tmp/motcua-lock/bin/pip install --quiet ".[dev]"
	/tmp/motcua-lock/bin/pip freeze --exclude motcua | grep -v '^-e' > requirements.lock

messages: install
	cd src/motcua && ../../$(BIN)/motcua makemessages -l en --no-obsolete && ../../$(BIN)/motcua compilemessages

clean:
	rm -rf $(VENV) var
