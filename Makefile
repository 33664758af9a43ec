# Two commands on a fresh clone:  make demo  (the main job, embedded store)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOME_DIR ?= ./recsys-data

.PHONY: demo test install clean bench

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch first, pinned: pip takes this build from the local wheel cache where one exists
	$(PIP) install -q torch==2.14.1 torchvision==0.29.1
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

demo: install
	RECSYS_HOME=$(HOME_DIR) $(VENV)/bin/recsys ingest
	RECSYS_HOME=$(HOME_DIR) $(VENV)/bin/recsys recommend "$$($(PY) -m ingest.sample_catalog --demo-title $(HOME_DIR)/sample-catalog)" --explain -k 5
	RECSYS_HOME=$(HOME_DIR) $(VENV)/bin/recsys query --image $(HOME_DIR)/sample-catalog/sample_query_cover.png -k 5
	RECSYS_HOME=$(HOME_DIR) $(VENV)/bin/recsys info

test: install
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(HOME_DIR) $(VENV)
