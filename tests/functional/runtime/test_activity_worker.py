from __future__ import annotations

import json
import threading
from typing import Any

import pytest

import pyflow

from .conftest import DOMAIN

TASK_LIST = "workers"


@pyflow.activity(name="shout", version="1", task_list=TASK_LIST, heartbeat_timeout=60)
def shout(text: str) -> str:
    pyflow.activity_context().heartbeat({"progress": 50})
    return text.upper() + "!"


@pyflow.activity(name="explode", version="1", task_list=TASK_LIST)
def explode(value: Any) -> Any:
    raise ValueError(f"cannot handle {value!r}")


@pyflow.activity(name="unencodable", version="1", task_list=TASK_LIST)
def unencodable(value: Any) -> Any:
    return {1, 2}


@pyflow.activity(name="no_args", version="1", task_list=TASK_LIST)
def no_args() -> int:
    return 42


def _schedule(client: Any, activity: str, payload: str | None) -> None:
    """Start an execution and answer its first decision task by hand with one activity."""
    pyflow.ensure_workflow_registered(pyflow.Workflow("Hand", "1"), domain=DOMAIN,
                                      task_list="hand", client=client)
    for act in (shout, explode, unencodable, no_args):
        pyflow.ensure_activity_registered(act, domain=DOMAIN, client=client)
    pyflow.start_workflow(domain=DOMAIN, workflow_name="Hand", workflow_version="1",
                          workflow_id="hand", client=client)
    task = client.poll_for_decision_task(domain=DOMAIN, taskList={"name": "hand"})
    attributes: dict[str, Any] = {
        "activityType": {"name": activity, "version": "1"},
        "activityId": "a1",
        "taskList": {"name": TASK_LIST},
    }
    if payload is not None:
        attributes["input"] = payload
    client.respond_decision_task_completed(
        taskToken=task["taskToken"],
        decisions=[
            {"decisionType": "ScheduleActivityTask",
             "scheduleActivityTaskDecisionAttributes": attributes}
        ],
    )


def _activity_result(client: Any) -> dict[str, Any]:
    history = pyflow.get_outcome(domain=DOMAIN, workflow_id="hand", client=client).history
    closing = [e for e in history if e["eventType"].startswith("ActivityTask")][-1]
    key = closing["eventType"][0].lower() + closing["eventType"][1:] + "EventAttributes"
    return {"type": closing["eventType"], **closing[key]}


def _work(client: Any) -> None:
    pyflow.poll_for_activities(
        [shout, explode, unencodable, no_args], domain=DOMAIN, task_list=TASK_LIST,
        num_iterations=1, client=client,
    )


def test_activity_gets_decoded_input_and_returns_json(moto_swf: Any) -> None:
    _schedule(moto_swf, "shout", '"hi"')
    _work(moto_swf)
    result = _activity_result(moto_swf)
    assert result["type"] == "ActivityTaskCompleted"
    assert json.loads(result["result"]) == "HI!"


def test_non_json_input_reaches_the_activity_as_a_plain_string(moto_swf: Any) -> None:
    _schedule(moto_swf, "shout", "plain text")
    _work(moto_swf)
    assert json.loads(_activity_result(moto_swf)["result"]) == "PLAIN TEXT!"


def test_an_exception_is_reported_with_type_message_and_traceback(moto_swf: Any) -> None:
    _schedule(moto_swf, "explode", "[1, 2]")
    _work(moto_swf)
    result = _activity_result(moto_swf)
    assert result["type"] == "ActivityTaskFailed"
    assert result["reason"] == "ValueError"
    assert result["details"].startswith("ValueError: cannot handle [1, 2]")
    assert "Traceback (most recent call last)" in result["details"]
    assert "in explode" in result["details"]


def test_a_result_that_is_not_json_fails_the_task_clearly(moto_swf: Any) -> None:
    _schedule(moto_swf, "unencodable", None)
    _work(moto_swf)
    result = _activity_result(moto_swf)
    assert result["type"] == "ActivityTaskFailed"
    assert result["reason"] == "TypeError"
    assert "not JSON serializable" in result["details"]


def test_a_function_without_parameters_is_called_without_input(moto_swf: Any) -> None:
    _schedule(moto_swf, "no_args", None)
    _work(moto_swf)
    assert json.loads(_activity_result(moto_swf)["result"]) == 42


def test_an_activity_type_without_function_is_failed_not_dropped(moto_swf: Any) -> None:
    _schedule(moto_swf, "explode", None)
    pyflow.poll_for_activities(
        [shout], domain=DOMAIN, task_list=TASK_LIST, num_iterations=1, client=moto_swf
    )
    result = _activity_result(moto_swf)
    assert result["type"] == "ActivityTaskFailed"
    assert result["reason"] == "UnknownActivityType"
    assert "explode 1" in result["details"]


def test_the_worker_survives_an_activity_that_raises_base_errors(moto_swf: Any) -> None:
    @pyflow.activity(name="explode", version="1", task_list=TASK_LIST)
    def recursive(value: Any) -> Any:
        return recursive(value)

    _schedule(moto_swf, "explode", None)
    pyflow.poll_for_activities(
        [recursive], domain=DOMAIN, task_list=TASK_LIST, num_iterations=1, client=moto_swf
    )
    assert _activity_result(moto_swf)["reason"] == "RecursionError"


def test_activity_context_outside_an_activity_is_a_clear_error() -> None:
    with pytest.raises(pyflow.PyflowError, match="only available inside an activity"):
        pyflow.activity_context()


def test_context_exposes_the_task_ids(moto_swf: Any) -> None:
    seen: dict[str, str] = {}

    @pyflow.activity(name="shout", version="1", task_list=TASK_LIST)
    def spy(value: Any) -> None:
        ctx = pyflow.activity_context()
        seen.update(domain=ctx.domain, workflow_id=ctx.workflow_id,
                    activity_id=ctx.activity_id, name=ctx.activity_name)

    _schedule(moto_swf, "shout", None)
    pyflow.poll_for_activities(
        [spy], domain=DOMAIN, task_list=TASK_LIST, num_iterations=1, client=moto_swf
    )
    assert seen == {"domain": DOMAIN, "workflow_id": "hand", "activity_id": "a1", "name": "shout"}


def test_plain_functions_are_rejected_with_a_hint() -> None:
    with pytest.raises(TypeError, match="@pyflow.activity"):
        pyflow.poll_for_activities(
            [len], domain=DOMAIN, task_list=TASK_LIST, num_iterations=1  # type: ignore[list-item]
        )


def test_should_stop_is_checked_before_polling(moto_swf: Any) -> None:
    calls: list[int] = []
    polls: list[int] = []
    moto_swf.meta.events.register(
        "before-call.swf.PollForActivityTask", lambda **kw: polls.append(1)
    )
    pyflow.poll_for_activities(
        [shout], domain=DOMAIN, task_list=TASK_LIST, client=moto_swf,
        should_stop=lambda: calls.append(1) or True,
    )
    assert calls == [1]
    assert polls == []


def test_worker_in_a_thread_stops_when_asked(moto_swf: Any) -> None:
    _schedule(moto_swf, "shout", '"thread"')
    stop = threading.Event()
    worker = threading.Thread(
        target=pyflow.poll_for_activities,
        args=([shout],),
        kwargs=dict(domain=DOMAIN, task_list=TASK_LIST, client=moto_swf,
                    should_stop=stop.is_set),
    )
    worker.start()
    try:
        outcome = None
        for _ in range(200):
            outcome = _activity_result(moto_swf)
            if outcome["type"] == "ActivityTaskCompleted":
                break
            threading.Event().wait(0.01)
        assert outcome is not None and json.loads(outcome["result"]) == "THREAD!"
    finally:
        stop.set()
        worker.join(timeout=5)
    assert not worker.is_alive()
