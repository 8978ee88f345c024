# The README's commands. `make test` and `make test-interop` are what CI runs (.ci/run).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The install is redone only when the project's dependency list changes.
HASH := $(shell cat pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(HASH)
# The demo needs only the core and the CLI; a full install (make test) serves it too.
DEMO_STAMP := $(VENV)/.demo-$(HASH)

.PHONY: test test-unit test-interop interop-ruby lint typecheck pytest chromium demo bench synth \
	venv clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# pip compiles an installed package's bytecode; an editable install leaves the checkout's to its
# first import, which never writes it under PYTHONDONTWRITEBYTECODE, so every process would
# compile pyflow again (compileall skips what is up to date).
BYTECODE := $(BIN)/python -m compileall -q pyflow handlers infra

$(STAMP): $(BIN)/python pyproject.toml
	rm -f $(VENV)/.installed-*
	$(BIN)/pip install --quiet -e '.[dev,cli,cdk,ui]'
	$(BYTECODE)
	touch $(STAMP)

$(DEMO_STAMP): $(BIN)/python pyproject.toml
	rm -f $(VENV)/.demo-*
	$(BIN)/pip install --quiet -e '.[cli]'
	touch $(DEMO_STAMP)

venv: $(STAMP)
	@$(BYTECODE)

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict pyflow

pytest: $(STAMP)
	$(BIN)/pytest

# Debian's Chromium for the UI's browser test (playwright drives it and downloads no browser of
# its own). Skipped when it is there, so CI's clean machine installs it once and reruns are free.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Everything CI runs: lint, types, and every test (unit, functional, integration, infra).
test: lint typecheck chromium pytest

# The pure tests (model, decider, rendering): no engine, no threads; well under 30 s.
test-unit: $(STAMP)
	$(BIN)/pytest tests/unit

# The example activity workers in Ruby and Node.js (examples/ruby-worker, examples/node-worker)
# against `pyflow local serve`. Their SDKs are installed first, and an install that fails fails
# the target: the tests are never skipped for want of them.
NODE_WORKER := examples/node-worker
test-interop: $(STAMP) interop-ruby $(NODE_WORKER)/node_modules/.package-lock.json
	$(BIN)/pytest -m interop tests/integration/interop

# Debian's ruby-aws-sdk is the v1 SDK for Ruby, the Debian package with an SWF client; skipped
# when Ruby already loads it.
interop-ruby:
	@ruby -e "require 'aws-sdk-v1'" 2>/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq ruby-aws-sdk; }

# npm writes node_modules/.package-lock.json on every install, so a lock file newer than it
# installs again and an unchanged one costs nothing.
$(NODE_WORKER)/node_modules/.package-lock.json: $(NODE_WORKER)/package-lock.json
	@command -v npm >/dev/null || { echo "make test-interop: npm (Node.js 20 or later) is" \
		"needed for $(NODE_WORKER) and is not installed" >&2; exit 1; }
	cd $(NODE_WORKER) && npm ci --no-audit --no-fund

# Runs the StringTransformer example on the embedded engine: no AWS account needed.
demo: $(if $(wildcard $(STAMP)),$(STAMP),$(DEMO_STAMP))
	$(BIN)/pyflow run workflows.string_transformer:workflow --input World --lambdas handlers.strings

bench: $(STAMP)
	$(BIN)/python benchmarks/decider.py
	$(BIN)/python benchmarks/local_engine.py

synth: $(STAMP)
	$(BIN)/python app.py

clean:
	rm -rf $(VENV) cdk.out .pytest_cache .mypy_cache .ruff_cache
