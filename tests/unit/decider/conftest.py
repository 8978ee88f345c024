"""A small SWF history simulator for decider tests.

`Swf` appends events exactly as SWF records them (attribute names from the service model,
increasing eventIds, datetime timestamps), applies a decider's decisions the way SWF does,
and offers one method per thing that can happen to open work (a Lambda completing, a timer
firing, a signal arriving...). Tests use it through the `swf` fixture.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

PARENT_ID = "order-17"
RUN_ID = "run-1"
RUN_SUFFIX = "#" + hashlib.sha256(RUN_ID.encode()).hexdigest()[:8]
"""What child workflow ids of this run end with."""
ROLE = "arn:aws:iam::123456789012:role/swf-lambda"
T0 = datetime(2026, 1, 1, tzinfo=UTC)

_ECHOED = {  # decisions SWF records as one event with the same attributes
    "RequestCancelExternalWorkflowExecution": "RequestCancelExternalWorkflowExecutionInitiated",
    "RecordMarker": "MarkerRecorded",
}
_CLOSE = {
    "CompleteWorkflowExecution": "WorkflowExecutionCompleted",
    "FailWorkflowExecution": "WorkflowExecutionFailed",
    "CancelWorkflowExecution": "WorkflowExecutionCanceled",
}


def attrs_key(event_type: str) -> str:
    return event_type[0].lower() + event_type[1:] + "EventAttributes"


def decision_attrs(decision: dict[str, Any]) -> dict[str, Any]:
    kind = decision["decisionType"]
    value: dict[str, Any] = decision[kind[0].lower() + kind[1:] + "DecisionAttributes"]
    return value


class Swf:
    """One execution's history and the work SWF holds open for it."""

    def __init__(
        self,
        input: str | None = None,
        *,
        lambda_role: str | None = ROLE,
        decision_task: bool = True,
    ) -> None:
        self.events: list[dict[str, Any]] = []
        self.execution = {"workflowId": PARENT_ID, "runId": RUN_ID}
        self.lambdas: dict[str, int] = {}  # Lambda id -> LambdaFunctionScheduled id
        self.activities: dict[str, int] = {}  # activityId -> ActivityTaskScheduled id
        self.timers: dict[str, int] = {}  # timerId -> TimerStarted id
        self.children: dict[str, int] = {}  # child workflowId -> Initiated id
        self.started: dict[int, int] = {}  # scheduled/initiated id -> started id
        self.child_runs: dict[str, str] = {}
        self.closed: str | None = None
        self._decision_scheduled = 0
        self._decision_started = 0
        started: dict[str, Any] = {
            "childPolicy": "TERMINATE",
            "taskList": {"name": "decider"},
            "workflowType": {"name": "W", "version": "1"},
            "executionStartToCloseTimeout": "86400",
            "taskStartToCloseTimeout": "60",
        }
        if input is not None:
            started["input"] = input
        if lambda_role is not None:
            started["lambdaRole"] = lambda_role
        self.add("WorkflowExecutionStarted", **started)
        if decision_task:
            self.decision_task()

    # -- raw events -----------------------------------------------------------------------

    def add(self, event_type: str, **attrs: Any) -> int:
        event_id = len(self.events) + 1
        self.events.append(
            {
                "eventId": event_id,
                "eventType": event_type,
                "eventTimestamp": T0 + timedelta(seconds=event_id),
                attrs_key(event_type): attrs,
            }
        )
        return event_id

    def decision_task(self) -> None:
        self._decision_scheduled = self.add(
            "DecisionTaskScheduled", taskList={"name": "decider"}, startToCloseTimeout="60"
        )
        self._decision_started = self.add(
            "DecisionTaskStarted", scheduledEventId=self._decision_scheduled, identity="test"
        )

    # -- applying decisions ---------------------------------------------------------------

    def respond(
        self, decisions: Iterable[dict[str, Any]], *, reject: dict[str, str] | None = None
    ) -> None:
        """Record a DecisionTaskCompleted and the events of each decision; `reject` maps an
        id (Lambda id, activityId, timerId, child workflowId) to the cause SWF refuses with."""
        reject = reject or {}
        done = self.add(
            "DecisionTaskCompleted",
            scheduledEventId=self._decision_scheduled,
            startedEventId=self._decision_started,
        )
        for decision in decisions:
            self._apply(decision, done, reject)

    def _apply(self, decision: dict[str, Any], done: int, reject: dict[str, str]) -> None:
        kind = decision["decisionType"]
        a = dict(decision_attrs(decision))
        dtc = {"decisionTaskCompletedEventId": done}
        if kind == "ScheduleLambdaFunction":
            if a["id"] in reject:
                self.add("ScheduleLambdaFunctionFailed", id=a["id"], name=a["name"],
                         cause=reject[a["id"]], **dtc)
                return
            self.lambdas[a["id"]] = self.add("LambdaFunctionScheduled", **a, **dtc)
        elif kind == "ScheduleActivityTask":
            if a["activityId"] in reject:
                self.add("ScheduleActivityTaskFailed", activityId=a["activityId"],
                         activityType=a["activityType"], cause=reject[a["activityId"]], **dtc)
                return
            a.setdefault("taskList", {"name": "default"})
            self.activities[a["activityId"]] = self.add("ActivityTaskScheduled", **a, **dtc)
        elif kind == "StartTimer":
            if a["timerId"] in reject:
                self.add("StartTimerFailed", timerId=a["timerId"], cause=reject[a["timerId"]],
                         **dtc)
                return
            self.timers[a["timerId"]] = self.add("TimerStarted", **a, **dtc)
        elif kind == "StartChildWorkflowExecution":
            self._start_child(a, dtc, reject)
        elif kind == "CancelTimer":
            started = self.timers.pop(a["timerId"])
            self.add("TimerCanceled", timerId=a["timerId"], startedEventId=started, **dtc)
        elif kind == "RequestCancelActivityTask":
            self.add("ActivityTaskCancelRequested", activityId=a["activityId"], **dtc)
        elif kind in _ECHOED:
            self.add(_ECHOED[kind], **a, **dtc)
        elif kind in _CLOSE:
            self.add(_CLOSE[kind], **a, **dtc)
            self.closed = _CLOSE[kind]
        else:
            raise AssertionError(f"unexpected decision {kind}")

    def _start_child(self, a: dict[str, Any], dtc: dict[str, int], reject: dict[str, str]) -> None:
        workflow_id = a["workflowId"]
        if workflow_id in reject:
            self.add("StartChildWorkflowExecutionFailed", workflowId=workflow_id,
                     workflowType=a["workflowType"], cause=reject[workflow_id],
                     initiatedEventId=0, control=a.get("control"), **dtc)
            return
        a.setdefault("taskList", {"name": "child-decider"})
        a.setdefault("childPolicy", "TERMINATE")
        self.children[workflow_id] = self.add("StartChildWorkflowExecutionInitiated", **a, **dtc)

    # -- Lambda functions -----------------------------------------------------------------

    def lambda_started(self, lambda_id: str) -> int:
        sched = self.lambdas[lambda_id]
        self.started[sched] = self.add("LambdaFunctionStarted", scheduledEventId=sched)
        return sched

    def lambda_completed(
        self, lambda_id: str, result: Any = None, *, raw: str | None = None
    ) -> None:
        sched = self._lambda_closing(lambda_id)
        text = raw if raw is not None else json.dumps(result)
        self.add("LambdaFunctionCompleted", scheduledEventId=sched,
                 startedEventId=self.started[sched], result=text)

    def lambda_failed(self, lambda_id: str, reason: str = "UnhandledError",
                      details: str | None = '{"errorMessage": "boom"}') -> None:
        sched = self._lambda_closing(lambda_id)
        extra = {"details": details} if details is not None else {}
        self.add("LambdaFunctionFailed", scheduledEventId=sched,
                 startedEventId=self.started[sched], reason=reason, **extra)

    def lambda_timed_out(self, lambda_id: str) -> None:
        sched = self._lambda_closing(lambda_id)
        self.add("LambdaFunctionTimedOut", scheduledEventId=sched,
                 startedEventId=self.started[sched], timeoutType="START_TO_CLOSE")

    def start_lambda_failed(self, lambda_id: str) -> None:
        sched = self.lambdas.pop(lambda_id)
        self.add("StartLambdaFunctionFailed", scheduledEventId=sched, cause="ASSUME_ROLE_FAILED",
                 message="No IAM role is attached to the current workflow execution.")

    def _lambda_closing(self, lambda_id: str) -> int:
        sched = self.lambdas[lambda_id]
        if sched not in self.started:
            self.lambda_started(lambda_id)
        del self.lambdas[lambda_id]
        return sched

    # -- activities -----------------------------------------------------------------------

    def activity_started(self, activity_id: str) -> int:
        sched = self.activities[activity_id]
        self.started[sched] = self.add("ActivityTaskStarted", scheduledEventId=sched,
                                       identity="worker")
        return sched

    def _activity_closing(self, activity_id: str, *, start: bool = True) -> tuple[int, int]:
        sched = self.activities[activity_id]
        if start and sched not in self.started:
            self.activity_started(activity_id)
        del self.activities[activity_id]
        return sched, self.started.get(sched, 0)

    def activity_completed(self, activity_id: str, result: Any = None) -> None:
        sched, started = self._activity_closing(activity_id)
        self.add("ActivityTaskCompleted", scheduledEventId=sched, startedEventId=started,
                 result=json.dumps(result))

    def activity_failed(self, activity_id: str, reason: str = "ValueError",
                        details: str = "Traceback...") -> None:
        sched, started = self._activity_closing(activity_id)
        self.add("ActivityTaskFailed", scheduledEventId=sched, startedEventId=started,
                 reason=reason, details=details)

    def activity_timed_out(self, activity_id: str, timeout_type: str = "START_TO_CLOSE") -> None:
        start = timeout_type not in ("SCHEDULE_TO_START",)
        sched, started = self._activity_closing(activity_id, start=start)
        self.add("ActivityTaskTimedOut", scheduledEventId=sched, startedEventId=started,
                 timeoutType=timeout_type)

    def activity_canceled(self, activity_id: str) -> None:
        sched, started = self._activity_closing(activity_id)
        self.add("ActivityTaskCanceled", scheduledEventId=sched, startedEventId=started,
                 details="stopped")

    # -- timers, signals, cancel ----------------------------------------------------------

    def timer_fired(self, timer_id: str) -> None:
        started = self.timers.pop(timer_id)
        self.add("TimerFired", timerId=timer_id, startedEventId=started)

    def signal(self, name: str, input: str | None = None) -> None:
        extra = {"input": input} if input is not None else {}
        self.add("WorkflowExecutionSignaled", signalName=name, **extra)

    def cancel_request(self) -> None:
        self.add("WorkflowExecutionCancelRequested")

    # -- child workflows ------------------------------------------------------------------

    def child_started(self, workflow_id: str) -> None:
        initiated = self.children[workflow_id]
        run_id = f"child-run-{initiated}"
        self.child_runs[workflow_id] = run_id
        self.started[initiated] = self.add(
            "ChildWorkflowExecutionStarted",
            workflowExecution={"workflowId": workflow_id, "runId": run_id},
            workflowType=self._child_type(initiated), initiatedEventId=initiated,
        )

    def _child_type(self, initiated: int) -> Any:
        return self.events[initiated - 1][attrs_key("StartChildWorkflowExecutionInitiated")][
            "workflowType"
        ]

    def child_closed(self, workflow_id: str, event_type: str, **attrs: Any) -> None:
        """`event_type`: ChildWorkflowExecution{Completed,Failed,TimedOut,Canceled,Terminated}."""
        initiated = self.children[workflow_id]
        if initiated not in self.started:
            self.child_started(workflow_id)
        del self.children[workflow_id]
        self.add(
            event_type,
            workflowExecution={"workflowId": workflow_id, "runId": self.child_runs[workflow_id]},
            workflowType=self._child_type(initiated), initiatedEventId=initiated,
            startedEventId=self.started[initiated], **attrs,
        )

    def start_child_failed(self, workflow_id: str, cause: str = "WORKFLOW_ALREADY_RUNNING") -> None:
        """A start failure recorded after the Initiated event (SWF's runtime refusal)."""
        initiated = self.children.pop(workflow_id)
        attrs = self.events[initiated - 1][attrs_key("StartChildWorkflowExecutionInitiated")]
        self.add("StartChildWorkflowExecutionFailed", workflowId=workflow_id,
                 workflowType=attrs["workflowType"], cause=cause, initiatedEventId=initiated,
                 control=attrs.get("control"), decisionTaskCompletedEventId=0)


@pytest.fixture
def swf() -> Callable[..., Swf]:
    """A factory for simulated executions: `swf(input='"World"')`."""
    return Swf
