# One command each: set up .venv from pyproject.toml when needed, then run / test / benchmark.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench i18n clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks $(ARGS)

# Refresh resources/i18n/*/*.ts from the code and compile them into blitzgui/resources/i18n.
i18n: $(STAMP)
	$(PY) -m blitzgui.ui.i18n update

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
