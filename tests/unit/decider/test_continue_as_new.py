"""Continue-as-new from history alone: the drain, the carried state, and what the next run
restores from it (signals that arrive during the switch included)."""

from __future__ import annotations

import json
from typing import Any

import pyflow
from pyflow._decider import decide, execution_state

from .test_control_flow import scheduled
from .test_failures import attrs, kinds, step


def fill(h: Any, up_to: int) -> None:
    """Pad the history with someone else's markers (the pass ignores them) up to `up_to`."""
    while len(h.events) < up_to:
        h.add("MarkerRecorded", markerName="other", details="", decisionTaskCompletedEventId=1)


def workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("W", "1", history_budget=1000)
    wf.add(pyflow.LambdaTask(name="Split", lambda_function="s", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Each", lambda_function="e", depends_on=["Split"],
                             for_each="Split", max_concurrency=2,
                             retry=pyflow.RetryPolicy(max_attempts=3, initial_interval=30)))
    wf.add(pyflow.SignalTask(name="Go", depends_on=[wf.start_task]))
    wf.add(pyflow.TimerTask(name="Nap", duration=3600, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Done", lambda_function="d", depends_on=["Each", "Go", "Nap"]))
    return wf


def next_run(swf: Any, decisions: list[dict[str, Any]]) -> Any:
    """The run SWF starts for a ContinueAsNewWorkflowExecution decision."""
    assert kinds(decisions) == ["ContinueAsNewWorkflowExecution"], decisions
    a = attrs(decisions[0])
    assert a["taskList"] == {"name": "decider"} and a["childPolicy"] == "TERMINATE"
    return swf(a["input"]), a


def comparable(wf: pyflow.Workflow, events: list[dict[str, Any]]) -> dict[str, Any]:
    tasks = execution_state(wf, events).tasks
    return {n: (t.state, t.attempts, t.iteration, t.output, t.items, t.items_done,
                t.last_error.reason if t.last_error else None) for n, t in tasks.items()}


def test_past_the_budget_nothing_new_starts_until_open_work_closes_then_the_run_continues(
    swf: Any,
) -> None:
    wf, h = workflow(), swf('"x"')
    step(wf, h)
    h.lambda_completed("Split#1", ["a", "b", "c"])
    assert list(scheduled(step(wf, h))) == ["Each@0#1", "Each@1#1"]
    h.lambda_completed("Each@0#1", "A")
    fill(h, 1000)
    h.decision_task()
    assert step(wf, h) == []  # over budget: item 2 does not start, Each@1 is still open
    h.lambda_failed("Each@1#1")
    h.decision_task()
    # Item 1 waits to retry (its timer not started), only the Nap timer is open: continue.
    decisions = decide(wf, h.events, execution=h.execution)
    assert len(h.timers) == 1
    before = comparable(wf, h.events)
    h2, a = next_run(swf, decisions)
    assert int(a["executionStartToCloseTimeout"]) < 86400  # what the execution has left
    assert comparable(wf, h2.events) == before
    carried = json.loads(a["input"])["pyflow.continued"]
    (timer,) = carried["timers"]
    assert (timer["id"], 0 < timer["seconds"] <= 3600) == ("Nap#1", True)
    decisions = step(wf, h2)
    # The new run starts the carried timer for what it had left, the retry wait of item 1
    # and item 2 (item 1's retry counts as running for max_concurrency=2).
    started = {attrs(d)["timerId"]: attrs(d)["startToFireTimeout"] for d in decisions
               if d["decisionType"] == "StartTimer"}
    assert started["Nap#1"] == str(timer["seconds"])
    assert "Each@1#2#retry" in started
    assert list(scheduled(decisions)) == ["Each@2#1"]
    h2.timer_fired("Each@1#2#retry")
    assert list(scheduled(step(wf, h2))) == ["Each@1#2"]
    h2.lambda_completed("Each@1#2", "B")
    h2.lambda_completed("Each@2#1", "C")
    h2.timer_fired("Nap#1")
    h2.signal("Go", '"go"')
    inputs = scheduled(step(wf, h2))
    assert inputs == {"Done#1": {"inputs": {"Each": ["A", "B", "C"], "Go": "go"}}}
    assert execution_state(wf, h2.events).input == "x"  # the first run's input, not the state


def test_a_signal_that_arrives_while_the_run_continues_is_carried_to_the_next_run(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1", history_budget=1000)
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.SignalTask(name="Go", depends_on=["A"]))
    h = swf('"x"')
    step(wf, h)
    fill(h, 1000)
    h.lambda_completed("A#1", 1)
    h.decision_task()
    decisions = decide(wf, h.events, execution=h.execution)
    assert kinds(decisions) == ["ContinueAsNewWorkflowExecution"]
    # SWF refuses the close: a signal came in while the decision task ran.
    done = h.add("DecisionTaskCompleted", scheduledEventId=0, startedEventId=0)
    h.add("WorkflowExecutionSignaled", signalName="Go", input='"late"')
    h.add("ContinueAsNewWorkflowExecutionFailed", cause="UNHANDLED_DECISION",
          decisionTaskCompletedEventId=done)
    h.decision_task()
    decisions = decide(wf, h.events, execution=h.execution)
    # The signal completes Go in this run already: the workflow can complete.
    assert kinds(decisions) == ["CompleteWorkflowExecution"]
    assert json.loads(attrs(decisions[0])["result"]) == "late"


def test_a_signal_carried_before_its_task_is_ready_still_completes_it_in_the_next_run(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1", history_budget=1000)
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", depends_on=["A"]))
    wf.add(pyflow.SignalTask(name="Go", depends_on=["B"]))
    h = swf('"x"')
    step(wf, h)
    h.signal("Go", '"early"')
    fill(h, 1000)
    h.lambda_completed("A#1", 1)
    h.decision_task()
    h2, _ = next_run(swf, decide(wf, h.events, execution=h.execution))  # B not started
    assert scheduled(step(wf, h2)) == {"B#1": 1}
    h2.lambda_completed("B#1", 2)
    decisions = step(wf, h2)
    assert kinds(decisions) == ["CompleteWorkflowExecution"]
    assert json.loads(attrs(decisions[0])["result"]) == "early"


def test_a_continue_as_new_refused_for_good_fails_the_execution_instead_of_looping(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1", history_budget=1000)
    wf.add(pyflow.TimerTask(name="Nap", duration=7200, depends_on=[wf.start_task]))
    h = swf('"x"')
    step(wf, h)
    fill(h, 1000)
    h.decision_task()
    decisions = decide(wf, h.events, execution=h.execution)
    assert kinds(decisions) == ["ContinueAsNewWorkflowExecution"]
    assert attrs(decisions[0])["workflowTypeVersion"] == "1"
    done = h.add("DecisionTaskCompleted", scheduledEventId=0, startedEventId=0)
    h.add("ContinueAsNewWorkflowExecutionFailed", cause="WORKFLOW_TYPE_DEPRECATED",
          decisionTaskCompletedEventId=done)
    h.decision_task()
    decisions = decide(wf, h.events, execution=h.execution)
    assert kinds(decisions)[-1] == "FailWorkflowExecution"
    assert "WORKFLOW_TYPE_DEPRECATED" in attrs(decisions[-1])["reason"]


def test_a_continued_run_reads_the_same_without_the_definition(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1", history_budget=1000)
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.SignalTask(name="Go", depends_on=[wf.start_task], timeout=3600))
    wf.add(pyflow.TimerTask(name="Nap", duration=7200, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Done", lambda_function="d", depends_on=["A", "Go", "Nap"]))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("A#1", 1)
    fill(h, 1000)
    h.signal("Go", '"go"')
    h.decision_task()
    h2, _ = next_run(swf, decide(wf, h.events, execution=h.execution))
    step(wf, h2)
    h2.timer_fired("Nap#1")
    with_definition = {n: (t.state, t.attempts)
                       for n, t in execution_state(wf, h2.events).tasks.items()}
    without = {n: (t.state, t.attempts)
               for n, t in execution_state(None, h2.events).tasks.items()}
    assert with_definition["Nap"] == ("completed", 1)
    assert {n: without[n] for n in ("A", "Go", "Nap")} == {
        n: with_definition[n] for n in ("A", "Go", "Nap")}
