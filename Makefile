# Two commands for a newcomer: `make run` and `make test`. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Python 3.10 (Rasa 3.6 supports up to 3.10): python3.10 on PATH, else pyenv's 3.10.
PYTHON310 ?= $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10; do \
	  if $$p -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo $$p; break; fi; done)
MODEL := models/current.tar.gz
TRAINING_INPUTS := config.yml domain.yml catalog/districts.yml $(shell find data -name '*.yml' 2>/dev/null) \
	$(wildcard bot/nlu/*.py) bot/emergency.py bot/places.py bot/hints.py bot/language.py bot/transliteration.py
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONWARNINGS := ignore::DeprecationWarning

.PHONY: help install run test train db shell bench validate lock test-deps clean telegram-webhook

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 is needed (Rasa 3.6): install python3.10 or pyenv's 3.10" >&2; exit 1; }
	@test -x $(PY) || { echo "creating $(VENV) with $(PYTHON310)"; $(PYTHON310) -m venv $(VENV); }
	@echo "installing dependencies (pyproject.toml, pinned by constraints.txt) ..."
	$(PY) -m pip install --quiet --upgrade "pip<25"
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## create .venv (Python 3.10) and install the pinned dependencies

db: $(VENV)/.installed ## migrate the database and load the catalog (DATABASE_URL, default var/ SQLite)
	$(VENV)/bin/berlin-directory load

$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@echo "training the Rasa model (training data changed) ..."
	@mkdir -p models
	@# --skip-validation: rasa train's own check fails only on errors and reads all training data once
	@# more (~17 s); `make validate` (also run by make test) checks the same with --fail-on-warnings.
	$(VENV)/bin/rasa train --fixed-model-name current --out models --quiet --skip-validation
	@touch $@

train: $(MODEL) ## train the model when training data, config or domain changed

run: db $(MODEL) ## start everything: API and widget (8000), Rasa (5005), actions (5055); Ctrl-C stops all
	$(PY) -m bot.stack

shell: db $(MODEL) ## a counsellor's rasa shell against the same model and action server
	$(PY) -m bot.stack --shell

telegram-webhook: $(VENV)/.installed ## register the Telegram webhook (TELEGRAM_TOKEN, TELEGRAM_SECRET, TELEGRAM_PUBLIC_URL)
	$(PY) -m api.telegram

validate: $(VENV)/.installed ## rasa data validate --fail-on-warnings
	$(VENV)/bin/rasa data validate --fail-on-warnings --quiet

test-deps: ## system packages the tests need (PostgreSQL server, Chromium, tmux), installed when missing
	@bash scripts/test-deps.sh

test: $(VENV)/.installed test-deps $(MODEL) ## run all tests (unit, PostgreSQL, Rasa, end-to-end, Telegram, browser, shell)
	$(PY) -m pytest

bench: db $(MODEL) ## benchmark: held-out accuracy, emergency recall, training time, start-up, latency
	$(PY) -m bot.bench

lock: ## re-resolve dependencies from pyproject.toml into constraints.txt
	rm -rf /tmp/lockvenv && $(PYTHON310) -m venv /tmp/lockvenv && /tmp/lockvenv/bin/pip install --quiet -e '.[test]' \
	  && /tmp/lockvenv/bin/pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean: ## remove built things (venv, models, var)
	rm -rf $(VENV) models var .pytest_cache
