"""`pyflow run`: one workflow end to end on the embedded engine, in this process."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from .. import testing
from .._decider import execution_state
from .._exceptions import OutcomeTimeoutError
from .._workflow._activity import Activity
from .._workflow._definition import Workflow
from .._workflow._tasks import SignalTask
from . import _render as r
from ._errors import CliError
from ._graph import describe_task
from ._loading import activity_types, lambda_handlers, load_activities, load_workflow
from ._timeline import ENDED, TaskRow, gantt, rows_from_states
from ._values import parse_mapping, parse_payload

DONE = ("completed", "failed", "skipped", "canceled")


class _Progress:
    """Prints each task as it starts and ends (fed by `pyflow.local.run`'s `on_task`), and
    keeps a spinner line with tasks done of total and what runs, on a terminal."""

    def __init__(self, workflow: Workflow) -> None:
        names = [t.name for t in workflow.tasks if t.kind != "start"]
        self.what = {t.name: describe_task(t) for t in workflow.tasks}
        self.total = len(names)
        self.width = max((len(n) for n in names), default=4)
        self.origin: datetime | None = None
        self.states: dict[str, Any] = {}
        self.announced: set[tuple[str, int]] = set()
        self.retried: set[tuple[str, int]] = set()
        self.repeated: set[tuple[str, int]] = set()
        self.status: Any = None
        self.signals: dict[str, Any] = {}
        self.tenths: dict[str, int] = {}
        """Per mapped task, the tenths of its items done that a progress line has shown."""

    def __call__(self, task: Any) -> None:
        if task.kind == "start":
            self.origin = self.origin or task.started_at or task.ended_at
            return
        self.origin = self.origin or task.started_at
        self.states[task.name] = task
        if task.state != "waiting" and getattr(task, "repeats", False):
            self._iterations(task)
        elif task.state != "waiting":
            # Polling can miss short states (a retry wait of 0 s): replay what must have been.
            for attempt in range(1, task.attempts + 1):
                self._started(task, attempt)
                if attempt < task.attempts or task.state == "retry_wait":
                    self._retrying(task, attempt)
        if getattr(task, "items", None) and task.state not in DONE:
            self._progress(task)
        if task.state in DONE:
            self._line(task.ended_at, task.state, task.name, _ending(task))
        self._update()

    def _progress(self, task: Any) -> None:
        """A line each time another tenth of a mapped task's items is done: ten lines at
        most, however many items it has."""
        tenths = task.items_done * 10 // task.items
        if tenths > self.tenths.get(task.name, 0):
            self.tenths[task.name] = tenths
            done = f"{task.items_done}/{task.items} items done"
            self._line(task.changed_at, "progress", task.name, done)

    def _started(self, task: Any, attempt: int) -> None:
        if (task.name, attempt) in self.announced:
            return
        self.announced.add((task.name, attempt))
        extra = f"attempt {attempt}" if attempt > 1 else self.what[task.name]
        moment = task.started_at if attempt == 1 else _changed(task, attempt, _ISSUED)
        self._line(moment, "started", task.name, extra)

    def _iterations(self, task: Any) -> None:
        """A repeating task: a line as each iteration starts and as it waits for the next
        (those the polling missed too, without a time)."""
        for number in range(1, task.iteration + 1):
            if number > 1:
                self._repeating(task, number - 1, None)
            if (task.name, -number) not in self.announced:
                self.announced.add((task.name, -number))
                extra = self.what[task.name] if number == 1 else ""
                moment = task.started_at if number == 1 else None
                if number == task.iteration and task.state in _ISSUED:
                    moment = task.changed_at
                self._line(moment, "started", task.name, f"{extra} {_of(task, number)}".strip())
        if task.state == "repeat_wait":
            self._repeating(task, task.iteration, task.changed_at)

    def _repeating(self, task: Any, done: int, moment: datetime | None) -> None:
        if (task.name, done) not in self.repeated:
            self.repeated.add((task.name, done))
            self._line(moment, "repeating", task.name, f"next: {_of(task, done + 1)}")

    def _retrying(self, task: Any, attempt: int) -> None:
        if (task.name, attempt) not in self.retried:
            self.retried.add((task.name, attempt))
            moment = _changed(task, attempt, ("retry_wait",))
            wait = getattr(task, "waits", {}).get(attempt + 1)
            if wait is None and moment is not None:
                wait = getattr(task, "wait", None)  # the timer may not have started yet
            extra = f"in {wait:.1f}s {_error(task)}" if wait else _error(task)
            self._line(moment, "retrying", task.name, extra)

    def _line(self, moment: datetime | None, what: str, name: str, extra: str) -> None:
        # No moment: a state the polling missed (a retry wait of 0 s), whose time the task's
        # current state no longer carries; the column stays blank rather than guess.
        offset = r.between(self.origin, moment)
        when = f"{offset:>9.3f}s" if offset is not None else " " * 10
        label = r.styled(f"{what:<9}", what if what != "started" else "running")
        text = f"{when}  {label}  {name:<{self.width}}  {extra}".rstrip()
        if self.status is not None:
            self.status.console.print(Text.from_ansi(text), highlight=False)
        else:
            click.echo(text, err=True)

    def _update(self) -> None:
        if self.status is None:
            return
        done = sum(t.state in ENDED for t in self.states.values())
        running = [
            n + (f" ({t.items_done}/{t.items} items)" if getattr(t, "items", None) else "")
            for n, t in self.states.items()
            if t.state in ("scheduled", "running")
        ]
        retrying = [n for n, t in self.states.items() if t.state == "retry_wait"]
        busy = f", running: {', '.join(running)}" if running else ""
        busy += f", retrying: {', '.join(retrying)}" if retrying else ""
        self.status.update(f"{done}/{self.total} tasks done{busy}")


_ISSUED = ("scheduled", "running")


def _changed(task: Any, attempt: int, states: tuple[str, ...]) -> datetime | None:
    """When `task` entered its state, if that state is `attempt` being in one of `states`."""
    if attempt == task.attempts and task.state in states:
        return getattr(task, "changed_at", None)
    return None


def _error(task: Any) -> str:
    error = getattr(task, "last_error", None)
    reason = getattr(error, "reason", None) if error is not None else None
    return f"({reason})" if reason else ""


def _of(task: Any, number: int) -> str:
    limit = getattr(task, "max_iterations", None)
    return f"iteration {number}" + (f"/{limit}" if limit is not None else "")


def _ending(task: Any) -> str:
    parts = []
    items = getattr(task, "items", None)
    if items is not None:
        parts.append(f"{task.items_done}/{items} items")
    if getattr(task, "repeats", False) and task.iteration > 1:
        parts.append(f"after {task.iteration} iterations")
    elif task.attempts > 1:
        parts.append(f"after {task.attempts} attempts")
    seconds = r.between(task.started_at, task.ended_at)
    if seconds is not None and task.state == "completed":
        parts.append(f"in {r.duration(seconds)}")
    if task.state != "completed":
        parts.append(_error(task))
    return " ".join(p for p in parts if p)


def _check_activities(workflow: Workflow, activities: list[Activity]) -> None:
    served = {(a.name, a.version) for a in activities}
    missing = [f"{n} {v}" for n, v in activity_types(workflow) if (n, v) not in served]
    if missing:
        raise CliError(
            f"no @pyflow.activity function for activity type(s): {', '.join(missing)}",
            "pass --activities MODULE (repeatable) with the functions that implement them",
        )


@click.command(short_help="Run a workflow end to end on the local engine.")
@click.argument("workflow")
@click.option("--input", "input_text", metavar="JSON", help="Workflow input: JSON, @FILE or text.")
@click.option(
    "--lambda",
    "lambda_maps",
    multiple=True,
    metavar="NAME=MODULE:FUNCTION",
    help="Run Lambda function NAME with this Python handler (repeatable).",
)
@click.option(
    "--lambdas",
    "lambda_modules",
    multiple=True,
    metavar="MODULE",
    help="Find handlers in MODULE: its LAMBDAS dict, else a function named after the Lambda "
    "function (string-upcase -> string_upcase, then upcase). Repeatable.",
)
@click.option(
    "--activities",
    "activity_modules",
    multiple=True,
    metavar="MODULE",
    help="Run the @pyflow.activity functions in MODULE (repeatable).",
)
@click.option(
    "--signal",
    "signal_texts",
    multiple=True,
    metavar="NAME=JSON",
    help="Send signal NAME with this input (JSON, @FILE or text) right after the start, for "
    "the workflow's SignalTasks (repeatable).",
)
@click.option(
    "--real-time",
    is_flag=True,
    help="Let timers take their real duration (default: virtual time, so timers fire at once).",
)
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300, show_default=True,
              help="Give up after this many real seconds.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole outcome as JSON.")
def run(
    workflow: str,
    input_text: str | None,
    lambda_maps: tuple[str, ...],
    lambda_modules: tuple[str, ...],
    activity_modules: tuple[str, ...],
    signal_texts: tuple[str, ...],
    real_time: bool,
    timeout: float,
    as_json: bool,
) -> None:
    """Run WORKFLOW (MODULE:ATTRIBUTE) to the end on the local engine; print its result.

    No AWS account is needed: SWF, the decider, activity workers and Lambda handlers all run
    in this process. Task progress goes to stderr, the result to stdout; the exit status is
    0 only if the workflow COMPLETED.

    \b
      pyflow run workflows.string_transformer:workflow --input World --lambdas handlers.strings
      pyflow run myflows:approval --signal 'Approved={"by": "ann"}'
    """
    value = parse_payload(input_text)
    definition = load_workflow(workflow)
    explicit = dict(parse_mapping(m, option="--lambda") for m in lambda_maps)
    handlers = lambda_handlers(definition, lambda_modules, explicit)
    activities = [a for m in activity_modules for a in load_activities(m)]
    _check_activities(definition, activities)
    progress = _Progress(definition)
    progress.signals = _signals(signal_texts)
    outcome = _execute(definition, value, handlers, activities, not real_time, timeout, progress)
    _report(definition, outcome, as_json, "" if real_time else " of virtual time")


def _execute(
    workflow: Workflow,
    value: Any,
    handlers: dict[str, Callable[..., Any]],
    activities: list[Activity],
    virtual_time: bool,
    timeout: float,
    progress: _Progress,
) -> Any:
    clock = "virtual time" if virtual_time else "real time"
    click.echo(
        f"running {workflow.name} {workflow.version} on the local engine ({clock})", err=True
    )
    kwargs: dict[str, Any] = {
        "input": value,
        "lambdas": handlers,
        "activities": activities,
        "virtual_time": virtual_time,
        "timeout": timeout,
        "on_task": progress,
        "signals": progress.signals,
    }
    try:
        if not r.is_terminal():
            return testing.run(workflow, **kwargs)
        with Console(stderr=True).status("starting...") as status:
            progress.status = status
            try:
                return testing.run(workflow, **kwargs)
            finally:
                progress.status = None
    except OutcomeTimeoutError as exc:
        raise CliError(str(exc), _timeout_hint(workflow, progress)) from exc


def _signals(texts: tuple[str, ...]) -> dict[str, Any]:
    signals: dict[str, Any] = {}
    for text in texts:
        name, sep, payload = text.partition("=")
        if not sep or not name.strip():
            raise CliError(
                f"--signal {text!r} is not NAME=JSON",
                "for example --signal 'Approved={\"by\": \"ann\"}' (or --signal Approved=yes)",
            )
        signals[name.strip()] = parse_payload(payload, what=f"--signal {name.strip()}")
    return signals


def _timeout_hint(workflow: Workflow, progress: _Progress) -> str:
    """Name the signals a timed-out run still waits for: the usual cause on the local engine."""
    waiting = [
        task.signal_name
        for task in workflow.tasks
        if isinstance(task, SignalTask)
        and getattr(progress.states.get(task.name), "state", "waiting") != "completed"
        and task.signal_name not in progress.signals
    ]
    if waiting:
        names = ", ".join(dict.fromkeys(waiting))
        first = waiting[0]
        return (
            f"it waits for signal {names}: pass --signal {first}=JSON "
            "(repeatable), or raise --timeout"
        )
    return "raise --timeout, or check the handlers it waits for"


def outcome_rows(workflow: Workflow, outcome: Any) -> list[TaskRow]:
    tasks = getattr(outcome, "tasks", None)
    if tasks:
        return rows_from_states(tasks)
    return rows_from_states(execution_state(workflow, getattr(outcome, "history", []) or []).tasks)


def _report(workflow: Workflow, outcome: Any, as_json: bool, clock: str) -> None:
    status = str(outcome.status)
    rows = outcome_rows(workflow, outcome)
    history = list(getattr(outcome, "history", []) or [])
    origin = history[0]["eventTimestamp"] if history else None
    closed = history[-1]["eventTimestamp"] if history else None
    if as_json:
        r.echo_json(
            {
                "workflow": {"name": workflow.name, "version": workflow.version},
                "workflowId": getattr(outcome, "workflow_id", None),
                "status": status,
                "result": outcome.result,
                "reason": outcome.reason,
                "details": outcome.details,
                "seconds": r.between(origin, closed),
                "tasks": [row.as_json() for row in rows],
            }
        )
    else:
        took = r.duration(r.between(origin, closed))
        click.echo(r.styled(f"{workflow.name} {status} in {took}{clock}", status), err=True)
        if status == "COMPLETED":
            result = outcome.result
            click.echo(result if isinstance(result, str) else r.to_json(result))
    if status != "COMPLETED":
        _fail(workflow, outcome, rows, origin, closed, quiet=as_json)


def _fail(
    workflow: Workflow,
    outcome: Any,
    rows: list[TaskRow],
    origin: datetime | None,
    closed: datetime | None,
    quiet: bool,
) -> None:
    if not quiet and rows:
        click.echo("", err=True)
        for line in gantt(rows, origin, closed):
            click.echo(line, err=True)
    raise CliError(
        f"workflow {workflow.name} {workflow.version} {outcome.status}: "
        f"{outcome.reason or 'no reason given'}",
        "--json prints the failure details (tracebacks included)" if outcome.details else None,
    )


COMMANDS = [run]
