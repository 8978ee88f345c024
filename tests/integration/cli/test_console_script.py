"""The installed `pyflow` console script in real subprocesses: the demo command, and
`pyflow local serve` over HTTP driven by `pyflow decider` and `pyflow start` processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.support.processes import PYFLOW, ROOT
from tests.support.processes import bare_env as _env

pytestmark = pytest.mark.skipif(not PYFLOW.exists(), reason="needs the project's virtualenv")


def _pyflow(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYFLOW), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_demo_command_prints_hello_dlrow() -> None:
    result = _pyflow(
        "run", "workflows.string_transformer:workflow", "--input", "World",
        "--lambdas", "handlers.strings", env=_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello DLROW\n"
    sleep_done = re.search(r"([\d.]+)s\s+completed\s+Sleep", result.stderr)
    assert sleep_done and 30 <= float(sleep_done.group(1)) < 31, result.stderr


def test_help_lists_every_command() -> None:
    result = _pyflow("--help", env=_env())
    assert result.returncode == 0
    for command in ("run", "local", "start", "signal", "cancel", "terminate", "describe",
                    "history", "list", "graph", "register", "decider", "worker"):
        assert f"\n  {command} " in result.stdout, command


def test_decider_and_start_processes_against_local_serve(server: str) -> None:
    env = _env(AWS_ENDPOINT_URL_SWF=server)  # no credentials, no region: loopback needs none
    decider = subprocess.Popen(
        [str(PYFLOW), "decider", "workflows"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    started = _pyflow(
        "start", "workflows.string_transformer:workflow", "--input", "World",
        "--workflow-id", "sub-1", "--wait", env=env,
    )
    decider.terminate()  # SIGTERM: the decider finishes what it holds and stops cleanly
    out, err = decider.communicate(timeout=30)
    assert decider.returncode == 0, err
    assert started.returncode == 0, started.stderr
    assert "Status:      COMPLETED" in started.stdout
    assert "Result:      Hello DLROW" in started.stdout
    assert "decider stopped:" in out and "0 errors" in out
    listed = _pyflow("list", "--status", "completed", "--endpoint-url", server, env=_env())
    assert "sub-1" in listed.stdout and "StringTransformer 1.0" in listed.stdout
    missing = _pyflow("describe", "sub-404", "--endpoint-url", server, env=_env())
    assert missing.returncode == 1
    assert missing.stderr.startswith("Error: no execution with workflow id 'sub-404'")


def test_missing_cli_extra_gives_install_hint() -> None:
    code = (
        "import sys; sys.modules['rich'] = None\n"
        "from pyflow.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, env=_env()
    )
    assert result.returncode == 1
    assert result.stderr == (
        "Error: the pyflow command line needs the 'cli' extra (rich is missing).\n"
        "Hint: pip install 'pyflow-swf[cli]'\n"
    )


def test_local_serve_on_a_busy_port_says_so() -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = _pyflow("local", "serve", "--port", str(port), env=_env(), timeout=30)
    assert result.returncode == 1
    assert result.stderr == (
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
        "Hint: pick another --port (0 chooses a free one)\n"
    )


def test_output_piped_into_a_reader_that_stops_early_ends_quietly() -> None:
    # The reading end is closed before pyflow writes: like `pyflow graph ... | head -0`.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [str(PYFLOW), "graph", "workflows.string_transformer:workflow", "--format", "dot"],
            cwd=ROOT, env=_env(), stdout=write_end, stderr=subprocess.PIPE, text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141
