"""`execution_state` as every view reads it: when each task last changed, and the same
history read without the workflow definition (`pyflow describe` of a type not loaded)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyflow
from pyflow._decider import decide, execution_state

from .conftest import PARENT_ID, RUN_SUFFIX, Swf


def step(wf: pyflow.Workflow, h: Swf) -> None:
    h.decision_task()
    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]


def last_time(h: Swf) -> datetime:
    moment: datetime = h.events[-1]["eventTimestamp"]
    return moment


def check_same_as_with_definition(wf: pyflow.Workflow, h: Swf) -> None:
    """Every task the history shows reads the same with and without the definition."""
    full = execution_state(wf, h.events, execution=h.execution).tasks  # type: ignore[arg-type]
    found = execution_state(None, h.events, execution=h.execution).tasks  # type: ignore[arg-type]
    started = [n for n, t in full.items() if t.attempts and t.kind != "signal"]
    assert [n for n, t in found.items() if t.kind != "signal"] == sorted(
        started, key=list(found).index
    )
    for name in started:
        mine, theirs = found[name], full[name]
        assert (mine.kind, mine.state, mine.attempts, mine.last_error, mine.output) == (
            theirs.kind, theirs.state, theirs.attempts, theirs.last_error, theirs.output
        ), name
        assert (mine.started_at, mine.ended_at, mine.changed_at) == (
            theirs.started_at, theirs.ended_at, theirs.changed_at
        ), name
        assert mine.what == theirs.what, name


def test_changed_at_moves_with_each_state_change(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f", num_retries=1,
                             time_between_retries=5))
    h = swf()
    seen = []

    def note() -> None:
        task = execution_state(wf, h.events).tasks["A"]
        seen.append((task.state, task.attempts, task.changed_at))

    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]
    note()
    h.lambda_started("A#1")
    note()
    h.lambda_failed("A#1")
    failed_at = last_time(h)
    note()
    step(wf, h)  # starts the back-off timer: no change of state
    note()
    h.timer_fired("A#2#retry")
    step(wf, h)
    note()
    h.lambda_completed("A#2", "ok")
    note()
    times = [e["eventTimestamp"] for e in h.events]
    scheduled = [e["eventTimestamp"] for e in h.events
                 if e["eventType"] == "LambdaFunctionScheduled"]
    assert seen == [
        ("scheduled", 1, scheduled[0]),
        ("running", 1, next(e["eventTimestamp"] for e in h.events
                            if e["eventType"] == "LambdaFunctionStarted")),
        ("retry_wait", 1, failed_at),
        ("retry_wait", 1, failed_at),
        ("scheduled", 2, scheduled[1]),
        ("completed", 2, times[-1]),
    ]


def test_canceled_work_changed_when_the_execution_closed(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="B", activity_type="t", activity_version="1"))
    h = swf()
    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]
    h.add("WorkflowExecutionTerminated", reason="operator", childPolicy="TERMINATE")
    for workflow in (wf, None):
        state = execution_state(workflow, h.events)  # type: ignore[arg-type]
        task = state.tasks["B"]
        assert (state.status, state.reason) == ("TERMINATED", "operator")
        assert (task.state, task.changed_at) == ("canceled", state.closed_at)


def test_without_the_definition_a_retried_run_reads_as_with_it(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", num_retries=2,
                                 time_between_retries=10))
    wf.add(pyflow.ActivityTask(name="B", activity_type="t", activity_version="1",
                               depends_on=[a], num_retries=1))
    wf.add(pyflow.TimerTask(name="T", duration=30))
    wf.add(pyflow.WorkflowTask(name="C", workflow_name="K", workflow_version="2"))
    h = swf('"x"')
    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]
    check_same_as_with_definition(wf, h)
    h.lambda_started("A#1")
    h.lambda_failed("A#1", reason="Oops", details="trace")
    step(wf, h)  # the retry timer
    check_same_as_with_definition(wf, h)
    h.timer_fired("A#2#retry")
    step(wf, h)
    check_same_as_with_definition(wf, h)
    h.lambda_completed("A#2", '"a"')
    h.timer_fired("T#1")
    child = f"{PARENT_ID}#C#1{RUN_SUFFIX}"
    h.child_started(child)
    step(wf, h)
    check_same_as_with_definition(wf, h)
    h.activity_timed_out("B#1")
    step(wf, h)  # no back-off: attempt 2 at once
    check_same_as_with_definition(wf, h)
    h.activity_completed("B#2", '"b"')
    h.child_closed(child, "ChildWorkflowExecutionCompleted", result='"c"')
    step(wf, h)
    check_same_as_with_definition(wf, h)
    state = execution_state(None, h.events, execution=h.execution)  # type: ignore[arg-type]
    assert state.status == "COMPLETED"
    assert state.workflow_type == {"name": "W", "version": "1"}
    whats = {n: t.what for n, t in state.tasks.items()}
    assert whats == {"start": "workflow input", "A": "lambda f", "B": "activity t 1",
                     "T": "timer 30s", "C": "workflow K 2"}


def test_without_the_definition_a_task_that_failed_for_good_reads_as_with_it(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f", num_retries=1))
    wf.add(pyflow.SignalTask(name="Wait", signal_name="Go"))
    h = swf()
    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]
    h.signal("Go", '"now"')
    h.lambda_failed("A#1")
    step(wf, h)
    check_same_as_with_definition(wf, h)
    h.lambda_failed("A#2")
    step(wf, h)
    check_same_as_with_definition(wf, h)
    state = execution_state(None, h.events)  # type: ignore[arg-type]
    assert state.status == "FAILED"
    assert (state.tasks["A"].state, state.tasks["A"].attempts) == ("failed", 2)
    signal = state.tasks["Go"]  # a signal received shows as a task named after it
    assert (signal.kind, signal.state, signal.output, signal.what) == (
        "signal", "completed", "now", "signal Go"
    )


def test_without_the_definition_a_failure_reads_failed_until_a_retry_shows(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f", num_retries=1,
                             time_between_retries=10))
    h = swf()
    h.respond(decide(wf, h.events, execution=h.execution))  # type: ignore[arg-type]
    h.lambda_failed("A#1")
    task = execution_state(None, h.events).tasks["A"]  # type: ignore[arg-type]
    assert (task.state, task.ended_at) == ("failed", last_time(h))
    step(wf, h)
    task = execution_state(None, h.events).tasks["A"]  # type: ignore[arg-type]
    assert (task.state, task.ended_at, task.attempts) == ("retry_wait", None, 1)


def test_without_the_definition_an_odd_history_gives_what_it_can_read(swf: Any) -> None:
    h = swf()
    h.add("LambdaFunctionScheduled", id="A#1", name="f", control="not json",
          decisionTaskCompletedEventId=1)
    h.add("LambdaFunctionScheduled", id="bad:name#1", name="g", decisionTaskCompletedEventId=1)
    h.add("ActivityTaskScheduled", activityId="foreign", activityType={"name": "x"},
          decisionTaskCompletedEventId=1)
    h.add("ActivityTaskScheduled", activityId="A#2", activityType=None,
          decisionTaskCompletedEventId=1)  # a name already taken by a Lambda task
    h.add("LambdaFunctionCompleted", scheduledEventId=999)
    h.add("TimerFired", timerId="never#1", startedEventId=3)
    h.add("TimerStarted", timerId="T#1", decisionTaskCompletedEventId=1)
    h.add("WorkflowExecutionSignaled")
    h.add("SomethingNew", anything=1)
    h.events.append("not an event")  # type: ignore[arg-type]
    h.events.append({"eventType": "ActivityTaskStarted", "eventId": "x"})
    h.events.append({"eventType": 7})
    state = execution_state(None, h.events)  # type: ignore[arg-type]
    assert state.status == "OPEN"
    got = {n: (t.kind, t.state, t.attempts, t.what) for n, t in state.tasks.items()}
    assert got == {
        "start": ("start", "completed", 1, "workflow input"),
        "A": ("lambda", "scheduled", 1, "lambda f"),
        "T": ("timer", "running", 1, "timer"),
    }
    assert execution_state(None, []).tasks["start"].state == "waiting"
    assert execution_state(None, h.events[1:]).status == "OPEN"  # type: ignore[arg-type]
