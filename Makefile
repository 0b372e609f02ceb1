# The two commands a newcomer needs: `make build` and `make test`.
# Everything runs inside .venv, created here from the pinned requirements.lock.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CONTENT ?= content
SITE ?= site
ADDR ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: build docs serve test check format lint types content-check stats lint-workflow golden bench bench-serve screenshots clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

build: $(STAMP) ## validate content and build site/ with MkDocs in strict mode
	$(PY) -m builder build --content $(CONTENT) --site-dir $(SITE)

docs: $(STAMP) ## the tool's own documentation (docs/) as a site of its own, strict, into site-docs/
	$(PY) -m mkdocs build --strict --config-file mkdocs-docs.yml

serve: $(STAMP) ## preview on http://127.0.0.1:8000, rebuilding when content or templates change
	$(PY) -m builder serve --content $(CONTENT) --dev-addr $(ADDR)

NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the Nu Html Checker test will be skipped"; fi

test: $(STAMP) $(NODE_STAMP) ## the whole test suite (browser tests need Chromium: see README)
	$(PY) -m pytest -q

screenshots: $(STAMP) ## README screenshots of the home page (desktop and phone), taken with Chromium
	$(PY) -m builder build --content $(CONTENT) --site-dir $(SITE)
	$(PY) -m tests.screenshots $(SITE) screenshots

content-check: $(STAMP)
	$(PY) -m builder check --content $(CONTENT)

stats: $(STAMP)
	$(PY) -m builder stats --content $(CONTENT)

format: $(STAMP)
	$(PY) -m ruff format builder tests

lint: $(STAMP)
	$(PY) -m ruff format --check builder tests
	$(PY) -m ruff check builder tests

types: $(STAMP)
	$(PY) -m mypy

lint-workflow: $(STAMP)
	$(VENV)/bin/actionlint .github/workflows/*.yml

bench: $(STAMP) ## time the builder's own stage as facts grow (a benchmark, not a test)
	$(PY) -m tests.bench_builder

bench-serve: $(STAMP) ## save-to-rebuilt-page time of the live preview on a copy of the real content
	$(PY) -m tests.bench_serve

golden: $(STAMP) ## regenerate the golden files in tests/cases/ from the current builder
	$(PY) -m tests.golden

check: lint types content-check lint-workflow test ## everything CI runs

clean:
	rm -rf $(SITE) site-docs .site.building .site.old .pytest_cache .mypy_cache .ruff_cache
