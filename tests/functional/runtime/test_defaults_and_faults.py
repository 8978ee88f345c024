"""The default decider task list, unknown domains on every execution call, and starting an
execution safely under botocore's retries."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

import pyflow
from pyflow._client import DEFAULT_DECIDER_TASK_LIST
from pyflow.local import LocalSWF

from .conftest import DOMAIN


def _parent_and_child() -> pyflow.Workflow:
    child = pyflow.Workflow("Kid", "1")
    parent = pyflow.Workflow("Parent", "1")
    parent.add(pyflow.WorkflowTask(name="K", workflow=child, depends_on=[parent.start_task]))
    return parent


# -- the default decider task list ---------------------------------------------------------


def test_the_default_decider_task_list_is_the_cdk_stacks() -> None:
    assert DEFAULT_DECIDER_TASK_LIST == "pyflow-decider"


def test_types_registered_without_any_task_list_get_the_default(moto_swf: Any) -> None:
    pyflow.ensure_workflow_registered(_parent_and_child(), domain=DOMAIN, client=moto_swf)
    for name in ("Parent", "Kid"):
        config = moto_swf.describe_workflow_type(
            domain=DOMAIN, workflowType={"name": name, "version": "1"}
        )["configuration"]
        assert config["defaultTaskList"] == {"name": "pyflow-decider"}, name


def test_an_execution_started_without_a_task_list_reaches_the_default_decider() -> None:
    workflow = _parent_and_child()
    with LocalSWF(virtual_time=True) as engine:
        client = engine.client()
        pyflow.ensure_domain_registered("d", client=client)
        pyflow.ensure_workflow_registered(workflow, domain="d", client=client)
        workflow_id = pyflow.start_workflow(
            domain="d", workflow_name="Parent", workflow_version="1", input="hi", client=client
        )

        def closed() -> bool:
            outcome = pyflow.get_outcome(domain="d", workflow_id=workflow_id, client=client)
            return not outcome.is_open

        stats = pyflow.poll_for_executions(
            workflow, domain="d", num_iterations=20, client=client, should_stop=closed
        )
        outcome = pyflow.get_outcome(domain="d", workflow_id=workflow_id, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", "hi")
    assert stats.errors == 0


def test_a_type_registered_earlier_without_a_default_is_reported(
    moto_swf: Any, caplog: pytest.LogCaptureFixture
) -> None:
    moto_swf.register_workflow_type(
        domain=DOMAIN, name="Old", version="1", defaultTaskStartToCloseTimeout="30",
        defaultExecutionStartToCloseTimeout="300", defaultChildPolicy="TERMINATE",
    )
    with caplog.at_level(logging.WARNING, logger="pyflow"):
        pyflow.ensure_workflow_registered(
            pyflow.Workflow("Old", "1"), domain=DOMAIN, client=moto_swf
        )
    assert "without a default task list" in caplog.text
    assert "DefaultUndefinedFault" in caplog.text


# -- unknown domains ----------------------------------------------------------------------

EXECUTION_CALLS: dict[str, Callable[..., Any]] = {
    "signal": lambda **kw: pyflow.signal_workflow(signal_name="S", **kw),
    "signal_run": lambda **kw: pyflow.signal_workflow(signal_name="S", run_id="r", **kw),
    "cancel": lambda **kw: pyflow.cancel_workflow(**kw),
    "cancel_run": lambda **kw: pyflow.cancel_workflow(run_id="r", **kw),
    "get_outcome": lambda **kw: pyflow.get_outcome(**kw),
    "get_outcome_run": lambda **kw: pyflow.get_outcome(run_id="r", **kw),
    "wait_for_outcome": lambda **kw: pyflow.wait_for_outcome(timeout=1, **kw),
    "wait_for_outcome_run": lambda **kw: pyflow.wait_for_outcome(run_id="r", timeout=1, **kw),
}


# moto does not implement RequestCancelWorkflowExecution; pyflow.local does.
BACKEND_CALLS = [
    (backend, call)
    for backend in ("local", "moto")
    for call in sorted(EXECUTION_CALLS)
    if not (backend == "moto" and call.startswith("cancel"))
]


@pytest.fixture
def local_swf() -> Iterator[Any]:
    with LocalSWF() as engine:
        client = engine.client()
        pyflow.ensure_domain_registered(DOMAIN, client=client)
        yield client


@pytest.mark.parametrize(("backend", "call"), BACKEND_CALLS)
def test_execution_calls_in_an_unknown_domain_say_how_to_create_it(
    request: pytest.FixtureRequest, backend: str, call: str
) -> None:
    client = request.getfixturevalue(f"{backend}_swf")
    with pytest.raises(pyflow.UnknownDomainError, match=r"ensure_domain_registered\('nope'\)"):
        EXECUTION_CALLS[call](domain="nope", workflow_id="w", client=client)


@pytest.mark.parametrize(("backend", "call"), BACKEND_CALLS)
def test_execution_calls_in_a_known_domain_still_report_an_unknown_execution(
    request: pytest.FixtureRequest, backend: str, call: str
) -> None:
    client = request.getfixturevalue(f"{backend}_swf")
    with pytest.raises(pyflow.UnknownExecutionError, match="'ghost'"):
        EXECUTION_CALLS[call](domain=DOMAIN, workflow_id="ghost", client=client)


# -- starting under retries ---------------------------------------------------------------


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body.read()


def _lose_first_start_answer(client: Any) -> list[int]:
    """Make SWF's answer to the first StartWorkflowExecution look like throttling, although
    SWF processed it: every before-send handler runs, so the engine (moto) still starts the
    execution, but botocore takes the first answer, this one. Retry without a real delay."""
    attempts: list[int] = []

    def throttle_first(request: Any, **kwargs: Any) -> AWSResponse | None:
        attempts.append(len(attempts) + 1)
        if len(attempts) > 1:
            return None
        body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})
        headers = {"x-amzn-RequestId": "lost", "Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, 400, headers, _Raw(body.encode()))  # type: ignore[arg-type]

    def retry_at_once(response: Any, **kwargs: Any) -> float | None:
        error = response[1].get("Error", {}) if response else {}
        return 0.0 if error.get("Code") == "ThrottlingException" else None

    events = client.meta.events
    events.register_first("before-send.swf.StartWorkflowExecution", throttle_first)
    events.register_first("needs-retry.swf.StartWorkflowExecution", retry_at_once)
    return attempts


@pytest.fixture
def registered(moto_swf: Any) -> Any:
    pyflow.ensure_workflow_registered(pyflow.Workflow("Greeter", "1"), domain=DOMAIN,
                                      task_list="deciders", client=moto_swf)
    return moto_swf


def test_a_start_retried_after_swf_processed_it_returns_the_generated_id(
    registered: Any,
) -> None:
    attempts = _lose_first_start_answer(registered)
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1", client=registered
    )
    assert attempts == [1, 2]
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=registered)
    assert outcome.status == "OPEN"
    assert workflow_id.startswith("Greeter-")


def test_a_retried_start_with_the_callers_id_still_reports_the_clash(registered: Any) -> None:
    attempts = _lose_first_start_answer(registered)
    with pytest.raises(pyflow.WorkflowAlreadyStartedError, match="'mine'"):
        pyflow.start_workflow(
            domain=DOMAIN, workflow_name="Greeter", workflow_version="1", workflow_id="mine",
            client=registered,
        )
    assert attempts == [1, 2]


# -- a parent workflow id reused while an abandoned child is still open ---------------------


def test_a_reused_parent_id_starts_its_child_while_the_old_runs_child_is_open() -> None:
    child = pyflow.Workflow("Waiter", "1")
    child.add(pyflow.SignalTask(name="Go"))  # stays open: nobody signals it
    parent = pyflow.Workflow("Parent", "1")
    parent.add(pyflow.WorkflowTask(name="Kid", workflow=child))
    with LocalSWF(virtual_time=False, poll_timeout=0.2) as engine:
        client = engine.client()
        pyflow.ensure_domain_registered("d", client=client)
        pyflow.ensure_workflow_registered(parent, domain="d", client=client)

        def decide_until(done: Callable[[], bool]) -> None:
            pyflow.poll_for_executions(
                parent, domain="d", num_iterations=20, client=client, should_stop=done
            )
            assert done()

        def kid(run_id: str) -> Any:
            outcome = pyflow.get_outcome(
                domain="d", workflow_id="order", run_id=run_id, workflow=parent, client=client
            )
            return outcome.tasks["Kid"]

        pyflow.start_workflow(
            domain="d", workflow_name="Parent", workflow_version="1", workflow_id="order",
            client=client,
        )
        first_run = pyflow.get_outcome(domain="d", workflow_id="order", client=client).run_id
        decide_until(lambda: kid(first_run).state == "running")
        client.terminate_workflow_execution(domain="d", workflowId="order", childPolicy="ABANDON")
        pyflow.start_workflow(
            domain="d", workflow_name="Parent", workflow_version="1", workflow_id="order",
            client=client,
        )
        second_run = pyflow.get_outcome(domain="d", workflow_id="order", client=client).run_id
        decide_until(lambda: kid(second_run).state in ("running", "failed"))
        assert kid(second_run).state == "running", kid(second_run).last_error
        open_ids = {
            info["execution"]["workflowId"]
            for info in client.list_open_workflow_executions(
                domain="d", startTimeFilter={"oldestDate": 0}
            )["executionInfos"]
        }
    assert len({i for i in open_ids if i.startswith("order#Kid#1")}) == 2
