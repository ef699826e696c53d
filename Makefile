# gongxu — the README's two commands are `make run` and `make test`. Each installs what it needs on a
# fresh machine (virtual environment, Python packages, Neo4j jars, the embedding model) and skips
# what is already there.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
GONGXU := $(VENV)/bin/gongxu
STAMP := $(VENV)/.installed
NEO4J_STAMP := .cache/neo4j/home/.installed-5.26.28
MODEL_STAMP := .cache/models/multilingual-e5-small/modules.json

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test eval lint install neo4j-start neo4j-stop clean-data lock help

help:
	@echo "make run    — start Neo4j, load the sample data, serve http://127.0.0.1:8000/graphql"
	@echo "make test   — the whole test suite against a real Neo4j"
	@echo "make eval   — matching quality on both development sets (seed/data/eval, seed/data/eval_hard), with baselines"
	@echo "make lint   — ruff"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "gongxu needs Python 3.11: set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "installing Python packages (torch is large the first time; pip's cache makes repeats cheap)"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP) $(NEO4J_STAMP) $(MODEL_STAMP)

$(NEO4J_STAMP): graph/neo4j_runtime/pom.xml | $(STAMP)
	$(GONGXU) neo4j install

$(MODEL_STAMP): | $(STAMP)
	$(GONGXU) model info

run: install
	$(GONGXU) neo4j start
	$(GONGXU) seed load
	$(GONGXU) serve

test: install
	$(PY) -m pytest

eval: install
	$(GONGXU) neo4j start
	$(GONGXU) seed load
	$(GONGXU) eval

lint: $(STAMP)
	$(VENV)/bin/ruff check .

neo4j-start: install
	$(GONGXU) neo4j start

neo4j-stop: $(STAMP)
	$(GONGXU) neo4j stop

lock: $(STAMP)
	@echo "# Exact versions of every Python dependency (generated with \`pip freeze\`; regenerate with \`make lock\`)." > requirements.lock
	$(PY) -m pip freeze --exclude-editable | grep -v '^gongxu' >> requirements.lock
