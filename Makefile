# Two commands on a fresh machine: `make demo` and `make test`.
# Both create .venv with `python3 -m venv` and install the package on first use;
# the second run only re-installs when pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: setup test lab demo validate lint bench clean system-deps

setup: $(STAMP)

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
	$(BIN)/python -m pytest

lab: setup
	$(BIN)/jupyter lab notebooks/lessons

demo: setup system-deps
	$(BIN)/python -m course_lib demo --out $(DEMO_OUT)

validate: setup
	$(BIN)/python -m course_lib validate

bench: setup
	$(BIN)/python benchmarks/student_speed.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache .ruff_cache
