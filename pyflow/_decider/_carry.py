"""Continue-as-new: the DAG's state carried from one run of an execution to the next.

When a run's history passes the workflow's `history_budget`, the decider starts nothing new,
waits for the activities, Lambda functions and child workflows still open to close, and then
continues the execution as a new run whose input is the state below. The new run's pass
restores every task's record from it at its WorkflowExecutionStarted event, so the same
history always restores the same state, and the decider goes on as if the runs were one.
Timers cannot be waited out (a day's timer would hold the whole workflow), so each open timer
is carried with the seconds it had left at the last event, and started again in the new run.
"""

from __future__ import annotations

import json
import math
from dataclasses import fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from .._workflow._tasks import SignalTask
from . import _ids
from ._discovery import describe, found_as
from ._errors import json_object
from ._records import ENDED, UNDECODED, MapState, TaskError, TaskRecord

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import DecisionTypeDef

    from ._history import History

CARRIED: Final = "pyflow.continued"
"""The key of a continued run's input: {CARRIED: state}."""
FORMAT: Final = 1
_SKIPPED = frozenset({"task", "index", "value", "item", "map"})
_TIMES = frozenset({"started_at", "ended_at", "changed_at"})
_DEFAULTS = {f.name: f.default for f in fields(TaskRecord) if f.name not in _SKIPPED}
# Copied from the start event of the run that continues, so the next run is started alike.
_KEPT = {
    "taskList": "taskList",
    "taskStartToCloseTimeout": "taskStartToCloseTimeout",
    "childPolicy": "childPolicy",
    "tagList": "tagList",
    "lambdaRole": "lambdaRole",
    "taskPriority": "taskPriority",
}


def snapshot(history: History) -> dict[str, Any]:
    """Everything the next run needs to go on where this one stops."""
    now = _timestamp(history.last_event)
    return {
        "format": FORMAT,
        "input": history.input,
        "run": history.runs + 1,
        "started_at": _iso(history.started_at),
        "deadline": _iso(history.deadline),
        "signals": history.signals,
        "records": {
            rec.name: {**_record(rec), "kind": rec.task.kind, "what": describe(rec.task)}
            for rec in history.records
        },
        "timers": [
            {"id": timer_id, "role": ref.role, "task": ref.task, "attempt": ref.attempt,
             "seconds": _left(history.timer_due.get(timer_id), now)}
            for timer_id, ref in history.open_timers.items()
            if ref.role != "wake" and _waits_on(history, ref)
        ],
    }


def _waits_on(history: History, ref: _ids.Ref) -> bool:
    """Whether a timer still matters: its task has not ended (a signal task's deadline
    timer stays open after its signal came, and need not be started again)."""
    rec = history.lookup(ref.task)
    return rec is not None and rec.phase not in ENDED


def restore(history: History, state: dict[str, Any]) -> None:
    """Put the records of a continued run back as the run before left them."""
    history.input = state.get("input")
    history.runs = int(state.get("run", 1))
    history.started_at = _time(state.get("started_at")) or history.started_at
    history.deadline = _time(state.get("deadline")) or history.deadline
    history.signals = dict(state.get("signals") or {})
    saved = state.get("records") or {}
    if history.discover:  # no definition: the tasks are the ones the earlier run knew
        for name, data in saved.items():
            if name not in history.graph.index:
                found = found_as(str(data.get("kind")), name, str(data.get("what", "")))
                if found is not None:
                    index = history.graph.grow(found)
                    history.records.append(TaskRecord(task=found, index=index))
    for rec in history.records:
        data = saved.get(rec.name)
        if data is not None:
            _fill(rec, data)
    for rec in history.records:
        data = saved.get(rec.name) or {}
        if "map" in data:
            rec.map = _map(history, rec, data["map"])
        task = rec.task
        if isinstance(task, SignalTask) and rec.phase == "running":
            if task.signal_name not in history.signals:
                history.signal_waiters.setdefault(task.signal_name, []).append(rec)
    for timer in state.get("timers") or ():
        ref = _ids.Ref(timer["role"], str(timer["task"]), int(timer["attempt"]))
        history.carried_timers[str(timer["id"])] = (ref, max(0, int(timer["seconds"])))


def over_budget(history: History) -> bool:
    """Whether this run's history has passed the workflow's budget."""
    workflow = history.graph.workflow
    last = history.last_event
    number = last.get("eventId") if last is not None else None
    return (
        workflow is not None
        and isinstance(number, int)
        and number >= workflow.history_budget
    )


def carried_state(text: str | None) -> dict[str, Any] | None:
    """The state a continued run's input carries, or None for a first run's input."""
    if text is None or not text.startswith('{"' + CARRIED + '"'):
        return None
    data = json_object(text)
    state = data.get(CARRIED) if data is not None and len(data) == 1 else None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return None
    return state


def carry_text(history: History) -> str:
    """The next run's input: the snapshot, as compact JSON."""
    return json.dumps({CARRIED: snapshot(history)}, separators=(",", ":"), ensure_ascii=False)


def continue_as_new(history: History, text: str) -> DecisionTypeDef:
    """The decision that closes this run and starts the next with `text` as its input."""
    started = history.started or {}
    attrs: dict[str, Any] = {"input": text}
    workflow = history.graph.workflow
    if workflow is not None:  # the chain stays on the version it started with
        attrs["workflowTypeVersion"] = workflow.version
    given = started.get("workflowExecutionStartedEventAttributes") or {}
    for key, target in _KEPT.items():
        if given.get(key) is not None:
            attrs[target] = given[key]
    now = _timestamp(history.last_event)
    if history.deadline is not None and now is not None:
        left = math.ceil((history.deadline - now).total_seconds())
        attrs["executionStartToCloseTimeout"] = str(max(1, left))
    elif given.get("executionStartToCloseTimeout") is not None:
        attrs["executionStartToCloseTimeout"] = given["executionStartToCloseTimeout"]
    return {
        "decisionType": "ContinueAsNewWorkflowExecution",
        "continueAsNewWorkflowExecutionDecisionAttributes": attrs,  # type: ignore[typeddict-item]
    }


def restart_timer(timer_id: str, ref: _ids.Ref, seconds: int) -> DecisionTypeDef:
    """A carried timer, started again in the new run under its old id for what it had left."""
    return {
        "decisionType": "StartTimer",
        "startTimerDecisionAttributes": {
            "timerId": timer_id,
            "startToFireTimeout": str(seconds),
            "control": _ids.control(ref.task, ref.attempt, ref.role),
        },
    }


def _record(rec: TaskRecord) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, default in _DEFAULTS.items():
        value = getattr(rec, name)
        if name == "waits":
            if value:
                data[name] = {str(k): v for k, v in value.items()}
        elif value != default:
            data[name] = _plain(name, value)
    state = rec.map
    if state is not None:
        data["map"] = {
            "issued": state.issued,
            "outputs": {str(k): v for k, v in state.outputs.items()},
            "active": {str(k): _record(r) for k, r in state.active.items()},
        }
    return data


def _plain(name: str, value: Any) -> Any:
    if name in _TIMES:
        return _iso(value)
    if isinstance(value, TaskError):
        return [value.reason, value.details, list(value.names)]
    if isinstance(value, frozenset):
        return sorted(value)
    return value


def _fill(rec: TaskRecord, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name not in _DEFAULTS:
            continue
        if name in _TIMES:
            value = _time(value)
        elif name == "last_error":
            value = TaskError(value[0], value[1], tuple(value[2]))
        elif name == "fired_with":
            value = frozenset(value)
        elif name == "waits":
            value = {int(k): float(v) for k, v in value.items()}
        setattr(rec, name, value)
    rec.value = UNDECODED


def _map(history: History, rec: TaskRecord, data: dict[str, Any]) -> MapState:
    mapping = rec.task.for_each
    assert mapping is not None
    source = history.records[history.graph.index[mapping.over]]
    state = MapState(list(history.value_of(source)), issued=int(data["issued"]))
    state.outputs = {int(k): v for k, v in data["outputs"].items()}
    for key, item_data in data["active"].items():
        item = TaskRecord(task=rec.task, index=rec.index, item=int(key))
        _fill(item, item_data)
        state.active[item.item or 0] = item
    return state


def _left(due: datetime | None, now: datetime | None) -> int:
    if due is None or now is None:
        return 0
    return max(0, math.ceil((due - now).total_seconds()))


def due_at(event: Any, seconds: object) -> datetime | None:
    """When a timer started at `event` for `seconds` (as SWF gives them) fires."""
    at = _timestamp(event)
    if at is None or not isinstance(seconds, str) or not seconds.isdigit():
        return None
    return at + timedelta(seconds=int(seconds))


def _timestamp(event: Any) -> datetime | None:
    value = event.get("eventTimestamp") if event is not None else None
    return value if isinstance(value, datetime) else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
