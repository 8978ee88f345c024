"""`pyflow local serve --ui` and `pyflow decider` as real processes, for the UI's end-to-end
tests; the execution is started through the engine's HTTP endpoint."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

import pyflow
from pyflow._client import swf_client
from tests.support.processes import PYFLOW, ROOT, bare_env

FLOWS = "tests.integration.ui.ui_flows"


@dataclass
class Served:
    swf_url: str
    ui_url: str
    client: pyflow.Client


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture
def served() -> Iterator[Served]:
    serve = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--ui", "0", "--json",
         "--lambdas", FLOWS, "--register", FLOWS],
        cwd=ROOT, env=bare_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert serve.stdout is not None
    try:
        line = serve.stdout.readline()
        assert line.startswith("{"), line + (serve.stderr.read() if serve.stderr else "")
        urls = json.loads(line)
        decider = subprocess.Popen(
            [str(PYFLOW), "decider", FLOWS], cwd=ROOT,
            env=bare_env(AWS_ENDPOINT_URL_SWF=urls["url"]),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
        )
        try:
            client = pyflow.Client(swf_client(endpoint_url=urls["url"]), domain="pyflow")
            yield Served(urls["url"], urls["ui"], client)
        finally:
            _stop(decider)
    finally:
        _stop(serve)
