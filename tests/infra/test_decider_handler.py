"""The decider Lambda handler, invoked as Lambda would (a scheduled event and a context whose
remaining time runs out), against `pyflow.local` over HTTP: it drives the StringTransformer
with the example functions to completion across several invocations."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import pyflow
from handlers.strings import LAMBDAS
from pyflow._client._session import Session
from pyflow.aws_lambda import Decider
from pyflow.local import LocalSWF
from pyflow.local._server import serve

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOMAIN = "handler-test"
TASK_LIST = "pyflow-decider"
ROLE = "arn:aws:iam::123456789012:role/swf-lambda"
SCHEDULED_EVENT = {
    "version": "0",
    "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
    "detail-type": "Scheduled Event",
    "source": "aws.events",
    "account": "123456789012",
    "time": "2026-11-27T17:00:00Z",
    "region": "us-east-1",
    "resources": ["arn:aws:events:us-east-1:123456789012:rule/pyflow-decider-schedule"],
    "detail": {},
}


class FakeContext:
    """A Lambda context whose clock moves only when asked: every look at the remaining time
    costs `per_check_ms`, as if each poll in between had waited that long."""

    function_name = "pyflow-decider"
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:pyflow-decider"
    memory_limit_in_mb = 256
    log_group_name = "/aws/lambda/pyflow-decider"
    log_stream_name = "2026/11/27/[$LATEST]0123456789abcdef"

    def __init__(self, request: int, *, remaining_ms: int, per_check_ms: int) -> None:
        self.aws_request_id = f"req-{request}"
        self.remaining_ms = remaining_ms
        self.per_check_ms = per_check_ms
        self.checks: list[int] = []

    def get_remaining_time_in_millis(self) -> int:
        self.checks.append(self.remaining_ms)
        remaining = self.remaining_ms
        self.remaining_ms = max(0, self.remaining_ms - self.per_check_ms)
        return remaining


@pytest.fixture(scope="module")
def decider() -> ModuleType:
    """handlers/decider.py imported as Lambda imports it (a top-level module)."""
    spec = importlib.util.spec_from_file_location(
        "decider_under_test", PROJECT_ROOT / "handlers" / "decider.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSWF]:
    """A virtual-time engine behind its HTTP endpoint, with the example functions, reached by
    the handler's default boto3 client through AWS_ENDPOINT_URL_SWF."""
    with LocalSWF(virtual_time=True, poll_timeout=0.3, idle_grace=0.5) as local:
        for name, handler in LAMBDAS.items():
            local.add_lambda(name, handler)
        server = serve(local)
        try:
            for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
                monkeypatch.delenv(var, raising=False)
            env = {
                "AWS_ENDPOINT_URL_SWF": server.url,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "PYFLOW_DOMAIN": DOMAIN,
                "PYFLOW_TASK_LIST": TASK_LIST,
                "PYFLOW_LAMBDA_ROLE": ROLE,
                "PYFLOW_WORKFLOWS": "workflows",
                "PYFLOW_ITERATIONS": "100",
                "POWERTOOLS_LOG_LEVEL": "DEBUG",
            }
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            pyflow.ensure_domain_registered(DOMAIN, retention_days=1, client=local.client())
            yield local
        finally:
            server.shutdown()


@pytest.fixture
def output(decider: ModuleType, monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Everything the handler logs (Powertools JSON lines), with a fresh cold start."""
    monkeypatch.setattr(decider, "decider", Decider())  # a fresh cold start
    stream = io.StringIO()
    decider.logger.registered_handler.setStream(stream)
    return stream


def _invoke(decider: ModuleType, request: int, **clock: int) -> tuple[dict[str, int], FakeContext]:
    context = FakeContext(request, **clock)
    result: dict[str, int] = decider.lambda_handler(dict(SCHEDULED_EVENT), context)
    return result, context


def _records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


def test_handler_runs_the_example_to_completion_over_several_invocations(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO
) -> None:
    clock = {"remaining_ms": 130_000, "per_check_ms": 20_000}
    first, _ = _invoke(decider, 0, **clock)  # cold start: registers the types, finds no work
    assert first["decision_tasks"] == 0
    client = engine.client()
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN,
        workflow_name="StringTransformer",
        workflow_version="1.0",
        input="World",
        client=client,
    )
    invocations = 1
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    while outcome.status == "OPEN" and invocations < 12:
        _invoke(decider, invocations, **clock)
        invocations += 1
        outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", "Hello DLROW")
    # Five decision tasks at four polls an invocation at most: never all in one invocation.
    assert invocations >= 3
    records = _records(output)
    about_execution = [r for r in records if r.get("workflow_id") == workflow_id]
    assert about_execution, "expected log lines naming the execution"
    assert {r["run_id"] for r in about_execution} == {outcome.run_id}
    assert all(r["name"].startswith("pyflow") for r in about_execution)


def test_handler_never_starts_a_poll_with_less_than_seventy_seconds_left(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO
) -> None:
    stats, context = _invoke(decider, 0, remaining_ms=130_000, per_check_ms=20_000)
    polls = stats["decision_tasks"] + stats["empty_polls"]
    # Checked before each poll: 130, 110, 90, 70 s left -> poll; 50 s -> stop.
    assert context.checks[:5] == [130_000, 110_000, 90_000, 70_000, 50_000]
    assert polls == 4


def test_handler_stops_after_the_configured_iterations(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYFLOW_ITERATIONS", "2")
    stats, _ = _invoke(decider, 0, remaining_ms=900_000, per_check_ms=1)
    assert stats["empty_polls"] + stats["decision_tasks"] == 2


def test_handler_registers_types_once_per_cold_start(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO
) -> None:
    _invoke(decider, 0, remaining_ms=75_000, per_check_ms=10_000)
    _invoke(decider, 1, remaining_ms=75_000, per_check_ms=10_000)
    registered = [r for r in _records(output) if r.get("message") == "registered workflows"]
    assert len(registered) == 1
    assert "StringTransformer 1.0" in registered[0]["workflows"]
    detail = engine.client().describe_workflow_type(
        domain=DOMAIN, workflowType={"name": "StringTransformer", "version": "1.0"}
    )
    assert detail["configuration"]["defaultTaskList"] == {"name": TASK_LIST}
    assert detail["configuration"]["defaultLambdaRole"] == ROLE


def test_a_failing_invocation_is_logged_counted_and_raised(
    decider: ModuleType,
    engine: LocalSWF,
    output: io.StringIO,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PYFLOW_DOMAIN", "no-such-domain")
    with pytest.raises(pyflow.PyflowError, match="no-such-domain"):
        _invoke(decider, 0, remaining_ms=75_000, per_check_ms=10_000)
    (failure,) = [r for r in _records(output) if r.get("message") == "decider invocation failed"]
    assert failure["level"] == "ERROR" and "no-such-domain" in failure["exception"]
    metrics = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
    ]
    assert [m["DeciderErrors"] for m in metrics] == [[1.0]]


def test_handler_publishes_its_counters_as_metrics(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    stats, _ = _invoke(decider, 0, remaining_ms=75_000, per_check_ms=10_000)
    blobs = [
        json.loads(line)
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("{") and '"_aws"' in line
    ]
    assert blobs, "expected an embedded-metric-format record"
    (blob,) = blobs
    names = {m["Name"] for m in blob["_aws"]["CloudWatchMetrics"][0]["Metrics"]}
    assert names == {
        "DecisionTasks",
        "Decisions",
        "DeciderErrors",
        "HistoryPages",
        "EmptyPolls",
        "PendingDecisionTasks",
    }
    assert blob["Domain"] == DOMAIN
    assert stats["empty_polls"] == 1
    assert blob["EmptyPolls"] == [1.0]  # EMF: one value for this invocation
    assert blob["HistoryPages"] == [0.0]  # an empty poll reads no history
    assert blob["PendingDecisionTasks"] == [0.0]


def test_handler_publishes_the_backlog_it_finds_before_deciding(
    decider: ModuleType, engine: LocalSWF, output: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    _invoke(decider, 0, remaining_ms=75_000, per_check_ms=10_000)  # registers the types
    capsys.readouterr()
    client = engine.client()
    for n in range(3):
        pyflow.start_workflow(
            domain=DOMAIN,
            workflow_name="StringTransformer",
            workflow_version="1.0",
            input="World",
            workflow_id=f"backlog-{n}",
            client=client,
        )
    stats, _ = _invoke(decider, 1, remaining_ms=75_000, per_check_ms=10_000)
    (blob,) = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
    ]
    assert blob["PendingDecisionTasks"] == [3.0]
    assert stats["decision_tasks"] == 1  # one poll at 75 s left: the backlog was counted first


def test_a_failed_backlog_count_is_logged_and_deciding_goes_on(
    decider: ModuleType,
    engine: LocalSWF,
    output: io.StringIO,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Refusing:
        """The real SWF client, but CountPendingDecisionTasks is denied."""

        def __init__(self, swf: Any) -> None:
            self._swf = swf

        def __getattr__(self, name: str) -> Any:
            return getattr(self._swf, name)

        def count_pending_decision_tasks(self, **_: Any) -> None:
            raise RuntimeError("AccessDenied: swf:CountPendingDecisionTasks")

    class DeniedSession(Session):
        def __init__(self, swf: Any = None, *, domain: str | None = None) -> None:
            super().__init__(swf, domain=domain)
            self.swf = Refusing(self.swf)  # type: ignore[assignment]

    monkeypatch.setattr("pyflow.aws_lambda._decider.Session", DeniedSession)
    stats, _ = _invoke(decider, 0, remaining_ms=75_000, per_check_ms=10_000)
    assert stats["empty_polls"] == 1
    warnings = [
        r for r in _records(output) if r.get("message") == "could not count pending decision tasks"
    ]
    assert len(warnings) == 1 and warnings[0]["level"] == "WARNING"
    (blob,) = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line
    ]
    assert "PendingDecisionTasks" not in blob


# What deciding has no use for; each module imported is paid for at every cold start.
NOT_FOR_DECIDING = (
    "pyflow.cli", "pyflow.local", "pyflow.ui", "pyflow.testing", "pyflow._worker._activities",
    "pyflow._client._client", "pyflow._client._executions", "pyflow._client._listing",
    "pyflow._client._outcome", "pyflow._client._pages", "pyflow._client._functions",
    "pyflow._payloads._local", "pyflow._payloads._lambda", "pyflow._payloads._config",
    "aws_xray_sdk",
)


def test_the_handlers_cold_start_imports_only_what_deciding_needs() -> None:
    code = "import sys, handlers.decider; print('\\n'.join(sorted(sys.modules)))"
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "us-east-1"}
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, capture_output=True,
        text=True, check=True,
    )
    imported = set(run.stdout.split())
    assert "pyflow._worker._decider" in imported  # the check would see a broken import
    unwanted = {m for m in imported if m.startswith(NOT_FOR_DECIDING)}
    assert not unwanted
    # What the handler's users get on first use is still there.
    code = "from pyflow.aws_lambda import with_payload_store; import pyflow; pyflow.Client"
    subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env=env, check=True)
