"""The runtime against moto in-process: activities, timers, signals, retries, failures.

moto does not long-poll (an empty poll sleeps 1 s) and runs timers in real time, so the
workflows here are short. It has no Lambda tasks or child workflows.
"""

from __future__ import annotations

from typing import Any

import pytest

import pyflow
from tests.support.harness import DECIDERS, register, running, start

from .conftest import DOMAIN

pytestmark = pytest.mark.timeout(60)


@pyflow.activity(name="shout", version="1", task_list="workers")
def shout(text: str) -> str:
    return text.upper() + "!"


@pyflow.activity(name="join", version="1", task_list="workers")
def join(parts: dict[str, Any]) -> str:
    return f"{parts['inputs']['Shout']} {parts['inputs']['Approval']['by']}"


_flaky_calls: list[int] = []


@pyflow.activity(name="flaky", version="1", task_list="workers")
def flaky(value: Any) -> str:
    _flaky_calls.append(1)
    if len(_flaky_calls) < 2:
        raise ConnectionError("first attempt always fails")
    return "recovered"


@pyflow.activity(name="broken", version="1", task_list="workers")
def broken(value: Any) -> str:
    raise RuntimeError("out of coffee")


def _outcome(client: Any, workflow_id: str, workflow: pyflow.Workflow) -> pyflow.Outcome:
    return pyflow.wait_for_outcome(
        domain=DOMAIN, workflow_id=workflow_id, workflow=workflow, timeout=30, client=client
    )


def test_activity_timer_and_signal_workflow_completes(moto_swf: Any) -> None:
    wf = pyflow.Workflow("Approve", "1")
    wf.add(pyflow.ActivityTask(name="Shout", activity=shout, depends_on=[wf.start_task]))
    wf.add(pyflow.TimerTask(name="Pause", duration=1, depends_on=["Shout"]))
    wf.add(pyflow.SignalTask(name="Approval", signal_name="Approved"))
    wf.add(pyflow.ActivityTask(name="Join", activity=join,
                               depends_on=["Pause", "Approval", "Shout"]))
    register(moto_swf, DOMAIN, wf)
    with running(moto_swf, DOMAIN, [wf], [shout, join]) as stats:
        workflow_id = start(moto_swf, DOMAIN, wf, "hello")
        pyflow.signal_workflow(
            domain=DOMAIN, workflow_id=workflow_id, signal_name="Approved",
            input={"by": "alice"}, client=moto_swf,
        )
        outcome = _outcome(moto_swf, workflow_id, wf)
    assert (outcome.status, outcome.result) == ("COMPLETED", "HELLO! alice")
    assert outcome.tasks["Approval"].output == {"by": "alice"}
    assert [t.state for t in outcome.tasks.values()] == ["completed"] * 5
    assert stats[0].decision_tasks >= 3 and stats[0].errors == 0


def test_a_failed_activity_is_retried(moto_swf: Any) -> None:
    _flaky_calls.clear()
    wf = pyflow.Workflow("Retry", "1")
    wf.add(pyflow.ActivityTask(name="Flaky", activity=flaky, num_retries=2))
    register(moto_swf, DOMAIN, wf)
    with running(moto_swf, DOMAIN, [wf], [flaky]):
        outcome = _outcome(moto_swf, start(moto_swf, DOMAIN, wf), wf)
    assert (outcome.status, outcome.result) == ("COMPLETED", "recovered")
    assert outcome.tasks["Flaky"].attempts == 2


def test_an_activity_failing_for_good_fails_the_workflow(moto_swf: Any) -> None:
    wf = pyflow.Workflow("Broken", "1")
    wf.add(pyflow.ActivityTask(name="Coffee", activity=broken))
    register(moto_swf, DOMAIN, wf)
    with running(moto_swf, DOMAIN, [wf], [broken]):
        outcome = _outcome(moto_swf, start(moto_swf, DOMAIN, wf), wf)
    assert outcome.status == "FAILED"
    assert "Coffee" in (outcome.reason or "")
    assert "out of coffee" in (outcome.details or "")
    assert outcome.tasks["Coffee"].last_error is not None


def test_an_exception_while_deciding_fails_only_that_execution(
    moto_swf: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyflow._worker._decider as loop_module

    real_resume = loop_module.resume  # what the decider loop calls to decide

    def resume(prior: Any, workflow: pyflow.Workflow, events: Any, **kw: Any) -> Any:
        if workflow.name == "Doomed":
            raise ZeroDivisionError("decider bug")
        return real_resume(prior, workflow, events, **kw)

    monkeypatch.setattr(loop_module, "resume", resume)
    doomed, fine = pyflow.Workflow("Doomed", "1"), pyflow.Workflow("Fine", "1")
    fine.add(pyflow.ActivityTask(name="Shout", activity=shout, depends_on=[fine.start_task]))
    for wf in (doomed, fine):
        register(moto_swf, DOMAIN, wf)
    with running(moto_swf, DOMAIN, [doomed, fine], [shout]) as stats:
        doomed_id = start(moto_swf, DOMAIN, doomed)
        fine_id = start(moto_swf, DOMAIN, fine, "ok")
        failed = _outcome(moto_swf, doomed_id, doomed)
        completed = _outcome(moto_swf, fine_id, fine)
    assert failed.status == "FAILED"
    assert failed.reason == "pyflow decider error: ZeroDivisionError"
    assert "decider bug" in (failed.details or "") and "Traceback" in (failed.details or "")
    assert (completed.status, completed.result) == ("COMPLETED", "OK!")
    assert stats[0].errors == 1


def test_a_type_not_served_is_left_for_another_decider(moto_swf: Any) -> None:
    served, other = pyflow.Workflow("Served", "1"), pyflow.Workflow("Other", "1")
    register(moto_swf, DOMAIN, other)
    workflow_id = start(moto_swf, DOMAIN, other)
    stats = pyflow.poll_for_executions(
        served, domain=DOMAIN, task_list=DECIDERS, num_iterations=1, client=moto_swf
    )
    assert (stats.decision_tasks, stats.decisions, stats.errors) == (1, 0, 1)
    history = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=moto_swf).history
    assert [e["eventType"] for e in history][-1] == "DecisionTaskStarted"


def test_an_unknown_domain_stops_the_loop_with_a_clear_error(moto_swf: Any) -> None:
    with pytest.raises(pyflow.UnknownDomainError, match="ensure_domain_registered"):
        pyflow.poll_for_executions(
            pyflow.Workflow("W", "1"), domain="nowhere", task_list="t", num_iterations=1,
            client=moto_swf,
        )
