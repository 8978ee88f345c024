"""The processes the interop tests run: `pyflow local serve` with the example workflows, a
`pyflow decider` for them, and each example worker in its own language.

The workers' SDKs are installed by `make test-interop` (Debian's ruby-aws-sdk, npm's
@aws-sdk/client-swf); one that is missing fails the tests with the command that installs it,
never skips them, so a machine without them cannot pass for a green run.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import boto3
import pytest

import pyflow
from tests.integration.interop.workers import (
    PLACEHOLDER_AWS,
    WORKERS,
    Engine,
    Process,
    Worker,
    require_sdk,
)
from tests.support.processes import PYFLOW, ROOT, bare_env


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    server = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--virtual-time",
         "--register", "examples.interop"],
        cwd=ROOT, env=bare_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert server.stdout is not None
    first = server.stdout.readline()
    assert first.startswith("pyflow local SWF engine listening on http://127.0.0.1:"), first
    url = first.split()[-1]
    logs = tmp_path_factory.mktemp("interop")
    decider = Process("the decider", [str(PYFLOW), "decider", "examples.interop"],
                      logs / "decider.log", bare_env(AWS_ENDPOINT_URL_SWF=url))
    swf = boto3.client("swf", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id="placeholder", aws_secret_access_key="placeholder")
    try:
        yield Engine(url=url, client=pyflow.Client(swf, domain="pyflow"), decider=decider)
    finally:
        decider.stop()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module", params=sorted(WORKERS))
def worker(
    request: pytest.FixtureRequest, engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Worker, Process]]:
    spec = WORKERS[request.param]
    require_sdk(spec)
    log = tmp_path_factory.mktemp(spec.language) / "worker.log"
    process = Process(f"the {spec.language} worker", spec.command, log,
                      bare_env(AWS_ENDPOINT_URL_SWF=engine.url, **PLACEHOLDER_AWS))
    try:
        yield spec, process
    finally:
        process.stop()


