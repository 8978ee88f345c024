"""The id scheme (deterministic, parseable, within SWF's rules) and `execution_state`."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

import pyflow
from pyflow._decider import decide, execution_state
from pyflow._decider._ids import (
    Ref,
    child_workflow_id,
    parse_child_id,
    parse_control,
    parse_id,
    part_id,
    task_id,
    wake_timer_id,
)

FORBIDDEN = re.compile(r"[:/|\u0000-\u001f\u007f-\u009f]")


def step(wf: pyflow.Workflow, swf: Any) -> list[dict[str, Any]]:
    decisions: list[dict[str, Any]] = decide(wf, swf.events, execution=swf.execution)  # type: ignore[assignment]
    swf.respond(decisions)
    return decisions


# -- ids ------------------------------------------------------------------------------------


def test_ids_parse_back_to_task_and_attempt_even_with_hashes_in_names() -> None:
    for name in ("A", "a#b", "x#retry", "5#wake", "1", "n" * 200):
        assert parse_id(task_id(name, 7)) == Ref("task", name, 7)
        assert parse_id(part_id(name, 2)) == Ref("retry", name, 2)
    assert parse_id(wake_timer_id(3)) == Ref("wake", "", 3)


def test_ids_pyflow_never_makes_do_not_parse() -> None:
    for value in ("A", "A#", "#1", "A#0", "A#01", "A#x", "x#wake", None, 5):
        assert parse_id(value) is None
    for value in ("", "{", "[]", '{"task": "A"}', '{"task": "A", "attempt": 0}',
                  '{"task": 1, "attempt": 1}', '{"timer": "other", "task": "A", "attempt": 1}'):
        assert parse_control(value) is None


def test_long_child_workflow_ids_are_hashed_within_256_characters() -> None:
    parent = "p" * 256
    first, second = child_workflow_id(parent, "n" * 200, 1), child_workflow_id(parent, "n" * 200, 2)
    assert len(first) <= 256 and len(second) <= 256
    assert first != second
    assert first != child_workflow_id(parent, "m" * 200, 1)
    assert first == child_workflow_id(parent, "n" * 200, 1)
    assert not FORBIDDEN.search(first)


def _run_hash(run_id: str) -> str:
    return hashlib.sha256(run_id.encode()).hexdigest()[:8]


def _run_id_with_an_all_digit_hash() -> str:
    """A runId whose hash looks like an attempt number, the hardest case for parsing."""
    return next(f"run/{i}+" for i in range(10_000) if _run_hash(f"run/{i}+").isdigit())


def test_child_ids_end_with_a_hash_of_the_parents_run_id() -> None:
    run_id = "22ABc+/xyz=="  # runIds may hold characters SWF forbids in ids
    child = child_workflow_id("order-17", "Ship", 1, run_id)
    assert child == f"order-17#Ship#1#{_run_hash(run_id)}"
    assert not FORBIDDEN.search(child)
    assert child != child_workflow_id("order-17", "Ship", 1, "another-run")
    assert child_workflow_id("order-17", "Ship", 1) == "order-17#Ship#1"


def test_long_child_ids_keep_the_run_hash_within_256_characters() -> None:
    parent, name = "p" * 256, "n" * 200
    first, other_run = (child_workflow_id(parent, name, 10**9, run) for run in ("r1", "r2"))
    assert len(first) <= 256 and len(other_run) <= 256
    assert first.endswith(f"#1000000000#{_run_hash('r1')}")
    assert first != other_run


def test_child_ids_parse_back_with_and_without_the_run_hash() -> None:
    run_id = _run_id_with_an_all_digit_hash()
    for name in ("Kid", "a#b", "7"):
        made = child_workflow_id("order#17", name, 3, run_id)
        assert parse_child_id(made, "order#17", run_id) == Ref("task", name, 3)
        old_style = child_workflow_id("order#17", name, 3)
        assert parse_child_id(old_style, "order#17", run_id) == Ref("task", name, 3)
    assert parse_child_id("other#Kid#1", "order#17", run_id) is None
    assert parse_child_id("order#17#Kid#1#wake", "order#17", run_id) is None
    assert parse_child_id(None, "order#17") is None


def test_child_events_without_control_correlate_by_an_id_with_the_run_hash(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="C", workflow_version="1",
                               num_retries=1))
    h = swf()
    h.execution = {"workflowId": "order-17", "runId": _run_id_with_an_all_digit_hash()}
    decisions: list[dict[str, Any]] = decide(wf, h.events, execution=h.execution)  # type: ignore[assignment]
    attrs = decisions[0]["startChildWorkflowExecutionDecisionAttributes"]
    assert attrs["workflowId"] == f"order-17#Kid#1#{_run_hash(h.execution['runId'])}"
    del attrs["control"]
    h.respond(decisions)
    h.start_child_failed(attrs["workflowId"])  # carries no control either
    h.decision_task()
    retry = step(wf, h)[0]["startChildWorkflowExecutionDecisionAttributes"]
    assert retry["workflowId"] == f"order-17#Kid#2#{_run_hash(h.execution['runId'])}"


def test_child_ids_without_the_execution_come_from_the_history(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="C", workflow_version="1"))
    h = swf()
    first: list[dict[str, Any]] = decide(wf, h.events)  # type: ignore[assignment]
    again: list[dict[str, Any]] = decide(wf, list(h.events))  # type: ignore[assignment]
    workflow_id = first[0]["startChildWorkflowExecutionDecisionAttributes"]["workflowId"]
    assert workflow_id == again[0]["startChildWorkflowExecutionDecisionAttributes"]["workflowId"]
    assert re.fullmatch(r"pyflow-[0-9a-f]{20}#Kid#1", workflow_id)


def test_child_start_failure_correlates_by_control_even_when_the_id_is_hashed(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="K" * 200, workflow_name="C", workflow_version="1",
                               num_retries=1))
    h = swf()
    h.execution = {"workflowId": "w" * 256, "runId": "r"}
    decisions = step(wf, h)
    child_id = decisions[0]["startChildWorkflowExecutionDecisionAttributes"]["workflowId"]
    h.start_child_failed(child_id)
    h.decision_task()
    retry = step(wf, h)
    assert json.loads(retry[0]["startChildWorkflowExecutionDecisionAttributes"]["control"]) == {
        "task": "K" * 200, "attempt": 2}


def test_task_names_with_hashes_run_through(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="step#1", lambda_function="f", num_retries=1))
    wf.add(pyflow.TimerTask(name="wait#retry", duration=1, depends_on=[a]))
    h = swf()
    step(wf, h)
    h.lambda_failed("step#1#1")
    h.decision_task()
    assert step(wf, h)[0]["scheduleLambdaFunctionDecisionAttributes"]["id"] == "step#1#2"
    h.lambda_completed("step#1#2", 1)
    h.decision_task()
    assert step(wf, h)[0]["startTimerDecisionAttributes"]["timerId"] == "wait#retry#1"
    h.timer_fired("wait#retry#1")
    h.decision_task()
    assert step(wf, h)[0]["decisionType"] == "CompleteWorkflowExecution"


# -- execution_state --------------------------------------------------------------------------


def test_state_of_an_open_execution_shows_each_task(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", num_retries=1,
                                 time_between_retries=10))
    b = wf.add(pyflow.ActivityTask(name="B", activity_type="t", activity_version="1"))
    wf.add(pyflow.SignalTask(name="S", depends_on=[b]))
    wf.add(pyflow.LambdaTask(name="C", lambda_function="f", depends_on=[a]))
    h = swf('{"k": 1}')
    step(wf, h)
    h.activity_started("B#1")
    h.lambda_failed("A#1", reason="Oops", details="trace")
    h.decision_task()
    step(wf, h)
    state = execution_state(wf, h.events, execution=h.execution)
    assert state.status == "OPEN"
    assert state.input == {"k": 1}
    assert state.result is None and state.closed_at is None
    assert state.started_at == h.events[0]["eventTimestamp"]
    assert list(state.tasks) == ["start", "A", "B", "S", "C"]
    got = {n: (t.kind, t.state, t.attempts) for n, t in state.tasks.items()}
    assert got == {
        "start": ("start", "completed", 1),
        "A": ("lambda", "retry_wait", 1),
        "B": ("activity", "running", 1),
        "S": ("signal", "waiting", 0),
        "C": ("lambda", "waiting", 0),
    }
    assert state.tasks["A"].last_error == ("Oops", "trace", ("Oops",))
    assert state.tasks["start"].output == {"k": 1}
    h.activity_completed("B#1", "b")
    h.decision_task()
    state = execution_state(wf, h.events)
    assert state.tasks["S"].state == "running"
    assert state.tasks["B"].ended_at is not None
    assert state.tasks["B"].output == "b"


def test_state_of_a_failed_execution_carries_reason_and_details(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    h = swf()
    step(wf, h)
    h.lambda_failed("A#1")
    h.decision_task()
    step(wf, h)
    state = execution_state(wf, h.events)
    assert state.status == "FAILED"
    assert state.reason == "task 'A' failed after 1 attempt: UnhandledError (boom)"
    assert state.details is not None and json.loads(state.details)["task"] == "A"
    assert state.closed_at == h.events[-1]["eventTimestamp"]


def test_state_of_a_terminated_execution(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    h = swf()
    step(wf, h)
    h.add("WorkflowExecutionTerminated", childPolicy="TERMINATE", reason="operator",
          cause="OPERATOR_INITIATED")
    state = execution_state(wf, h.events)
    assert (state.status, state.reason) == ("TERMINATED", "operator")
    assert state.tasks["A"].state == "canceled"
