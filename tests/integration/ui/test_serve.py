"""The UI served for real: `pyflow local serve --ui` beside the engine, and `pyflow ui` against
an endpoint, over HTTP on the loopback interface."""

from __future__ import annotations

import http.client
import subprocess
from urllib.parse import urlparse

from tests.support.processes import PYFLOW, ROOT, bare_env

from .conftest import Served


def get(url: str, path: str, host: str | None = None) -> tuple[int, str]:
    parts = urlparse(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host or parts.netloc})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_local_serve_ui_lists_the_engines_executions(served: Served) -> None:
    served.client.start("UiGated", version="1", workflow_id="listed-1")
    status, html = get(served.ui_url, "/domains/pyflow/executions")
    assert status == 200
    assert ">listed-1</a>" in html


def test_the_served_ui_refuses_other_host_names(served: Served) -> None:
    status, _ = get(served.ui_url, "/domains/pyflow/executions", host="attacker.example")
    assert status == 400


def test_pyflow_ui_serves_against_an_endpoint(served: Served) -> None:
    served.client.start("UiGated", version="1", workflow_id="via-endpoint")
    proc = subprocess.Popen(
        [str(PYFLOW), "ui", "--endpoint-url", served.swf_url, "--port", "0"],
        cwd=ROOT, env=bare_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith(f"pyflow UI for {served.swf_url} on http://127.0.0.1:"), line
        status, html = get(line.split()[-1], "/domains/pyflow/executions?prefix=via-")
        assert status == 200
        assert ">via-endpoint</a>" in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)
