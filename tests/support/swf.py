"""Helpers shared by the embedded engine's tests (imported via the path set in conftest)."""

from __future__ import annotations

import functools
import json
from typing import Any

from pyflow.local import LocalSWF

DOMAIN = "test-domain"
ROLE = "arn:aws:iam::123456789012:role/swf-lambda"


def attrs(event: dict[str, Any]) -> dict[str, Any]:
    """The `...EventAttributes` member of a history event."""
    (key,) = [k for k in event if k.endswith("EventAttributes")]
    value: dict[str, Any] = event[key]
    return value


class Env:
    """Drives an engine through a real boto3 client, the way a decider and workers would."""

    def __init__(self, engine: LocalSWF) -> None:
        self.engine = engine
        self.client = engine.client()
        self.client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        self.register_workflow("wf")
        self.client.register_activity_type(
            domain=DOMAIN, name="act", version="1", defaultTaskList={"name": "workers"},
            defaultTaskScheduleToStartTimeout="300", defaultTaskScheduleToCloseTimeout="600",
            defaultTaskStartToCloseTimeout="300", defaultTaskHeartbeatTimeout="NONE")

    def register_workflow(self, name: str, **overrides: Any) -> None:
        defaults: dict[str, Any] = {
            "defaultTaskList": {"name": "decider"}, "defaultChildPolicy": "TERMINATE",
            "defaultExecutionStartToCloseTimeout": "86400",
            "defaultTaskStartToCloseTimeout": "60", **overrides}
        self.client.register_workflow_type(domain=DOMAIN, name=name, version="1", **defaults)

    def start(self, workflow_id: str = "w1", workflow: str = "wf", **kwargs: Any) -> str:
        kwargs.setdefault("lambdaRole", ROLE)
        run = self.client.start_workflow_execution(
            domain=DOMAIN, workflowId=workflow_id,
            workflowType={"name": workflow, "version": "1"}, **kwargs)
        return run["runId"]

    def poll(self, task_list: str = "decider", **kwargs: Any) -> dict[str, Any]:
        return dict(self.client.poll_for_decision_task(
            domain=DOMAIN, taskList={"name": task_list}, **kwargs))

    def decide(self, task: dict[str, Any], *decisions: dict[str, Any], **kwargs: Any) -> None:
        assert task.get("taskToken"), "expected a decision task, got an empty poll"
        self.client.respond_decision_task_completed(
            taskToken=task["taskToken"], decisions=list(decisions), **kwargs)

    def poll_activity(self, task_list: str = "workers") -> dict[str, Any]:
        return dict(self.client.poll_for_activity_task(domain=DOMAIN,
                                                       taskList={"name": task_list}))

    def history(self, workflow_id: str = "w1", run_id: str | None = None) -> list[dict[str, Any]]:
        run_id = run_id or self.run_id(workflow_id)
        pages = self.client.get_paginator("get_workflow_execution_history").paginate(
            domain=DOMAIN, execution={"workflowId": workflow_id, "runId": run_id})
        return [event for page in pages for event in page["events"]]

    def types(self, workflow_id: str = "w1", run_id: str | None = None) -> list[str]:
        return [e["eventType"] for e in self.history(workflow_id, run_id)]

    def run_id(self, workflow_id: str) -> str:
        infos = self.client.list_open_workflow_executions(
            domain=DOMAIN, startTimeFilter={"oldestDate": 0},
            executionFilter={"workflowId": workflow_id})["executionInfos"]
        if not infos:
            infos = self.client.list_closed_workflow_executions(
                domain=DOMAIN, startTimeFilter={"oldestDate": 0},
                executionFilter={"workflowId": workflow_id})["executionInfos"]
        run_id: str = infos[0]["execution"]["runId"]
        return run_id

    def describe(self, workflow_id: str = "w1", run_id: str | None = None) -> dict[str, Any]:
        return dict(self.client.describe_workflow_execution(
            domain=DOMAIN, execution={"workflowId": workflow_id,
                                      "runId": run_id or self.run_id(workflow_id)}))

    def status(self, workflow_id: str = "w1") -> str | None:
        info = self.describe(workflow_id)["executionInfo"]
        return info.get("closeStatus") or info["executionStatus"]


# decision builders ------------------------------------------------------------------------
def lambda_(id: str, name: str, input: Any = None, **extra: Any) -> dict[str, Any]:
    a: dict[str, Any] = {"id": id, "name": name, **extra}
    if input is not None:
        a["input"] = json.dumps(input)
    return {"decisionType": "ScheduleLambdaFunction", "scheduleLambdaFunctionDecisionAttributes": a}


def activity(id: str, input: str | None = None, **extra: Any) -> dict[str, Any]:
    a: dict[str, Any] = {"activityId": id, "activityType": {"name": "act", "version": "1"},
                         **extra}
    if input is not None:
        a["input"] = input
    return {"decisionType": "ScheduleActivityTask", "scheduleActivityTaskDecisionAttributes": a}


def timer(id: str, seconds: int) -> dict[str, Any]:
    return {"decisionType": "StartTimer",
            "startTimerDecisionAttributes": {"timerId": id, "startToFireTimeout": str(seconds)}}


def complete(result: str | None = None) -> dict[str, Any]:
    a = {} if result is None else {"result": result}
    return {"decisionType": "CompleteWorkflowExecution",
            "completeWorkflowExecutionDecisionAttributes": a}


def fail(reason: str, details: str | None = None) -> dict[str, Any]:
    a = {"reason": reason} if details is None else {"reason": reason, "details": details}
    return {"decisionType": "FailWorkflowExecution", "failWorkflowExecutionDecisionAttributes": a}


def decision(kind: str, **a: Any) -> dict[str, Any]:
    return {"decisionType": kind, kind[0].lower() + kind[1:] + "DecisionAttributes": a}


# fidelity: every response and event checked against botocore's SWF model -----------------
@functools.cache
def _model():  # type: ignore[no-untyped-def]
    import botocore.session

    return botocore.session.get_session().get_service_model("swf")


SEEN_EVENT_TYPES: set[str] = set()


def shape_problems(shape: Any, value: Any, path: str, *, required: bool = True) -> list[str]:
    """Where `value` (the engine's JSON) departs from the model's `shape`: unknown member
    names, missing required members, wrong JSON types, values outside an enum."""
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {value!r}"]
        problems = [f"{path}.{k}: not a member of {shape.name}"
                    for k in value if k not in shape.members]
        if required:
            problems += [f"{path}.{k}: required by {shape.name} but missing"
                         for k in shape.required_members if k not in value]
        for k, v in value.items():
            if k in shape.members:
                problems += shape_problems(shape.members[k], v, f"{path}.{k}",
                                           required=required)
        return problems
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        return [p for i, v in enumerate(value)
                for p in shape_problems(shape.member, v, f"{path}[{i}]", required=required)]
    expected = {"string": str, "integer": int, "long": int, "boolean": bool,
                "timestamp": (int, float)}[kind]
    if isinstance(value, bool) and kind != "boolean" or not isinstance(value, expected):
        return [f"{path}: expected {kind}, got {value!r}"]
    if kind == "string" and shape.enum and value not in shape.enum:
        return [f"{path}: {value!r} is not one of {shape.name}'s values"]
    return []


def event_problems(event: dict[str, Any]) -> list[str]:
    """Check one history event: a known type, exactly one attributes member named after
    it, and those attributes shaped as the model defines them."""
    model = _model()
    history_event = model.shape_for("HistoryEvent")
    event_type = event.get("eventType")
    if event_type not in model.shape_for("EventType").enum:
        return [f"unknown eventType {event_type!r}"]
    key = event_type[0].lower() + event_type[1:] + "EventAttributes"
    present = [k for k in event if k.endswith("EventAttributes")]
    if present != [key]:
        return [f"event {event.get('eventId')} ({event_type}) has attributes {present}, "
                f"expected exactly [{key!r}]"]
    return shape_problems(history_event, event, f"{event_type}#{event.get('eventId')}")


def output_problems(operation: str, result: dict[str, Any]) -> list[str]:
    shape = _model().operation_model(operation).output_shape
    if shape is None:
        return [] if not result else [f"{operation} has no output, got {result!r}"]
    empty_poll = operation.startswith("PollFor") and result.get("startedEventId") == 0
    return shape_problems(shape, result, operation, required=not empty_poll)


def check_engine_fidelity(engine: LocalSWF) -> None:
    """Assert that every event of every execution the engine holds matches the model."""
    problems: list[str] = []
    for domain in engine._core.domains.values():
        for execution in domain.executions:
            for event in execution.events:
                SEEN_EVENT_TYPES.add(event["eventType"])
                problems += event_problems(event)
    assert not problems, "events that botocore's SWF model would not accept:\n" + "\n".join(
        problems[:20])
