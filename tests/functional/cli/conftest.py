"""Fixtures for driving the `pyflow` command line the way a user does.

Every test runs with fake AWS credentials and an SWF endpoint on a closed loopback port, so a
command that forgets its --endpoint-url fails fast on this machine instead of reaching AWS.
"""

from __future__ import annotations

import socket
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pyflow.cli._app import cli


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(autouse=True)
def isolated_aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    for name in (
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_REGION",
        "PYFLOW_DOMAIN",
        "PYFLOW_WORKFLOWS",
        "PYFLOW_TASK_LIST",
        "PYFLOW_DEBUG",
    ):
        monkeypatch.delenv(name, raising=False)
    nowhere = str(tmp_path / "no-aws-config")
    monkeypatch.setenv("AWS_CONFIG_FILE", nowhere)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", nowhere)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    dead = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", dead)
    return dead


@pytest.fixture
def invoke() -> Callable[..., Result]:
    runner = CliRunner()

    def run(*args: str, **kwargs: object) -> Result:
        return runner.invoke(cli, list(args), catch_exceptions=False, **kwargs)  # type: ignore[arg-type]

    return run


@pytest.fixture
def user_module(tmp_path: Path) -> Iterator[Callable[[str, str], str]]:
    """Write a module of user code into a fresh directory on sys.path; returns its name."""
    created: list[str] = []
    sys.path.insert(0, str(tmp_path))

    def write(name: str, source: str) -> str:
        path = tmp_path / (name.replace(".", "/") + ".py")
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(tmp_path).parents:
            if str(parent) != ".":
                (tmp_path / parent / "__init__.py").touch()
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        created.append(name)
        return name

    yield write
    sys.path.remove(str(tmp_path))
    for name in list(sys.modules):
        if any(name == c or name.startswith(c.split(".")[0]) for c in created):
            del sys.modules[name]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "real_time: run the local engine on the real clock")
