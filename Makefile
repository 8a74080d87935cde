# GradPhoto — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

CONSTRAINTS := constraints.txt
# Random test order (pytest-randomly): a new seed each run, printed first; repeat one with `make test SEED=N`.
ifndef SEED
SEED := $(shell $(PYTHON) -c 'import random; print(random.randrange(1, 10**6))')
endif

TS := resources/translations/gradphoto_en.ts
QM := $(TS:.ts=.qm)

.PHONY: install run test lint demo bench dist smoke clean translations qm upgrade-deps

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(STAMP): pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PY) -m pip install -q -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(CONSTRAINTS) | $(PY)
	$(PY) -m pip install -q -c $(CONSTRAINTS) -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP) $(QM)

run: $(STAMP) $(QM)
	$(PY) main.py

demo: $(STAMP) $(QM)
	$(PY) main.py --demo

test: $(TEST_STAMP) $(QM)
	@echo "pytest random order: seed $(SEED) (repeat with: make test SEED=$(SEED))"
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p randomly --randomly-seed=$(SEED) $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check app tests
	$(VENV)/bin/ruff format --check app tests

# Newest releases allowed by pyproject.toml, installed into a scratch venv and written to constraints.txt.
upgrade-deps:
	rm -rf .venv-upgrade
	$(PYTHON) -m venv .venv-upgrade
	.venv-upgrade/bin/pip install -q --upgrade pip
	.venv-upgrade/bin/pip install -q -e '.[test]'
	{ sed -n '1,2p' $(CONSTRAINTS); .venv-upgrade/bin/pip freeze --exclude-editable; } > $(CONSTRAINTS).new
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
	rm -rf .venv-upgrade

# Interface strings: refresh the .ts from the source (Chinese is the source language), then translate the
# new entries (pyside6-linguist, or any editor). The .qm files are built, never committed.
translations: $(STAMP)
	$(PY) tools/i18n_data.py
	$(VENV)/bin/pyside6-lupdate -locations none -no-obsolete -source-language zh_CN -target-language en $$(find app -name '*.py' | sort) -ts $(TS)

qm: $(QM)

$(QM): $(TS) | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@
	cp "$$($(PY) -c 'from PySide6.QtCore import QLibraryInfo as L; print(L.path(L.LibraryPath.TranslationsPath))')/qtbase_zh_CN.qm" $(dir $@)

dist: $(STAMP) $(QM)
	$(PY) -m pip install -q -e '.[dist]'
	$(PY) -m PyInstaller --noconfirm --clean installer.spec
	du -sh dist/GradPhoto-*
	$(MAKE) smoke

# The built app starts offscreen, runs its self-test (on PHOTO=... when given) and exits 0.
smoke:
	QT_QPA_PLATFORM=offscreen dist/GradPhoto-*/gradphoto-cli --self-test $(PHOTO)

bench: $(TEST_STAMP)  # bench/code_reading.py reads codes with zxing-cpp, a test extra
	for b in bench/*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .venv-upgrade build dist .pytest_cache resources/translations/*.qm
