"""The deployment files in deploy/: the Zero to JupyterHub values and the single-user image.

The values file is checked for the keys and shapes the chart expects, for secrets kept out
of it (the gradebook URL reaches instructors only, through a Kubernetes secret), and for
memory requests that cover the figure ``make bench`` measured. With ``Z2JH_CHART`` naming
the chart's folder (``zero-to-jupyterhub-k8s/jupyterhub``, holding values.yaml and
values.schema.yaml), the values merged onto the chart's defaults as Helm does are validated
against the chart's own JSON schema. The Dockerfile is checked statically (no docker here);
with docker on PATH and ``COURSE_BUILD_IMAGE=1`` the image is built and its course checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO

DEPLOY = REPO / "deploy"
VALUES = DEPLOY / "z2jh-values.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
UNITS = {"K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}  # KubeSpawner's ByteSpecification


def _values() -> dict[str, Any]:
    return yaml.safe_load(VALUES.read_text())


def _at(data: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        assert isinstance(data, dict) and key in data, f"{dotted}: no {key!r}"
        data = data[key]
    return data


def _bytes(spec: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([KMGT])", str(spec))
    assert match, f"{spec!r} is not a KubeSpawner byte specification (e.g. 512M, 1G)"
    return int(float(match.group(1)) * UNITS[match.group(2)])


def test_values_have_the_keys_the_chart_expects() -> None:
    values = _values()
    assert set(values) <= {"hub", "singleuser", "cull", "proxy", "prePuller", "scheduling"}
    assert isinstance(_at(values, "singleuser.image.name"), str)
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    assert _at(values, "singleuser.image.tag") == version  # a string, as the schema wants
    assert _bytes(_at(values, "singleuser.memory.limit")) >= _bytes(
        _at(values, "singleuser.memory.guarantee")
    )
    volumes = _at(values, "singleuser.storage.extraVolumes")
    mounts = _at(values, "singleuser.storage.extraVolumeMounts")
    exchange = next(v for v in volumes if v["name"] == "nbgrader-exchange")
    assert exchange["persistentVolumeClaim"]["claimName"]
    (mount,) = [m for m in mounts if m["name"] == "nbgrader-exchange"]
    config_file = _at(values, "singleuser.extraFiles.nbgrader-config")
    assert f'c.Exchange.root = "{mount["mountPath"]}"' in config_file["stringData"]
    assert 'course_id = "reactance"' in config_file["stringData"]
    hub_config = _at(values, "hub.config")
    assert all(re.match(r"[A-Z]", name) for name in hub_config), "traitlets class names"
    assert hub_config["JupyterHub"]["authenticator_class"] not in ("dummy", "null")


def test_the_gradebook_url_reaches_instructors_only_and_from_a_secret() -> None:
    values = _values()
    text = VALUES.read_text()
    assert not re.search(r"\w+://[^\s/@]*:[^\s/@]+@", text), "a URL with a password"
    assert "COURSE_GRADEBOOK_URL" not in _at(values, "singleuser.extraEnv")
    (override,) = _at(values, "hub.config.KubeSpawner.group_overrides").values()
    assert override["groups"] == ["instructors"]
    env = override["spawner_override"]["environment"]
    ref = env["COURSE_GRADEBOOK_URL"]["valueFrom"]["secretKeyRef"]
    assert ref == {"name": "reactance-course", "key": "gradebook-url"}
    assert env["JUPYTER_CONFIG_PATH"] == ""  # instructors get formgrader back
    students = _at(values, "singleuser.extraEnv")["JUPYTER_CONFIG_PATH"]
    assert students == "/opt/course/jupyter-config/student"
    assert (REPO / "jupyter-config" / "student").is_dir()


def test_memory_guarantee_covers_the_measured_student() -> None:
    """The guarantee holds the measured kernel + server and a second kernel."""
    text = VALUES.read_text()
    measured = int(re.search(r"measured: (\d+) MiB", text).group(1))
    kernel = int(re.search(r"kernel peak RSS (\d+) MiB", text).group(1))
    guarantee = _bytes(_at(_values(), "singleuser.memory.guarantee")) / 2**20
    assert guarantee >= (measured + kernel) * 1.3
    assert "benchmarks/student_memory.py" in text
    assert (REPO / "benchmarks" / "student_memory.py").exists()


def _merge(defaults: Any, override: Any) -> Any:
    """Helm's merge of a values file onto the chart's defaults (maps merged, the rest replaced)."""
    if isinstance(defaults, dict) and isinstance(override, dict):
        merged = dict(defaults)
        for key, value in override.items():
            merged[key] = _merge(defaults.get(key), value) if key in defaults else value
        return merged
    return override


def test_values_validate_against_the_charts_schema() -> None:
    """The values, merged onto the chart's defaults, pass the chart's own schema (a copy in
    tests/fixtures/z2jh/, or the chart folder named by ``Z2JH_CHART``)."""
    chart = os.environ.get("Z2JH_CHART") or REPO / "tests" / "fixtures" / "z2jh"
    import jsonschema

    schema = yaml.safe_load((Path(chart) / "values.schema.yaml").read_text())
    defaults = yaml.safe_load((Path(chart) / "values.yaml").read_text())
    jsonschema.validate(_merge(defaults, _values()), schema)
    with pytest.raises(jsonschema.ValidationError):  # and the schema does catch a typo
        jsonschema.validate(_merge(defaults, {"singleuser": {"memory": {"guarante": "1G"}}}), schema)


def _copies() -> list[str]:
    sources = []
    for line in DOCKERFILE.read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            sources += line.split()[1:-1]
    return sources


def test_the_image_is_built_from_environment_yml_without_instructor_files() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM mambaorg/micromamba:", text, re.M)
    assert "--file environment.yml" in text
    sources = _copies()
    assert "environment.yml" in sources and "course_lib/" in sources
    for source in sources:
        assert (REPO / source).exists(), source
        assert not source.startswith(("notebooks/course", ".")) and "keys" not in source
        assert source not in ("notebooks/", "notebooks", "."), "the whole notebooks folder"
    assert not re.search(r"^(ENV|ARG) .*(PASSWORD|TOKEN|GRADEBOOK|SALT|SECRET)", text, re.M | re.I)
    assert text.rstrip().splitlines()[-1] == 'CMD ["jupyterhub-singleuser"]'
    assert "USER 1000:100" in text


@pytest.mark.slow
def test_the_image_builds() -> None:
    if not shutil.which("docker") or os.environ.get("COURSE_BUILD_IMAGE") != "1":
        pytest.skip("builds the image only with docker on PATH and COURSE_BUILD_IMAGE=1")
    tag = "reactance-course:test"
    subprocess.run(["docker", "build", "-f", str(DOCKERFILE), "-t", tag, str(REPO)], check=True)
    listing = subprocess.run(
        ["docker", "run", "--rm", tag, "ls", "/opt/course/notebooks"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert listing.stdout.split() == ["app", "lessons"]
