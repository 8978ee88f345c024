"""Reading one execution for a command (its run id and history), with the messages a person
needs when the execution is unknown or already closed."""

from __future__ import annotations

from typing import Any

from .._client._outcome import next_run
from .._exceptions import UnknownExecutionError
from . import _render as r
from ._errors import CliError
from ._options import options


def unknown_execution(workflow_id: str, open_only: bool = False) -> CliError:
    which = "open execution" if open_only else "execution"
    return CliError(
        f"no {which} with workflow id {workflow_id!r} in domain {options().domain!r} "
        f"at {options().where()}",
        "`pyflow list` shows the executions in the domain (--domain picks another)",
    )


def explain_unknown(
    exc: Exception, workflow_id: str, *, open_only: bool, run_id: str | None = None
) -> Exception:
    """What to raise for `exc`: an execution that is unknown or closed said plainly, anything
    else as it is."""
    if not isinstance(exc, UnknownExecutionError):
        return exc
    closed = closed_execution(workflow_id, run_id) if open_only else None
    return closed or unknown_execution(workflow_id, open_only)


def closed_execution(workflow_id: str, run_id: str | None) -> CliError | None:
    """'already closed' for an action on an execution that exists but is no longer open."""
    try:
        info = execution_info(workflow_id, run_id)
    except Exception:
        return None  # really unknown (or unreadable): the plain "no open execution" error
    if info.get("executionStatus") != "CLOSED":
        return None
    status = info.get("closeStatus", "CLOSED")
    return CliError(
        f"execution {workflow_id} is already closed ({status} at "
        f"{r.when(info.get('closeTimestamp'))} UTC)",
        "only open executions take signals, cancel requests and terminations; "
        "`pyflow start` begins a new one",
    )


def execution_info(workflow_id: str, run_id: str | None) -> Any:
    """DescribeWorkflowExecution's `executionInfo` of the run (the current or latest one
    unless given): status, type and times, without reading the history."""
    client = options().pyflow()
    run = run_id or client.latest_run_id(workflow_id)
    return client.swf.describe_workflow_execution(
        domain=client.domain, execution={"workflowId": workflow_id, "runId": run}
    )["executionInfo"]


def read_history(workflow_id: str, run_id: str | None) -> tuple[str, list[Any]]:
    """The run id (the current or latest run unless given) and its events, oldest first; a
    run that continued as new is followed to the newest run of its chain, whose state holds
    the earlier runs' (see continue-as-new in the README)."""
    client = options().pyflow()
    try:
        run = run_id or client.latest_run_id(workflow_id)
        events = list(client.history(workflow_id, run))
        seen = {run}
        while (following := next_run(events)) is not None and following not in seen:
            seen.add(following)
            run, events = following, list(client.history(workflow_id, following))
        return run, events
    except UnknownExecutionError as exc:
        raise unknown_execution(workflow_id) from exc
