# Rutinhandboken — the README's commands. Every target sets up what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installerad
MKDOCS := $(BIN)/mkdocs
MERMAID_VERSION ?= 11.17.2

.PHONY: serve build check test test-fast bench vendor-mermaid system-deps clean help

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

serve: $(STAMP)
	$(MKDOCS) serve --strict -a 127.0.0.1:8000

build: $(STAMP)
	$(MKDOCS) build --strict

check: $(STAMP)
	$(BIN)/handbok check

# Debian packages the browser tests need (Chromium). Installed only when missing.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installerar Chromium från Debian för webbläsartesterna …"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; }

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

vendor-mermaid:
	rm -rf .vendor-tmp && mkdir .vendor-tmp
	cd .vendor-tmp && npm pack --silent mermaid@$(MERMAID_VERSION) && tar xzf mermaid-$(MERMAID_VERSION).tgz
	cp .vendor-tmp/package/dist/mermaid.min.js docs/assets/vendor/mermaid/mermaid.min.js
	cp .vendor-tmp/package/LICENSE docs/assets/vendor/mermaid/LICENSE
	sed -i 's/version \*\*[0-9.]*\*\*/version **$(MERMAID_VERSION)**/' docs/assets/vendor/mermaid/VERSION.txt
	rm -rf .vendor-tmp

clean:
	rm -rf site .pytest_cache
