"""SWF's limits: 100 decisions per response, 1,000 open items of each kind, and a wake-up
timer when the batch limit holds work back."""

from __future__ import annotations

from typing import Any

import pyflow
from pyflow._decider import decide


def step(wf: pyflow.Workflow, swf: Any) -> list[dict[str, Any]]:
    decisions: list[dict[str, Any]] = decide(wf, swf.events, execution=swf.execution)  # type: ignore[assignment]
    swf.respond(decisions)
    return decisions


def fan_out(n: int, **options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("Fan", "1")
    for i in range(n):
        wf.add(pyflow.LambdaTask(name=f"L{i}", lambda_function="f", depends_on=[wf.start_task],
                                 **options))
    return wf


def test_wide_fan_out_is_scheduled_in_batches_woken_by_a_zero_second_timer(swf: Any) -> None:
    wf, h = fan_out(250), swf()
    first = step(wf, h)
    assert len(first) == 100
    assert [d["decisionType"] for d in first[:99]] == ["ScheduleLambdaFunction"] * 99
    assert first[99] == {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {"timerId": "1#wake", "startToFireTimeout": "0",
                                         "control": '{"timer":"wake","attempt":1}'},
    }
    h.lambda_completed("L0#1", 0)
    h.decision_task()
    second = step(wf, h)
    assert len(second) == 99  # the wake-up timer is still open: no second one
    assert second[0]["scheduleLambdaFunctionDecisionAttributes"]["id"] == "L99#1"
    h.timer_fired("1#wake")
    h.decision_task()
    third = step(wf, h)
    assert [d["decisionType"] for d in third] == ["ScheduleLambdaFunction"] * 52
    assert len(h.lambdas) == 249


def test_open_lambda_limit_holds_the_rest_until_one_closes(swf: Any) -> None:
    wf, h = fan_out(1100), swf()
    wake = 0
    while True:
        decisions = step(wf, h)
        timers = [d for d in decisions if d["decisionType"] == "StartTimer"]
        if not timers:
            break
        wake += 1
        h.timer_fired(f"{wake}#wake")
        h.decision_task()
    assert len(h.lambdas) == 1000
    assert len(decisions) == 10  # the open limit, not the batch limit, held the rest back
    h.signal("noise")
    h.decision_task()
    assert step(wf, h) == []
    h.lambda_completed("L0#1", 0)
    h.lambda_completed("L1#1", 1)
    h.decision_task()
    assert [d["scheduleLambdaFunctionDecisionAttributes"]["id"] for d in step(wf, h)] == [
        "L1000#1", "L1001#1"]


def test_open_timer_limit_counts_retry_timers(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    for i in range(3):
        wf.add(pyflow.TimerTask(name=f"T{i}", duration=10))
    h = swf()
    h.timers.update({f"x{i}": 0 for i in range(998)})  # pretend: only 2 timer slots left
    for i in range(998):
        h.add("TimerStarted", timerId=f"{i + 1}#wake", startToFireTimeout="60",
              decisionTaskCompletedEventId=1)
    h.decision_task()
    assert [d["startTimerDecisionAttributes"]["timerId"] for d in step(wf, h)] == [
        "T0#1", "T1#1"]


def test_closing_cancels_at_most_99_items_and_the_close_is_last(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    for i in range(150):
        wf.add(pyflow.ActivityTask(name=f"A{i}", activity_type="t", activity_version="1"))
    h = swf()
    step(wf, h)
    h.timer_fired("1#wake")
    h.decision_task()
    step(wf, h)
    h.cancel_request()
    h.decision_task()
    decisions = step(wf, h)
    assert len(decisions) == 100
    assert decisions[-1]["decisionType"] == "CancelWorkflowExecution"
