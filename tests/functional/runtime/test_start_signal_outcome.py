from __future__ import annotations

import json
import re
from typing import Any

import pytest

import pyflow

from .conftest import DOMAIN


@pytest.fixture
def registered(moto_swf: Any) -> Any:
    pyflow.ensure_workflow_registered(
        pyflow.Workflow("Greeter", "1.0"), domain=DOMAIN, task_list="deciders", client=moto_swf
    )
    return moto_swf


def _started_event(client: Any, workflow_id: str) -> dict[str, Any]:
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    first = outcome.history[0]
    assert first["eventType"] == "WorkflowExecutionStarted"
    return dict(first["workflowExecutionStartedEventAttributes"])


def test_start_returns_a_generated_unique_workflow_id(registered: Any) -> None:
    ids = {
        pyflow.start_workflow(
            domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", client=registered
        )
        for _ in range(2)
    }
    assert len(ids) == 2
    assert all(re.fullmatch(r"Greeter-[0-9a-f-]{36}", i) for i in ids)


def test_start_json_encodes_the_input_and_passes_options(registered: Any) -> None:
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN,
        workflow_name="Greeter",
        workflow_version="1.0",
        task_list="elsewhere",
        input={"name": "World"},
        workflow_id="greet-1",
        tags=["demo"],
        execution_timeout=120,
        client=registered,
    )
    assert workflow_id == "greet-1"
    started = _started_event(registered, workflow_id)
    assert json.loads(started["input"]) == {"name": "World"}
    assert started["taskList"] == {"name": "elsewhere"}
    assert started["executionStartToCloseTimeout"] == "120"


def test_a_plain_string_input_is_sent_as_json(registered: Any) -> None:
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", input="World",
        client=registered,
    )
    assert _started_event(registered, workflow_id)["input"] == '"World"'


def test_starting_an_open_workflow_id_again_is_a_clear_error(registered: Any) -> None:
    kwargs: dict[str, Any] = dict(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", workflow_id="same",
        client=registered,
    )
    pyflow.start_workflow(**kwargs)
    with pytest.raises(pyflow.WorkflowAlreadyStartedError, match="'same' is already open"):
        pyflow.start_workflow(**kwargs)


def test_starting_an_unregistered_type_says_how_to_register(registered: Any) -> None:
    with pytest.raises(pyflow.UnknownTypeError, match="ensure_workflow_registered"):
        pyflow.start_workflow(
            domain=DOMAIN, workflow_name="Nope", workflow_version="1.0", client=registered
        )


def test_starting_in_an_unknown_domain_is_a_clear_error(registered: Any) -> None:
    with pytest.raises(pyflow.UnknownDomainError, match="'elsewhere' does not exist"):
        pyflow.start_workflow(
            domain="elsewhere", workflow_name="Greeter", workflow_version="1.0",
            client=registered,
        )


def test_input_that_is_not_json_is_rejected_before_calling_swf(registered: Any) -> None:
    with pytest.raises(TypeError, match="workflow input must be a JSON value"):
        pyflow.start_workflow(
            domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", input={1, 2},
            client=registered,
        )


def test_an_invalid_workflow_id_is_rejected(registered: Any) -> None:
    with pytest.raises(pyflow.InvalidNameError, match="workflow_id"):
        pyflow.start_workflow(
            domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", workflow_id="a:b",
            client=registered,
        )


def test_signal_reaches_the_execution_as_json(registered: Any) -> None:
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", client=registered
    )
    pyflow.signal_workflow(
        domain=DOMAIN, workflow_id=workflow_id, signal_name="Approved", input={"ok": True},
        client=registered,
    )
    pyflow.signal_workflow(
        domain=DOMAIN, workflow_id=workflow_id, signal_name="Poke", client=registered
    )
    history = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=registered).history
    signals = [
        e["workflowExecutionSignaledEventAttributes"]
        for e in history
        if e["eventType"] == "WorkflowExecutionSignaled"
    ]
    assert [(s["signalName"], json.loads(s["input"])) for s in signals] == [
        ("Approved", {"ok": True}),
        ("Poke", None),
    ]


def test_signalling_an_unknown_execution_is_a_clear_error(registered: Any) -> None:
    with pytest.raises(pyflow.UnknownExecutionError, match="no open execution"):
        pyflow.signal_workflow(
            domain=DOMAIN, workflow_id="ghost", signal_name="S", client=registered
        )


def test_outcome_of_a_running_then_terminated_execution(registered: Any) -> None:
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", client=registered
    )
    running = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=registered)
    assert (running.status, running.is_open) == ("OPEN", True)
    registered.terminate_workflow_execution(
        domain=DOMAIN, workflowId=workflow_id, reason="operator", details="enough"
    )
    closed = pyflow.wait_for_outcome(
        domain=DOMAIN, workflow_id=workflow_id, timeout=5, client=registered
    )
    assert (closed.status, closed.reason, closed.details) == ("TERMINATED", "operator", "enough")
    assert closed.run_id == running.run_id


def test_outcome_of_an_unknown_workflow_id_is_a_clear_error(registered: Any) -> None:
    with pytest.raises(pyflow.UnknownExecutionError, match="'ghost'"):
        pyflow.get_outcome(domain=DOMAIN, workflow_id="ghost", client=registered)


def test_waiting_gives_up_after_the_timeout(registered: Any) -> None:
    workflow_id = pyflow.start_workflow(
        domain=DOMAIN, workflow_name="Greeter", workflow_version="1.0", client=registered
    )
    with pytest.raises(pyflow.OutcomeTimeoutError, match="still open"):
        pyflow.wait_for_outcome(
            domain=DOMAIN, workflow_id=workflow_id, timeout=0.1, client=registered
        )
