"""Engine records as JSON and back: what the durable engine writes for a domain or an
execution, and the records rebuilt from it (without their timeouts, which `_restore` arms).

Only lasting state is written: fields that live within one call (`dt_applying`,
`dt_batch_trigger`) or one process (a Lambda's monotonic deadline, the re-offered flags that
`_restore` sets) are left out.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from ._clock import Due
from ._model import JSON, ActivityRec, ChildRec, Domain, Execution, LambdaRec, TimerRec, TypeRec

_EXECUTION_SPECIAL = {"domain", "parent", "events", "dt_due", "dt_applying",
                      "dt_batch_trigger", "dt_reoffered", "execution_due", "activities",
                      "lambdas", "timers", "children", "saved_events"}
_EXECUTION_PLAIN = [f.name for f in fields(Execution) if f.name not in _EXECUTION_SPECIAL]
_ACTIVITY_PLAIN = [f.name for f in fields(ActivityRec)
                   if f.name not in {"execution", "dues", "reoffered"}]
_LAMBDA_PLAIN = ["lambda_id", "name", "input", "timeout", "scheduled_id", "started_id", "state"]


def _at(due: Due | None) -> float | None:
    return None if due is None or due.cancelled else due.at


def domain_state(dom: Domain) -> JSON:
    return {"name": dom.name, "description": dom.description, "retention": dom.retention,
            "arn": dom.arn, "tags": dom.tags, "status": dom.status,
            "workflow_types": [asdict(t) for t in dom.workflow_types.values()],
            "activity_types": [asdict(t) for t in dom.activity_types.values()]}


def domain_from(state: JSON) -> Domain:
    dom = Domain(name=state["name"], description=state["description"],
                 retention=state["retention"], arn=state["arn"], tags=state["tags"],
                 status=state["status"])
    for key in ("workflow_types", "activity_types"):
        types: dict[tuple[str, str], TypeRec] = getattr(dom, key)
        for data in state[key]:
            rec = TypeRec(**data)
            types[(rec.name, rec.version)] = rec
    return dom


def execution_state(ex: Execution) -> JSON:
    """Everything about `ex` but its history (stored event by event) and the objects it
    points to, which are named by run id."""
    state: JSON = {name: getattr(ex, name) for name in _EXECUTION_PLAIN}
    state.update(
        domain=ex.domain.name,
        parent=None if ex.parent is None else [ex.parent[0].run_id, ex.parent[1]],
        dt_due=_at(ex.dt_due), execution_due=_at(ex.execution_due),
        activities=[{**{n: getattr(a, n) for n in _ACTIVITY_PLAIN},
                     "dues": {kind: due.at for kind, due in a.dues.items() if not due.cancelled}}
                    for a in ex.activities.values()],
        lambdas=[{n: getattr(rec, n) for n in _LAMBDA_PLAIN} for rec in ex.lambdas.values()],
        timers=[{"timer_id": t.timer_id, "started_id": t.started_id, "at": _at(t.due)}
                for t in ex.timers.values()],
        children=[{"workflow_id": c.workflow_id, "workflow_type": c.workflow_type,
                   "initiated_id": c.initiated_id, "started_id": c.started_id,
                   "run_id": None if c.execution is None else c.execution.run_id}
                  for c in ex.children.values()],
    )
    return state


def execution_from(state: JSON, dom: Domain, events: list[JSON]) -> Execution:
    """The execution with its open work; links to other executions and timeouts are left
    for `_restore`, which sees every execution."""
    ex = Execution(domain=dom, **{name: state[name] for name in _EXECUTION_PLAIN})
    ex.events, ex.saved_events = events, len(events)
    for data in state["activities"]:
        act = ActivityRec(execution=ex, **{n: data[n] for n in _ACTIVITY_PLAIN})
        ex.activities[act.activity_id] = act
    for data in state["lambdas"]:
        rec = LambdaRec(execution=ex, **{n: data[n] for n in _LAMBDA_PLAIN})
        ex.lambdas[rec.lambda_id] = rec
    for data in state["timers"]:
        ex.timers[data["timer_id"]] = TimerRec(data["timer_id"], data["started_id"], None)
    for data in state["children"]:
        ex.children[data["initiated_id"]] = ChildRec(
            workflow_id=data["workflow_id"], workflow_type=data["workflow_type"],
            initiated_id=data["initiated_id"], started_id=data["started_id"])
    return ex


def due_times(state: JSON) -> dict[str, Any]:
    """The saved due times of `state`'s timeouts and timers, for re-arming them."""
    return {"dt_due": state["dt_due"], "execution_due": state["execution_due"],
            "activities": {a["activity_id"]: a["dues"] for a in state["activities"]},
            "timers": {t["timer_id"]: t["at"] for t in state["timers"]},
            "children": {c["initiated_id"]: c["run_id"] for c in state["children"]},
            "parent": state["parent"]}
