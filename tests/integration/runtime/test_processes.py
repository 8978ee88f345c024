"""Separate decider and worker processes on `pyflow local serve`'s HTTP endpoint, with the
decider killed (SIGKILL) mid-run and a new one started."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pyflow
from pyflow.local import LocalSWF
from pyflow.local._server import serve

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
DOMAIN = "processes"

FLOW = textwrap.dedent(
    """
    import pyflow

    @pyflow.activity(name="tag", version="1", task_list="taggers")
    def tag(value):
        return f"<{value}>"

    workflow = pyflow.Workflow("Procs", "1", decision_timeout=3)
    first = workflow.add(pyflow.ActivityTask(name="First", activity=tag,
                                             depends_on=[workflow.start_task]))
    go = workflow.add(pyflow.SignalTask(name="Go"))
    nap = workflow.add(pyflow.TimerTask(name="Nap", duration=3600, depends_on=[go]))
    workflow.add(pyflow.ActivityTask(name="Second", activity=tag, depends_on=[first, nap]))
    """
)
DECIDER = (
    "import pyflow; pyflow.poll_for_executions(pyflow.load_workflows('procflow'), "
    "domain='processes', task_list='deciders')"
)
WORKER = (
    "import pyflow; pyflow.poll_for_activities(pyflow.load_activities('procflow'), "
    "domain='processes', task_list='taggers')"
)


@pytest.fixture
def endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    (tmp_path / "procflow.py").write_text(FLOW)
    monkeypatch.syspath_prepend(str(tmp_path))
    engine = LocalSWF(virtual_time=True, poll_timeout=1, idle_grace=0.6)
    server = serve(engine)
    for var, value in {
        "AWS_ENDPOINT_URL_SWF": server.url, "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local", "AWS_DEFAULT_REGION": "us-east-1",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]),
    }.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    try:
        yield server.url, engine
    finally:
        server.shutdown()
        engine.close()
        sys.modules.pop("procflow", None)


def _spawn(code: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", code], env=os.environ.copy())


def _wait_for(condition: Any, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_killed_decider_process_is_replaced_without_losing_the_execution(
    endpoint: tuple[str, Any],
) -> None:
    [workflow] = pyflow.load_workflows("procflow:workflow")
    pyflow.ensure_domain_registered(DOMAIN)
    pyflow.ensure_workflow_registered(workflow, domain=DOMAIN, task_list="deciders")
    workflow_id = pyflow.start_workflow(domain=DOMAIN, workflow_name="Procs",
                                        workflow_version="1", input="x")

    def state(name: str) -> str:
        outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=workflow)
        return outcome.tasks[name].state

    processes = [_spawn(WORKER)]
    try:
        first_decider = _spawn(DECIDER)
        processes.append(first_decider)
        _wait_for(lambda: state("First") == "completed", "the first activity")
        first_decider.send_signal(signal.SIGKILL)
        first_decider.wait(timeout=10)
        pyflow.signal_workflow(domain=DOMAIN, workflow_id=workflow_id, signal_name="Go")
        processes.append(_spawn(DECIDER))
        outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id,
                                          workflow=workflow, timeout=60)
    finally:
        for process in processes:
            process.kill()
            process.wait(timeout=10)
    assert (outcome.status, outcome.result) == ("COMPLETED", "<<x>>")
    assert outcome.tasks["Nap"].state == "completed"
