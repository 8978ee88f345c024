"""The runtime over HTTP: moto's server in a subprocess on a loopback port, reached through the
default client (AWS_ENDPOINT_URL_SWF), with the activity worker in its own process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import pyflow

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
DOMAIN = "over-http"
ROOT = Path(__file__).resolve().parents[3]

WORKER = textwrap.dedent(
    """
    import pyflow

    @pyflow.activity(name="greet", version="1", task_list="greeters")
    def greet(name):
        return "Hello " + name

    pyflow.poll_for_activities([greet], domain="over-http", task_list="greeters",
                               num_iterations=8)
    """
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"moto_server exited with {server.returncode}")
        try:
            urllib.request.urlopen(url + "/moto-api/", timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto_server did not start within 30 s")


@pytest.fixture
def moto_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
            monkeypatch.delenv(var, raising=False)
        monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_workflow_runs_over_http_with_a_worker_process(moto_server: str) -> None:
    wf = pyflow.Workflow("OverHttp", "1")
    wf.add(pyflow.ActivityTask(name="Greet", activity_type="greet", activity_version="1",
                               task_list="greeters", start_to_close_timeout=60,
                               depends_on=[wf.start_task]))
    pyflow.ensure_domain_registered(DOMAIN)  # client=None: the default client, from the env
    pyflow.ensure_workflow_registered(wf, domain=DOMAIN, task_list="deciders")
    workflow_id = pyflow.start_workflow(domain=DOMAIN, workflow_name="OverHttp",
                                        workflow_version="1", input="HTTP")
    worker = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=os.environ.copy())
    try:
        for _ in range(10):
            pyflow.poll_for_executions(wf, domain=DOMAIN, task_list="deciders", num_iterations=1)
            if not pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id).is_open:
                break
        outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf)
    finally:
        worker.kill()
        worker.wait(timeout=10)
    assert (outcome.status, outcome.result) == ("COMPLETED", "Hello HTTP")
