"""The package's declared dependencies: pyproject.toml and environment.yml agree."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import REPO

# A name, optional [extras] (conda has none: conda-forge's psycopg brings its own libpq, which
# is what psycopg[binary] does on PyPI), then the version range.
NAME = re.compile(r"^([A-Za-z0-9_.-]+)\s*(?:\[[A-Za-z0-9_,.-]+\])?\s*(.*)$")
CONDA_NAMES = {"pyyaml": "pyyaml"}  # PyPI name -> conda-forge name, where they differ
# Test extras that environment.yml also lists: the single-user image on a hub needs them.
TEST_EXTRAS_IN_CONDA = {"jupyterhub"}


def _split(spec: str) -> tuple[str, str]:
    match = NAME.match(spec.strip())
    assert match, spec
    return match.group(1).lower(), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = dict(_split(d) for d in project["dependencies"])
    extras = dict(_split(d) for d in project["optional-dependencies"]["test"])
    runtime.update({name: extras[name] for name in TEST_EXTRAS_IN_CONDA})
    runtime |= dict(_split(d) for d in project["optional-dependencies"]["dask"])  # grade --dask
    assert (
        dict(_split(d) for d in project["optional-dependencies"]["test"]).get("distributed")
        == runtime["distributed"]
    ), "the test extra installs the [dask] extra's distributed"
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str) and d not in ("pip",))
    conda.pop("python", None)
    assert {CONDA_NAMES.get(k, k): v for k, v in runtime.items()} == conda
    pip_part = next(d for d in env["dependencies"] if isinstance(d, dict))["pip"]
    assert "-e ." in pip_part, "environment.yml installs the package itself"
    assert "conda-forge" in env["channels"]


def test_python_requirement() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"


def test_import_is_cheap() -> None:
    """`import course_lib` must not pull in the heavy stack (lessons import it first)."""
    code = "import sys, course_lib; heavy = [m for m in ('numpy', 'plotly', 'pydantic', 'nbformat', 'ipywidgets') if m in sys.modules]; print(heavy)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_built_wheel_carries_the_widgets_front_end(tmp_path: Path) -> None:
    """A non-editable install must ship the controls' JavaScript and CSS, or nothing renders."""
    source = tmp_path / "src"  # a copy: building in place would leave build/ in the checkout
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "course_lib", source / "course_lib")
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("reactance_course-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for asset in ("choice_group.js", "live_message.js", "focus_heading.js", "controls.css"):
        assert f"course_lib/widgets/static/{asset}" in names
    assert not any(n.startswith("notebooks/") or "/keys/" in n for n in names)
