"""The local hub's configuration files, without starting anything (fast, no root needed):
JupyterHub's config binds loopback only, names no admin, and gives students (never the
instructor) the student settings and the salt; each user's nbgrader config names the
exchange and the course, and the instructor's opens the graded folder once it exists."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from traitlets.config import Config

from course_lib.grading.course import COURSE_ID
from course_lib.hub.exchange import user_config_text
from course_lib.hub.local_hub import SERVICE, HubSettings, LocalHub


def _load(text: str, path: Path, **names: object) -> Config:
    """Run a config file as traitlets does: ``c`` and ``get_config`` in its namespace."""
    config = Config()
    namespace = {"get_config": lambda: config, "__file__": str(path), **names}
    exec(compile(text, str(path), "exec"), namespace)  # noqa: S102 - our own generated file
    return config


def test_the_hub_listens_on_loopback_and_sets_up_students_only(tmp_path: Path) -> None:
    salt = tmp_path / "variant_salt.json"
    salt.write_text(json.dumps({"salt": "s3cret-salt"}))
    settings = HubSettings(
        state=tmp_path / "state",
        instructors=["teach"],
        students=["ana", "bo"],
        password="pw",
        salt_file=salt,
        proxy=Path("/opt/proxy/configurable-http-proxy"),
        port=8765,
    )
    path = LocalHub(settings).write_config()
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"  # token and password inside
    c = _load(path.read_text(), path)
    assert c.JupyterHub.ip == c.JupyterHub.hub_ip == "127.0.0.1"
    assert c.JupyterHub.port == 8765
    assert c.ConfigurableHTTPProxy.api_url.startswith("http://127.0.0.1:")
    assert c.ConfigurableHTTPProxy.command == ["/opt/proxy/configurable-http-proxy"]
    assert c.Authenticator.allowed_users == {"teach", "ana", "bo"}
    assert c.Authenticator.admin_users == set()
    (service,) = c.JupyterHub.services
    assert service == {"name": SERVICE, "api_token": settings.service_token}
    assert c.Spawner.cmd[0].endswith("/hub-env/bin/jupyterhub-singleuser")
    assert "--allow-root" not in c.Spawner.args  # servers run as their users, never root

    def spawned(name: str) -> dict[str, str]:
        spawner = SimpleNamespace(user=SimpleNamespace(name=name), environment={})
        c.Spawner.pre_spawn_hook(spawner)
        return spawner.environment

    assert spawned("teach") == {}
    student = spawned("ana")
    assert student["JUPYTER_CONFIG_PATH"].endswith("/jupyter-config/student")
    assert student["COURSE_VARIANT_SALT"] == "s3cret-salt"


def test_user_nbgrader_configs(tmp_path: Path) -> None:
    exchange, grades = tmp_path / "exchange", tmp_path / "grades"
    loaded: list[str] = []
    student = _load(user_config_text(exchange, COURSE_ID), tmp_path / "s.py")
    assert student.Exchange.root == str(exchange)
    assert student.CourseDirectory.course_id == COURSE_ID
    assert "GRADES" not in user_config_text(exchange, COURSE_ID)
    teacher_text = user_config_text(exchange, COURSE_ID, grades)
    _load(teacher_text, tmp_path / "t.py", load_subconfig=loaded.append)
    assert loaded == []  # nothing graded yet: formgrader keeps nbgrader's defaults
    grades.mkdir()
    (grades / "nbgrader_config.py").write_text("")
    _load(teacher_text, tmp_path / "t.py", load_subconfig=loaded.append)
    assert loaded == [str(grades / "nbgrader_config.py")]
