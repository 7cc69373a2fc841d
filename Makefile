# Kündigungshilfe: `make run` starts the assistant, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
STAMP := $(VENV)/.installed
# Separate virtualenvs for tools whose pins conflict with Rasa's: manifest checkers and locust.
TOOLS_STAMP := .venv-tools/.installed
BENCH_STAMP := .venv-bench/.installed

.PHONY: help run cluster tools bench-scale test model validate unit story-test e2e bench nlu-eval crossval browser webchat axe clean deadline-cases

help:
	@echo "make run       start the assistant (REST, web chat, Telegram) on http://127.0.0.1:5005"
	@echo "make cluster   REPLICAS Rasa replicas + ACTION_REPLICAS action servers behind HAProxy (PostgreSQL, Redis)"
	@echo "make test      run the whole test suite"
	@echo "make bench     load benchmark against running servers (start them with make run)"
	@echo "make bench-scale  1 vs 2 replicas, users with think time, growth (starts its own clusters)"
	@echo "make nlu-eval  NLU held-out evaluation (add ARGS=--crossval for cross-validation)"
	@echo "make deadline-cases  regenerate docs/LEGAL_CASES_DEADLINES.md from the deadline test cases"

$(STAMP): requirements.lock scripts/find_python.sh
	@python=$$(scripts/find_python.sh) && echo "Using $$python" && \
	  ( [ -x $(VENV)/bin/python ] && $(VENV)/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' \
	    || { rm -rf $(VENV) && "$$python" -m venv $(VENV); } )
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(TOOLS_STAMP): requirements-tools.lock
	rm -rf .venv-tools && $${TOOLS_PYTHON:-python3} -m venv .venv-tools
	.venv-tools/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements-tools.lock
	touch $@

$(BENCH_STAMP): requirements-bench.lock
	rm -rf .venv-bench && $${BENCH_PYTHON:-python3} -m venv .venv-bench
	.venv-bench/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements-bench.lock
	touch $@

tools: $(TOOLS_STAMP)

webchat: bot/web/static/vendor/rasa-webchat/index.js

bot/web/static/vendor/rasa-webchat/index.js: scripts/vendor_webchat.sh scripts/npm_vendor.sh
	scripts/vendor_webchat.sh --force

# axe-core for the browser test's accessibility checks (never served to users).
axe: tests/e2e/vendor/axe-core/axe.min.js

tests/e2e/vendor/axe-core/axe.min.js: scripts/vendor_axe.sh scripts/npm_vendor.sh
	scripts/vendor_axe.sh --force

model: $(STAMP)
	scripts/train.sh

run: $(STAMP) webchat model
	scripts/run.sh

cluster: $(STAMP) webchat model
	scripts/cluster.sh

validate: $(STAMP)
	. scripts/env.sh && $(VENV)/bin/rasa data validate --config bot/config.yml --domain bot/domain --data data

unit: $(STAMP) webchat $(TOOLS_STAMP)
	. scripts/env.sh && $(VENV)/bin/python -m pytest tests --ignore=tests/e2e -q -p no:cacheprovider

story-test: model
	. scripts/env.sh && $(VENV)/bin/rasa test core --model models/current.tar.gz --stories tests/stories \
	  --out results/stories --fail-on-prediction-errors --no-plot

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
	  || { echo "The browser test needs Debian's chromium: apt-get install chromium" >&2; exit 1; }

e2e: $(STAMP) webchat axe model browser
	. scripts/env.sh && $(VENV)/bin/python -m pytest tests/e2e -q -p no:cacheprovider

test: validate unit story-test e2e

bench: $(STAMP)
	. scripts/env.sh && $(VENV)/bin/python -m scripts.bench $(ARGS)

# Starts its own clusters (PostgreSQL and Redis as for make cluster); run it on a quiet machine.
bench-scale: $(STAMP) $(BENCH_STAMP) model
	mkdir -p results
	set -o pipefail; . scripts/env.sh && for part in throughput users growth; do \
	  $(VENV)/bin/python -m scripts.bench_scale $$part || exit 1; done | tee results/bench-scale.jsonl

nlu-eval: $(STAMP)
	scripts/nlu_eval.sh $(ARGS)

deadline-cases: $(STAMP)
	$(VENV)/bin/python -m scripts.deadline_cases

clean:
	rm -rf models results test-artifacts .pytest_cache
