# The two commands a newcomer needs: `make build` and `make test`.
# Everything runs inside .venv, created here from the hashed lock requirements/dev.txt (make lock).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Another explainer of the same repository: make build CONTENT=explainers/water (it builds into
# explainers/site-water/, and `make serve` previews it on its site.yaml's preview_port).
CONTENT ?= content
SITE ?=
ADDR ?=
SITE_DIR = $(or $(SITE),$(shell $(PY) -c 'import sys; from builder.settings import default_site_dir as d; print(d(__import__("pathlib").Path(sys.argv[1])))' $(CONTENT) 2>/dev/null),site)
export NO_MKDOCS_2_WARNING := 1

.PHONY: build docs serve test check format lint types content-check stats lint-workflow lock golden messages bench bench-serve bench-scale bench-search bench-startup lighthouse screenshots clean

PIP := $(PY) -m pip --disable-pip-version-check
LOCK := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_ARGS)

# requirements/dev.txt pins every package, with hashes: the runtime lock's plus the tools'.
# The package itself is installed without dependencies, so nothing unpinned gets in.
$(STAMP): requirements/dev.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

lock: $(STAMP) ## regenerate the hashed locks from pyproject.toml (make lock LOCK_ARGS=--upgrade to update all)
	$(LOCK) --output-file requirements/runtime.txt pyproject.toml
	$(LOCK) --extra dev --constraint requirements/runtime.txt --output-file requirements/dev.txt pyproject.toml

build: $(STAMP) ## validate content and build site/ with MkDocs in strict mode (BUILD_ARGS="--publish --url URL" to publish)
	$(PY) -m builder build --content $(CONTENT) $(if $(SITE),--site-dir $(SITE)) $(BUILD_ARGS)

docs: $(STAMP) ## the tool's own documentation (docs/) as a site of its own, strict, into site-docs/
	$(PY) -m mkdocs build --strict --config-file mkdocs-docs.yml

serve: $(STAMP) ## preview on http://127.0.0.1:8000 (or site.yaml's preview_port), rebuilding on every save
	$(PY) -m builder serve --content $(CONTENT) $(if $(ADDR),--dev-addr $(ADDR))

NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the Nu Html Checker test will be skipped"; fi

test: $(STAMP) $(NODE_STAMP) ## the whole test suite (browser tests need Chromium: see README)
	$(PY) -m pytest -q

screenshots: $(STAMP) ## README screenshots (home page on desktop and phone, dark desktop, dark phone chart), with Chromium
	$(PY) -m builder build --content $(CONTENT) --site-dir $(SITE_DIR)
	$(PY) -m tests.screenshots $(SITE_DIR) screenshots

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

bench-search: $(STAMP) ## build time and bytes downloaded before the first search result, 1,000 and 10,000 facts
	$(PY) -m tests.bench_search 1000 10000

bench-serve: $(STAMP) ## save-to-rebuilt-page time of the live preview on a copy of the real content
	$(PY) -m tests.bench_serve

bench-scale: $(STAMP) ## full builds at 1k, 10k, 50k generated facts: time, memory, builder share, pages, preview
	$(PY) -m tests.bench_scale

bench-startup: $(STAMP) ## start-up of the command line and time of `check` (minimum of 9 fresh runs)
	$(PY) -m tests.bench_startup

lighthouse: $(STAMP) $(NODE_STAMP) ## Lighthouse scores (mobile) of the home page and the largest page, served gzip-compressed
	$(PY) -m builder build --content $(CONTENT) --site-dir $(SITE_DIR)
	$(PY) -m tests.bench_lighthouse $(SITE_DIR) --runs $(or $(RUNS),3)

golden: $(STAMP) ## regenerate the golden files in tests/cases/ (problems, rendered Markdown, command output)
	$(PY) -m tests.golden

messages: $(STAMP) ## extract the interface's messages (templates, Python) and merge them into builder/i18n/*.po
	$(PY) -m builder.i18n.extract

check: lint types content-check lint-workflow test ## everything CI runs

clean:
	@# Only a site folder the builder made (it holds the .explainer-site stamp) is removed.
	@if [ -f "$(SITE_DIR)/.explainer-site" ]; then rm -rf "$(SITE_DIR)"; \
	elif [ -e "$(SITE_DIR)" ]; then echo "$(SITE_DIR): left alone (no .explainer-site stamp: the builder did not make it)"; fi
	rm -rf site-docs .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
