"""`pyflow describe`: an execution's status, timing, result or failure, tasks and timeline."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.text import Text

from .._decider import execution_state
from .._decider._events import attributes
from .._workflow._definition import Workflow
from .._workflow._payload import MAX_DATA
from . import _render as r
from ._errors import CliError
from ._loading import all_workflows, load_workflows
from ._options import aws_options, json_option, options, payload_options, run_id_option
from ._reading import read_history
from ._timeline import ENDED, TaskRow, gantt, mermaid_gantt, rows_from_states

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import WorkflowExecutionTypeDef


def definitions_option(help_text: str) -> Callable[[Any], Any]:
    """`--workflows TARGET` (or PYFLOW_WORKFLOWS): where the execution's definition is."""
    return click.option(
        "--workflows",
        "definitions",
        metavar="TARGET",
        envvar="PYFLOW_WORKFLOWS",
        show_envvar=True,
        help=help_text,
    )


workflows_option = definitions_option(
    "Module or package with the workflow definition (adds tasks not started yet)."
)


def find_definition(target: str | None, name: str, version: str) -> Workflow | None:
    """The workflow named `name`/`version` in `target` (and its children), if given."""
    if not target:
        return None
    found = definition_in(load_workflows(target), name, version)
    if found is None:
        raise CliError(
            f"{target!r} has no workflow {name!r} version {version!r}",
            "--workflows must name the module or package that defines this execution's type",
        )
    return found


def definition_in(workflows: list[Workflow], name: str, version: str) -> Workflow | None:
    """The workflow named `name`/`version` among `workflows` and their children."""
    for workflow in workflows:
        for candidate in all_workflows(workflow):
            if (candidate.name, candidate.version) == (name, version):
                return candidate
    return None


def gather(
    workflow_id: str, run_id: str | None, definition: Workflow | str | None
) -> dict[str, Any]:
    """Everything describe shows, as plain data (which is also the --json output)."""
    return _gather(workflow_id, run_id, definition)[0]


def _gather(
    workflow_id: str, run_id: str | None, definition: Workflow | str | None
) -> tuple[dict[str, Any], list[Any]]:
    run, events = read_history(workflow_id, run_id)
    execution: WorkflowExecutionTypeDef = {"workflowId": workflow_id, "runId": run}
    known = definition if isinstance(definition, Workflow) else None
    # With a store, the deciders offload long inputs: not a failure to show.
    limit = None if options().payload_store() is not None else MAX_DATA
    state = execution_state(known, events, execution=execution, payload_limit=limit)
    wf_type = state.workflow_type or {"name": "?", "version": "?"}
    if not isinstance(definition, Workflow):
        found = find_definition(definition, wf_type["name"], wf_type["version"])
        if found is not None:  # read again for the tasks not started yet
            state = execution_state(found, events, execution=execution, payload_limit=limit)
    # "Now" for an open execution: a virtual-time engine's clock may be ahead of this one.
    latest = events[-1].get("eventTimestamp") if events else None
    now = datetime.now(UTC)
    if isinstance(latest, datetime):
        now = max(now, r.utc(latest))
    view: dict[str, Any] = {
        "workflowId": workflow_id,
        "runId": run,
        "domain": options().domain,
        "workflowType": wf_type,
        "status": state.status,
        "startedAt": state.started_at,
        "closedAt": state.closed_at,
        "tags": state.tags,
        "input": state.input,
        "result": state.result,
        "reason": state.reason,
        "details": state.details,
        "seconds": r.between(state.started_at, state.closed_at or now),
        "tasks": rows_from_states(state.tasks),
    }
    view["waitingForDecider"] = _unpicked_task_list(view, events)
    return view, events


def _unpicked_task_list(view: dict[str, Any], events: list[Any]) -> str | None:
    """The decision task list of an open execution no decider has taken a task of for
    NO_DECIDER_SECONDS: the usual reason an execution sits still is that nobody polls there."""
    if view["status"] != "OPEN" or (view["seconds"] or 0) < NO_DECIDER_SECONDS:
        return None
    if any(event["eventType"] == "DecisionTaskStarted" for event in events):
        return None
    task_list = attributes(events[0]).get("taskList", {}).get("name") if events else None
    return str(task_list or "?")


def view_json(view: dict[str, Any]) -> dict[str, Any]:
    data = dict(view)
    data["tasks"] = [row.as_json() for row in view["tasks"]]
    return data


def print_view(view: dict[str, Any]) -> None:
    status = view["status"]
    wf_type = view["workflowType"]
    closed = view["closedAt"]
    pairs = [
        ("Workflow", f"{wf_type['name']} {wf_type['version']}"),
        ("Workflow id", view["workflowId"]),
        ("Run id", view["runId"]),
        ("Status", r.styled(status, status)),
        ("Started", r.when(view["startedAt"]) + " UTC"),
        (
            "Closed" if closed else "Running for",
            f"{r.when(closed)} UTC (took {r.duration(view['seconds'])})"
            if closed
            else r.duration(view["seconds"]),
        ),
        ("Input", "(none)" if view["input"] is None else _preview(view["input"], 100)),
    ]
    if view["tags"]:
        pairs.append(("Tags", ", ".join(view["tags"])))
    if status == "COMPLETED":
        pairs.append(("Result", _preview(view["result"], 200)))
    elif view["reason"] or view["details"]:
        pairs.append(("Reason", str(view["reason"] or "-")))
        if view["details"]:
            pairs.append(("Details", _preview(view["details"], 300)))
    r.fields(pairs)
    if view.get("waitingForDecider"):
        task_list = view["waitingForDecider"]
        click.echo(
            f"Note: no decider has taken a decision task of this execution in "
            f"{r.duration(view['seconds'])}; is one polling task list {task_list!r}? "
            f"(`pyflow decider MODULE --task-list {task_list}`)"
        )
    rows: list[TaskRow] = view["tasks"]
    if not rows:
        return
    click.echo()
    r.table(
        ["TASK", "TYPE", "STATE", "ATTEMPTS", "START", "END", "DURATION"],
        [_task_cells(row) for row in rows],
        title=f"Tasks ({_progress(rows)})",
        style_column=2,
    )
    errors = [(row.name, row.error) for row in rows if row.error and row.state != "completed"]
    for name, error in errors:
        click.echo(f"  {name}: {error}")
    click.echo()
    click.echo("Timeline (UTC " + r.clock(view["startedAt"]) + " onwards)")
    bar = "█" if r.is_terminal() else "#"
    for line in gantt(rows, view["startedAt"], closed, bar=bar):
        click.echo(line)


def _preview(value: Any, limit: int) -> str:
    text = r.short(value, limit)
    return text + " (truncated; --json shows all)" if text.endswith("…") else text


def _task_cells(row: TaskRow) -> list[str]:
    return [
        row.name,
        row.what,
        row.label,
        str(row.attempts),
        r.clock(row.started_at),
        # a task between attempts or still running has no end yet, whatever its last attempt had
        r.clock(row.ended_at) if row.finished else "-",
        r.duration(row.seconds) if row.finished else "-",
    ]


def _progress(rows: list[TaskRow]) -> str:
    done = sum(row.state in ENDED for row in rows)
    running = [row.name for row in rows if row.state in ("running", "scheduled")]
    retrying = [row.name for row in rows if row.state == "retry_wait"]
    text = f"{done}/{len(rows)} done"
    skipped = sum(row.state == "skipped" for row in rows)
    text += f", {skipped} skipped" if skipped else ""
    text += f", running: {', '.join(running)}" if running else ""
    return text + (f", retrying: {', '.join(retrying)}" if retrying else "")


def show_outcome(workflow_id: str, definition: Workflow | None, *, as_json: bool) -> None:
    """Wait for an execution to close, print it as describe does, exit 1 unless COMPLETED.

    The workflow id goes to stderr at once (stdout is the outcome's), so a user waiting on an
    execution that no decider picks up knows which one to look at; after NO_DECIDER_SECONDS
    without a decision task started, a warning names the task list nobody polls.
    """
    click.echo(f"started {workflow_id}; waiting for it to close", err=True)
    view = watch_until_closed(
        workflow_id, None, definition, interval=0.5, quiet=as_json, warn_no_decider=True
    )
    if as_json:
        r.echo_json(view_json(view))
    else:
        print_view(view)
    if view["status"] != "COMPLETED":
        raise SystemExit(1)


def watch_until_closed(
    workflow_id: str,
    run_id: str | None,
    definition: Workflow | str | None,
    *,
    interval: float,
    quiet: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    warn_no_decider: bool = False,
) -> dict[str, Any]:
    """Re-read the execution every `interval` seconds, printing task changes, until it closes.

    On a terminal a spinner line shows tasks done of total and what is running.
    """
    if isinstance(definition, str):
        view = gather(workflow_id, run_id, definition)
        definition = find_definition(
            definition, view["workflowType"]["name"], view["workflowType"]["version"]
        )
    watcher = _Watcher(quiet=quiet)
    watcher.decider_deadline = time.monotonic() + NO_DECIDER_SECONDS if warn_no_decider else None
    if quiet or not r.is_terminal():
        return watcher.loop(workflow_id, run_id, definition, interval, sleep)
    with Console(stderr=True).status(f"watching {workflow_id}...") as status:
        watcher.status = status
        return watcher.loop(workflow_id, run_id, definition, interval, sleep)


NO_DECIDER_SECONDS = 30.0


class _Watcher:
    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.seen: dict[str, str] = {}
        self.status: Any = None
        self.decider_deadline: float | None = None

    def loop(
        self,
        workflow_id: str,
        run_id: str | None,
        definition: Workflow | None,
        interval: float,
        sleep: Callable[[float], None],
    ) -> dict[str, Any]:
        while True:
            view, events = _gather(workflow_id, run_id, definition)
            run_id = view["runId"]
            if not self.quiet:
                self.show(view["tasks"])
            if view["status"] != "OPEN":
                return view
            self.check_decider(events)
            sleep(interval)

    def check_decider(self, events: list[Any]) -> None:
        """Warn once when no decision task was started in time: nobody polls the task list."""
        if self.decider_deadline is None or time.monotonic() < self.decider_deadline:
            return
        self.decider_deadline = None
        if any(event["eventType"] == "DecisionTaskStarted" for event in events):
            return
        task_list = attributes(events[0]).get("taskList", {}).get("name", "?") if events else "?"
        self.echo(
            f"Warning: no decision task started after {NO_DECIDER_SECONDS:.0f}s; is a decider "
            f"polling task list {task_list!r}? (`pyflow decider MODULE --task-list "
            f"{task_list}`)"
        )

    def show(self, rows: list[TaskRow]) -> None:
        changed = False
        for row in rows:
            key = f"{row.state}/{row.attempts}/{row.iteration}"
            unchanged = self.seen.get(row.name) == key
            if unchanged or (row.name not in self.seen and row.state == "waiting"):
                self.seen.setdefault(row.name, key)
                continue
            self.seen[row.name] = key
            changed = True
            attempt = f" (attempt {row.attempts})" if row.attempts > 1 else ""
            attempt = "" if row.state == "retry_wait" else attempt  # the label names it
            # the history's time of the change; the start of a first attempt otherwise
            moment = row.changed_at or (row.ended_at if row.finished else row.started_at)
            self.echo(
                f"{r.clock(moment or datetime.now(UTC))}  {row.name:<20} "
                f"{r.styled(row.label, row.state)}{attempt}"
            )
        if self.status is not None:
            self.status.update(_progress(rows))
        elif changed:
            self.echo(f"  {_progress(rows)}")

    def echo(self, text: str) -> None:
        if self.status is None:
            click.echo(text, err=True)
            return
        self.status.console.print(Text.from_ansi(text), highlight=False)


@click.command(short_help="Show an execution's status, tasks, timeline.")
@click.argument("workflow_id")
@run_id_option
@workflows_option
@click.option("--watch", is_flag=True, help="Follow the execution until it closes.")
@click.option(
    "--gantt",
    is_flag=True,
    help="Print the timeline as a Mermaid Gantt chart (renders on GitHub) instead.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds between reads with --watch.",
)
@json_option
@aws_options
@payload_options
def describe(
    workflow_id: str,
    run_id: str | None,
    definitions: str | None,
    watch: bool,
    gantt: bool,
    interval: float,
    as_json: bool,
) -> None:
    """Show an execution: status, timing, result or failure, its tasks and a timeline.

    With --watch, print each task change until the execution closes, then the summary; the
    exit status is then 0 only if it COMPLETED.
    """
    if watch:
        view = watch_until_closed(workflow_id, run_id, definitions, interval=interval,
                                  quiet=as_json)
    else:
        view = gather(workflow_id, run_id, definitions)
    if as_json:
        r.echo_json(view_json(view))
    elif gantt:
        wf_type = view["workflowType"]
        title = f"{wf_type['name']} {wf_type['version']} {view['workflowId']} {view['status']}"
        chart = mermaid_gantt(title, view["tasks"], view["startedAt"], view["closedAt"])
        click.echo(chart, nl=False)
    else:
        print_view(view)
    if watch and view["status"] != "COMPLETED":
        raise SystemExit(1)


COMMANDS = [describe]
