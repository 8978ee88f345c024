"""Cases a review found: each once made the decider stall, change an ended task, send what
SWF refuses, or raise; each must now hold on every replay."""

from __future__ import annotations

import json
from typing import Any

import pyflow
from pyflow._decider import execution_state
from pyflow._workflow._budget import estimate

from .test_failures import attrs, kinds, step


def states(wf: pyflow.Workflow, h: Any) -> dict[str, str]:
    return {n: t.state for n, t in execution_state(wf, h.events).tasks.items()}


def test_a_failure_found_while_building_an_input_is_recorded_so_replays_meet_it(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="X", lambda_function="x", depends_on=[wf.start_task],
                             transform_input=lambda v: 1 / 0))
    wf.add(pyflow.SignalTask(name="S", timeout=5, notify="tell", depends_on=["X"],
                             trigger_rule="all_done"))
    wf.add(pyflow.LambdaTask(name="After", lambda_function="a", depends_on=["S"],
                             trigger_rule="all_done"))
    h = swf('"x"')
    first = step(wf, h)
    assert kinds(first) == ["RecordMarker", "ScheduleLambdaFunction", "StartTimer"]
    h.lambda_failed("S#1#notify")
    h.timer_fired("S#1#timeout")
    (after,) = step(wf, h)  # the notifier's failure failed S; After runs anyway
    assert attrs(after)["id"] == "After#1"
    assert states(wf, h)["X"] == "failed" and states(wf, h)["S"] == "failed"


def test_a_late_signal_does_not_revive_a_signal_task_that_failed(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.SignalTask(name="Approve", timeout=60, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Work", lambda_function="w", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Cleanup", lambda_function="c", depends_on=["Approve", "Work"],
                             trigger_rule="all_done"))
    h = swf('"x"')
    step(wf, h)
    h.timer_fired("Approve#1#timeout")
    assert step(wf, h) == []
    h.signal("Approve", '"late"')
    assert step(wf, h) == []  # Work is still running: Cleanup must wait
    assert states(wf, h)["Approve"] == "failed"
    h.lambda_completed("Work#1", "w")
    (cleanup,) = step(wf, h)
    sent = json.loads(attrs(cleanup)["input"])["inputs"]
    assert sent["Work"] == "w" and "error" in sent["Approve"]


def test_a_child_loop_with_context_fails_the_task_rather_than_send_an_oversize_input(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Body", workflow_name="C", workflow_version="1",
                               depends_on=[wf.start_task], pass_context=True,
                               repeat_until=lambda out: False, max_iterations=3))
    h = swf('"x"')
    (child,) = step(wf, h)
    h.child_closed(attrs(child)["workflowId"], "ChildWorkflowExecutionCompleted",
                   result=json.dumps("y" * 32_700))
    decisions = step(wf, h)
    assert kinds(decisions)[-1] == "FailWorkflowExecution"
    assert "input is" in attrs(decisions[-1])["reason"]


def test_payloads_nested_deeper_than_python_decodes_do_not_raise(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=[wf.start_task]))
    deep = "[" * 5000 + "]" * 5000
    h = swf(deep)
    state = execution_state(wf, h.events)
    assert state.input == deep  # kept as the text it is
    assert kinds(step(wf, h)) == ["ScheduleLambdaFunction"]


def test_run_if_cannot_change_what_other_dependents_receive(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", depends_on=["A"],
                             run_if=lambda v: v.pop("go")))
    wf.add(pyflow.LambdaTask(name="C", lambda_function="c", depends_on=["A"]))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("A#1", {"go": True, "data": 1})
    sent = {attrs(d)["id"]: json.loads(attrs(d)["input"]) for d in step(wf, h)}
    assert sent == {"B#1": {"go": True, "data": 1}, "C#1": {"go": True, "data": 1}}


def test_the_budget_counts_signal_deadlines_and_their_retries() -> None:
    wf = pyflow.Workflow("W", "1", execution_timeout=36_000)
    wf.add(pyflow.SignalTask(name="S", timeout=3000, depends_on=[wf.start_task],
                             retry=pyflow.RetryPolicy(max_attempts=3, initial_interval=300,
                                                      jitter="none")))
    assert estimate(wf).longest_seconds == 3 * 3000 + 300 + 300
