# Two commands on a fresh clone:  make demo  (the main job, embedded store)  and  make test.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOME_DIR ?= ./recsys-data

.PHONY: demo test install clean bench browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch first, pinned: pip takes this build from the local wheel cache where one exists
	$(PIP) install -q torch==2.14.1 torchvision==0.29.1
	$(PIP) install -q -e '.[dev,hub,openl3,serve,ray]'
	touch $@

install: $(VENV)/.installed

RECSYS := RECSYS_HOME=$(HOME_DIR) $(VENV)/bin/recsys
SEED   = $$($(PY) -c "import json; print(json.load(open('$(HOME_DIR)/sample-catalog/sample_queries.json'))['seed']['title'])")

# Writes the sample catalog (first run), ingests it into the embedded Qdrant Edge store,
# then asks for recommendations (with explanations) and for tracks like a sample cover.
demo: install
	$(RECSYS) ingest
	$(RECSYS) recommend "$(SEED)" --explain -k 5
	$(RECSYS) query --image $(HOME_DIR)/sample-catalog/sample_query_cover.png -k 5
	$(RECSYS) info

# The browser tests drive Debian's chromium; where it is missing and apt can install it (as
# root), it is installed first, else those tests skip saying why.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
		&& (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1)) \
		|| echo "chromium not installed: the browser tests will skip"; }

test: install browser
	$(VENV)/bin/pytest -q

clean:
	rm -rf $(HOME_DIR) $(VENV)
