"""A workflow as a picture: Mermaid flowchart or Graphviz DOT text, from the model alone.

Pure functions of a `Workflow` (and optionally each task's state), so they are tested without
SWF. Node ids are generated (`t0`, `t1`, ...) because task names may hold any character; the
names appear only in escaped labels.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Protocol

from .._decider._discovery import describe
from .._workflow._definition import Task, Workflow
from ._render import state_label


class HasState(Protocol):
    @property
    def state(self) -> str: ...

    @property
    def attempts(self) -> int: ...


# state -> (fill, stroke, font) shared by both formats; grouped as the issue names them
COLOURS: Mapping[str, tuple[str, str, str]] = {
    "completed": ("#c8e6c9", "#2e7d32", "#1b5e20"),
    "running": ("#bbdefb", "#1565c0", "#0d47a1"),
    "scheduled": ("#e3f2fd", "#1565c0", "#0d47a1"),
    "retry_wait": ("#ffe0b2", "#ef6c00", "#e65100"),
    "repeat_wait": ("#b2ebf2", "#00838f", "#006064"),
    "failed": ("#ffcdd2", "#c62828", "#b71c1c"),
    "skipped": ("#fce4ec", "#ad1457", "#880e4f"),
    "canceled": ("#e0e0e0", "#616161", "#424242"),
    "waiting": ("#ffffff", "#9e9e9e", "#616161"),
}

_MERMAID_SHAPES = {
    "start": ('(["', '"])'),
    "lambda": ('["', '"]'),
    "activity": ('("', '")'),
    "workflow": ('[["', '"]]'),
    "signal": ('>"', '"]'),
    "timer": ('{{"', '"}}'),
}
_DOT_SHAPES = {
    "start": "oval",
    "lambda": "box",
    "activity": "box",
    "workflow": "box3d",
    "signal": "cds",
    "timer": "hexagon",
}


describe_task = describe
"""What a task runs, in a few words (the decider's description, so every view agrees)."""


def control_line(task: Task) -> str:
    """The task's control flow in a few words ('one_failed, run_if, repeats up to 5'), or ''
    when it runs as every task does by default."""
    parts = [] if task.trigger_rule == "all_success" else [task.trigger_rule]
    if task.run_if is not None:
        parts.append("run_if")
    if task.loop is not None:
        parts.append(f"repeats up to {task.loop.max_iterations}")
    return ", ".join(parts)


def _node_ids(workflow: Workflow) -> dict[str, str]:
    return {task.name: f"t{i}" for i, task in enumerate(workflow.tasks)}


def _state_line(state: HasState | None) -> str | None:
    if state is None:
        return None
    # A repeating task's iteration shows when the states carry it (TaskState does).
    iteration, limit = getattr(state, "iteration", 0), getattr(state, "max_iterations", None)
    total = getattr(state, "items", None)
    items = None if total is None else (getattr(state, "items_done", 0), total)
    wait = getattr(state, "wait", None)
    label = state_label(state.state, state.attempts, iteration, limit, wait, items)
    retried = state.attempts > max(iteration, 1)  # more attempts than iterations
    if state.state not in ("retry_wait", "repeat_wait") and retried:
        return f"{label}, {state.attempts} attempts"
    return label


def _mermaid_text(text: str) -> str:
    # Mermaid entity codes keep quotes and markup characters out of the diagram syntax.
    pairs = (("#", "#35;"), ("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"))
    for char, code in pairs:
        text = text.replace(char, code)
    return text


def _mermaid_title(workflow: Workflow) -> str:
    # Mermaid sanitizes the title as HTML (dropping `<v>`) and shows entities literally, so
    # angle brackets become the look-alike quotation marks that survive.
    title = f"{workflow.name} {workflow.version}"
    return title.replace("<", "‹").replace(">", "›")


def mermaid(workflow: Workflow, states: Mapping[str, HasState] | None = None) -> str:
    """A Mermaid flowchart, top to bottom; with `states`, nodes are classed by task state."""
    ids = _node_ids(workflow)
    lines = [
        "---",
        f"title: {json.dumps(_mermaid_title(workflow), ensure_ascii=False)}",
        "---",
        "flowchart TD",
    ]
    for task in workflow.tasks:
        state = (states or {}).get(task.name)
        label = [f"<b>{_mermaid_text(task.name)}</b>", _mermaid_text(describe_task(task))]
        if control_line(task):
            label.append(f"<small>{_mermaid_text(control_line(task))}</small>")
        state_line = _state_line(state) or ("waiting" if states is not None else None)
        if state_line:
            label.append(f"<i>{_mermaid_text(state_line)}</i>")
        opening, closing = _MERMAID_SHAPES[task.kind]
        lines.append(f"    {ids[task.name]}{opening}{'<br>'.join(label)}{closing}")
    for task in workflow.tasks:
        for dep in task.dependencies:
            lines.append(f"    {ids[dep.name]} --> {ids[task.name]}")
    if states is not None:
        lines.extend(_mermaid_classes(workflow, ids, states))
    return "\n".join(lines) + "\n"


def _mermaid_classes(
    workflow: Workflow, ids: Mapping[str, str], states: Mapping[str, HasState]
) -> list[str]:
    by_state: dict[str, list[str]] = {}
    for task in workflow.tasks:
        state = states.get(task.name)
        name = state.state if state is not None else "waiting"
        by_state.setdefault(name if name in COLOURS else "waiting", []).append(ids[task.name])
    lines = []
    for name, (fill, stroke, font) in COLOURS.items():
        if name in by_state:
            lines.append(f"    classDef {name} fill:{fill},stroke:{stroke},color:{font}")
            lines.append(f"    class {','.join(by_state[name])} {name}")
    return lines


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def dot(workflow: Workflow, states: Mapping[str, HasState] | None = None) -> str:
    """A Graphviz digraph; with `states`, nodes are filled by task state."""
    ids = _node_ids(workflow)
    title = _dot_text(f"{workflow.name} {workflow.version}")
    lines = [
        f'digraph "{title}" {{',
        f'    label="{title}";',
        "    labelloc=t;",
        "    rankdir=TB;",
        '    node [fontname="Helvetica", style="rounded,filled", fillcolor="#ffffff"];',
    ]
    for task in workflow.tasks:
        label = [task.name, describe_task(task)]
        if control_line(task):
            label.append(control_line(task))
        attributes = [f"shape={_DOT_SHAPES[task.kind]}"]
        state = (states or {}).get(task.name) if states is not None else None
        if states is not None:
            state_name = state.state if state is not None else "waiting"
            fill, stroke, font = COLOURS.get(state_name, COLOURS["waiting"])
            attributes += [f'fillcolor="{fill}"', f'color="{stroke}"', f'fontcolor="{font}"']
            state_line = _state_line(state)
            label.append(f"({state_line or 'waiting'})")
        attributes.insert(0, f'label="{_dot_text(chr(10).join(label))}"')
        lines.append(f"    {ids[task.name]} [{', '.join(attributes)}];")
    for task in workflow.tasks:
        for dep in task.dependencies:
            lines.append(f"    {ids[dep.name]} -> {ids[task.name]};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def as_data(workflow: Workflow, states: Mapping[str, HasState] | None = None) -> dict[str, object]:
    """The graph as plain data (for `--format json`): tasks with kind, what, dependencies."""
    tasks = []
    for task in workflow.tasks:
        item: dict[str, object] = {
            "name": task.name,
            "kind": task.kind,
            "what": describe_task(task),
            "dependsOn": [dep.name for dep in task.dependencies],
        }
        if states is not None:
            state = states.get(task.name)
            item["state"] = state.state if state is not None else "waiting"
            item["attempts"] = state.attempts if state is not None else 0
            item["iteration"] = getattr(state, "iteration", 0)
        tasks.append(item)
    return {"name": workflow.name, "version": workflow.version, "tasks": tasks}
