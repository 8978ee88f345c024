"""`pyflow run`: a workflow end to end on the local engine, from the command line."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import Result

import pyflow
from pyflow import local
from pyflow._decider import execution_state
from pyflow.cli import _render as r
from pyflow.cli._run import _Progress

FLOWS = """
import pyflow

@pyflow.activity(name="double", version="1", task_list="math")
def double(n):
    return n * 2

def add_one(event, context=None):
    return event + 1

def fail(event, context=None):
    raise RuntimeError("handler broke")

calc = pyflow.Workflow("Calc", version="1")
d = calc.add(pyflow.ActivityTask(name="Double", activity=double, depends_on=[calc.start_task]))
wait = calc.add(pyflow.TimerTask(name="Pause", duration=3600, depends_on=[d]))
calc.add(pyflow.LambdaTask(name="AddOne", lambda_function="math-add-one", depends_on=[d, wait]))

failing = pyflow.Workflow("Failing", version="1")
failing.add(pyflow.LambdaTask(name="Fail", lambda_function="fail", num_retries=2,
                              depends_on=[failing.start_task]))
"""


@pytest.fixture
def flows(user_module: Callable[[str, str], str]) -> str:
    return user_module("run_flows", FLOWS)


def test_run_prints_the_result_and_each_task(invoke: Callable[..., Result], flows: str) -> None:
    result = invoke(
        "run", "run_flows:calc", "--input", "20", "--activities", "run_flows",
        "--lambdas", "run_flows",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "41\n"
    lines = [line.split() for line in result.stderr.splitlines()]
    assert lines[0][:4] == ["running", "Calc", "1", "on"]
    events = [(line[1], line[2]) for line in lines[1:-1]]
    assert events == [
        ("started", "Double"), ("completed", "Double"),
        ("started", "Pause"), ("completed", "Pause"),
        ("started", "AddOne"), ("completed", "AddOne"),
    ]
    # The hour-long timer on virtual time (plus the few real milliseconds the decider took).
    assert 3600 <= float(lines[4][0].rstrip("s")) < 3601
    assert lines[-1][:2] == ["Calc", "COMPLETED"]


def test_run_with_explicit_lambda_mapping_and_json(
    invoke: Callable[..., Result], flows: str
) -> None:
    result = invoke(
        "run", "run_flows:calc", "--input", "1", "--activities", "run_flows",
        "--lambda", "math-add-one=run_flows:add_one", "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["status"], data["result"]) == ("COMPLETED", 3)
    assert [t["name"] for t in data["tasks"]] == ["Double", "Pause", "AddOne"]
    assert data["tasks"][1]["seconds"] == 3600


def test_run_of_a_failing_workflow_exits_1_with_reason(
    invoke: Callable[..., Result], flows: str
) -> None:
    result = invoke("run", "run_flows:failing", "--lambdas", "run_flows")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "started    Fail  attempt 3" in result.stderr
    assert "retrying" in result.stderr
    assert "Error: workflow Failing 1 FAILED: task 'Fail' failed after 3 attempts" in result.stderr
    assert "Traceback" not in result.stderr.split("Error:")[0]


def test_run_names_lambda_functions_without_a_handler(
    invoke: Callable[..., Result], flows: str
) -> None:
    result = invoke("run", "run_flows:calc", "--activities", "run_flows")
    assert result.exit_code == 1
    assert "Error: no Python handler for Lambda function(s): math-add-one" in result.stderr
    assert "--lambdas MODULE with a function named like math_add_one" in result.stderr


def test_run_names_activities_without_a_function(
    invoke: Callable[..., Result], flows: str
) -> None:
    result = invoke("run", "run_flows:calc", "--lambdas", "run_flows")
    assert result.exit_code == 1
    assert "no @pyflow.activity function for activity type(s): double 1" in result.stderr


def test_run_rejects_malformed_json_input(invoke: Callable[..., Result], flows: str) -> None:
    result = invoke("run", "run_flows:calc", "--input", "[1, 2")
    assert result.exit_code == 1
    assert "Error: --input is not valid JSON" in result.stderr


def test_run_of_a_module_that_does_not_exist(invoke: Callable[..., Result]) -> None:
    result = invoke("run", "nope_nope:wf")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no module named 'nope_nope'\nHint: ")


def test_lambdas_suffix_convention() -> None:
    from pyflow.cli._loading import handler_candidates

    assert list(handler_candidates("string-upcase")) == ["string_upcase", "upcase"]
    assert list(handler_candidates("a-b-c:prod")) == ["a_b_c", "b_c", "c"]
    arn = "arn:aws:lambda:us-east-1:123456789012:function:img-resize:live"
    assert list(handler_candidates(arn)) == ["img_resize", "resize"]


def test_local_serve_registers_every_register_target(
    invoke: Callable[..., Result], flows: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyflow.cli import _local

    monkeypatch.setattr(_local, "_wait_for_stop", lambda: None)  # stop as soon as it serves
    hints: list[str] = []
    monkeypatch.setattr(_local.LocalSWF, "set_missing_lambda_hint",
                        lambda self, hint: hints.append(hint))
    result = invoke(
        "local", "serve", "--port", "0", "--json",
        "--register", "run_flows:calc", "--register", "run_flows:failing",
    )
    assert result.exit_code == 0, result.output
    served = json.loads(result.stdout.splitlines()[0])
    assert served["workflowTypes"] == [
        {"name": "Calc", "version": "1"}, {"name": "Failing", "version": "1"}
    ]
    # A misspelled function under `local serve` names the flags that map one.
    assert hints and "--lambdas MODULE" in hints[0] and "--lambda NAME=" in hints[0]


SIGNAL_FLOWS = """
import pyflow

approval = pyflow.Workflow("Approval", version="1")
approval.add(pyflow.SignalTask(name="Approve", signal_name="Approved",
                               depends_on=[approval.start_task]))
"""


def test_run_sends_signals_and_a_timeout_names_the_missing_one(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("run_signals", SIGNAL_FLOWS)
    done = invoke("run", "run_signals:approval", "--signal", 'Approved={"by": "ann"}', "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["status"] == "COMPLETED"
    stuck = invoke("run", "run_signals:approval", "--timeout", "1")
    assert stuck.exit_code == 1
    assert "Hint: it waits for signal Approved: pass --signal Approved=JSON" in stuck.stderr
    bad = invoke("run", "run_signals:approval", "--signal", "Approved")
    assert bad.exit_code == 1 and "is not NAME=JSON" in bad.stderr


RETRY_FLOWS = """
import pyflow

def fail(event, context=None):
    raise RuntimeError("handler broke")

slow = pyflow.Workflow("SlowRetry", version="1")
slow.add(pyflow.LambdaTask(name="Fail", lambda_function="fail", num_retries=2,
                           time_between_retries=100, depends_on=[slow.start_task]))
"""


def test_run_never_stamps_a_retry_with_an_earlier_time(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("run_retry", RETRY_FLOWS)
    result = invoke("run", "run_retry:slow", "--lambdas", "run_retry")
    assert result.exit_code == 1
    lines = [line.split() for line in result.stderr.splitlines()]
    attempts = [line for line in lines if line[-2:] in (["attempt", "2"], ["attempt", "3"])]
    assert len(attempts) == 2
    for line in attempts:  # a time, if shown, is when that attempt really started
        assert line[0] == "started" or float(line[0].rstrip("s")) >= 100
    failed = next(line for line in lines if line[1:3] == ["failed", "Fail"])
    assert 200 <= float(failed[0].rstrip("s")) < 201


def _wobble(event: object, context: object = None) -> None:
    raise RuntimeError("not yet")


def test_run_prints_the_time_of_a_retry_it_sees(capsys: pytest.CaptureFixture[str]) -> None:
    wf = pyflow.Workflow("Wait", version="1")
    wf.add(pyflow.LambdaTask(name="Wobble", lambda_function="wobble", num_retries=1,
                             time_between_retries=100, depends_on=[wf.start_task]))
    history = list(local.run(wf, lambdas={"wobble": _wobble}).history)  # virtual time
    failed = next(i for i, e in enumerate(history) if e["eventType"] == "LambdaFunctionFailed")
    tasks = execution_state(wf, history[: failed + 1]).tasks  # type: ignore[arg-type]
    assert tasks["Wobble"].state == "retry_wait"
    progress = _Progress(wf)
    for task in tasks.values():
        progress(task)
    lines = [line.split() for line in capsys.readouterr().err.splitlines()]
    retry = next(line for line in lines if line[1] == "retrying")
    offset = r.between(history[0]["eventTimestamp"], history[failed]["eventTimestamp"])
    assert float(retry[0].rstrip("s")) == pytest.approx(offset, abs=0.001)
