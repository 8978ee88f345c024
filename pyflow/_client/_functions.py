"""The module-level API (`pyflow.start_workflow`, `pyflow.signal_workflow`, ...): each call
builds a `Client` from its `client=` and `domain=` and delegates, so the two spellings share
one implementation. `client=` takes a boto3 SWF client or a `pyflow.Client`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._workflow._activity import Activity
from .._workflow._definition import Workflow
from ._client import Client, as_client
from ._outcome import Outcome
from ._pages import ExecutionPage

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

def ensure_domain_registered(
    domain: str, *, retention_days: int = 30, client: Client | SWFClient | None = None
) -> None:
    """Register `domain` unless it exists; a deprecated domain is an error (it accepts no work).

    `retention_days` (0-90) is how long SWF keeps closed executions' histories.
    """
    as_client(client, domain).register_domain(retention_days=retention_days)


def ensure_workflow_registered(
    workflow: Workflow,
    *,
    domain: str,
    task_list: str | None = None,
    lambda_role: str | None = None,
    client: Client | SWFClient | None = None,
) -> None:
    """Register `workflow`'s type, its pyflow child workflows' types and its activity types.

    Idempotent. Each workflow type's default task list is its own `task_list`, else
    `task_list` given here, else DEFAULT_DECIDER_TASK_LIST ('pyflow-decider', which
    `poll_for_executions` and the CDK stack's decider poll by default). A type always gets a
    default, so `start_workflow` without `task_list` (and `aws swf start-workflow-execution`
    without `--task-list`) work, and so do children started without one; pass `task_list`
    when your decider polls another list. `lambda_role` becomes the types' default Lambda
    role, so executions started without one can still run Lambda tasks. Activity types get
    their `@pyflow.activity` timeouts as defaults ("NONE" where unset).
    """
    as_client(client, domain).register(workflow, task_list=task_list, lambda_role=lambda_role)


def ensure_activity_registered(
    activity: Activity, *, domain: str, client: Client | SWFClient | None = None
) -> None:
    """Register one `@pyflow.activity` type (idempotent), e.g. for a worker started first."""
    as_client(client, domain).register_activity(activity)


def start_workflow(
    *,
    domain: str,
    workflow_name: str,
    workflow_version: str,
    task_list: str | None = None,
    lambda_role: str | None = None,
    input: Any = None,
    workflow_id: str | None = None,
    tags: Sequence[str] | None = None,
    execution_timeout: int | None = None,
    client: Client | SWFClient | None = None,
) -> str:
    """Start an execution and return its workflow id (`<name>-<uuid4>` unless given).

    Safe under botocore's retries: if SWF started the execution but its answer was lost and
    the retried call finds the execution already started, the generated id is returned (it
    is unique, so the open execution is this call's). A `workflow_id` given by the caller
    still raises WorkflowAlreadyStartedError, since pyflow cannot tell whose execution it is.

    `input` is any JSON value; it is JSON-encoded, so `input="World"` reaches the start task
    as the string 'World'. `task_list`, `lambda_role` and `execution_timeout` (seconds)
    default to the workflow type's registered defaults (the task list of a type registered
    by `ensure_workflow_registered` without one is 'pyflow-decider').
    """
    return as_client(client, domain).start(
        workflow_name,
        version=workflow_version,
        input=input,
        workflow_id=workflow_id,
        task_list=task_list,
        lambda_role=lambda_role,
        tags=tags,
        execution_timeout=execution_timeout,
    )


def signal_workflow(
    *,
    domain: str,
    workflow_id: str,
    signal_name: str,
    input: Any = None,
    run_id: str | None = None,
    client: Client | SWFClient | None = None,
) -> None:
    """Send a signal to an open execution; `input` (any JSON value) becomes the SignalTask's
    output. Without `run_id` the signal goes to the execution's current open run."""
    as_client(client, domain).signal(workflow_id, signal_name, input, run_id=run_id)


def complete_signal(
    token: str, input: Any = None, *, client: Client | SWFClient | None = None
) -> None:
    """Send the signal a SignalTask's notifier received `token` for, with `input` (any JSON
    value) as the task's output. The token names the domain, workflow id and signal name."""
    as_client(client, None).complete_signal(token, input)


def cancel_workflow(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    client: Client | SWFClient | None = None,
) -> None:
    """Ask an open execution to cancel: its decider cancels the open tasks and closes it as
    CANCELED (unlike TerminateWorkflowExecution, which stops it at once)."""
    as_client(client, domain).cancel(workflow_id, run_id=run_id)


def terminate_workflow(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    reason: str | None = None,
    details: str | None = None,
    child_policy: str | None = None,
    client: Client | SWFClient | None = None,
) -> None:
    """Close an open execution at once as TERMINATED, with no decider involved (prefer
    `cancel_workflow` to let it clean up). `reason` (cut to 256 characters) and `details`
    are recorded in the history; `child_policy` ('TERMINATE', 'REQUEST_CANCEL' or
    'ABANDON') overrides the execution's for its open children. Without `run_id`, the
    current open run; an execution that is not open is UnknownExecutionError."""
    as_client(client, domain).terminate(
        workflow_id, run_id=run_id, reason=reason, details=details, child_policy=child_policy
    )


def list_executions(
    *,
    domain: str,
    status: str = "all",
    workflow_type: str | None = None,
    type_version: str | None = None,
    tag: str | None = None,
    workflow_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 100,
    page_token: str | None = None,
    client: Client | SWFClient | None = None,
) -> ExecutionPage:
    """Executions newest first, as boto3 describes them (`executionInfos` items).

    Open and closed together unless `status` is 'open', 'closed' or one close status
    ('COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT', 'CONTINUED_AS_NEW'). Any
    mix of `workflow_type` (and `type_version`), `tag`, `workflow_id` and start time window
    (`since` <= start <= `until`; naive times are UTC) filters them. At most `limit` come
    back (None: every match); the page's `next_page_token` is None when nothing is left,
    else pass it back as `page_token` (with the same filters) for the next page.
    """
    return as_client(client, domain).list_executions(
        status=status,
        workflow_type=workflow_type,
        type_version=type_version,
        tag=tag,
        workflow_id=workflow_id,
        since=since,
        until=until,
        limit=limit,
        page_token=page_token,
    )


def get_outcome(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    workflow: Workflow | None = None,
    client: Client | SWFClient | None = None,
) -> Outcome:
    """The execution's outcome now (status 'OPEN' while it runs). Without `run_id`, the open
    run with this workflow id, else the latest closed one. `tasks` holds what the history
    shows; pass `workflow` (its definition) to add the tasks not started yet."""
    return as_client(client, domain).describe_execution(workflow_id, run_id, workflow=workflow)


def describe_execution(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    workflow: Workflow | None = None,
    client: Client | SWFClient | None = None,
) -> Outcome:
    """The `Outcome` of an open or closed execution, as `get_outcome` (whose name it is
    beside `list_executions` and `terminate_workflow`): status, result or failure, history,
    and `tasks`, each task's state. UnknownExecutionError when there is no such execution."""
    return get_outcome(
        domain=domain, workflow_id=workflow_id, run_id=run_id, workflow=workflow, client=client
    )


def wait_for_outcome(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    workflow: Workflow | None = None,
    timeout: float | None = None,
    client: Client | SWFClient | None = None,
) -> Outcome:
    """Wait until the execution closes and return its outcome; OutcomeTimeoutError after
    `timeout` seconds (None: wait as long as it takes)."""
    return as_client(client, domain).wait_for_outcome(
        workflow_id, run_id, workflow=workflow, timeout=timeout
    )
