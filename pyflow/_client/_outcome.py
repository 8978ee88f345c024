"""Reading what became of an execution: its close status, result or failure, and each task's
state, all rebuilt from the execution's history (the only record SWF keeps)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._decider import execution_state
from .._exceptions import InvalidArgumentError, OutcomeTimeoutError, UnknownExecutionError
from .._payloads import PayloadStore, resolve_events
from .._workflow._definition import Workflow
from .._workflow._payload import MAX_DATA
from ._faults import execution_error, list_hint

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef

    from .._decider import TaskState

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Outcome:
    """An execution as its history shows it."""

    workflow_id: str
    run_id: str
    status: str
    """'OPEN', or SWF's close status: COMPLETED, FAILED, CANCELED, TIMED_OUT, TERMINATED,
    CONTINUED_AS_NEW."""
    result: Any = None
    """The workflow's result, decoded from JSON (COMPLETED only)."""
    reason: str | None = None
    """Why it failed, timed out or was terminated."""
    details: str | None = None
    """Failure details (usually a traceback or the failing task's details)."""
    history: list[HistoryEventTypeDef] = field(default_factory=list, repr=False)
    """Every history event, oldest first, as boto3 returns them."""
    tasks: dict[str, TaskState] = field(default_factory=dict, repr=False)
    """Each task's state, attempts and (repeating tasks) iteration, the start task first:
    'completed', 'failed', 'skipped' (its trigger rule or run_if ruled it out), 'waiting',
    and the states between. With the workflow definition,
    every task in workflow order (those not started yet as 'waiting'); without it, the
    tasks the history shows, in the order they first appear, and a failed attempt reads
    'failed' until a retry shows in the history (the retry policy is in the definition)."""

    runs: tuple[str, ...] = ()
    """The run ids of the logical execution, oldest first, when it continued as new (the
    outcome, `history` and `tasks` are the newest run's, whose state carries the rest)."""

    @property
    def is_open(self) -> bool:
        return self.status == "OPEN"


def get_outcome(
    swf: SWFClient,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    workflow: Workflow | None = None,
    payload_store: PayloadStore | None = None,
) -> Outcome:
    """The execution's outcome now (status 'OPEN' while it runs). Without `run_id`, the open
    run with this workflow id, else the latest closed one. `tasks` holds what the history
    shows; pass `workflow` (its definition) to add the tasks not started yet. Offloaded
    payloads are read back from `payload_store`.

    A run that continued as new is followed to the newest run of its chain: the outcome is
    that of the logical execution (`runs` lists the run ids followed)."""
    if run_id is None:
        run_id = latest_run_id(swf, domain, workflow_id)
    runs = [run_id]
    events = read_history(swf, domain, workflow_id, run_id)
    while (following := next_run(events)) is not None and following not in runs:
        runs.append(following)
        events = read_history(swf, domain, workflow_id, following)
    events = resolve_events(events, payload_store, where="reading the outcome")
    outcome = outcome_from_history(
        workflow_id, runs[-1], events, workflow, payload_limit=_limit(payload_store)
    )
    return replace(outcome, runs=tuple(runs))


def next_run(events: list[HistoryEventTypeDef]) -> str | None:
    """The run a run's history continued as, if it ended so."""
    last = events[-1] if events else None
    if last is None or last.get("eventType") != "WorkflowExecutionContinuedAsNew":
        return None
    attrs: Any = last.get("workflowExecutionContinuedAsNewEventAttributes") or {}
    run = attrs.get("newExecutionRunId")
    return run if isinstance(run, str) and run else None


def _limit(store: PayloadStore | None) -> int | None:
    """The payload limit the deciders work to: a client with a store expects them to have
    one too, so a long input they are about to offload is not shown as a failure."""
    return MAX_DATA if store is None else None


def wait_for_outcome(
    swf: SWFClient,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    workflow: Workflow | None = None,
    timeout: float | None = None,
    payload_store: PayloadStore | None = None,
    **polling: Any,
) -> Outcome:
    """Wait until the execution closes and return its outcome; OutcomeTimeoutError after
    `timeout` seconds (None: wait as long as it takes). A run that continues as new is
    followed to the end of its chain. `polling`: `wait_closed`'s intervals and `on_poll`."""
    if timeout is not None and timeout < 0:
        raise InvalidArgumentError(f"timeout must be None or >= 0 seconds, not {timeout!r}")
    if run_id is None:
        run_id = latest_run_id(swf, domain, workflow_id)
    deadline = None if timeout is None else time.monotonic() + timeout
    runs = [run_id]
    while True:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        wait_closed(swf, domain, workflow_id, runs[-1], timeout=left, **polling)
        outcome = get_outcome(swf, domain, workflow_id, runs[-1], workflow, payload_store)
        runs.extend(outcome.runs[1:])
        if not outcome.is_open:  # else the chain went on: wait for its newest run
            return replace(outcome, runs=tuple(runs))


def wait_closed(
    client: SWFClient,
    domain: str,
    workflow_id: str,
    run_id: str,
    *,
    timeout: float | None,
    min_interval: float = 0.05,
    max_interval: float = 2.0,
    on_poll: Callable[[], None] | None = None,
) -> None:
    """Poll DescribeWorkflowExecution (cheap) with growing intervals until the run closes."""
    deadline = None if timeout is None else time.monotonic() + timeout
    interval = min_interval
    while not _is_closed(client, domain, workflow_id, run_id):
        if on_poll is not None:
            on_poll()
        if deadline is not None and time.monotonic() >= deadline:
            raise OutcomeTimeoutError(
                f"execution {workflow_id!r} (run {run_id}) was still open after {timeout} s",
                code=None,
            )
        pause = interval if deadline is None else min(interval, deadline - time.monotonic())
        time.sleep(max(pause, 0.0))
        interval = min(interval * 1.5, max_interval)


def _is_closed(client: SWFClient, domain: str, workflow_id: str, run_id: str) -> bool:
    try:
        info = client.describe_workflow_execution(
            domain=domain, execution={"workflowId": workflow_id, "runId": run_id}
        )["executionInfo"]
    except ClientError as exc:
        raise _read_error(exc, client, domain, workflow_id) from exc
    return info.get("executionStatus") == "CLOSED"


def read_history(
    client: SWFClient, domain: str, workflow_id: str, run_id: str
) -> list[HistoryEventTypeDef]:
    """The whole history, oldest first, across pages."""
    events: list[HistoryEventTypeDef] = []
    token: str | None = None
    while True:
        args: dict[str, Any] = {
            "domain": domain,
            "execution": {"workflowId": workflow_id, "runId": run_id},
            "maximumPageSize": 1000,
        }
        if token:
            args["nextPageToken"] = token
        try:
            page = client.get_workflow_execution_history(**args)
        except ClientError as exc:
            raise _read_error(exc, client, domain, workflow_id) from exc
        events.extend(page["events"])
        token = page.get("nextPageToken")
        if not token:
            return sorted(events, key=lambda e: e["eventId"])


def latest_run_id(client: SWFClient, domain: str, workflow_id: str) -> str:
    """The open run with this workflow id, else the most recently started closed one."""
    for lister in (client.list_open_workflow_executions, client.list_closed_workflow_executions):
        runs = _list_runs(client, lister, domain, workflow_id)
        if runs:
            latest = max(runs, key=lambda info: info["startTimestamp"])
            return str(latest["execution"]["runId"])
    raise UnknownExecutionError(
        f"no execution with workflow id {workflow_id!r} in domain {domain!r}; "
        f"{list_hint(domain, open_only=False)}",
        code="UnknownResourceFault",
    )


def _list_runs(
    client: SWFClient, lister: Callable[..., Any], domain: str, workflow_id: str
) -> list[Any]:
    runs: list[Any] = []
    token: str | None = None
    while True:
        args: dict[str, Any] = {
            "domain": domain,
            "startTimeFilter": {"oldestDate": _EPOCH},
            "executionFilter": {"workflowId": workflow_id},
        }
        if token:
            args["nextPageToken"] = token
        try:
            page = lister(**args)
        except ClientError as exc:
            raise _read_error(exc, client, domain, workflow_id) from exc
        # Filter again here: some SWF emulators (moto) ignore executionFilter.
        runs.extend(
            i for i in page["executionInfos"] if i["execution"]["workflowId"] == workflow_id
        )
        token = page.get("nextPageToken")
        if not token:
            return runs


def outcome_from_history(
    workflow_id: str,
    run_id: str,
    events: list[HistoryEventTypeDef],
    workflow: Workflow | None,
    *,
    payload_limit: int | None = MAX_DATA,
) -> Outcome:
    state = execution_state(
        workflow,
        events,
        execution={"workflowId": workflow_id, "runId": run_id},
        payload_limit=payload_limit,
    )
    return Outcome(
        workflow_id=workflow_id,
        run_id=run_id,
        status=state.status,
        result=state.result,
        reason=state.reason,
        details=state.details,
        history=events,
        tasks=dict(state.tasks),
    )


def _read_error(exc: ClientError, client: SWFClient, domain: str, workflow_id: str) -> Exception:
    return execution_error(exc, client, domain, workflow_id, "describe it", open_only=False)
