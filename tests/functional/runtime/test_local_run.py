"""`pyflow.local.run` end to end: every task type, retries, failures, children, timeouts."""

from __future__ import annotations

import time
from typing import Any

import pytest

import pyflow
import pyflow.local
from handlers.strings import LAMBDAS
from workflows.string_transformer import workflow as string_transformer

pytestmark = pytest.mark.timeout(60)


@pyflow.activity(name="double", version="1", task_list="math")
def double(value: int) -> int:
    return value * 2


_attempts: dict[str, int] = {}


def _fails_first(name: str, times: int = 1) -> Any:
    """A Lambda handler that fails `times` times, then returns its event."""
    _attempts[name] = 0

    def handler(event: Any, context: Any) -> Any:
        _attempts[name] += 1
        if _attempts[name] <= times:
            raise RuntimeError(f"{name} attempt {_attempts[name]} failed")
        return event

    return handler


def _event_types(outcome: pyflow.local.RunOutcome) -> list[str]:
    return [e["eventType"] for e in outcome.history]


def test_the_seed_example_greets_in_well_under_a_second_of_real_time() -> None:
    began = time.monotonic()
    outcome = pyflow.local.run(string_transformer, "World", lambdas=LAMBDAS)
    elapsed = time.monotonic() - began
    assert (outcome.status, outcome.result) == ("COMPLETED", "Hello DLROW")
    fired = next(e for e in outcome.history if e["eventType"] == "TimerFired")
    started = next(e for e in outcome.history if e["eventType"] == "TimerStarted")
    assert (fired["eventTimestamp"] - started["eventTimestamp"]).total_seconds() >= 30
    assert elapsed < 5  # typically ~0.2 s; generous for a loaded CI machine
    assert [t.state for t in outcome.tasks.values()] == ["completed"] * 5


def test_activity_tasks_run_on_local_workers() -> None:
    wf = pyflow.Workflow("Math", "1")
    first = wf.add(pyflow.ActivityTask(name="Once", activity=double, depends_on=[wf.start_task]))
    wf.add(pyflow.ActivityTask(name="Twice", activity=double, depends_on=[first]))
    outcome = pyflow.local.run(wf, 5, activities=[double])
    assert (outcome.status, outcome.result) == ("COMPLETED", 20)
    assert outcome.tasks["Twice"].output == 20


def test_a_failing_lambda_is_retried_after_a_virtual_delay() -> None:
    wf = pyflow.Workflow("Retry", "1")
    wf.add(pyflow.LambdaTask(name="Flaky", lambda_function="flaky", depends_on=[wf.start_task],
                             num_retries=3, time_between_retries=600))
    began = time.monotonic()
    outcome = pyflow.local.run(wf, "x", lambdas={"flaky": _fails_first("flaky", times=2)})
    assert (outcome.status, outcome.result) == ("COMPLETED", "x")
    assert outcome.tasks["Flaky"].attempts == 3
    assert time.monotonic() - began < 10
    assert _event_types(outcome).count("LambdaFunctionFailed") == 2


def test_a_task_failing_for_good_fails_the_workflow_with_its_error() -> None:
    wf = pyflow.Workflow("Doomed", "1")
    wf.add(pyflow.LambdaTask(name="Upper", lambda_function="string-upcase",
                             depends_on=[wf.start_task], num_retries=1))
    outcome = pyflow.local.run(wf, 42, lambdas=LAMBDAS)
    assert outcome.status == "FAILED"
    assert "Upper" in (outcome.reason or "")
    assert "string-upcase expects a string, got int" in (outcome.details or "")
    assert outcome.tasks["Upper"].attempts == 2
    assert outcome.tasks["Upper"].state == "failed"


def test_an_oversize_lambda_result_is_named_once_in_the_failure_reason() -> None:
    wf = pyflow.Workflow("TooBig", "1")
    wf.add(pyflow.LambdaTask(name="B", lambda_function="big", depends_on=[wf.start_task]))
    outcome = pyflow.local.run(wf, lambdas={"big": lambda event, context: "x" * 40_000},
                               payload_store=None)
    reason = outcome.reason or ""
    assert outcome.status == "FAILED"
    assert reason.startswith("task 'B' failed after 1 attempt: ResultTooLarge: ")
    assert reason.count("40002 characters") == 1


def test_a_failing_activity_reports_type_and_traceback() -> None:
    @pyflow.activity(name="crash", version="1", task_list="crashes")
    def crash(value: Any) -> None:
        raise KeyError("missing")

    wf = pyflow.Workflow("Crash", "1")
    wf.add(pyflow.ActivityTask(name="Crash", activity=crash))
    outcome = pyflow.local.run(wf, activities=[crash])
    error = outcome.tasks["Crash"].last_error
    assert outcome.status == "FAILED" and error is not None
    assert error.reason == "KeyError"
    assert "Traceback" in (error.details or "")


def test_child_workflows_are_served_on_their_own_task_lists_too() -> None:
    child = pyflow.Workflow("Child", "1", task_list="kids")
    child.add(pyflow.LambdaTask(name="Up", lambda_function="string-upcase",
                                depends_on=[child.start_task]))
    grandchild = pyflow.Workflow("Grandchild", "1")
    grandchild.add(pyflow.ActivityTask(name="Double", activity=double,
                                       depends_on=[grandchild.start_task]))
    parent = pyflow.Workflow("Parent", "1")
    kid = parent.add(pyflow.WorkflowTask(name="Kid", workflow=child, depends_on=[parent.start_task],
                                         transform_input=lambda inp: inp["word"]))
    parent.add(pyflow.WorkflowTask(name="Grandkid", workflow=grandchild,
                                   depends_on=[parent.start_task],
                                   transform_input=lambda inp: inp["number"]))
    parent.add(pyflow.LambdaTask(name="Concat", lambda_function="string-concat",
                                 depends_on=[kid, "Grandkid"],
                                 transform_input=lambda inp: [inp["inputs"]["Kid"], "!",
                                                              str(inp["inputs"]["Grandkid"])]))
    outcome = pyflow.local.run(parent, {"word": "hi", "number": 21}, lambdas=LAMBDAS,
                               activities=[double])
    assert (outcome.status, outcome.result) == ("COMPLETED", "HI!42")
    assert outcome.tasks["Kid"].output == "HI"


def test_a_timer_only_workflow_completes_without_a_result() -> None:
    wf = pyflow.Workflow("Nap", "1")
    wf.add(pyflow.TimerTask(name="Nap", duration=3600))
    outcome = pyflow.local.run(wf)
    assert (outcome.status, outcome.result) == ("COMPLETED", None)


def test_signals_given_to_run_reach_signal_tasks() -> None:
    wf = pyflow.Workflow("Approve", "1")
    wf.add(pyflow.SignalTask(name="Approval", signal_name="Approved"))
    outcome = pyflow.local.run(wf, signals={"Approved": {"by": "alice"}})
    assert (outcome.status, outcome.result) == ("COMPLETED", {"by": "alice"})


def test_one_signal_completes_every_signal_task_waiting_for_its_name() -> None:
    wf = pyflow.Workflow("ApproveTwice", "1")
    wf.add(pyflow.SignalTask(name="WaitA", signal_name="Approved", depends_on=[wf.start_task]))
    wf.add(pyflow.SignalTask(name="WaitB", signal_name="Approved", depends_on=[wf.start_task]))
    outcome = pyflow.local.run(wf, signals={"Approved": "yes"}, timeout=5)
    assert (outcome.status, outcome.result) == ("COMPLETED", {"WaitA": "yes", "WaitB": "yes"})


def test_a_run_still_open_after_the_timeout_raises_naming_open_tasks() -> None:
    wf = pyflow.Workflow("Waits", "1")
    wf.add(pyflow.SignalTask(name="Approval"))
    with pytest.raises(pyflow.OutcomeTimeoutError, match=r"Approval \(") as info:
        pyflow.local.run(wf, timeout=0.3)
    assert info.value.outcome.status == "OPEN"  # type: ignore[attr-defined]


def test_missing_handlers_and_activities_are_reported_before_running() -> None:
    wf = pyflow.Workflow("Incomplete", "1")
    wf.add(pyflow.LambdaTask(name="L", lambda_function="nowhere"))
    wf.add(pyflow.ActivityTask(name="A", activity_type="ext", activity_version="1"))
    wf.add(pyflow.WorkflowTask(name="W", workflow_name="Java", workflow_version="1"))
    with pytest.raises(pyflow.PyflowError) as info:
        pyflow.local.run(wf)
    message = str(info.value)
    assert "'nowhere'" in message and "'ext'" in message and "'Java'" in message


def test_progress_is_reported_per_task() -> None:
    seen: list[tuple[str, str]] = []
    pyflow.local.run(string_transformer, "World", lambdas=LAMBDAS,
                     on_task=lambda t: seen.append((t.name, t.state)))
    assert [name for name, state in seen if state == "completed"] == [
        "start", "UpperCaser", "Reverser", "Sleep", "Concat"
    ]


def test_input_and_result_round_trip_as_json() -> None:
    wf = pyflow.Workflow("Echo", "1")
    wf.add(pyflow.LambdaTask(name="Echo", lambda_function="echo", depends_on=[wf.start_task]))
    payload = {"list": [1, 2.5, None, True], "text": "héllo"}
    outcome = pyflow.local.run(wf, payload, lambdas={"echo": lambda event, context: event})
    assert outcome.result == payload
