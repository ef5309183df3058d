# Rutinhandboken — the README's commands. Every target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installerad
MKDOCS := $(BIN)/mkdocs
MERMAID_VERSION ?= 11.17.2

.PHONY: serve build check test test-fast test-dates test-properdocs bench bench-check bench-omladdning vendor-mermaid system-deps node-deps node-required compile clean help

help:
	@echo "make serve   – förhandsgranska handboken på http://127.0.0.1:8000"
	@echo "make test    – kör alla tester (installerar det som behövs)"
	@echo "make check   – kontrollera rutinerna (handbok check)"
	@echo "make build   – bygg webbplatsen till site/ (strikt)"
	@echo "make bench   – mät prestanda, rapport i bench/"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# Byte-compile the package (an editable install is not compiled, and with
# PYTHONDONTWRITEBYTECODE every run would compile it again).
compile: $(STAMP)
	@$(BIN)/python -m compileall -q scripts/handbok

serve: $(STAMP) node-required
	$(MKDOCS) serve --dirty --strict -a 127.0.0.1:8000

build: $(STAMP) node-required
	$(MKDOCS) build --strict

check: $(STAMP) node-deps compile
	$(BIN)/handbok check

# Synthetic handbooks of 100 and 1000 routines, measured side by side (about 25 minutes
# on two cores); writes bench/RESULTAT.md and bench/resultat.json.
bench: $(STAMP) node-deps compile
	$(BIN)/python bench/run.py

# Only live reload in 'make serve' beside a full build, the search index beside plain Material's
# and a routine page's bytes through nginx (100 and 1000 routines); merged into bench/RESULTAT.md.
bench-omladdning: $(STAMP) node-deps compile
	$(BIN)/python bench/run.py --bara omladdning

# Only 'handbok check' (warm and cold cache, 100 and 1000 routines); writes bench/RESULTAT-check.md.
bench-check: $(STAMP) node-deps compile
	$(BIN)/python bench/check.py

# Node packages from package.json: linkedom lets Mermaid read the process maps under
# Node (the checker's findings and every map's text version come from that reading);
# axe-core is for the browser tests. Without npm 'handbok check' still runs the other
# checks and says that the maps were not read (RH509).
NODE_STAMP := node_modules/.installerad
node-deps: $(NODE_STAMP)
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm saknas: processkartorna läses inte med Mermaid (installera Node.js och npm)."; fi

# The site cannot be built without Node: a map without its text version is not published.
node-required:
	@if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then \
	  echo "Node.js och npm behövs för att bygga handboken: processkartornas textversioner skrivs från Mermaids" >&2; \
	  echo "läsning av kartorna, som körs i Node.js. Installera dem (Debian: sudo apt-get install nodejs npm) och försök igen." >&2; \
	  exit 1; fi
	@$(MAKE) --no-print-directory node-deps

# Debian packages the tests need: Chromium (browser tests), nginx (the site served
# with the repository's deploy/nginx configuration), npm (axe-core, Mermaid's
# parser) and faketime (the suite on later dates). Installed only when missing.
SYSTEM_PACKAGES := chromium:/usr/bin/chromium nginx:/usr/sbin/nginx npm:/usr/bin/npm faketime:/usr/bin/faketime
system-deps:
	@missing=""; for entry in $(SYSTEM_PACKAGES); do \
	  test -x "$${entry#*:}" || missing="$$missing $${entry%%:*}"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installerar från Debian för testerna:$$missing …"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q $$missing; fi

PD_VENV  := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installerad

# The whole suite; then, side by side, the suite without the browser on later dates
# and on ProperDocs (see test-dates and test-properdocs).
test: $(STAMP) $(PD_STAMP) system-deps node-deps
	$(BIN)/python -m pytest
	@$(call side_by_side,$(TEST_DATES) properdocs)

# The tests hold on any date: the suite without the browser, with the clock set to
# later days (libfaketime), where review dates have passed and laws have changed.
TEST_DATES ?= 2027-06-01 2030-01-01
test-dates: $(STAMP) system-deps node-deps
	@$(call side_by_side,$(TEST_DATES))

# Runs the named suites without the browser side by side, each in a folder of its own, and
# shows each one's output whole: a date (YYYY-MM-DD) is the suite with the clock set to that
# day; 'properdocs' is ProperDocs' strict build of the handbook and the suite on ProperDocs.
define side_by_side
logs=$$(mktemp -d); pids=""; \
for job in $(1); do \
  if [ "$$job" = properdocs ]; then \
    ( $(PD_VENV)/bin/properdocs build --strict --quiet --site-dir "$$logs/site-properdocs" && \
      echo "ProperDocs byggde handboken strikt." && \
      HANDBOK_ENGINE=properdocs $(PD_VENV)/bin/python -m pytest -m "not browser" -q -p no:cacheprovider \
        --basetemp="$$logs/tmp-$$job" ) > "$$logs/$$job.log" 2>&1 & pids="$$pids $$!"; \
  else \
    faketime "$$job 12:00:00" $(BIN)/python -m pytest -m "not browser" -q -p no:cacheprovider \
      --basetemp="$$logs/tmp-$$job" > "$$logs/$$job.log" 2>&1 & pids="$$pids $$!"; \
  fi; \
done; \
failed=0; for pid in $$pids; do wait $$pid || failed=1; done; \
for job in $(1); do \
  if [ "$$job" = properdocs ]; then echo "Testerna utan webbläsare med ProperDocs:"; \
  else echo "Testerna utan webbläsare med klockan satt till $$job:"; fi; \
  cat "$$logs/$$job.log"; done; \
rm -rf "$$logs"; exit $$failed
endef

test-fast: $(STAMP) node-deps
	$(BIN)/python -m pytest -m "not browser"

# The same handbook built and tested with ProperDocs, the maintained fork of MkDocs
# (MkDocs 1.6 is unmaintained): its own virtual environment, a strict build, and the
# suite without the browser with every 'mkdocs' import redirected to ProperDocs.
$(PD_STAMP): pyproject.toml
	@test -x $(PD_VENV)/bin/python || $(PYTHON) -m venv $(PD_VENV)
	$(PD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PD_VENV)/bin/python -m pip install --quiet -e '.[test,properdocs]'
	@touch $(PD_STAMP)

test-properdocs: $(PD_STAMP) system-deps node-deps
	@$(call side_by_side,properdocs)

vendor-mermaid:
	rm -rf .vendor-tmp && mkdir .vendor-tmp
	cd .vendor-tmp && npm pack --silent mermaid@$(MERMAID_VERSION) && tar xzf mermaid-$(MERMAID_VERSION).tgz
	cp .vendor-tmp/package/dist/mermaid.min.js docs/assets/vendor/mermaid/mermaid.min.js
	cp .vendor-tmp/package/LICENSE docs/assets/vendor/mermaid/LICENSE
	sed -i 's/version \*\*[0-9.]*\*\*/version **$(MERMAID_VERSION)**/' docs/assets/vendor/mermaid/VERSION.txt
	rm -rf .vendor-tmp

clean:
	rm -rf site .pytest_cache
