"""Decisions that reach other executions: child workflows, external signals and cancel
requests, and continue-as-new. Their effects land after the decision batch, as in SWF,
where they happen asynchronously."""

from __future__ import annotations

from . import _children
from ._core import Core, new_id, resolve_config
from ._model import JSON, ChildRec, Execution, TypeRec

MAX_OPEN_CHILDREN = 1000
_MISSING_CAUSE = {
    "taskList": "DEFAULT_TASK_LIST_UNDEFINED",
    "executionStartToCloseTimeout": "DEFAULT_EXECUTION_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    "taskStartToCloseTimeout": "DEFAULT_TASK_START_TO_CLOSE_TIMEOUT_UNDEFINED",
    "childPolicy": "DEFAULT_CHILD_POLICY_UNDEFINED",
}


def _type_problem(rec: TypeRec | None) -> str | None:
    if rec is None:
        return "WORKFLOW_TYPE_DOES_NOT_EXIST"
    return "WORKFLOW_TYPE_DEPRECATED" if rec.status == "DEPRECATED" else None


def start_child(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    ref = a["workflowType"]
    rec = ex.domain.workflow_types.get((ref["name"], ref["version"]))
    cause = _type_problem(rec)
    config: JSON = {}
    if rec is not None and cause is None:
        config, missing = resolve_config(rec, a)
        cause = _MISSING_CAUSE[missing] if missing else None
    if cause is None and len(ex.children) >= MAX_OPEN_CHILDREN:
        cause = "OPEN_CHILDREN_LIMIT_EXCEEDED"
    if cause is not None:
        _child_failed(core, ex, a, cause, 0, completed)
        return
    assert rec is not None
    initiated = core.add_event(ex, "StartChildWorkflowExecutionInitiated", {
        "workflowId": a["workflowId"], "workflowType": ref, "control": a.get("control"),
        "input": a.get("input"), **config, "tagList": a.get("tagList"),
        "decisionTaskCompletedEventId": completed,
    })
    child = ChildRec(workflow_id=a["workflowId"], workflow_type=ref, initiated_id=initiated)
    ex.children[initiated] = child
    core.post_batch.append(lambda: _launch(core, ex, child, rec, config, a, completed))


def _launch(core: Core, ex: Execution, child: ChildRec, rec: TypeRec, config: JSON, a: JSON,
            completed: int) -> None:
    if not ex.is_open or ex.children.get(child.initiated_id) is not child:
        return
    if a["workflowId"] in ex.domain.open_by_id:
        del ex.children[child.initiated_id]
        _child_failed(core, ex, a, "WORKFLOW_ALREADY_RUNNING", child.initiated_id, completed)
        return
    run = core.start_execution(ex.domain, rec, a["workflowId"], config, input=a.get("input"),
                               tags=a.get("tagList"), parent=(ex, child.initiated_id))
    child.execution = run
    child.started_id = core.add_event(ex, "ChildWorkflowExecutionStarted", {
        "workflowExecution": run.ref, "workflowType": run.workflow_type,
        "initiatedEventId": child.initiated_id})
    core.trigger(ex)


def _child_failed(core: Core, ex: Execution, a: JSON, cause: str, initiated: int,
                  completed: int) -> None:
    core.add_event(ex, "StartChildWorkflowExecutionFailed", {
        "workflowType": a["workflowType"], "cause": cause, "workflowId": a["workflowId"],
        "initiatedEventId": initiated, "decisionTaskCompletedEventId": completed,
        "control": a.get("control")})
    core.trigger(ex)


def _target(core: Core, ex: Execution, a: JSON) -> Execution | None:
    dom = ex.domain
    run_id = a.get("runId")
    if run_id is None:
        return dom.open_by_id.get(a["workflowId"])
    return next((e for e in dom.executions if e.run_id == run_id and e.is_open
                 and e.workflow_id == a["workflowId"]), None)


def signal_external(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    initiated = core.add_event(ex, "SignalExternalWorkflowExecutionInitiated", {
        "workflowId": a["workflowId"], "runId": a.get("runId"), "signalName": a["signalName"],
        "input": a.get("input"), "decisionTaskCompletedEventId": completed,
        "control": a.get("control")})

    def deliver() -> None:
        target = _target(core, ex, a)
        if target is not None:
            _children.signal(core, target, a["signalName"], a.get("input"), external=ex.ref,
                             external_initiated=initiated)
        _report(core, ex, a, target, initiated, completed, "SignalExternalWorkflowExecution",
                "ExternalWorkflowExecutionSignaled")

    core.post_batch.append(deliver)


def request_cancel_external(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    initiated = core.add_event(ex, "RequestCancelExternalWorkflowExecutionInitiated", {
        "workflowId": a["workflowId"], "runId": a.get("runId"),
        "decisionTaskCompletedEventId": completed, "control": a.get("control")})

    def deliver() -> None:
        target = _target(core, ex, a)
        if target is not None:
            _children.request_cancel(core, target, external=ex.ref, external_initiated=initiated)
        _report(core, ex, a, target, initiated, completed,
                "RequestCancelExternalWorkflowExecution",
                "ExternalWorkflowExecutionCancelRequested")

    core.post_batch.append(deliver)


def _report(core: Core, ex: Execution, a: JSON, target: Execution | None, initiated: int,
            completed: int, decision: str, success_type: str) -> None:
    if not ex.is_open:
        return
    if target is None:
        core.add_event(ex, decision + "Failed", {
            "workflowId": a["workflowId"], "runId": a.get("runId"),
            "cause": "UNKNOWN_EXTERNAL_WORKFLOW_EXECUTION", "initiatedEventId": initiated,
            "decisionTaskCompletedEventId": completed, "control": a.get("control")})
    else:
        core.add_event(ex, success_type, {"workflowExecution": target.ref,
                                          "initiatedEventId": initiated})
    core.trigger(ex)


def continue_as_new(core: Core, ex: Execution, a: JSON, completed: int) -> None:
    version = a.get("workflowTypeVersion") or ex.workflow_type["version"]
    rec = ex.domain.workflow_types.get((ex.workflow_type["name"], version))
    cause = _type_problem(rec)
    config: JSON = {}
    if rec is not None and cause is None:
        config, missing = resolve_config(rec, a)
        cause = _MISSING_CAUSE[missing] if missing else None
    if cause is not None:
        core.add_event(ex, "ContinueAsNewWorkflowExecutionFailed",
                       {"cause": cause, "decisionTaskCompletedEventId": completed})
        core.trigger(ex)
        return
    assert rec is not None
    run_id = new_id()
    core.close(ex, "CONTINUED_AS_NEW", "WorkflowExecutionContinuedAsNew", {
        "input": a.get("input"), "decisionTaskCompletedEventId": completed,
        "newExecutionRunId": run_id, **config, "tagList": a.get("tagList"),
        "workflowType": {"name": rec.name, "version": rec.version}})
    run = core.start_execution(ex.domain, rec, ex.workflow_id, config, input=a.get("input"),
                               tags=a.get("tagList"), parent=ex.parent,
                               continued_from=ex.run_id, run_id=run_id)
    if ex.parent is not None:
        link = ex.parent[0].children.get(ex.parent[1])
        if link is not None:
            link.execution = run
            core.dirty.add(ex.parent[0])  # no event in the parent records the new run
