"""`pyflow ui`: what it says when the extra is missing, the port is taken or it is exposed."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator

import pytest
import uvicorn
from click.testing import CliRunner, Result

from pyflow.cli._app import cli
from pyflow.local import LocalSWF
from pyflow.local._server import serve


@pytest.fixture
def endpoint() -> Iterator[str]:
    engine = LocalSWF()
    server = serve(engine, host="127.0.0.1", port=0)
    yield server.url
    server.shutdown()
    engine.close()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["ui", *args], catch_exceptions=False)


def test_without_the_ui_extra_it_says_what_to_install(
    endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    result = run("--endpoint-url", endpoint, "--port", "0")
    assert result.exit_code == 1
    assert "needs the 'ui' extra (uvicorn is missing)" in result.output
    assert "pip install 'pyflow-swf[ui]'" in result.output


def test_a_port_in_use_is_a_clear_error(endpoint: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--endpoint-url", endpoint, "--port", str(port))
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output


@pytest.mark.parametrize(("host", "warned"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_it_warns_when_listening_beyond_loopback(
    endpoint: str, monkeypatch: pytest.MonkeyPatch, host: str, warned: bool
) -> None:
    served: list[socket.socket] = []
    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets: served.extend(sockets))
    result = run("--endpoint-url", endpoint, "--host", host, "--port", "0")
    assert result.exit_code == 0, result.output
    assert f"pyflow UI for {endpoint} on http://{host}:" in result.output
    assert ("Warning: the UI listens on" in result.output) is warned
    assert len(served) == 1
    served[0].close()


def test_help_lists_ui_and_local_serve_offers_it() -> None:
    listed = CliRunner().invoke(cli, ["--help"]).output
    assert "\n  ui " in listed
    serve_help = CliRunner().invoke(cli, ["local", "serve", "--help"]).output
    assert "--ui [PORT]" in serve_help
