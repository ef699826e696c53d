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
STATIC_STAMP := .cache/static/vendor/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test eval bench lint install static browser neo4j-start neo4j-stop clean-data lock help soak audit-deps

help:
	@echo "make run    — start Neo4j, load the sample data, serve http://127.0.0.1:8000/graphql"
	@echo "make test   — the whole test suite against a real Neo4j"
	@echo "make eval   — matching quality on both development sets (seed/data/eval, seed/data/eval_hard), with baselines"
	@echo "make bench  — performance at 10k and 100k providers against same-run references (BENCH_ARGS=--quick …)"
	@echo "make lint   — ruff"
	@echo "make soak   — load, abusive documents, fuzzing and GraphQL-over-HTTP audits (long; not in make test)"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "gongxu needs Python 3.11: set PYTHON=python3.11")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@echo "installing Python packages (torch is large the first time; pip's cache makes repeats cheap)"
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP) $(NEO4J_STAMP) $(MODEL_STAMP) $(STATIC_STAMP)

# Front-end files (GraphiQL, React, ECharts) from the npm registry into the git-ignored .cache/static:
# the server never loads them from a CDN. Versions are pinned in api/web/vendor.json.
static: $(STATIC_STAMP)

$(STATIC_STAMP): api/web/vendor.json | $(STAMP)
	$(PY) -m api.web.vendor
	@touch $@

# Headless Chromium, its WebDriver and CJK fonts for the browser tests (tests/web; skipped without them).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list | grep -q "Noto Sans CJK" \
	  || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
	      chromium chromium-driver fonts-noto-cjk)

$(NEO4J_STAMP): graph/neo4j_runtime/pom.xml | $(STAMP)
	$(GONGXU) neo4j install

$(MODEL_STAMP): | $(STAMP)
	$(GONGXU) model info

run: install
	$(GONGXU) neo4j start
	$(GONGXU) seed load
	$(GONGXU) serve

test: install browser audit-deps
	$(PY) -m pytest

eval: install
	$(GONGXU) neo4j start
	$(GONGXU) seed load
	$(GONGXU) eval

# Not part of `make test`: generates (once, kept in .cache) and benchmarks pools of 10k and 100k providers,
# then rewrites the benchmark section of BENCHMARKS.md. E.g. `make bench BENCH_ARGS="--scales 2000 --quick"`.
BENCH_ARGS ?=
bench: install
	$(PY) -m benchmarks.run $(BENCH_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

neo4j-start: install
	$(GONGXU) neo4j start

neo4j-stop: $(STAMP)
	$(GONGXU) neo4j stop

lock: $(STAMP)
	@echo "# Exact versions of every Python dependency (generated with \`pip freeze\`; regenerate with \`make lock\`)." > requirements.lock
	$(PY) -m pip freeze --exclude-editable | grep -v '^gongxu' >> requirements.lock

# the graphql-http server audits (npm) in a git-ignored folder; make test fetches them and runs them
AUDIT_DIR := benchmarks/soak/node
$(AUDIT_DIR)/node_modules/graphql-http/package.json:
	npm install --prefix $(AUDIT_DIR) --no-audit --no-fund --no-save graphql-http@1.22.4 graphql@16.15.0

audit-deps: $(AUDIT_DIR)/node_modules/graphql-http/package.json

soak: install audit-deps
	$(GONGXU) neo4j start
	$(GONGXU) seed load
	$(PY) -m benchmarks.soak
