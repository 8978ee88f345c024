"""The child workflow events of the history pass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._workflow._retry import CANCELED, CHILD_FAILED, TERMINATED, TIMEOUT
from ._ids import Ref, parse_child_id, parse_control
from ._pass import Event, Pass, event_id, text_id
from ._records import TaskError, refused


class ChildEvents(Pass):
    def _child_ref(self, attrs: Mapping[str, Any]) -> Ref | None:
        ref = parse_control(attrs.get("control"))
        if ref is not None:
            return ref
        return parse_child_id(attrs.get("workflowId"), self.parent_id, self.run_id)

    def on_child_initiated(self, attrs: Mapping[str, Any], event: Event) -> None:
        workflow_id = text_id(attrs, "workflowId")
        ref = self._child_ref(attrs)
        what = f"child workflowId {attrs.get('workflowId')!r}"
        rec = self._record(ref, "workflow", event, what, attrs)
        if rec is None or ref is None:
            return
        number = event["eventId"]
        self.open_children[number] = [workflow_id, None]
        self.initiated[number] = (rec, ref.attempt)
        self._issue(rec, ref.attempt, event, "scheduled")

    def on_start_child_failed(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = event_id(attrs.get("initiatedEventId"))
        self.open_children.pop(initiated, None)
        entry = self.initiated.pop(initiated, None)
        ref = self._child_ref(attrs)
        what = f"child workflowId {attrs.get('workflowId')!r}"
        rec = self._record(ref, "workflow", event, what, attrs)
        if rec is None or ref is None:
            return
        if entry is None and not self._issue(rec, ref.attempt, event, "scheduled"):
            return
        if entry is not None and self._current(entry) is None:
            return
        cause = str(attrs.get("cause"))
        error = TaskError(f"StartChildWorkflowExecution failed: {cause}", None, refused(cause))
        self.fail_attempt(rec, error, event, cause=cause)

    def on_child_started(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = event_id(attrs.get("initiatedEventId"))
        child = self.open_children.get(initiated)
        execution = attrs.get("workflowExecution")
        if child is not None and isinstance(execution, Mapping):
            run_id = execution.get("runId")
            child[1] = run_id if isinstance(run_id, str) and run_id else None
        rec = self._linked(self.initiated, initiated, event, remove=False)
        if rec is not None:
            self.move(rec, "running", event)

    def on_child_closed(self, attrs: Mapping[str, Any], event: Event) -> None:
        initiated = event_id(attrs.get("initiatedEventId"))
        child = self.open_children.pop(initiated, None)
        if child is not None:
            self.cancel_requested_children.discard(str(child[0]))
        rec = self._linked(self.initiated, initiated, event)
        if rec is None:
            return
        event_type = event["eventType"]
        if event_type == "ChildWorkflowExecutionCompleted":
            self.complete(rec, attrs.get("result"), event)
            return
        if event_type == "ChildWorkflowExecutionFailed":
            reason = str(attrs.get("reason") or "child workflow failed")
            error = TaskError(
                f"child workflow failed: {reason}", attrs.get("details"), (CHILD_FAILED,)
            )
        elif event_type == "ChildWorkflowExecutionTimedOut":
            timeout = attrs.get("timeoutType", "START_TO_CLOSE")
            error = TaskError(f"child workflow timed out ({timeout})", None, (TIMEOUT,))
        elif event_type == "ChildWorkflowExecutionCanceled":
            error = TaskError("child workflow canceled", attrs.get("details"), (CANCELED,))
        else:
            error = TaskError("child workflow terminated", None, (TERMINATED,))
        self.fail_attempt(rec, error, event)

    def on_cancel_child_initiated(self, attrs: Mapping[str, Any], event: Event) -> None:
        self.cancel_requested_children.add(str(attrs.get("workflowId")))
