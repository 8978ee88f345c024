"""The example workers and the processes around them, for the interop tests: how to start each
worker and check its SDK, a subprocess with its output in a file, and waiting for an execution
while watching that nothing died."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import pyflow
from tests.support.processes import ROOT

EXAMPLES = ROOT / "examples"
INSTALL_HINT = "run `make test-interop`, which installs the workers' SDKs"
# Any SDK signs its requests, so the workers get placeholder credentials and a region; the
# engine on loopback checks neither.
PLACEHOLDER_AWS = {
    "AWS_ACCESS_KEY_ID": "placeholder",
    "AWS_SECRET_ACCESS_KEY": "placeholder",
    "AWS_REGION": "us-east-1",
}


@dataclass(frozen=True)
class Worker:
    """An example worker: how to start it and how to tell its SDK is installed."""

    language: str
    command: list[str]
    check: list[str]
    """Exits 0 when the interpreter and the SDK are there."""


WORKERS = {
    "ruby": Worker(
        language="ruby",
        command=["ruby", str(EXAMPLES / "ruby-worker" / "worker.rb")],
        check=["ruby", "-e", "require 'aws-sdk-v1'; AWS::SimpleWorkflow::Client"],
    ),
    "node": Worker(
        language="node",
        command=["node", str(EXAMPLES / "node-worker" / "worker.mjs")],
        check=["node", "--input-type=module", "-e", "await import('@aws-sdk/client-swf')"],
    ),
}


class Process:
    """A started subprocess whose output goes to a file, shown when a test fails."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict[str, str]) -> None:
        self.name = name
        self.log = log
        with log.open("w") as out:
            self.popen = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, text=True
            )

    def output(self) -> str:
        return self.log.read_text()

    def check_alive(self) -> None:
        if self.popen.poll() is not None:
            pytest.fail(f"{self.name} exited with {self.popen.returncode}:\n{self.output()}")

    def stop(self) -> None:
        self.popen.terminate()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


@dataclass
class Engine:
    """`pyflow local serve` with the example workflows, and the decider that serves them."""

    url: str
    client: pyflow.Client
    decider: Process


def require_sdk(worker: Worker) -> None:
    """Fail (not skip) when the worker's interpreter or SDK is missing."""
    if shutil.which(worker.command[0]) is None:
        pytest.fail(f"`{worker.command[0]}` is not installed: {INSTALL_HINT}")
    found = subprocess.run(worker.check, cwd=Path(worker.command[1]).parent,
                           capture_output=True, text=True, timeout=60)
    if found.returncode != 0:
        pytest.fail(f"the {worker.language} worker's SDK is missing ({found.stderr.strip()}): "
                    f"{INSTALL_HINT}")


def wait_until_closed(
    engine: Engine, workflow_id: str, workflow: pyflow.Workflow, worker: Process,
    timeout: float = 60,
) -> pyflow.Outcome:
    """The closed execution's outcome; fails at once, with its output, if a process died."""
    deadline = time.monotonic() + timeout
    while True:
        outcome = engine.client.describe(workflow_id, workflow=workflow)
        if outcome.status != "OPEN":
            return outcome
        worker.check_alive()
        engine.decider.check_alive()
        if time.monotonic() > deadline:
            pytest.fail(f"{workflow_id} still open after {timeout}s; the worker said:\n"
                        f"{worker.output()}")
        time.sleep(0.1)
