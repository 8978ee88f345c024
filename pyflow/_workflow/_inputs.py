"""What a task receives and what a workflow returns: DESIGN.md's input rule as pure functions."""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from typing import Any

from .._exceptions import PayloadTooLargeError, TaskInputError
from ._definition import Task, Workflow
from ._payload import MAX_DATA, encode, truncate


def assemble_input(task: Task, outputs: Mapping[str, Any]) -> Any:
    """The value `task` receives, before `transform_input`.

    The full form is {'param': ..., 'inputs': {dep: output}}; a single source is passed
    directly, and no source at all gives None. Dependencies without output (timers) are left
    out of `inputs`, and so are those `outputs` does not hold (skipped ones); the form itself
    follows from the definition alone, whatever ran.
    """
    producing = [dep.name for dep in task.dependencies if dep.produces_output]
    inputs = {name: outputs[name] for name in producing if name in outputs}
    sources = len(producing) + (1 if task.has_param else 0)
    if sources == 0:
        return None
    if sources == 1:
        return task.param if task.has_param else next(iter(inputs.values()), None)
    full: dict[str, Any] = {}
    if task.has_param:
        full["param"] = task.param
    full["inputs"] = inputs
    return full


def build_input(task: Task, outputs: Mapping[str, Any]) -> Any:
    """The value sent to `task`: the assembled input passed through `transform_input`.

    An exception in `transform_input` becomes a TaskInputError naming the task, which the
    decider turns into a task failure (retrying user code with the same input cannot help).
    """
    value = assemble_input(task, outputs)
    if task.transform_input is None:
        return value
    try:
        return task.transform_input(value)
    except Exception as exc:  # user code: any error becomes a task failure
        raise TaskInputError(
            f"task {task.name!r}: transform_input raised {type(exc).__name__}: {exc}",
            task_name=task.name,
            details=truncate("".join(traceback.format_exception(exc)), MAX_DATA),
        ) from exc


def encode_input(
    task: Task,
    outputs: Mapping[str, Any],
    *,
    context: Mapping[str, Any] | None = None,
    limit: int | None = MAX_DATA,
) -> str:
    """The JSON text sent to `task`, within `limit` (SWF's, unless a payload store takes
    longer inputs); with `context` (a task with `pass_context`), {'input': <the input>,
    'context': context}.

    Raises TaskInputError if the input is not JSON or too large; both are permanent.
    """
    value = build_input(task, outputs)
    if context is not None:
        value = {"input": value, "context": dict(context)}
    try:
        return encode(value, what=f"task {task.name!r} input", limit=limit)
    except (TypeError, ValueError) as exc:
        raise TaskInputError(
            f"task {task.name!r}: input is not JSON-serialisable ({exc})", task_name=task.name
        ) from exc
    except PayloadTooLargeError as exc:
        raise TaskInputError(f"{exc}", task_name=task.name) from exc


def workflow_output(workflow: Workflow, outputs: Mapping[str, Any]) -> Any:
    """The workflow's result: the output task's output; else the single sink's; else a dict
    of the sinks' outputs by name. `outputs` holds the completed tasks only, so sinks without
    output, skipped and failed sinks are left out (an output task that did not complete
    gives None)."""
    chosen = workflow.resolved_output_task()
    if chosen is not None:
        return outputs.get(chosen.name)
    sinks = workflow.sinks()
    if len(sinks) == 1:
        return outputs.get(sinks[0].name) if sinks[0].produces_output else None
    return {t.name: outputs[t.name] for t in sinks if t.produces_output and t.name in outputs}
