"""`for_each`: one run per item, bounded concurrency, outputs in order, per-item retries."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pyflow
from pyflow._decider import decide, execution_state

from .test_control_flow import completed_result, scheduled
from .test_failures import attrs, kinds, step


def mapped(**options: Any) -> pyflow.Workflow:
    wf = pyflow.Workflow("Map", "1")
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="split", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Up", lambda_function="up", depends_on=["Split"],
                             for_each="Split", **options))
    wf.add(pyflow.LambdaTask(name="Join", lambda_function="join", depends_on=["Up"]))
    return wf


def test_each_item_runs_with_the_bare_item_and_the_output_is_the_list_in_item_order(
    swf: Any,
) -> None:
    wf, h = mapped(), swf('"abc"')
    step(wf, h)
    h.lambda_completed("Split#1", ["a", "b", "c"])
    assert scheduled(step(wf, h)) == {"Up@0#1": "a", "Up@1#1": "b", "Up@2#1": "c"}
    # Completing out of order: the output still follows the list.
    h.lambda_completed("Up@2#1", "C")
    h.lambda_completed("Up@0#1", "A")
    assert step(wf, h) == []
    state = execution_state(wf, h.events).tasks["Up"]
    assert (state.state, state.items, state.items_done, state.items_running) == (
        "running", 3, 2, 1)
    h.lambda_completed("Up@1#1", "B")
    assert scheduled(step(wf, h)) == {"Join#1": ["A", "B", "C"]}
    h.lambda_completed("Join#1", "ABC")
    assert completed_result(step(wf, h)) == "ABC"
    assert execution_state(wf, h.events).tasks["Up"].output == ["A", "B", "C"]


def test_max_concurrency_bounds_the_items_open_at_once_and_the_next_starts_as_one_ends(
    swf: Any,
) -> None:
    wf, h = mapped(max_concurrency=2), swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", [1, 2, 3, 4, 5])
    assert list(scheduled(step(wf, h))) == ["Up@0#1", "Up@1#1"]
    h.lambda_completed("Up@1#1", 20)
    assert list(scheduled(step(wf, h))) == ["Up@2#1"]
    h.lambda_completed("Up@0#1", 10)
    h.lambda_completed("Up@2#1", 30)
    assert list(scheduled(step(wf, h))) == ["Up@3#1", "Up@4#1"]
    h.lambda_completed("Up@3#1", 40)
    h.lambda_completed("Up@4#1", 50)
    assert scheduled(step(wf, h)) == {"Join#1": [10, 20, 30, 40, 50]}


def test_the_input_rule_replaces_only_the_mapped_dependency_with_the_item(swf: Any) -> None:
    wf = pyflow.Workflow("Map", "1")
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="s", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Other", lambda_function="o", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="e", depends_on=["Split", "Other"],
                             for_each="Split", param={"k": 1}, pass_context=True))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", [{"n": 1}, {"n": 2}])
    h.lambda_completed("Other#1", "other")
    inputs = scheduled(step(wf, h))
    assert inputs["Each@1#1"]["input"] == {
        "param": {"k": 1}, "inputs": {"Split": {"n": 2}, "Other": "other"}}
    assert inputs["Each@1#1"]["context"]["item"] == 1
    assert inputs["Each@1#1"]["context"]["task"] == "Each"


def test_an_item_retries_on_its_own_and_a_failing_item_fails_the_task_for_its_dependents(
    swf: Any,
) -> None:
    wf = mapped(retry=pyflow.RetryPolicy(max_attempts=2))
    wf.add(pyflow.LambdaTask(name="Report", lambda_function="r", depends_on=["Up"],
                             trigger_rule="all_done"))
    wf.get_task("Join").trigger_rule = "all_success"
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", ["a", "b"])
    step(wf, h)
    h.lambda_completed("Up@0#1", "A")
    h.lambda_failed("Up@1#1")
    timers = [attrs(d)["timerId"] for d in step(wf, h)]
    assert timers == ["Up@1#2#retry"]  # the back-off of that item alone
    h.timer_fired("Up@1#2#retry")
    assert list(scheduled(step(wf, h))) == ["Up@1#2"]  # only the failed item again
    h.lambda_failed("Up@1#2")
    decisions = step(wf, h)
    report = scheduled(decisions)["Report#1"]
    assert report["error"]["reason"].startswith("task 'Up': item 1 of 2 failed: UnhandledError")
    states = {n: t.state for n, t in execution_state(wf, h.events).tasks.items()}
    assert (states["Up"], states["Join"], states["Report"]) == ("failed", "skipped", "scheduled")


@pytest.mark.parametrize(("output", "named"), [({"a": 1}, "an object"), ("abc", "a string"),
                                               (None, "null"), (3, "a number")])
def test_an_output_that_is_not_a_list_fails_the_task_naming_the_dependency_and_its_type(
    swf: Any, output: Any, named: str,
) -> None:
    wf, h = mapped(), swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", output)
    decisions = step(wf, h)
    assert kinds(decisions) == ["FailWorkflowExecution"]
    reason = attrs(decisions[0])["reason"]
    assert f"for_each 'Split' gave {named}, not a list" in reason


def test_an_empty_list_completes_the_task_with_an_empty_list_without_running_it(swf: Any) -> None:
    wf, h = mapped(), swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", [])
    assert scheduled(step(wf, h)) == {"Join#1": []}


def test_activity_and_child_workflow_items_have_their_own_ids(swf: Any) -> None:
    child = pyflow.Workflow("Child", "1")
    wf = pyflow.Workflow("Map", "1")
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="s", depends_on=[wf.start_task]))
    wf.add(pyflow.ActivityTask(name="Act", activity_type="a", activity_version="1",
                               depends_on=["Split"], for_each="Split"))
    wf.add(pyflow.WorkflowTask(name="Kid", workflow=child, depends_on=["Split"],
                               for_each="Split"))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", [7, 8])
    decisions = step(wf, h)
    activities = [attrs(d)["activityId"] for d in decisions
                  if d["decisionType"] == "ScheduleActivityTask"]
    children = [attrs(d)["workflowId"] for d in decisions
                if d["decisionType"] == "StartChildWorkflowExecution"]
    assert activities == ["Act@0#1", "Act@1#1"]
    assert [c.split("#")[1] for c in children] == ["Kid@0", "Kid@1"]
    h.activity_completed("Act@0#1", 70)
    h.activity_completed("Act@1#1", 80)
    for c in children:
        h.child_started(c)
        h.child_closed(c, "ChildWorkflowExecutionCompleted", result=json.dumps(c[-1:]))
    result = completed_result(step(wf, h))
    assert result["Act"] == [70, 80]
    assert len(result["Kid"]) == 2


def test_an_input_failure_of_an_item_is_recorded_and_replays_the_same(swf: Any) -> None:
    def transform(value: Any) -> Any:
        if value == "bad":
            raise ValueError("no bad items")
        return value

    wf = mapped(transform_input=transform)
    wf.add(pyflow.LambdaTask(name="Report", lambda_function="r", depends_on=["Up"],
                             trigger_rule="all_done"))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", ["ok", "bad"])
    decisions = step(wf, h)
    assert "RecordMarker" in kinds(decisions)
    replayed = decide(wf, h.events, execution=h.execution)
    states = {n: t.state for n, t in execution_state(wf, h.events).tasks.items()}
    assert states["Up"] == "failed"
    assert "ScheduleLambdaFunction" not in kinds(replayed)  # Report was already scheduled


@pytest.mark.parametrize(("build", "message"), [
    (lambda wf: pyflow.LambdaTask(name="M", lambda_function="f", depends_on=["A"],
                                  for_each="B"), "for_each 'B' is not one of the task's"),
    (lambda wf: pyflow.LambdaTask(name="M", lambda_function="f", depends_on=["A"],
                                  for_each="A", max_concurrency=0), "max_concurrency must be"),
    (lambda wf: pyflow.LambdaTask(name="M", lambda_function="f", max_concurrency=2),
     "max_concurrency needs for_each="),
    (lambda wf: pyflow.SignalTask(name="M", depends_on=["A"], for_each="A"),
     "a signal task cannot map"),
    (lambda wf: pyflow.LambdaTask(name="M", lambda_function="f", depends_on=["A"],
                                  for_each="A", repeat_until=bool, max_iterations=2),
     "for_each= or repeat_until=, not both"),
])
def test_for_each_mistakes_are_definition_errors_naming_the_task(build: Any, message: str) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a"))
    with pytest.raises(pyflow.DefinitionError, match="task 'M'") as caught:
        wf.add(build(wf))
    assert message in str(caught.value)


def test_mapping_over_a_timer_or_signal_or_with_an_item_like_name_is_refused() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.TimerTask(name="T", duration=1))
    wf.add(pyflow.LambdaTask(name="M", lambda_function="f", depends_on=["T"], for_each="T"))
    with pytest.raises(pyflow.DefinitionError, match="for_each 'T' is a timer task"):
        wf.validate()
    wf = pyflow.Workflow("W2", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a"))
    wf.add(pyflow.LambdaTask(name="M", lambda_function="f", depends_on=["A"], for_each="A"))
    wf.add(pyflow.LambdaTask(name="M@2", lambda_function="f"))
    with pytest.raises(pyflow.DefinitionError, match="reads like item 2 of the mapped task"):
        wf.validate()


@pytest.mark.parametrize("budget", [999, 24_001, "10000", True])
def test_history_budget_outside_its_range_is_a_definition_error(budget: Any) -> None:
    with pytest.raises(pyflow.DefinitionError, match="history_budget must be"):
        pyflow.Workflow("W", "1", history_budget=budget)
