"""`pyflow local serve --db` killed with SIGKILL mid-run and restarted: nothing answered is
lost (benchmarks/crash_local_serve.py runs the processes), and a second server on a file in
use is refused."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.processes import PYFLOW, ROOT, bare_env

pytestmark = pytest.mark.timeout(150)


def _harness(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # as for a script run from there
    monkeypatch.delitem(sys.modules, "crash_local_serve", raising=False)
    path = ROOT / "benchmarks" / "crash_local_serve.py"
    spec = importlib.util.spec_from_file_location("crash_local_serve", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_fifty_executions_survive_three_server_kills(monkeypatch: pytest.MonkeyPatch) -> None:
    harness = _harness(monkeypatch)
    report = harness.crash_run(executions=50, kills=3, timeout=110)
    assert report.kills == 3
    assert report.wrong == {}, report.logs
    assert report.completed == 50
    assert len(report.restart_seconds) == 3


def test_a_task_delivered_over_http_stays_with_its_poller_through_a_kill(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    harness = _harness(monkeypatch)
    procs = harness.Processes(tmp_path, harness._free_port())
    try:
        procs.start_server()
        swf = harness._client(procs.url).swf
        swf.start_workflow_execution(domain="crash", workflowId="held",
                                     workflowType={"name": "CrashDag", "version": "1"})
        task = swf.poll_for_decision_task(domain="crash", taskList={"name": "crash-deciders"})
        # The server records a delivery once the answer is in the socket's hands, which may be
        # just after the client has read it; a second call on the same keep-alive connection
        # is read by that handler thread only after it has.
        swf.count_pending_decision_tasks(domain="crash", taskList={"name": "crash-deciders"})
        procs.kill_server()
        procs.start_server()
        pending = swf.count_pending_decision_tasks(domain="crash",
                                                   taskList={"name": "crash-deciders"})
        assert pending["count"] == 0  # not offered to anyone else
        swf.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[{
            "decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": {"result": "kept"}}])
        history = swf.get_workflow_execution_history(
            domain="crash", execution={"workflowId": "held", "runId": task[
                "workflowExecution"]["runId"]})["events"]
    finally:
        procs.stop()
    assert [e["eventType"] for e in history] == [
        "WorkflowExecutionStarted", "DecisionTaskScheduled", "DecisionTaskStarted",
        "DecisionTaskCompleted", "WorkflowExecutionCompleted"]


def test_a_second_server_on_a_database_in_use_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "engine.db"
    first = subprocess.Popen([str(PYFLOW), "local", "serve", "--port", "0", "--db", str(db)],
                             cwd=ROOT, env=bare_env(), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        assert first.stdout is not None
        assert "listening on" in first.stdout.readline()
        began = time.monotonic()
        second = subprocess.run([str(PYFLOW), "local", "serve", "--port", "0", "--db", str(db)],
                                cwd=ROOT, env=bare_env(), capture_output=True, text=True,
                                timeout=60)
        assert time.monotonic() - began < 30
    finally:
        first.terminate()
        first.wait(timeout=10)
    assert second.returncode == 1
    assert "Traceback" not in second.stderr
    assert f"Error: the engine database {db} is in use by another pyflow local engine" in (
        second.stderr)
    assert "Hint: stop that server first, or pass another --db file" in second.stderr
    assert first.returncode == 0
