# One task runner for the README, CI and developers.
PYTHON ?= python3

.PHONY: install run test test-local lint fix typecheck bench snapshot

install:  ## install payforce
	$(PYTHON) -m pip install -q .

run: install  ## README command 1: install and run the main job on the bundled data
	payforce outlook

test:  ## README command 2: install test needs, start PostgreSQL, run the whole suite
	./scripts/test_setup.sh
	PAYFORCE_TEST_POSTGRES_URL="$$(./scripts/start_postgres.sh)" $(PYTHON) -m pytest -q

test-local:  ## the suite without PostgreSQL and browser tests
	$(PYTHON) -m pytest -q -m "not postgres and not browser"

lint:
	ruff check src tests scripts
	ruff format --check src tests scripts
	mypy

fix:
	ruff check --fix src tests scripts
	ruff format src tests scripts

bench:  ## print speed figures (rerun: make bench)
	$(PYTHON) scripts/bench.py

snapshot:  ## rebuild src/payforce/data from ../shared/reference
	$(PYTHON) scripts/build_snapshot.py
	$(PYTHON) scripts/build_history_snapshot.py
	$(PYTHON) scripts/build_labour_data.py
