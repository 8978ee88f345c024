"""The items of a mapped task (`for_each`): how they start, end and make up its output.

A mapped task's own record is what dependents, trigger rules and views see; each item has a
record of its own (named ``<task>@<position>`` in ids) that goes through the usual phases,
retries included. The task starts when its first item is issued, fails when an item fails
for good, and completes, at the event that completed its last item, with the list of the
items' outputs in list order. The list is decoded once, when the task's trigger rule fires,
so an output that is not a list fails the task at that same point of every replay.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .._workflow._map import ITEM_SEPARATOR
from .._workflow._payload import decode
from ._chunks import chunk_runner, chunk_size
from ._records import ENDED, MapState, TaskError, TaskRecord

if TYPE_CHECKING:
    from ._flow import Event, Flow


def start_map(flow: Flow, rec: TaskRecord, event: Event | None) -> None:
    """Read the list `rec` maps over, now that its trigger rule fired."""
    mapping = rec.task.for_each
    assert mapping is not None
    source = flow.records[flow.graph.index[mapping.over]]
    name = rec.name
    if source.phase != "completed":
        reason = (
            f"task {name!r}: for_each {mapping.over!r} {source.phase} instead of completing, "
            "so there is no list to map over"
        )
        flow.fail_now(rec, TaskError(reason), event)
        return
    items = flow.value_of(source)
    if not isinstance(items, list):
        reason = (
            f"task {name!r}: for_each {mapping.over!r} gave {_type_name(items)}, not a list; "
            "the mapped-over dependency must output a JSON array"
        )
        flow.fail_now(rec, TaskError(reason), event)
        return
    rec.map = MapState(items)
    workflow = flow.graph.workflow
    if workflow is not None and len(items) > chunk_size(workflow):
        rec.map.chunk = chunk_size(workflow)
        rec.map.runner = chunk_runner(workflow, rec.task)
    if not items:
        flow.complete(rec, "[]", event)


def item_record(flow: Flow, name: str) -> TaskRecord | None:
    """The record of the item an id's base (``resize@3``) names, created when first named;
    None if the name is not an item of a mapped task that has its list."""
    base, sep, number = name.rpartition(ITEM_SEPARATOR)
    index = flow.graph.index.get(base) if sep else None
    if index is None or not (number.isascii() and number.isdigit()):
        return None
    parent = flow.records[index]
    state = parent.map
    position = int(number)
    if state is None or position >= state.units or position in state.outputs:
        return None
    found = state.active.get(position)
    if found is None:
        task = state.runner or parent.task
        found = TaskRecord(task=task, index=parent.index, item=position)
        state.active[position] = found
        state.issued = max(state.issued, position + 1)
    return found


def item_issued(flow: Flow, rec: TaskRecord, event: Event) -> None:
    """An item's attempt was issued: the mapped task itself is now running."""
    parent = flow.records[rec.index]
    if parent.phase == "waiting":
        flow.move(parent, "running", event)
        parent.attempt = parent.iteration = 1
        parent.started_at = parent.changed_at


def item_completed(flow: Flow, rec: TaskRecord, output: str | None, event: Event | None) -> None:
    parent = flow.records[rec.index]
    state = parent.map
    assert state is not None and rec.item is not None
    flow.move(rec, "completed", event)
    state.active.pop(rec.item, None)
    state.outputs[rec.item] = output
    if parent.phase in ENDED or len(state.outputs) < state.units:
        return
    outputs = state.outputs
    if not state.chunk:
        text = "[" + ",".join(_json(outputs[i]) for i in range(len(state.items))) + "]"
        flow.complete(parent, text, event)
        return
    joined: list[Any] = []
    for position in range(state.units):
        part = decode(outputs[position])
        expected = len(state.span(position))
        if not isinstance(part, list) or len(part) != expected:
            reason = (
                f"task {parent.name!r}: the child execution of items {_items(state, position)} "
                f"returned {_type_name(part)} instead of a list of {expected} outputs"
            )
            flow.fail_now(parent, TaskError(reason), event)
            return
        joined.extend(part)
    flow.complete(parent, json.dumps(joined, separators=(",", ":"), ensure_ascii=False), event)


def item_failed(flow: Flow, rec: TaskRecord, event: Event | None) -> None:
    """An item failed for good: so does the mapped task (its other items may still finish,
    but nothing waits for them)."""
    parent = flow.records[rec.index]
    state = parent.map
    assert state is not None and rec.item is not None
    flow.move(rec, "failed", event)
    chunk = bool(state.chunk) and rec.task is state.runner
    if chunk or not state.chunk:  # not an item whose chunk input could not be built
        state.active.pop(rec.item, None)
    if parent.phase in ENDED:
        return
    error = rec.last_error or TaskError("failed")
    total = len(state.items)
    what = f"items {_items(state, rec.item)}" if chunk else f"item {rec.item}"
    reason = f"task {parent.name!r}: {what} of {total} failed: {error.reason}"
    parent.last_error = TaskError(reason, error.details, error.names)
    parent.permanent = rec.permanent
    flow.fail_now(parent, parent.last_error, event)


def item_value(flow: Flow, rec: TaskRecord, *, fresh: bool) -> Any:
    """The item an item's attempt gets in place of the whole list (a copy, for user code
    that might change it)."""
    parent = flow.records[rec.index]
    assert parent.map is not None and rec.item is not None
    value = parent.map.items[rec.item]
    return json.loads(json.dumps(value)) if fresh else value


def items_done(state: MapState) -> int:
    """Items completed, counting each completed chunk's items."""
    return sum(len(state.span(p)) for p in state.outputs)


def items_running(state: MapState) -> int:
    return sum(len(state.span(p)) for p in state.active)


def _items(state: MapState, position: int) -> str:
    span = state.span(position)
    return f"{span.start}-{span.stop - 1}"


def _json(output: str | None) -> str:
    return "null" if output is None else output


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    names = {dict: "an object", str: "a string", bool: "a boolean", int: "a number"}
    return {**names, float: "a number"}.get(
        type(value), f"a {type(value).__name__}"
    )
