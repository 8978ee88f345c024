"""Reading executions: describe, history, and the list/count operations with their filters."""

from __future__ import annotations

from collections.abc import Callable

from ._core import Core, clean
from ._faults import invalid
from ._model import JSON, Execution
from ._ops import operation
from ._paging import page


def execution_info(ex: Execution) -> JSON:
    return clean({
        "execution": ex.ref, "workflowType": ex.workflow_type, "startTimestamp": ex.start_ts,
        "closeTimestamp": ex.close_ts, "executionStatus": "OPEN" if ex.is_open else "CLOSED",
        "closeStatus": ex.close_status, "parent": ex.parent[0].ref if ex.parent else None,
        "tagList": ex.tags or None, "cancelRequested": ex.cancel_requested,
    })


@operation("DescribeWorkflowExecution")
def describe_workflow_execution(core: Core, p: JSON) -> JSON:
    ref = p["execution"]
    ex = core.find_execution(core.domain(p["domain"]), ref["workflowId"], ref["runId"])
    return clean({
        "executionInfo": execution_info(ex),
        "executionConfiguration": clean({
            "taskStartToCloseTimeout": ex.task_timeout,
            "executionStartToCloseTimeout": ex.execution_timeout,
            "taskList": {"name": ex.task_list}, "taskPriority": ex.task_priority,
            "childPolicy": ex.child_policy, "lambdaRole": ex.lambda_role,
        }),
        "openCounts": {
            "openActivityTasks": len(ex.activities),
            "openDecisionTasks": 1 if ex.dt_scheduled is not None else 0,
            "openTimers": len(ex.timers),
            "openChildWorkflowExecutions": len(ex.children),
            "openLambdaFunctions": len(ex.lambdas),
        },
        "latestActivityTaskTimestamp": ex.latest_activity_ts,
        "latestExecutionContext": ex.latest_context,
    })


@operation("GetWorkflowExecutionHistory")
def get_workflow_execution_history(core: Core, p: JSON) -> JSON:
    ref = p["execution"]
    ex = core.find_execution(core.domain(p["domain"]), ref["workflowId"], ref["runId"])
    # The scope holds every argument but the token: SWF wants them unchanged between pages.
    scope = f"history:{ex.run_id}:{bool(p.get('reverseOrder'))}:{p.get('maximumPageSize') or 0}"
    events, token = page(ex.events, p, scope)
    return clean({"events": events, "nextPageToken": token})


def _in_range(value: float | None, flt: JSON | None) -> bool:
    if flt is None:
        return True
    if value is None or value < flt["oldestDate"]:
        return False
    return flt.get("latestDate") is None or value <= flt["latestDate"]


def _matcher(p: JSON, names: tuple[str, ...]) -> Callable[[Execution], bool]:
    given = [n for n in names if p.get(n) is not None]
    if len(given) > 1:
        raise invalid(f"Only one of {', '.join(names)} may be given, not {', '.join(given)}")
    if not given:
        return lambda ex: True
    flt = p[given[0]]
    tests: dict[str, Callable[[Execution], bool]] = {
        "executionFilter": lambda ex: ex.workflow_id == flt["workflowId"],
        "typeFilter": lambda ex: ex.workflow_type["name"] == flt["name"]
        and flt.get("version") in (None, ex.workflow_type["version"]),
        "tagFilter": lambda ex: flt["tag"] in ex.tags,
        "closeStatusFilter": lambda ex: ex.close_status == flt["status"],
    }
    return tests[given[0]]


def _select(core: Core, p: JSON, is_open: bool) -> list[Execution]:
    dom = core.domain(p["domain"])
    if is_open:
        time_key = "startTimeFilter"
        match = _matcher(p, ("executionFilter", "typeFilter", "tagFilter"))
    else:
        starts, closes = p.get("startTimeFilter"), p.get("closeTimeFilter")
        if (starts is None) == (closes is None):
            raise invalid("Exactly one of startTimeFilter and closeTimeFilter must be given")
        time_key = "startTimeFilter" if starts is not None else "closeTimeFilter"
        match = _matcher(p, ("executionFilter", "typeFilter", "tagFilter", "closeStatusFilter"))

    def stamp(ex: Execution) -> float | None:
        return ex.start_ts if time_key == "startTimeFilter" else ex.close_ts

    chosen = [ex for ex in dom.executions
              if ex.is_open == is_open and _in_range(stamp(ex), p[time_key]) and match(ex)]
    chosen.sort(key=lambda ex: stamp(ex) or 0.0, reverse=True)
    return chosen


def _lister(is_open: bool) -> Callable[[Core, JSON], JSON]:
    def list_executions(core: Core, p: JSON) -> JSON:
        chosen = _select(core, p, is_open)
        scope = f"list:{is_open}:{p['domain']}:{sorted(k for k in p if k != 'nextPageToken')}"
        chunk, token = page(chosen, p, scope)
        return clean({"executionInfos": [execution_info(ex) for ex in chunk],
                      "nextPageToken": token})

    return list_executions


def _counter(is_open: bool) -> Callable[[Core, JSON], JSON]:
    def count_executions(core: Core, p: JSON) -> JSON:
        return {"count": len(_select(core, p, is_open)), "truncated": False}

    return count_executions


operation("ListOpenWorkflowExecutions")(_lister(True))
operation("ListClosedWorkflowExecutions")(_lister(False))
operation("CountOpenWorkflowExecutions")(_counter(True))
operation("CountClosedWorkflowExecutions")(_counter(False))
