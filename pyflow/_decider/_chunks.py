"""Maps too large for one history: their items run in chunks, each a child execution.

A mapped task with more items than one run should hold (`chunk_size`) starts, instead of one
attempt per item, one child workflow execution per chunk of items: a run of the same workflow
type whose input names the task and carries each item's input, already built by the usual
input rule. The decider recognises such a run by its input and decides it as a workflow of
one task mapped over those inputs (`chunk_workflow`), so every item keeps its own retries
and the chunk's result is its items' outputs in order; the parent joins the chunks' results.
Users still see one task, whose progress counts items, not children.
"""

from __future__ import annotations

import copy
import json
import weakref
from typing import TYPE_CHECKING, Any, Final

from .._exceptions import PayloadTooLargeError
from .._workflow._definition import UNSET, Workflow
from .._workflow._map import ForEach
from .._workflow._payload import MAX_DATA, encode
from .._workflow._tasks import Task, WorkflowTask
from ._carry import carried_state
from ._records import MapState, TaskError, TaskRecord

if TYPE_CHECKING:
    from ._history import History

CHUNK: Final = "pyflow.chunk"
"""The key of a chunk run's input: {CHUNK: {"task", "first", "concurrency", "inputs"}}."""
_RUNNERS: weakref.WeakKeyDictionary[Workflow, dict[str, WorkflowTask]] = (
    weakref.WeakKeyDictionary()
)
_CHUNK_WORKFLOWS: weakref.WeakKeyDictionary[Workflow, dict[tuple[str, int], Workflow]] = (
    weakref.WeakKeyDictionary()
)


def chunk_size(workflow: Workflow) -> int:
    """Items per chunk: a tenth of the history budget leaves room for retries and for the
    decision tasks between the items' events (1,000 at the default budget)."""
    return max(100, workflow.history_budget // 10)


def chunk_runner(workflow: Workflow, task: Task) -> WorkflowTask:
    """The child workflow task that runs one chunk of `task`'s items: the same workflow
    type, no retries of its own (its items retry inside it)."""
    runners = _RUNNERS.setdefault(workflow, {})
    runner = runners.get(task.name)
    if runner is None:
        runner = WorkflowTask(
            name=task.name, workflow_name=workflow.name, workflow_version=workflow.version
        )
        runners[task.name] = runner
    return runner


def chunk_input(task: str, first: int, concurrency: int, inputs: list[Any]) -> dict[str, Any]:
    return {CHUNK: {"task": task, "first": first, "concurrency": concurrency, "inputs": inputs}}


def chunk_spec(first_event: Any) -> dict[str, Any] | None:
    """What a chunk run's start event says it runs; None for any other run (a chunk that
    continued as new is still a chunk: its carried state holds the chunk's input)."""
    if not isinstance(first_event, dict) or first_event.get("eventType") != (
        "WorkflowExecutionStarted"
    ):
        return None
    text = (first_event.get("workflowExecutionStartedEventAttributes") or {}).get("input")
    carried = carried_state(text if isinstance(text, str) else None)
    if carried is not None:
        text = carried.get("input")
    if not isinstance(text, str) or not text.startswith('{"' + CHUNK + '"'):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    spec = data.get(CHUNK) if isinstance(data, dict) and len(data) == 1 else None
    if not isinstance(spec, dict) or not isinstance(spec.get("inputs"), list):
        return None
    if not isinstance(spec.get("task"), str) or not isinstance(spec.get("concurrency"), int):
        return None
    return spec


def chunk_workflow(workflow: Workflow, task_name: str, concurrency: int) -> Workflow:
    """The workflow a chunk run is decided as: its task alone, mapped over the item inputs
    the parent built (so no transform, condition or context is applied twice)."""
    cache = _CHUNK_WORKFLOWS.setdefault(workflow, {})
    key = (task_name, concurrency)
    found = cache.get(key)
    if found is not None:
        return found
    chunk = Workflow(
        workflow.name,
        workflow.version,
        task_list=workflow.task_list,
        execution_timeout=workflow.execution_timeout,
        child_policy=workflow.child_policy,
        history_budget=workflow.history_budget,
    )
    task = copy.copy(workflow.get_task(task_name))
    task.workflow, task.dependencies = None, ()
    task.depends_on = (chunk.start_task,)
    task.transform_input = task.run_if = None
    task.trigger_rule, task.pass_context, task.param = "all_success", False, UNSET
    task.for_each = ForEach(chunk.start_task.name, max(1, concurrency))
    chunk.add(task)
    cache[key] = chunk
    return chunk


def chunk_text(history: History, rec: TaskRecord, state: MapState, position: int) -> str | None:
    """The input of the child execution that runs chunk `position` of mapped task `rec`;
    None if it cannot be built (then `rec` has failed for good)."""
    span = state.span(position)
    inputs: list[Any] = []
    for i in span:
        text = history.input_of(
            TaskRecord(task=rec.task, index=rec.index, item=i), history.last_event
        )
        if text is None:
            return None
        inputs.append(json.loads(text))
    mapping = rec.task.for_each
    assert mapping is not None
    concurrency = min(mapping.max_concurrency or state.chunk, state.chunk)
    value = chunk_input(rec.task.name, span.start, concurrency, inputs)
    try:
        return encode(value, what="the input", limit=history.payload_limit)
    except PayloadTooLargeError as exc:
        reason = (
            f"task {rec.name!r}: the child execution for items {span.start}-{span.stop - 1} "
            f"needs {exc.size:,} characters of input, more than SWF's {MAX_DATA:,}; configure a "
            "payload store (payload_store= on the decider, pyflow.S3PayloadStore on AWS)"
        )
        history.fail_now(rec, TaskError(reason), history.last_event)
        return None
