# ckanext-lyg_opendata — the README's commands.
#   make run    install what is missing, start the services, serve the dev portal with demo content
#   make test   the whole test suite against the same real services
#   make test-fast  the same without the browser tests
#   make test-parallel  the same in pytest-xdist workers, one test slot each
#   make stop   stop everything make run / make test started
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTEST_ARGS ?=

.PHONY: help docs install services run test test-fast test-parallel test-core-compat test-core-compat-baseline lint stop status logs ckan reindex bench bench-search bench-suggest bench-access-log bench-harvest bench-data i18n fuzz

help:
	@echo "make run | make test | make test-fast | make test-parallel | make lint | make test-core-compat | make stop | make status | make logs | make ckan CMD='…' | make reindex | make docs | make bench-search | make bench-suggest | make bench-harvest | make bench-data"

install:
	@scripts/install.sh

services: install
	@scripts/services.sh start

run: services
	@scripts/dev.sh start

# pytest-xdist over test slots (scripts/test.sh; docs/development.md): make test-parallel
# runs the suite in workers, one test slot each, listed in LYG_XDIST_SLOTS (default "1 2":
# two workers, on the default slot and slot 2). make test stays one process (LYG_XDIST_SLOTS
# empty) unless LYG_XDIST_SLOTS is given.
LYG_XDIST_SLOTS ?=
export LYG_XDIST_SLOTS
PARALLEL_SLOTS ?= 1 2

test: services
	@scripts/test.sh $(PYTEST_ARGS)

test-fast: services
	@scripts/test.sh -m "not browser" $(PYTEST_ARGS)

test-parallel: services
	@LYG_XDIST_SLOTS="$(or $(LYG_XDIST_SLOTS),$(PARALLEL_SLOTS))" scripts/test.sh $(PYTEST_ARGS)

# CKAN's own tests against the plugin set (tests/core_compat/; docs/development.md): the in-suite
# subset plus update, get, create, activity logic and the dataset views. Only the failures
# listed in tests/core_compat/expected_failures.txt may fail (xfail strict).
test-core-compat: services
	@LYG_CORE_COMPAT_FULL=1 scripts/test.sh tests/core_compat $(PYTEST_ARGS)

# The same core tests without lyg_opendata: the baseline to compare with after an upgrade
test-core-compat-baseline: services
	@LYG_CORE_COMPAT_FULL=1 LYG_CORE_COMPAT_WITHOUT=1 scripts/test.sh tests/core_compat $(PYTEST_ARGS)

# ruff (pyproject.toml [tool.ruff]) over the code, the tests, the bench and the scripts
# Regenerate docs/configuration.md below its marker from config_declaration.yaml (tests/test_docs.py)
docs: services
	@scripts/docs.sh

lint: install
	@.venv/bin/ruff check ckanext tests bench scripts
	@.venv/bin/mypy

stop:
	@scripts/dev.sh stop
	@scripts/services.sh stop

status:
	@scripts/services.sh status
	@scripts/dev.sh status

logs:
	@tail -n 50 -F .local/logs/web.log .local/logs/worker.log .local/logs/periodic.log

# Run any ckan CLI command against the dev portal: make ckan CMD="user list"
ckan:
	@.venv/bin/ckan -c .local/dev.ini $(CMD)

# Re-index every dataset of the dev portal (after a Solr schema change)
reindex:
	@.venv/bin/ckan -c .local/dev.ini search-index rebuild

# This portal against vanilla CKAN 2.12 + scheming + dcat, side by side (bench/versus_vanilla.py,
# issue 19): BENCH_DATASETS synthetic datasets in each (default 10000; loaded once, kept in
# .local/bench/), gunicorn -w 2 each, interleaved requests; prints one table of ratios and goals
bench: services
	@nice -n 10 .venv/bin/python bench/versus_vanilla.py

# Recall / precision of the Chinese analysis choices on the demo content (see bench/)
bench-search: services
	@.venv/bin/python bench/chinese_search.py

# Response time of the search suggestions and "did you mean" at 10,000 datasets (bench/)
bench-suggest: services
	@.venv/bin/python bench/search_suggest.py

# Download time with and without the access log (bench/access_log.py; docs/audit.md)
bench-access-log: services
	@.venv/bin/python bench/access_log.py

# Harvest at scale: a 5,000-dataset paged catalog over loopback, ckanext-dcat's harvester
# and ours (bench/harvest_scale.py; docs/dcat.md). HARVEST_DATASETS=N for a smaller run.
HARVEST_DATASETS ?= 5000
bench-harvest: services
	@nice -n 10 .venv/bin/python bench/harvest_scale.py --datasets $(HARVEST_DATASETS)

# Loading a 100,000-row, 20-column CSV (UTF-8 and GB18030): xloader alone vs ours (data
# dictionary, personal-data scan), datastore_search p95, scan per MB (bench/data_load.py)
bench-data: services
	@nice -n 10 .venv/bin/python bench/data_load.py

# Property-based fuzzing of every lyg_opendata_* and chained core action, as every role
# (tests/security/fuzzing.py): FUZZ_EXAMPLES generated calls per action (default 10000);
# the figures go to test-artifacts/fuzz-report.txt. Not part of make test (which runs a
# bounded version).
# FUZZ_CHUNK: calls per action per round (every action gets its share early);
# FUZZ_SECONDS: no new round after that many seconds (empty: run to the end).
FUZZ_EXAMPLES ?= 10000
FUZZ_CHUNK ?= 100
FUZZ_SECONDS ?=
fuzz: services
	@mkdir -p test-artifacts
	@LYG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) LYG_FUZZ_CHUNK=$(FUZZ_CHUNK) LYG_FUZZ_SECONDS=$(FUZZ_SECONDS) \
	  LYG_FUZZ_REPORT=test-artifacts/fuzz-report.txt \
	  scripts/test.sh tests/security/test_fuzz_actions.py -q -p no:warnings $(PYTEST_ARGS)

# Re-extract the extension's strings, check the zh_Hans_CN catalog and compile it
i18n:
	@.venv/bin/python -m ckanext.lyg_opendata.i18n.build pot check compile
