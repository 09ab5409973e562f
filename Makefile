# Two commands: `make run` serves the demo, `make test` runs every check and test.
# Both install what they need into .venv and find or start PostgreSQL (see scripts/devdb.py).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Every core runs tests (pytest-xdist); e.g. PYTEST_ARGS="tests/accountability -m 'not slow'" for a focused run.
# Locally the test databases are reused (--reuse-db); under CI=true they are always made again, so that a
# migration changed since the last run on the same server is never skipped.
PYTEST_ARGS ?= -n auto

.PHONY: run test bench guide install db stop migrate demo lint format messages backup restore help

help:
	@echo "make run    install, start the database, migrate, load the demo, serve on http://$(HOST):$(PORT) with one worker"
	@echo "make test   install, find or start PostgreSQL, run lint, checks and every test"
	@echo "make stop   stop the embedded PostgreSQL started by make run"
	@echo "make backup / make restore FILE=...   back up or restore the database"
	@echo "make guide  retake the user guide's screenshots (docs/images/guide/) in the browser, on the demo data"
	@echo "make bench  build the benchmark databases (N=500, 5000), measure, load-test, write BENCHMARKS.md"

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# -qq hides this machine's harmless "Location ... is ignored" warnings
	$(PIP) install -qq --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(STAMP)

# The embedded PostgreSQL (data in .pgdata/, kept between runs) unless DATABASE_URL is set, with the
# application's own role (dangjian_app; postgres owns the tables and runs the migrations).
db: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) scripts/devdb.py start >/dev/null; fi

stop: install
	@$(PY) scripts/devdb.py stop

messages: install
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=.pgdata >/dev/null

migrate: db
	@$(PY) manage.py migrate --noinput

demo: migrate
	@$(PY) manage.py load_demo

# Served as in production: DEBUG off (the product's own 404/403/500 pages), static files collected
# into staticfiles/ and served by WhiteNoise, a secret key of this machine kept in .secret_key
# (mode 600). `DEBUG=true make run` turns Django's debug pages back on for development.
run: db messages
	@scripts/ensure-pdf.sh $(PY) || echo "[run] the annual report's PDF answers 503 until the above is installed" >&2
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py load_demo
	@$(PY) manage.py collectstatic --noinput >/dev/null
	@test -s .secret_key || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key)
	@echo ""
	@echo "打开 http://$(HOST):$(PORT) 使用上面的演示账号登录；按 Ctrl+C 停止网站和后台任务进程，make stop 停止数据库。"
	@DEBUG=$${DEBUG:-false} SECRET_KEY="$${SECRET_KEY:-$$(cat .secret_key)}" $(PY) scripts/serve.py $(HOST):$(PORT)

# Backups: `make backup` writes backups/<db>-<time>.dump; `make restore FILE=backups/x.dump` replaces the
# database's content with it (all or nothing). See README, "运维".
backup: db
	@$(PY) manage.py backup

restore: db
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>.dump"; exit 2; }
	@$(PY) manage.py restore "$(FILE)" --yes

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

# Finds PostgreSQL: DATABASE_URL, else 127.0.0.1:5432 if it answers, else the embedded one; on the last
# two the tests use two roles (DATABASE_OWNER_URL owns the tables, DATABASE_URL is the application's).
# Under CI=true, installs Debian's Chromium for the browser tests and fails if it cannot run, Debian's
# pgbouncer for tests/reliability/test_pgbouncer.py, and fonts-noto-cjk for the PDF reports with
# poppler-utils for their PNG renders (scripts/ensure-pdf.sh; elsewhere it fails clearly when missing).
test: install
	@if [ "$$CI" = "true" ]; then scripts/ensure-chromium.sh && scripts/ensure-pgbouncer.sh; fi
	@scripts/ensure-pdf.sh $(PY) tests
	@ROLES="$$($(PY) scripts/devdb.py test-env)" && eval "$$ROLES" && \
	  $(VENV)/bin/ruff check . && \
	  $(VENV)/bin/ruff format --check . && \
	  $(PY) manage.py check --fail-level WARNING && \
	  $(PY) manage.py makemigrations --check --dry-run >/dev/null && \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.pgdata >/dev/null && \
	  $(PY) -m pytest $(PYTEST_ARGS) $(if $(filter true,$(CI)),--create-db)

# The user guide's pictures (docs/使用手册.md): its browser journey on the demo, saving into docs/images/guide/.
guide: install
	@ROLES="$$($(PY) scripts/devdb.py test-env)" && eval "$$ROLES" && \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.pgdata >/dev/null && \
	  GUIDE_SCREENSHOTS=docs/images/guide $(PY) -m pytest tests/e2e/test_user_guide.py -p no:randomly -n 0 -q

# The performance benchmark (benchmarking/; about 10 minutes the first time, under two of them generating N=5,000; the
# databases bench_500 and bench_5000 are kept and reused). BENCH_ARGS, e.g. "--orgs 500 --runs 30".
bench: install
	@scripts/ensure-wrk.sh
	@DATABASE_URL="$$($(PY) scripts/devdb.py test-url)" && export DATABASE_URL && \
	  $(PY) manage.py compilemessages --ignore=.venv --ignore=.pgdata >/dev/null && \
	  $(PY) manage.py bench $(BENCH_ARGS)
