# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv with `python3 -m venv` and install the package on first use;
# the second run only re-installs when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out
OUT ?= $(DEMO_OUT)/course
# JupyterLab refuses to start as root unless told to: add --allow-root when root runs it.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
LAB_FLAGS := $(ROOT_FLAG) --LabApp.app_settings_dir=$(CURDIR)/jupyter-config/lab-settings \
	--LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate $(LAB_ARGS)
STUDENT_CONFIG := $(CURDIR)/jupyter-config/student$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH),)
PORT ?= 8866
HUB_PORT ?= 8000
# make test turns a skipped hub test into a failure (CI must run it); COURSE_REQUIRE_HUB= to allow the skip.
COURSE_REQUIRE_HUB ?= 1

.PHONY: setup test test-fast lab app hub formgrader demo validate lint bench bench-grading clean system-deps

# configurable-http-proxy (npm) for the local hub goes into .venv/node; without npm, a note.
setup: $(STAMP)
	@scripts/ensure-hub-proxy

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

system-deps:
	@scripts/ensure-system-deps

test: setup system-deps
	$(BIN)/ruff check course_lib tests benchmarks scripts
	$(BIN)/python -m course_lib validate
	COURSE_REQUIRE_HUB=$(COURSE_REQUIRE_HUB) $(BIN)/python -m pytest

# The lessons, as a student sees them: nbgrader's instructor tools are off (jupyter-config/).
# The fast tier while working: no notebooks executed, no grading, no browser (about 30 s).
test-fast: setup
	$(BIN)/ruff check course_lib tests benchmarks scripts
	$(BIN)/python -m pytest -m "not slow and not browser"

lab: setup
	@$(if $(ROOT_FLAG),echo "Running as root: starting JupyterLab with --allow-root.",true)
	JUPYTER_CONFIG_PATH=$(STUDENT_CONFIG) $(BIN)/jupyter lab $(LAB_FLAGS) \
		--ServerApp.root_dir=$(CURDIR)/notebooks/lessons

# The practice app (case scoring and response practice) as a standalone page in Voila, on
# 127.0.0.1:$(PORT); Ctrl+C stops it. The browser test starts it with the same command.
app: setup
	$(BIN)/python -m course_lib app --port $(PORT)

# The course on a local JupyterHub (root: it creates an instructor and three students as Unix
# users), on 127.0.0.1:$(HUB_PORT); Ctrl+C stops it and removes the users (HUB_ARGS=--keep-users keeps them).
hub: setup
	@scripts/ensure-hub-proxy
	@scripts/ensure-hub-env
	$(BIN)/python scripts/local_hub.py --port $(HUB_PORT) $(HUB_ARGS)

# Formgrader on a grade output folder (OUT=..., default: the demo's).
formgrader: setup
	@test -f $(OUT)/nbgrader_config.py || { echo "$(OUT) is not a grade output folder (run make demo, or python -m course_lib grade ... --out $(OUT))"; exit 2; }
	@$(if $(ROOT_FLAG),echo "Running as root: starting JupyterLab with --allow-root.",true)
	cd $(OUT) && $(CURDIR)/$(BIN)/jupyter lab $(LAB_FLAGS)

demo: setup system-deps
	$(BIN)/python -m course_lib demo --out $(DEMO_OUT)

validate: setup
	$(BIN)/python -m course_lib validate

bench: setup
	$(BIN)/python benchmarks/student_speed.py
	$(BIN)/python benchmarks/report_speed.py
	$(BIN)/python benchmarks/student_memory.py

# Stock nbgrader, a bare kernel floor and grade (--jobs 1 and 2) on the same honest class:
# BENCH_ARGS="--students 50" for a larger one, "--methods ..." to choose (see the script).
bench-grading: setup system-deps
	$(BIN)/python benchmarks/grading_speed.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
