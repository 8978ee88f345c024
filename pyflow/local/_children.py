"""What one execution does to another: child close events in the parent, the parent's
child policy applied to its open children, and cancel requests and signals."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._model import JSON, Execution

if TYPE_CHECKING:
    from ._core import Core

_CHILD_EVENTS = {
    "COMPLETED": ("ChildWorkflowExecutionCompleted", ("result",)),
    "FAILED": ("ChildWorkflowExecutionFailed", ("reason", "details")),
    "CANCELED": ("ChildWorkflowExecutionCanceled", ("details",)),
    "TIMED_OUT": ("ChildWorkflowExecutionTimedOut", ("timeoutType",)),
    "TERMINATED": ("ChildWorkflowExecutionTerminated", ()),
}


def on_close(core: Core, ex: Execution, status: str, attrs: JSON, policy: str) -> None:
    """Tell the parent that `ex` closed and apply `policy` to `ex`'s open children.

    Continue-as-new is neither: the new run stays the parent's child, and the children of
    the old run are left running (SWF does not document this case).
    """
    if status == "CONTINUED_AS_NEW":
        return
    if ex.parent is not None:
        _notify_parent(core, ex, status, attrs)
    children = [rec.execution for rec in ex.children.values() if rec.execution is not None]
    ex.children.clear()
    for child in children:
        if child.is_open:
            apply_policy(core, ex, child, policy)


def _notify_parent(core: Core, ex: Execution, status: str, attrs: JSON) -> None:
    assert ex.parent is not None
    parent, initiated_id = ex.parent
    rec = parent.children.get(initiated_id)
    if not parent.is_open or rec is None:
        return
    del parent.children[initiated_id]
    event_type, keys = _CHILD_EVENTS[status]
    core.add_event(parent, event_type, {
        "workflowExecution": ex.ref, "workflowType": ex.workflow_type,
        **{k: attrs.get(k) for k in keys},
        "initiatedEventId": initiated_id, "startedEventId": rec.started_id,
    })
    core.trigger(parent)


def apply_policy(core: Core, parent: Execution, child: Execution, policy: str) -> None:
    if policy == "TERMINATE":
        core.close(child, "TERMINATED", "WorkflowExecutionTerminated",
                   {"childPolicy": child.child_policy, "cause": "CHILD_POLICY_APPLIED"})
    elif policy == "REQUEST_CANCEL":
        request_cancel(core, child, cause="CHILD_POLICY_APPLIED", external=parent.ref)


def request_cancel(core: Core, target: Execution, *, cause: str | None = None,
                   external: JSON | None = None, external_initiated: int | None = None) -> None:
    core.add_event(target, "WorkflowExecutionCancelRequested", {
        "externalWorkflowExecution": external, "externalInitiatedEventId": external_initiated,
        "cause": cause,
    })
    target.cancel_requested = True
    core.trigger(target)


def signal(core: Core, target: Execution, name: str, input: str | None, *,
           external: JSON | None = None, external_initiated: int | None = None) -> None:
    core.add_event(target, "WorkflowExecutionSignaled", {
        "signalName": name, "input": input, "externalWorkflowExecution": external,
        "externalInitiatedEventId": external_initiated,
    })
    core.trigger(target)
