"""Each task type's happy path, and the seed StringTransformer from DESIGN.md end to end."""

from __future__ import annotations

import json
from typing import Any

import pyflow
from pyflow._decider import decide, execution_state
from tests.support.flows import seed

from .conftest import RUN_SUFFIX

ROLE = "arn:aws:iam::123456789012:role/swf-lambda"


def step(wf: pyflow.Workflow, swf: Any) -> list[dict[str, Any]]:
    """Decide on the current history and apply the decisions, as SWF would."""
    decisions: list[dict[str, Any]] = decide(wf, swf.events, execution=swf.execution)  # type: ignore[assignment]
    swf.respond(decisions)
    return decisions


def only(decisions: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    assert len(decisions) == 1, decisions
    kind = decisions[0]["decisionType"]
    return kind, decisions[0][kind[0].lower() + kind[1:] + "DecisionAttributes"]




def test_seed_string_transformer_runs_to_completion(swf: Any) -> None:
    wf, h = seed(), swf('"World"')
    kind, a = only(step(wf, h))
    assert (kind, a["id"], a["name"], a["input"]) == (
        "ScheduleLambdaFunction", "UpperCaser#1", "string-upcase", '"World"')
    assert json.loads(a["control"]) == {"task": "UpperCaser", "attempt": 1}
    h.lambda_completed("UpperCaser#1", "WORLD")
    h.decision_task()
    kind, a = only(step(wf, h))
    assert (kind, a["id"], a["input"]) == ("ScheduleLambdaFunction", "Reverser#1", '"WORLD"')
    h.lambda_completed("Reverser#1", "DLROW")
    h.decision_task()
    kind, a = only(step(wf, h))
    assert (kind, a["timerId"], a["startToFireTimeout"]) == ("StartTimer", "Sleep#1", "30")
    h.timer_fired("Sleep#1")
    h.decision_task()
    kind, a = only(step(wf, h))
    assert (kind, a["id"], a["input"]) == ("ScheduleLambdaFunction", "Concat#1",
                                           '["Hello"," ","DLROW"]')
    h.lambda_completed("Concat#1", "Hello DLROW")
    h.decision_task()
    kind, a = only(step(wf, h))
    assert (kind, a["result"]) == ("CompleteWorkflowExecution", '"Hello DLROW"')
    state = execution_state(wf, h.events, execution=h.execution)
    assert state.status == "COMPLETED"
    assert state.result == "Hello DLROW"
    assert state.input == "World"
    assert [t.state for t in state.tasks.values()] == ["completed"] * 5
    assert state.tasks["Reverser"].output == "DLROW"
    assert state.tasks["Sleep"].output is None


def test_input_that_is_not_json_is_a_plain_string(swf: Any) -> None:
    wf, h = seed(), swf("World")
    _, a = only(step(wf, h))
    assert a["input"] == '"World"'


def test_missing_input_gives_null(swf: Any) -> None:
    wf, h = seed(), swf(None)
    _, a = only(step(wf, h))
    assert a["input"] == "null"


def test_independent_tasks_are_scheduled_in_one_batch(swf: Any) -> None:
    wf = pyflow.Workflow("Fan", "1")
    for i in range(3):
        wf.add(pyflow.LambdaTask(name=f"L{i}", lambda_function="f", depends_on=[wf.start_task]))
    decisions = step(wf, swf('{"n": 1}'))
    assert [d["scheduleLambdaFunctionDecisionAttributes"]["id"] for d in decisions] == [
        "L0#1", "L1#1", "L2#1"]
    assert all(d["scheduleLambdaFunctionDecisionAttributes"]["input"] == '{"n":1}'
               for d in decisions)


def test_scheduled_tasks_are_not_scheduled_again(swf: Any) -> None:
    wf = seed()
    h = swf('"x"')
    step(wf, h)
    h.signal("unrelated")
    h.decision_task()
    assert step(wf, h) == []


def test_lambda_timeout_is_sent_when_set(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", timeout=30, param=1))
    _, a = only(step(wf, swf()))
    assert a["startToCloseTimeout"] == "30"
    assert a["input"] == "1"


def test_activity_task_sends_type_task_list_and_declared_timeouts(swf: Any) -> None:
    @pyflow.activity(name="resize", version="2.0", task_list="images", heartbeat_timeout=20)
    def resize(x: Any) -> Any:
        return x

    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="Resize", activity=resize, depends_on=[wf.start_task],
                               schedule_to_close_timeout=600))
    h = swf('{"img": "a.png"}')
    kind, a = only(step(wf, h))
    assert kind == "ScheduleActivityTask"
    assert a["activityType"] == {"name": "resize", "version": "2.0"}
    assert a["activityId"] == "Resize#1"
    assert a["taskList"] == {"name": "images"}
    assert a["input"] == '{"img":"a.png"}'
    assert (a["startToCloseTimeout"], a["heartbeatTimeout"], a["scheduleToCloseTimeout"]) == (
        "300", "20", "600")
    assert "scheduleToStartTimeout" not in a
    h.activity_completed("Resize#1", {"ok": True})
    h.decision_task()
    _, a = only(step(wf, h))
    assert a["result"] == '{"ok":true}'


def test_activity_by_type_name_sends_only_what_is_set(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="A", activity_type="t", activity_version="1"))
    _, a = only(step(wf, swf()))
    assert set(a) == {"activityType", "activityId", "control", "input"}


def test_child_workflow_gets_deterministic_id_and_inherits_lambda_role(swf: Any) -> None:
    child = pyflow.Workflow("Child", "3", task_list="child-list")
    child.add(pyflow.LambdaTask(name="C", lambda_function="f", depends_on=[child.start_task]))
    wf = pyflow.Workflow("Parent", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow=child, depends_on=[wf.start_task],
                               execution_timeout=120))
    h = swf('"in"')
    kind, a = only(step(wf, h))
    assert kind == "StartChildWorkflowExecution"
    assert a["workflowType"] == {"name": "Child", "version": "3"}
    assert a["workflowId"] == f"order-17#Kid#1{RUN_SUFFIX}"
    assert a["lambdaRole"] == ROLE
    assert a["taskList"] == {"name": "child-list"}
    assert a["executionStartToCloseTimeout"] == "120"
    assert a["input"] == '"in"'
    h.child_closed(f"order-17#Kid#1{RUN_SUFFIX}", "ChildWorkflowExecutionCompleted", result='"out"')
    h.decision_task()
    _, a = only(step(wf, h))
    assert a["result"] == '"out"'


def test_child_workflow_by_name_without_role_or_task_list(swf: Any) -> None:
    wf = pyflow.Workflow("Parent", "1")
    wf.add(pyflow.WorkflowTask(name="Kid", workflow_name="Other", workflow_version="1"))
    _, a = only(step(wf, swf(lambda_role=None)))
    assert set(a) == {"workflowType", "workflowId", "control", "input"}


def test_signal_task_completes_with_the_signal_input(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    sig = wf.add(pyflow.SignalTask(name="Approved", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="After", lambda_function="f", depends_on=[sig]))
    h = swf('"x"')
    assert step(wf, h) == []
    h.signal("Approved", '{"by": "ann"}')
    h.decision_task()
    _, a = only(step(wf, h))
    assert (a["id"], a["input"]) == ("After#1", '{"by":"ann"}')


def test_signal_received_before_its_dependencies_completed_is_not_lost(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    first = wf.add(pyflow.LambdaTask(name="First", lambda_function="f"))
    sig = wf.add(pyflow.SignalTask(name="Go", signal_name="go", depends_on=[first]))
    wf.add(pyflow.LambdaTask(name="After", lambda_function="f", depends_on=[sig]))
    h = swf()
    h.signal("go", '"early"')
    _, a = only(step(wf, h))
    assert a["id"] == "First#1"
    h.lambda_completed("First#1", 1)
    h.decision_task()
    _, a = only(step(wf, h))
    assert (a["id"], a["input"]) == ("After#1", '"early"')


def test_one_signal_completes_every_signal_task_waiting_for_its_name(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.SignalTask(name="A", signal_name="s"))
    b = wf.add(pyflow.SignalTask(name="B", signal_name="s"))
    wf.add(pyflow.LambdaTask(name="End", lambda_function="f", depends_on=[a, b]))
    h = swf()
    assert step(wf, h) == []
    h.signal("s", "1")
    h.decision_task()
    _, attrs = only(step(wf, h))
    assert json.loads(attrs["input"]) == {"inputs": {"A": 1, "B": 1}}


def test_signal_tasks_of_one_name_all_take_the_first_signal_whenever_they_get_ready(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1")
    first = wf.add(pyflow.LambdaTask(name="First", lambda_function="f"))
    early = wf.add(pyflow.SignalTask(name="Early", signal_name="s"))
    late = wf.add(pyflow.SignalTask(name="Late", signal_name="s", depends_on=[first]))
    wf.add(pyflow.LambdaTask(name="End", lambda_function="f", depends_on=[early, late]))
    h = swf()
    step(wf, h)
    h.signal("s", '"first"')
    h.signal("s", '"second"')
    h.decision_task()
    assert step(wf, h) == []
    state = execution_state(wf, h.events)
    assert (state.tasks["Early"].state, state.tasks["Early"].output) == ("completed", "first")
    assert state.tasks["Late"].state == "waiting"
    h.lambda_completed("First#1", 0)
    h.decision_task()
    _, attrs = only(step(wf, h))
    assert json.loads(attrs["input"]) == {"inputs": {"Early": "first", "Late": "first"}}
    late_state = execution_state(wf, h.events).tasks["Late"]
    assert (late_state.state, late_state.attempts) == ("completed", 1)
    assert late_state.ended_at == late_state.started_at  # completed as soon as it was ready


def test_later_signals_of_a_name_do_not_change_a_completed_signal_task(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    sig = wf.add(pyflow.SignalTask(name="S", signal_name="s"))
    gate = wf.add(pyflow.TimerTask(name="Gate", duration=5))
    wf.add(pyflow.LambdaTask(name="End", lambda_function="f", depends_on=[sig, gate]))
    h = swf()
    step(wf, h)
    h.signal("s", '"a"')
    h.decision_task()
    assert step(wf, h) == []
    h.signal("s", '"b"')
    h.timer_fired("Gate#1")
    h.decision_task()
    _, attrs = only(step(wf, h))
    assert json.loads(attrs["input"]) == "a"  # a timer dependency gives no input


def test_timer_dependency_gives_no_input_and_workflow_output_is_dict_of_sinks(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.TimerTask(name="T", duration=5))
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f", depends_on=[t]))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="f", param=[1]))
    h = swf()
    decisions = step(wf, h)
    assert [d["decisionType"] for d in decisions] == ["StartTimer", "ScheduleLambdaFunction"]
    h.timer_fired("T#1")
    h.lambda_completed("B#1", "b")
    h.decision_task()
    _, a = only(step(wf, h))
    assert (a["id"], a["input"]) == ("A#1", "null")
    h.lambda_completed("A#1", "a")
    h.decision_task()
    _, a = only(step(wf, h))
    assert json.loads(a["result"]) == {"A": "a", "B": "b"}


def test_workflow_with_only_a_start_task_returns_its_input(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    kind, a = only(step(wf, swf('[1, 2]')))
    assert (kind, a["result"]) == ("CompleteWorkflowExecution", "[1,2]")


def test_closed_execution_gets_no_decisions(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    h = swf('1')
    step(wf, h)
    assert h.closed == "WorkflowExecutionCompleted"
    assert decide(wf, h.events) == []


def test_empty_history_gets_no_decisions() -> None:
    assert decide(pyflow.Workflow("W", "1"), []) == []


def test_same_history_gives_same_decisions(swf: Any) -> None:
    wf, h = seed(), swf('"World"')
    assert decide(wf, h.events, execution=h.execution) == decide(
        wf, list(h.events), execution=h.execution)


def test_chained_signal_tasks_complete_from_early_signals_in_one_pass(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    first = wf.add(pyflow.LambdaTask(name="First", lambda_function="f"))
    s1 = wf.add(pyflow.SignalTask(name="S1", signal_name="go", depends_on=[first]))
    s2 = wf.add(pyflow.SignalTask(name="S2", signal_name="go", depends_on=[s1]))
    wf.add(pyflow.LambdaTask(name="Last", lambda_function="f", depends_on=[s2]))
    h = swf()
    h.signal("go", '"one"')
    h.signal("go", '"two"')
    step(wf, h)
    h.lambda_completed("First#1", 0)
    h.decision_task()
    _, a = only(step(wf, h))
    assert (a["id"], a["input"]) == ("Last#1", '"one"')
    state = execution_state(wf, h.events)
    assert (state.tasks["S1"].output, state.tasks["S2"].output) == ("one", "one")


def test_bookkeeping_events_need_no_decision(swf: Any) -> None:
    wf = seed()
    h = swf('"x"')
    step(wf, h)
    h.add("MarkerRecorded", markerName="m", decisionTaskCompletedEventId=3)
    h.add("DecisionTaskTimedOut", timeoutType="START_TO_CLOSE", scheduledEventId=2,
          startedEventId=3)
    h.decision_task()
    assert step(wf, h) == []
