"""Conditions, trigger rules, failures as data and loops, decided from history alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pyflow
from pyflow._decider import execution_state
from pyflow._decider._rules import verdict

from .test_failures import attrs, failure_of, kinds, step


def scheduled(decisions: list[dict[str, Any]]) -> dict[str, Any]:
    """Lambda id -> decoded input of each ScheduleLambdaFunction decision."""
    return {
        attrs(d)["id"]: json.loads(attrs(d)["input"])
        for d in decisions
        if d["decisionType"] == "ScheduleLambdaFunction"
    }


def states(wf: pyflow.Workflow, swf: Any) -> dict[str, str]:
    return {n: t.state for n, t in execution_state(wf, swf.events).tasks.items()}


def completed_result(decisions: list[dict[str, Any]]) -> Any:
    assert kinds(decisions)[-1] == "CompleteWorkflowExecution", decisions
    return json.loads(attrs(decisions[-1])["result"])


# -- run_if -------------------------------------------------------------------------------


def branch_workflow() -> pyflow.Workflow:
    """Two run_if paths joined by none_failed: only one path runs."""
    wf = pyflow.Workflow("Branch", "1")
    wf.add(pyflow.LambdaTask(name="Check", lambda_function="check", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Big", lambda_function="big", depends_on=["Check"],
                             run_if=lambda n: n > 10))
    wf.add(pyflow.LambdaTask(name="Small", lambda_function="small", depends_on=["Check"],
                             run_if=lambda n: n <= 10))
    wf.add(pyflow.LambdaTask(name="Join", lambda_function="join", depends_on=["Big", "Small"],
                             trigger_rule="none_failed"))
    return wf


def test_run_if_false_skips_the_task_and_the_join_gets_only_the_branch_that_ran(swf: Any) -> None:
    wf, h = branch_workflow(), swf('"x"')
    step(wf, h)
    h.lambda_completed("Check#1", 3)
    decisions = step(wf, h)
    assert scheduled(decisions) == {"Small#1": 3}
    assert states(wf, h)["Big"] == "skipped"
    h.lambda_completed("Small#1", "small result")
    decisions = step(wf, h)
    # Two output-producing dependencies: always the dict form, the skipped one left out.
    assert scheduled(decisions) == {"Join#1": {"inputs": {"Small": "small result"}}}
    h.lambda_completed("Join#1", "joined")
    assert completed_result(step(wf, h)) == "joined"
    assert states(wf, h) == {"start": "completed", "Check": "completed", "Big": "skipped",
                             "Small": "completed", "Join": "completed"}


def test_a_skipped_dependency_skips_an_all_success_dependent_and_the_output_leaves_it_out(
    swf: Any,
) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", depends_on=["A"],
                             run_if=lambda _: False))
    wf.add(pyflow.LambdaTask(name="C", lambda_function="c", depends_on=["B"]))
    wf.add(pyflow.LambdaTask(name="D", lambda_function="d", depends_on=["A"]))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("A#1", 1)
    decisions = step(wf, h)
    assert scheduled(decisions) == {"D#1": 1}
    h.lambda_completed("D#1", "d")
    assert completed_result(step(wf, h)) == {"D": "d"}  # C, a skipped sink, is left out
    assert states(wf, h)["C"] == "skipped"


def test_run_if_sees_the_assembled_input_before_transform_input(swf: Any) -> None:
    seen = []
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task],
                             param="p", run_if=lambda v: seen.append(v) or True,
                             transform_input=lambda v: "sent"))
    decisions = step(wf, swf('"in"'))
    assert seen[-1] == {"param": "p", "inputs": {"start": "in"}}
    assert scheduled(decisions) == {"A#1": "sent"}


def test_run_if_that_raises_fails_the_task_at_once_with_the_exception(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task],
                             run_if=lambda v: v["missing"], num_retries=5))
    reason, details = failure_of(step(wf, swf('{"k": 1}')))
    assert reason == "task 'A': run_if raised KeyError: 'missing'"
    assert details["task"] == "A" and "Traceback" in details["error"]["details"]


def test_run_if_on_the_start_task_is_refused() -> None:
    wf = pyflow.Workflow("W", "1")
    with pytest.raises(pyflow.DefinitionError, match="'start': the start task takes no run_if"):
        pyflow.StartTask(run_if=lambda _: True)
    wf.start_task.run_if = lambda _: True
    with pytest.raises(pyflow.DefinitionError, match="task 'start'"):
        wf.validate()


# -- trigger rules ------------------------------------------------------------------------

# (rule, outcomes of two dependencies in the order they end) -> what the task does.
RULES = [
    ("all_success", "ok ok", "fire"), ("all_success", "fail ok", "skip"),
    ("all_success", "skip ok", "skip"),
    ("all_failed", "fail fail", "fire"), ("all_failed", "fail ok", "skip"),
    ("all_failed", "skip fail", "skip"),
    ("all_done", "fail skip", "fire"), ("all_done", "ok ok", "fire"),
    ("one_success", "fail ok", "fire"), ("one_success", "fail skip", "skip"),
    ("one_failed", "ok fail", "fire"), ("one_failed", "ok skip", "skip"),
    ("none_failed", "skip ok", "fire"), ("none_failed", "ok fail", "skip"),
    ("none_skipped", "fail ok", "fire"), ("none_skipped", "ok skip", "skip"),
]


@pytest.mark.parametrize(("rule", "outcomes", "expected"), RULES)
def test_trigger_rules_have_airflows_meanings(rule: str, outcomes: str, expected: str) -> None:
    ok = failed = skipped = 0
    said = None
    for outcome in outcomes.split():
        ok, failed, skipped = ok + (outcome == "ok"), failed + (outcome == "fail"), (
            skipped + (outcome == "skip"))
        said = verdict(rule, 2, ok, failed, skipped)
        if said is not None:
            break
    assert said == expected


@pytest.mark.parametrize("rule", sorted(r.value for r in pyflow.TriggerRule))
def test_a_task_with_only_the_start_task_before_it_runs_under_any_rule(
    rule: str, swf: Any
) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task],
                             trigger_rule=rule))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", trigger_rule=rule))
    assert set(scheduled(step(wf, swf('"x"')))) == {"A#1", "B#1"}


def test_one_success_fires_at_the_first_success_with_what_has_ended_so_far(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    for name in ("A", "B", "C"):
        wf.add(pyflow.LambdaTask(name=name, lambda_function="f", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="First", lambda_function="f", depends_on=["A", "B", "C"],
                             trigger_rule=pyflow.TriggerRule.ONE_SUCCESS))
    wf.add(pyflow.LambdaTask(name="Audit", lambda_function="f", depends_on=["A"],
                             trigger_rule="all_done"))
    h = swf('"x"')
    step(wf, h)
    h.lambda_failed("A#1")
    h.lambda_completed("B#1", "b")
    decisions = step(wf, h)
    sent = scheduled(decisions)["First#1"]
    assert sent["inputs"]["B"] == "b"
    assert sent["inputs"]["A"]["error"]["reason"].startswith("UnhandledError")
    assert "C" not in sent["inputs"]
    h.lambda_completed("C#1", "c")
    h.lambda_completed("First#1", "first")
    h.lambda_completed("Audit#1", "audit")
    assert completed_result(step(wf, h)) == {"First": "first", "Audit": "audit"}


def test_a_failure_only_a_one_success_task_waits_on_fails_the_workflow(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    for name in ("A", "B"):
        wf.add(pyflow.LambdaTask(name=name, lambda_function="f", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="First", lambda_function="f", depends_on=["A", "B"],
                             trigger_rule="one_success"))
    h = swf('"x"')
    step(wf, h)
    h.lambda_failed("A#1")
    reason, _ = failure_of(step(wf, h))
    assert reason.startswith("task 'A' failed after 1 attempt")


# -- failures as data ---------------------------------------------------------------------


def cleanup_workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("Cleanup", "1")
    wf.add(pyflow.LambdaTask(name="Work", lambda_function="work", depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="Notify", lambda_function="notify", depends_on=["Work"],
                             trigger_rule="one_failed"))
    wf.add(pyflow.LambdaTask(name="Clean", lambda_function="clean", depends_on=["Work"],
                             trigger_rule="all_done"))
    return wf


def test_a_handled_failure_runs_the_notifier_and_cleanup_and_the_workflow_completes(
    swf: Any,
) -> None:
    wf, h = cleanup_workflow(), swf('"x"')
    step(wf, h)
    h.lambda_failed("Work#1", details='{"errorType": "ValueError", "errorMessage": "bad"}')
    decisions = step(wf, h)
    sent = scheduled(decisions)
    assert set(sent) == {"Notify#1", "Clean#1"}
    error = sent["Notify#1"]["error"]
    assert error["reason"] == "UnhandledError (ValueError: bad)"
    assert json.loads(error["details"])["errorMessage"] == "bad"
    h.lambda_completed("Notify#1", "told")
    h.lambda_completed("Clean#1", "clean")
    assert completed_result(step(wf, h)) == {"Notify": "told", "Clean": "clean"}
    assert states(wf, h)["Work"] == "failed"


def test_when_work_succeeds_the_one_failed_notifier_is_skipped(swf: Any) -> None:
    wf, h = cleanup_workflow(), swf('"x"')
    step(wf, h)
    h.lambda_completed("Work#1", "w")
    assert scheduled(step(wf, h)) == {"Clean#1": "w"}
    h.lambda_completed("Clean#1", "clean")
    assert completed_result(step(wf, h)) == {"Clean": "clean"}
    assert states(wf, h)["Notify"] == "skipped"


def test_an_unhandled_failure_still_fails_the_workflow_and_cancels_open_work(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task]))
    wf.add(pyflow.TimerTask(name="T", duration=60, depends_on=[wf.start_task]))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", depends_on=["A"],
                             trigger_rule="one_success"))
    h = swf('"x"')
    step(wf, h)
    h.lambda_failed("A#1")
    decisions = step(wf, h)
    assert kinds(decisions) == ["CancelTimer", "FailWorkflowExecution"]


def test_an_input_that_cannot_be_built_is_a_failure_a_dependent_can_handle(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task],
                             transform_input=lambda v: 1 / 0))
    wf.add(pyflow.LambdaTask(name="Clean", lambda_function="c", depends_on=["A"],
                             trigger_rule="all_done"))
    h = swf('"x"')
    decisions = step(wf, h)
    error = scheduled(decisions)["Clean#1"]["error"]
    assert "transform_input raised ZeroDivisionError" in error["reason"]
    assert states(wf, h)["A"] == "failed"
    h.lambda_completed("Clean#1", "ok")
    assert completed_result(step(wf, h)) == "ok"


def test_an_output_task_that_was_skipped_gives_none(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1", output_task="A")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="a", depends_on=[wf.start_task],
                             run_if=lambda _: False))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="b", depends_on=[wf.start_task]))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("B#1", "b")
    assert completed_result(step(wf, h)) is None


# -- loops --------------------------------------------------------------------------------


def poll_workflow(max_iterations: int = 5) -> pyflow.Workflow:
    wf = pyflow.Workflow("Poll", "1")
    wf.add(pyflow.LambdaTask(name="Check", lambda_function="check-status",
                             depends_on=[wf.start_task], repeat_until=lambda s: s == "DONE",
                             max_iterations=max_iterations, repeat_delay=60, num_retries=1))
    return wf


def test_a_polling_loop_runs_until_its_test_passes_with_the_delay_between(swf: Any) -> None:
    wf, h = poll_workflow(), swf('"job-1"')
    assert scheduled(step(wf, h)) == {"Check#1": "job-1"}
    h.lambda_completed("Check#1", "RUNNING")
    decisions = step(wf, h)
    assert [attrs(d)["timerId"] for d in decisions] == ["Check#2#repeat"]
    assert attrs(decisions[0])["startToFireTimeout"] == "60"
    task = execution_state(wf, h.events).tasks["Check"]
    assert (task.state, task.iteration, task.max_iterations) == ("repeat_wait", 1, 5)
    h.timer_fired("Check#2#repeat")
    assert scheduled(step(wf, h)) == {"Check#2": "job-1"}  # the same input, built again
    h.lambda_failed("Check#2")  # a failed attempt retries within its iteration
    assert scheduled(step(wf, h)) == {"Check#3": "job-1"}
    h.lambda_completed("Check#3", "RUNNING")
    step(wf, h)
    h.timer_fired("Check#4#repeat")
    step(wf, h)
    h.lambda_completed("Check#4", "DONE")
    assert completed_result(step(wf, h)) == "DONE"
    task = execution_state(wf, h.events).tasks["Check"]
    assert (task.state, task.iteration, task.attempts) == ("completed", 3, 4)


def test_a_loop_that_reaches_max_iterations_fails_saying_so(swf: Any) -> None:
    wf, h = poll_workflow(max_iterations=2), swf('"job-1"')
    step(wf, h)
    h.lambda_completed("Check#1", "RUNNING")
    step(wf, h)
    h.timer_fired("Check#2#repeat")
    step(wf, h)
    h.lambda_completed("Check#2", "RUNNING")
    reason, details = failure_of(step(wf, h))
    assert reason == (
        "task 'Check': repeat_until was still false after 2 iterations (max_iterations=2)"
    )
    assert details["error"]["details"] == '"RUNNING"'


def test_a_child_workflow_loop_feeds_each_output_to_the_next_child(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.WorkflowTask(name="Body", workflow_name="Step", workflow_version="1",
                               depends_on=[wf.start_task], repeat_until=lambda n: n >= 3,
                               max_iterations=10))
    h = swf("0")
    decisions = step(wf, h)
    for expected_input, output in (("0", "1"), ("1", "2"), ("2", "3")):
        (decision,) = decisions
        child = attrs(decision)
        assert child["input"] == expected_input
        h.child_closed(child["workflowId"], "ChildWorkflowExecutionCompleted", result=output)
        decisions = step(wf, h)
    assert completed_result(decisions) == 3


def test_repeat_until_that_raises_fails_the_task(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", depends_on=[wf.start_task],
                             repeat_until=lambda out: out["state"], max_iterations=3))
    h = swf('"x"')
    step(wf, h)
    h.lambda_completed("L#1", [1])
    reason, _ = failure_of(step(wf, h))
    assert reason.startswith("task 'L': repeat_until raised TypeError")


# -- validation ---------------------------------------------------------------------------

BAD_OPTIONS = [
    ({"trigger_rule": "all_succes"}, "trigger_rule 'all_succes' is not one of 'all_success'"),
    ({"run_if": True}, "run_if True is not callable"),
    ({"repeat_until": "DONE", "max_iterations": 3}, "repeat_until 'DONE' is not callable"),
    ({"repeat_until": bool}, "repeat_until needs max_iterations="),
    ({"repeat_until": bool, "max_iterations": 0}, "max_iterations must be at least 1, not 0"),
    ({"repeat_until": bool, "max_iterations": 2.5}, "max_iterations must be a whole number"),
    ({"max_iterations": 3}, "max_iterations and repeat_delay need repeat_until="),
    ({"repeat_until": bool, "max_iterations": 3, "repeat_delay": -1}, "repeat_delay must be"),
]


@pytest.mark.parametrize(("options", "message"), BAD_OPTIONS)
def test_bad_control_flow_options_are_definition_errors_naming_the_task(
    options: dict[str, Any], message: str
) -> None:
    with pytest.raises(pyflow.DefinitionError, match=r"task 'A': ") as raised:
        pyflow.LambdaTask(name="A", lambda_function="f", **options)
    assert message in str(raised.value)


def test_trigger_rule_takes_the_enum_or_its_string() -> None:
    task = pyflow.LambdaTask(name="A", lambda_function="f",
                             trigger_rule=pyflow.TriggerRule.ALL_DONE)
    assert task.trigger_rule == "all_done" == pyflow.TriggerRule.ALL_DONE
