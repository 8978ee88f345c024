"""Starting, signalling, cancelling and terminating executions from outside."""

from __future__ import annotations

from . import _children
from ._core import (
    Core,
    check_execution_timeout,
    fault_for_missing,
    resolve_config,
    workflow_type,
)
from ._faults import SWFFault
from ._model import JSON
from ._ops import operation

MAX_OPEN_EXECUTIONS = 100_000


@operation("StartWorkflowExecution")
def start_workflow_execution(core: Core, p: JSON) -> JSON:
    dom = core.domain(p["domain"])
    if dom.status == "DEPRECATED":
        raise SWFFault("OperationNotPermittedFault", f"Domain {dom.name} is deprecated")
    wtype = workflow_type(dom, p["workflowType"])
    if wtype.status == "DEPRECATED":
        raise SWFFault("TypeDeprecatedFault", f"WorkflowType=[name={wtype.name}, "
                       f"version={wtype.version}]")
    if p["workflowId"] in dom.open_by_id:
        raise SWFFault("WorkflowExecutionAlreadyStartedFault",
                       f"An open execution with workflowId {p['workflowId']} already exists")
    if len(dom.open_by_id) >= MAX_OPEN_EXECUTIONS:
        raise SWFFault("LimitExceededFault", "Too many open workflow executions")
    check_execution_timeout(p.get("executionStartToCloseTimeout"))
    config, missing = resolve_config(wtype, p)
    if missing:
        raise fault_for_missing(missing)
    check_execution_timeout(config["executionStartToCloseTimeout"])
    if len(p.get("tagList") or []) > 5:
        raise SWFFault("ValidationException", "tagList may hold at most 5 tags")
    ex = core.start_execution(dom, wtype, p["workflowId"], config, input=p.get("input"),
                              tags=p.get("tagList"))
    return {"runId": ex.run_id}


@operation("SignalWorkflowExecution")
def signal_workflow_execution(core: Core, p: JSON) -> JSON:
    ex = core.find_open(core.domain(p["domain"]), p["workflowId"], p.get("runId"))
    _children.signal(core, ex, p["signalName"], p.get("input"))
    return {}


@operation("RequestCancelWorkflowExecution")
def request_cancel_workflow_execution(core: Core, p: JSON) -> JSON:
    ex = core.find_open(core.domain(p["domain"]), p["workflowId"], p.get("runId"))
    _children.request_cancel(core, ex)
    return {}


@operation("TerminateWorkflowExecution")
def terminate_workflow_execution(core: Core, p: JSON) -> JSON:
    ex = core.find_open(core.domain(p["domain"]), p["workflowId"], p.get("runId"))
    policy = p.get("childPolicy") or ex.child_policy
    core.close(ex, "TERMINATED", "WorkflowExecutionTerminated", {
        "reason": p.get("reason"), "details": p.get("details"), "childPolicy": policy,
        "cause": "OPERATOR_INITIATED",
    }, child_policy=policy)
    return {}
