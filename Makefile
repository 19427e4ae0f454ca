# The two commands a school needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := webapp

.PHONY: run test install bench chromium pdf-libs

$(BIN)/activate:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: pdf-libs $(VENV)/.installed

# What WeasyPrint draws the chronology PDFs with (Pango, HarfBuzz) and a font with every accent.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS); }

# DEMO=0 starts a real school: no demo records, and a one-time link for the first administrator.
DEMO ?= 1
# The app and the mail sender always; Litestream too when instance/litestream.yml exists.
PROCESSES := $(if $(wildcard instance/litestream.yml),,web mail)

run: install
	$(BIN)/flask init-db
	$(BIN)/flask build-assets
	$(BIN)/flask first-start $(if $(filter 0 no false,$(DEMO)),--no-demo,--demo) --address http://$(HOST):$(PORT)
	APP_HOST=$(HOST) APP_PORT=$(PORT) $(BIN)/honcho start -f Procfile $(PROCESSES)

chromium:
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: install chromium
	$(BIN)/python -m pytest

# Every script in bench/ (a file with a plain `if __name__ == "__main__":`; the others are its helpers).
bench: install chromium
	@status=0; for script in $$(grep -l '^if __name__ == "__main__":$$' bench/*.py); do \
		echo "== $$script"; $(BIN)/python $$script || { status=1; echo "!! $$script exited with an error"; }; \
	done; exit $$status
