"""Operating executions with the CLI against the embedded engine (in-process boto3 client):
register, start, decider, signal, cancel, terminate, describe, history, list, graph."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from click.testing import CliRunner, Result

import pyflow
from pyflow.cli._app import cli
from pyflow.cli._options import AwsOptions
from pyflow.local import LocalSWF

ROLE = "arn:aws:iam::123456789012:role/swf-lambda"
FLOWS = """
import pyflow

def shout(event, context=None):
    return event.upper()

def explode(event, context=None):
    raise ValueError("no way")

greet = pyflow.Workflow("Greet", version="1")
up = greet.add(pyflow.LambdaTask(name="Shout", lambda_function="shout",
                                 depends_on=[greet.start_task]))
nap = greet.add(pyflow.TimerTask(name="Nap", duration=60, depends_on=[up]))
greet.add(pyflow.LambdaTask(name="Again", lambda_function="shout", depends_on=[up, nap],
                            transform_input=lambda text: text + "!"))

approval = pyflow.Workflow("Approval", version="1")
approval.add(pyflow.SignalTask(name="Approve", signal_name="Approved",
                               depends_on=[approval.start_task]))

@pyflow.activity(name="square", version="1", task_list="cli-math")
def square(n):
    return n * n

maths = pyflow.Workflow("Maths", version="1")
maths.add(pyflow.ActivityTask(name="Square", activity=square, depends_on=[maths.start_task]))

flaky = pyflow.Workflow("Flaky", version="1")
flaky.add(pyflow.LambdaTask(name="Wobble", lambda_function="explode", num_retries=2,
                            time_between_retries=100, depends_on=[flaky.start_task]))

broken = pyflow.Workflow("Broken", version="1")
broken.add(pyflow.LambdaTask(name="Boom", lambda_function="explode", num_retries=1,
                             depends_on=[broken.start_task]))
"""


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> Iterator[LocalSWF]:
    """Virtual time, unless the test is marked `real_time`: with virtual time an execution
    that waits for a signal jumps straight to its 24-hour timeout."""
    virtual = request.node.get_closest_marker("real_time") is None
    with LocalSWF(virtual_time=virtual, poll_timeout=0.2, idle_grace=0.5) as swf:
        yield swf


real_time = pytest.mark.real_time


@pytest.fixture
def flows(user_module: Callable[[str, str], str]) -> Any:
    import importlib

    return importlib.import_module(user_module("cli_flows", FLOWS))


@pytest.fixture
def swf(engine: LocalSWF, flows: Any) -> Callable[..., Result]:
    """Run a pyflow command against `engine`, after registering the test workflows.

    CliRunner swaps sys.stdout while it runs, so only the test's own thread may use it;
    background deciders call the runtime directly (`_decide_in_background`).
    """
    engine.add_lambda("shout", flows.shout)
    engine.add_lambda("explode", flows.explode)
    client = engine.client()
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(cli, list(args), obj=AwsOptions(_client=client))

    assert run("register", "cli_flows", "--lambda-role", ROLE).exit_code == 0
    return run


def _start(swf: Callable[..., Result], target: str, workflow_id: str, *extra: str) -> None:
    result = swf("start", f"cli_flows:{target}", "--workflow-id", workflow_id, *extra)
    assert result.exit_code == 0, result.output
    assert result.stdout == workflow_id + "\n"


def _decide(swf: Callable[..., Result], target: str, iterations: int = 8) -> None:
    result = swf("decider", f"cli_flows:{target}", "--iterations", str(iterations))
    assert result.exit_code == 0, result.output
    assert "decider stopped:" in result.stdout


def _cells(text: str) -> list[list[str]]:
    return [line.split()[:5] for line in text.splitlines()]


def _decide_in_background(engine: LocalSWF, workflow: Any, iterations: int) -> threading.Thread:
    thread = threading.Thread(
        target=pyflow.poll_for_executions,
        args=(workflow,),
        kwargs={
            "domain": "pyflow",
            "task_list": "pyflow-decider",
            "num_iterations": iterations,
            "client": engine.client(),
        },
    )
    thread.start()
    return thread


def _describe(swf: Callable[..., Result], workflow_id: str, *extra: str) -> dict[str, object]:
    result = swf("describe", workflow_id, "--json", *extra)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_register_reports_domain_and_types(swf: Callable[..., Result]) -> None:
    result = swf("register", "cli_flows:greet", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "domain": "pyflow",
        "workflowTypes": [
            {"name": "Greet", "version": "1", "taskList": "pyflow-decider",
             "alreadyRegistered": True, "lambdaRole": ROLE}
        ],
    }


def test_registering_an_existing_type_says_its_defaults_are_unchanged(
    swf: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("cli_fresh", "import pyflow\nfresh = pyflow.Workflow('Fresh', version='1')\n")
    first = swf("register", "cli_fresh:fresh", "--lambda-role", ROLE)
    assert first.exit_code == 0, first.output
    assert "registered workflow type Fresh 1 (task list pyflow-decider)" in first.stdout
    other = ROLE.replace("swf-lambda", "other")
    again = swf("register", "cli_fresh:fresh", "--lambda-role", other)
    assert again.exit_code == 0, again.output
    assert (
        f"workflow type Fresh 1 already registered; defaults unchanged "
        f"(task list pyflow-decider, Lambda role {ROLE})"
    ) in again.stdout
    assert "register a new workflow version" in again.stderr


def test_completed_execution_is_described_with_tasks_and_timeline(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "greet", "g-1", "--input", "hi", "--lambda-role", ROLE, "--tag", "team-a")
    _decide(swf, "greet")
    data = _describe(swf, "g-1")
    assert data["status"] == "COMPLETED"
    assert data["result"] == "HI!"
    assert data["input"] == "hi"
    assert data["tags"] == ["team-a"]
    tasks = {t["name"]: t for t in data["tasks"]}  # type: ignore[attr-defined]
    assert list(tasks) == ["Shout", "Nap", "Again"]
    assert {t["state"] for t in tasks.values()} == {"completed"}
    assert tasks["Nap"]["seconds"] == pytest.approx(60, abs=1)  # virtual time
    text = swf("describe", "g-1").stdout
    assert "Status:      COMPLETED" in text
    assert "Result:      HI!" in text
    assert "Tasks (3/3 done)" in text
    assert ["Nap", "timer", "60s", "completed", "1"] in _cells(text)
    assert "Timeline" in text and "|#" in text


@real_time
def test_describe_with_definition_shows_tasks_not_started_yet(swf: Callable[..., Result]) -> None:
    _start(swf, "approval", "a-1")
    _decide(swf, "approval", iterations=2)
    plain = _describe(swf, "a-1")
    assert plain["status"] == "OPEN"
    assert plain["tasks"] == []  # nothing scheduled: the signal task just waits
    full = _describe(swf, "a-1", "--workflows", "cli_flows")
    assert [(t["name"], t["state"]) for t in full["tasks"]] == [  # type: ignore[attr-defined]
        ("Approve", "running")
    ]


@real_time
def test_signal_delivers_input_to_the_waiting_task(swf: Callable[..., Result]) -> None:
    _start(swf, "approval", "a-2")
    result = swf("signal", "a-2", "Approved", "--input", '{"by": "ann"}')
    assert result.exit_code == 0, result.output
    assert result.stdout == "sent signal 'Approved' to a-2\n"
    _decide(swf, "approval", iterations=3)
    data = _describe(swf, "a-2")
    assert data["status"] == "COMPLETED"
    assert data["result"] == {"by": "ann"}


@real_time
def test_signal_warns_of_a_name_no_signal_task_waits_for_and_sends_it(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "approval", "a-3")
    typo = swf("signal", "a-3", "Aproved", "--workflows", "cli_flows")
    assert typo.exit_code == 0, typo.output
    assert typo.stdout == "sent signal 'Aproved' to a-3\n"
    assert typo.stderr.startswith(
        "Warning: no SignalTask of Approval 1 waits for signal 'Aproved'; it waits for "
        "'Approved'. SWF took the signal anyway"
    )
    sent = [e for e in json.loads(swf("history", "a-3", "--json").stdout)["events"]
            if e["eventType"] == "WorkflowExecutionSignaled"]
    assert [e["workflowExecutionSignaledEventAttributes"]["signalName"] for e in sent] == [
        "Aproved"]
    right = swf("signal", "a-3", "Approved", "--workflows", "cli_flows")
    assert right.exit_code == 0, right.output
    assert right.stderr == ""
    unchecked = swf("signal", "a-3", "Approved")
    assert (unchecked.exit_code, unchecked.stderr) == (0, "")


@real_time
def test_signal_says_when_the_module_does_not_define_the_execution_s_workflow(
    swf: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    _start(swf, "approval", "a-4")
    user_module("cli_other", "import pyflow\nother = pyflow.Workflow('Other', version='1')\n")
    result = swf("signal", "a-4", "Approved", "--workflows", "cli_other")
    assert result.exit_code == 0, result.output
    assert "sent unchecked: 'cli_other' has no workflow 'Approval' version '1'" in result.stderr
    missing = swf("signal", "a-4", "Approved", "--workflows", "cli_nowhere")
    assert missing.exit_code == 1
    assert "cli_nowhere" in missing.stderr
    events = json.loads(swf("history", "a-4", "--json").stdout)["events"]
    assert sum(e["eventType"] == "WorkflowExecutionSignaled" for e in events) == 1


@real_time
def test_cancel_closes_the_execution_as_canceled(swf: Callable[..., Result]) -> None:
    _start(swf, "approval", "a-3")
    _decide(swf, "approval", iterations=2)
    assert swf("cancel", "a-3").stdout == "requested cancellation of a-3\n"
    _decide(swf, "approval", iterations=2)
    assert _describe(swf, "a-3")["status"] == "CANCELED"


@real_time
def test_terminate_records_the_reason_and_a_closed_execution_says_so(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "approval", "a-4")
    result = swf("terminate", "a-4", "--reason", "operator said so", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"workflowId": "a-4", "action": "terminate"}
    data = _describe(swf, "a-4")
    assert (data["status"], data["reason"]) == ("TERMINATED", "operator said so")
    for action in (["terminate", "a-4"], ["cancel", "a-4"], ["signal", "a-4", "Approved"]):
        again = swf(*action)
        assert again.exit_code == 1
        assert "Error: execution a-4 is already closed (TERMINATED at 20" in again.stderr


def test_failed_task_shows_attempts_and_reason(swf: Callable[..., Result]) -> None:
    _start(swf, "broken", "b-1", "--lambda-role", ROLE)
    _decide(swf, "broken")
    data = _describe(swf, "b-1")
    assert data["status"] == "FAILED"
    tasks: list[dict[str, object]] = data["tasks"]  # type: ignore[assignment]
    [task] = tasks
    assert (task["name"], task["state"], task["attempts"]) == ("Boom", "failed", 2)
    text = swf("describe", "b-1").stdout
    assert "Reason:" in text and "Boom" in text
    assert ["Boom", "lambda", "explode", "failed", "2"] in _cells(text)


def test_start_wait_prints_outcome_and_exit_status(
    swf: Callable[..., Result], engine: LocalSWF, flows: Any
) -> None:
    decider = _decide_in_background(engine, flows.broken, 8)
    result = swf(
        "start", "cli_flows:broken", "--workflow-id", "b-2", "--lambda-role", ROLE, "--wait"
    )
    decider.join()
    assert result.exit_code == 1
    assert "Status:      FAILED" in result.stdout


def test_history_is_readable_and_json_on_request(swf: Callable[..., Result]) -> None:
    _start(swf, "greet", "g-2", "--input", '"hey"', "--lambda-role", ROLE)
    _decide(swf, "greet")
    text = swf("history", "g-2").stdout.splitlines()
    assert text[0].split() == ["ID", "TIME", "+", "EVENT", "DETAILS"]
    assert text[1].split()[3] == "WorkflowExecutionStarted"
    assert 'input="hey"' in text[1]
    assert any("TimerFired" in line and "timerId=Nap#1" in line for line in text)
    assert "WorkflowExecutionCompleted" in text[-1]
    events = json.loads(swf("history", "g-2", "--json").stdout)["events"]
    assert events[0]["eventType"] == "WorkflowExecutionStarted"
    assert events[0]["eventTimestamp"].endswith("Z")


@real_time
def test_list_filters_by_status_type_tag_and_id(swf: Callable[..., Result]) -> None:
    _start(swf, "approval", "l-open", "--tag", "blue")
    _start(swf, "approval", "l-done")
    swf("terminate", "l-done")
    _start(swf, "broken", "l-broken", "--tag", "blue")

    def ids(*args: str) -> list[str]:
        result = swf("list", "--json", *args)
        assert result.exit_code == 0, result.output
        return sorted(i["execution"]["workflowId"] for i in json.loads(result.stdout))

    assert ids() == ["l-broken", "l-done", "l-open"]
    assert ids("--status", "open") == ["l-broken", "l-open"]
    assert ids("--status", "terminated") == ["l-done"]
    assert ids("--status", "closed", "--type", "Approval") == ["l-done"]
    assert ids("--tag", "blue", "--type", "Approval") == ["l-open"]
    assert ids("--workflow-id", "l-done") == ["l-done"]
    assert ids("--since", "2000-01-01", "--until", "2001-01-01") == []
    text = swf("list", "--status", "open").stdout.splitlines()
    assert text[0].split()[:4] == ["WORKFLOW", "ID", "TYPE", "STATUS"]
    assert len(text) == 3


@pytest.mark.parametrize(
    "args",
    [
        ("describe", "ghost"),
        ("history", "ghost"),
        ("signal", "ghost", "Approved"),
        ("cancel", "ghost"),
        ("terminate", "ghost"),
        ("graph", "cli_flows:greet", "--workflow-id", "ghost"),
    ],
)
def test_unknown_workflow_id_is_a_clear_error(
    swf: Callable[..., Result], args: tuple[str, ...]
) -> None:
    result = swf(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "workflow id 'ghost'" in result.stderr
    assert "Hint: `pyflow list` shows the executions" in result.stderr


def test_unknown_domain_says_how_to_create_it(swf: Callable[..., Result]) -> None:
    result = swf("start", "cli_flows:greet", "--domain", "elsewhere")
    assert result.exit_code == 1
    assert "domain 'elsewhere' does not exist" in result.stderr


def test_unregistered_type_by_name(swf: Callable[..., Result]) -> None:
    result = swf("start", "Nope", "--workflow-version", "9")
    assert result.exit_code == 1
    assert "'Nope' version '9' is not registered in domain 'pyflow'" in result.stderr


def test_graph_colours_tasks_by_execution_state(swf: Callable[..., Result]) -> None:
    _start(swf, "broken", "b-3", "--lambda-role", ROLE)
    _decide(swf, "broken")
    result = swf("graph", "cli_flows:broken", "--workflow-id", "b-3")
    assert result.exit_code == 0, result.output
    assert "class t1 failed" in result.stdout
    assert "failed, 2 attempts" in result.stdout


@real_time
def test_describe_watch_follows_task_changes_until_close(
    swf: Callable[..., Result], engine: LocalSWF, flows: Any
) -> None:
    _start(swf, "approval", "w-1")
    client = engine.client()

    def operate() -> None:
        kwargs: dict[str, Any] = {"domain": "pyflow", "client": client}
        pyflow.poll_for_executions(
            flows.approval, task_list="pyflow-decider", num_iterations=1, **kwargs
        )
        pyflow.signal_workflow(workflow_id="w-1", signal_name="Approved", input="yes", **kwargs)
        pyflow.poll_for_executions(
            flows.approval, task_list="pyflow-decider", num_iterations=1, **kwargs
        )

    operator = threading.Thread(target=operate)
    operator.start()
    result = swf("describe", "w-1", "--watch", "--interval", "0.1", "--workflows", "cli_flows")
    operator.join()
    assert result.exit_code == 0, result.output
    changes = [line.split()[1:3] for line in result.stderr.splitlines() if "Approve" in line]
    assert changes[-1] == ["Approve", "completed"]
    assert "Status:      COMPLETED" in result.stdout


@real_time
def test_describe_watch_exits_1_for_an_execution_that_did_not_complete(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "approval", "w-2")
    swf("terminate", "w-2")
    result = swf("describe", "w-2", "--watch")
    assert result.exit_code == 1
    assert "Status:      TERMINATED" in result.stdout


def test_worker_runs_activities_for_the_decider(
    swf: Callable[..., Result], engine: LocalSWF, flows: Any
) -> None:
    _start(swf, "maths", "m-1", "--input", "7")
    decider = _decide_in_background(engine, flows.maths, 3)
    result = swf("worker", "cli_flows", "--iterations", "1")
    decider.join()
    assert result.exit_code == 0, result.output
    assert "working on square 1 from task list 'cli-math'" in result.stderr
    assert _describe(swf, "m-1")["result"] == 49


def test_worker_of_a_module_without_activities(swf: Callable[..., Result]) -> None:
    result = swf("worker", "json")
    assert result.exit_code == 1
    assert "Error: module 'json' declares no @pyflow.activity functions" in result.stderr


def test_describe_gantt_is_a_mermaid_chart_of_the_tasks(swf: Callable[..., Result]) -> None:
    _start(swf, "greet", "g-3", "--input", "hi", "--lambda-role", ROLE)
    _decide(swf, "greet")
    result = swf("describe", "g-3", "--gantt")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "gantt",
        "    title Greet 1 g-3 COMPLETED",
        "    dateFormat x",
        "    axisFormat %H:%M:%S",
        "    section Tasks",
    ]
    nap = next(line for line in lines if line.startswith("    Nap (completed) :done, t1, "))
    first, last = (int(n) for n in nap.split(", ")[-2:])
    assert last - first == 60_000  # the 60-second timer, in milliseconds
    assert len(lines) == 8


def test_work_left_open_by_a_closed_execution_shows_as_canceled(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "maths", "m-2", "--input", "3")
    _decide(swf, "maths", iterations=1)  # schedules Square; no worker ever runs it
    assert swf("terminate", "m-2").exit_code == 0
    tasks: list[dict[str, object]] = _describe(swf, "m-2")["tasks"]  # type: ignore[assignment]
    assert [(t["name"], t["state"]) for t in tasks] == [("Square", "canceled")]
    text = swf("describe", "m-2").stdout
    assert "Tasks (0/1 done)" in text
    assert "running" not in text and "scheduled" not in text


def test_task_between_attempts_shows_as_retrying_with_the_attempt_to_come(
    swf: Callable[..., Result],
) -> None:
    _start(swf, "flaky", "f-1", "--lambda-role", ROLE)
    _decide(swf, "flaky", iterations=2)  # schedules Wobble, then its retry timer; no more
    text = swf("describe", "f-1").stdout
    assert "retry_wait" not in text
    assert "Tasks (0/1 done, retrying: Wobble)" in text
    row = next(line for line in text.splitlines() if line.startswith("Wobble"))
    assert "retrying in 100.0s (attempt 2)" in row
    assert row.split()[-2:] == ["-", "-"]  # no END or DURATION before the task ends
    assert "retrying in 100.0s (attempt 2)" in text.split("Timeline")[1]
    picture = swf("graph", "cli_flows:flaky", "--workflow-id", "f-1").stdout
    assert "retrying in 100.0s (attempt 2)" in picture and "retry_wait</i>" not in picture


def test_start_wait_names_the_execution_at_once_and_warns_when_no_decider_polls(
    swf: Callable[..., Result], engine: LocalSWF, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyflow.cli import _describe

    monkeypatch.setattr(_describe, "NO_DECIDER_SECONDS", 0.0)
    check = _describe._Watcher.check_decider

    def check_then_terminate(watcher: Any, events: list[Any]) -> None:
        check(watcher, events)  # no decider runs: an operator gives up on the execution
        engine.client().terminate_workflow_execution(domain="pyflow", workflowId="nd-1")

    monkeypatch.setattr(_describe._Watcher, "check_decider", check_then_terminate)
    result = swf("start", "cli_flows:approval", "--workflow-id", "nd-1", "--wait", "--json")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "started nd-1; waiting for it to close"
    warnings = [line for line in lines if line.startswith("Warning: no decision task started")]
    assert len(warnings) == 1 and "'pyflow-decider'" in warnings[0]
    assert json.loads(result.stdout)["status"] == "TERMINATED"


def test_graph_refuses_an_execution_of_another_workflow_type(swf: Callable[..., Result]) -> None:
    _start(swf, "broken", "b-9", "--lambda-role", ROLE)
    result = swf("graph", "cli_flows:greet", "--workflow-id", "b-9")
    assert result.exit_code == 1
    assert "Error: execution b-9 is Broken 1, not Greet 1" in result.stderr
    assert result.stdout == ""


def test_describe_says_when_it_cuts_the_input_short(swf: Callable[..., Result]) -> None:
    _start(swf, "approval", "long-1", "--input", "x" * 300)
    text = swf("describe", "long-1").stdout
    line = next(line for line in text.splitlines() if line.startswith("Input:"))
    assert line.endswith("… (truncated; --json shows all)")
    assert _describe(swf, "long-1")["input"] == "x" * 300


def test_register_warns_when_lambda_tasks_will_have_no_role(
    swf: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("cli_roleless", (
        "import pyflow\n"
        "bare = pyflow.Workflow('Bare', version='1')\n"
        "bare.add(pyflow.LambdaTask(name='F', lambda_function='f', depends_on=[bare.start_task]))\n"
        "quiet = pyflow.Workflow('Quiet', version='1')\n"
        "quiet.add(pyflow.TimerTask(name='T', duration=1, depends_on=[quiet.start_task]))\n"
    ))
    warned = swf("register", "cli_roleless")
    assert warned.exit_code == 0, warned.output
    assert "Warning: Bare 1 call Lambda functions but have no default Lambda role" in warned.stderr
    assert "--lambda-role" in warned.stderr and "Quiet" not in warned.stderr
    user_module("cli_roled", (
        "import pyflow\n"
        "roled = pyflow.Workflow('Roled', version='1')\n"
        "roled.add(pyflow.LambdaTask(name='F', lambda_function='f',"
        " depends_on=[roled.start_task]))\n"
    ))
    quiet = swf("register", "cli_roled", "--lambda-role", ROLE)
    assert quiet.exit_code == 0 and "Warning" not in quiet.stderr


def test_describe_says_when_no_decider_has_picked_the_execution_up(
    swf: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyflow.cli import _describe as describe_command

    _start(swf, "approval", "unpicked")
    assert _describe(swf, "unpicked")["waitingForDecider"] is None  # too early to say
    monkeypatch.setattr(describe_command, "NO_DECIDER_SECONDS", 0.0)
    shown = swf("describe", "unpicked")
    assert "Note: no decider has taken a decision task of this execution" in shown.stdout
    assert "task list 'pyflow-decider'" in shown.stdout
    assert _describe(swf, "unpicked")["waitingForDecider"] == "pyflow-decider"
    _decide(swf, "approval", iterations=1)
    assert "Note:" not in swf("describe", "unpicked").stdout
