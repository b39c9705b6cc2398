# Newsroom: two commands.
#   make run   set everything up (venv, install, migrate, seeds, search index) and serve on SQLite
#   make test  run the whole test suite (SQLite unless DATABASE_URL says otherwise)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
MANAGE := $(BIN)/python manage.py
# Test processes (pytest-xdist): one per CPU, 8 at most; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: run setup test lint format mutation clean

run: setup
	$(MANAGE) ensure_local_admin
	@echo "Newsroom: http://127.0.0.1:$(PORT)/   后台：http://127.0.0.1:$(PORT)/admin/"
	$(MANAGE) runserver 127.0.0.1:$(PORT)

setup: $(BIN)/.installed
	$(MANAGE) migrate --no-input
	$(MANAGE) load_seeds
	$(MANAGE) rebuild_index --if-needed

test: $(BIN)/.installed-dev
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 8 --dist worksteal $(PYTEST_ARGS)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(BIN)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Mutation check of the rule-bearing modules ([tool.mutmut] in pyproject.toml;
# docs/testing.md "Mutation check"). Not part of `make test`: it takes a long time.
#   make mutation                                  every configured module
#   make mutation MUTANTS='articles.seeds.parser*'  one module (mutant-name glob)
mutation: $(BIN)/.installed-dev
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/mutmut results

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

clean:
	rm -rf $(VENV) var .pytest_cache
