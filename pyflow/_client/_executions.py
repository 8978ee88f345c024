"""Starting, signalling and cancelling executions, with SWF's faults turned into clear errors."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._exceptions import (
    DeprecatedError,
    SWFError,
    UnknownExecutionError,
    UnknownTypeError,
    WorkflowAlreadyStartedError,
)
from .._logging import ExecutionLogger, runtime_log
from .._workflow._names import check_swf_name
from .._workflow._payload import MAX_DATA, encode
from ._factory import fault_code, fault_message, resolve_client
from ._register import domain_exists, unknown_domain

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

MAX_TAGS = 5


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
    client: SWFClient | None = None,
) -> str:
    """Start an execution and return its workflow id (`<name>-<uuid4>` unless given).

    Safe under botocore's retries: if SWF started the execution but its answer was lost and
    the retried call finds the execution already started, the generated id is returned (it
    is unique, so the open execution is this call's). A `workflow_id` given by the caller
    still raises WorkflowAlreadyStartedError, since pyflow cannot tell whose execution it is.

    `input` is any JSON value; it is JSON-encoded, so `input="World"` reaches the start task
    as the string 'World'. `task_list`, `lambda_role` and `execution_timeout` (seconds)
    default to the workflow type's registered defaults (the task list of a type registered
    by `ensure_workflow_registered` without one is DEFAULT_DECIDER_TASK_LIST,
    'pyflow-decider').
    """
    generated = workflow_id is None
    if workflow_id is None:
        workflow_id = f"{workflow_name[:200]}-{uuid.uuid4()}"
    check_swf_name(workflow_id, "workflow_id")
    args: dict[str, Any] = {
        "domain": domain,
        "workflowId": workflow_id,
        "workflowType": {"name": workflow_name, "version": workflow_version},
    }
    if input is not None:
        args["input"] = _encode_arg(input, "workflow input")
    if task_list is not None:
        args["taskList"] = {"name": check_swf_name(task_list, "task_list")}
    if lambda_role is not None:
        args["lambdaRole"] = lambda_role
    if tags is not None:
        args["tagList"] = _check_tags(tags)
    if execution_timeout is not None:
        args["executionStartToCloseTimeout"] = str(_positive_seconds(execution_timeout))
    swf = resolve_client(client)
    try:
        run_id = swf.start_workflow_execution(**args)["runId"]
    except ClientError as exc:
        if not (generated and _started_by_an_earlier_attempt(exc)):
            raise _start_error(
                exc, swf, domain, workflow_name, workflow_version, workflow_id
            ) from exc
        run_id = "?"  # SWF's answer with the runId was lost; get_outcome finds the run
    ExecutionLogger(runtime_log, workflow_id, run_id).info(
        "started %s %s in domain %r", workflow_name, workflow_version, domain
    )
    return workflow_id


def _started_by_an_earlier_attempt(exc: ClientError) -> bool:
    """Whether the execution SWF says is already open was started by an earlier attempt of
    this very call: botocore retried (after a throttling or network error whose request SWF
    had in fact processed), and only an execution with this fresh uuid id can be open."""
    if fault_code(exc) != "WorkflowExecutionAlreadyStartedFault":
        return False
    metadata: Any = exc.response.get("ResponseMetadata", {})
    retries = metadata.get("RetryAttempts", 0)
    return isinstance(retries, int) and retries > 0


def signal_workflow(
    *,
    domain: str,
    workflow_id: str,
    signal_name: str,
    input: Any = None,
    run_id: str | None = None,
    client: SWFClient | None = None,
) -> None:
    """Send a signal to an open execution; `input` (any JSON value) becomes the SignalTask's
    output. Without `run_id` the signal goes to the execution's current open run."""
    args: dict[str, Any] = {
        "domain": domain,
        "workflowId": workflow_id,
        "signalName": check_swf_name(signal_name, "signal_name"),
        # JSON null when there is no input: it decodes to None just like a missing input,
        # and every SWF implementation accepts it (moto rejects a signal without input).
        "input": _encode_arg(input, f"signal {signal_name!r} input"),
    }
    if run_id is not None:
        args["runId"] = run_id
    swf = resolve_client(client)
    try:
        swf.signal_workflow_execution(**args)
    except ClientError as exc:
        raise _execution_error(exc, swf, domain, workflow_id, f"signal {signal_name!r}") from exc
    ExecutionLogger(runtime_log, workflow_id, run_id or "?").info("sent signal %r", signal_name)


def cancel_workflow(
    *,
    domain: str,
    workflow_id: str,
    run_id: str | None = None,
    client: SWFClient | None = None,
) -> None:
    """Ask an open execution to cancel: its decider cancels the open tasks and closes it as
    CANCELED (unlike TerminateWorkflowExecution, which stops it at once)."""
    args: dict[str, Any] = {"domain": domain, "workflowId": workflow_id}
    if run_id is not None:
        args["runId"] = run_id
    swf = resolve_client(client)
    try:
        swf.request_cancel_workflow_execution(**args)
    except ClientError as exc:
        raise _execution_error(exc, swf, domain, workflow_id, "cancel request") from exc
    ExecutionLogger(runtime_log, workflow_id, run_id or "?").info("requested cancellation")


def _encode_arg(value: Any, what: str) -> str:
    try:
        return encode(value, what=what, limit=MAX_DATA)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{what} must be a JSON value: {exc}") from exc


def _check_tags(tags: Sequence[str]) -> list[str]:
    if isinstance(tags, str):
        raise TypeError("tags must be a list of strings, not a single string")
    tag_list = list(tags)
    if len(tag_list) > MAX_TAGS:
        raise ValueError(f"SWF allows at most {MAX_TAGS} tags per execution, not {len(tag_list)}")
    for tag in tag_list:
        if not isinstance(tag, str) or len(tag) > 256:
            raise ValueError(f"tag {tag!r} must be a string of at most 256 characters")
    return tag_list


def _positive_seconds(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"execution_timeout must be a positive whole number of seconds: {value!r}")
    return value


def _start_error(
    exc: ClientError, client: SWFClient, domain: str, name: str, version: str, workflow_id: str
) -> SWFError:
    code = fault_code(exc)
    what = f"workflow type {name!r} version {version!r}"
    if code == "WorkflowExecutionAlreadyStartedFault":
        return WorkflowAlreadyStartedError(
            f"an execution with workflow id {workflow_id!r} is already open in domain "
            f"{domain!r}; wait for it to close or choose another workflow id",
            code=code,
        )
    if code == "TypeDeprecatedFault":
        return DeprecatedError(f"{what} is deprecated in domain {domain!r}", code=code)
    if code == "DefaultUndefinedFault":
        return SWFError(
            f"{what} has no registered default for a setting the start request left out "
            f"({fault_message(exc)}); pass task_list= (or register the type with a default "
            "task list via pyflow.ensure_workflow_registered(..., task_list=...))",
            code=code,
        )
    if code == "UnknownResourceFault":
        if not domain_exists(client, domain):
            return unknown_domain(domain)
        return UnknownTypeError(
            f"{what} is not registered in domain {domain!r}; register it with "
            "pyflow.ensure_workflow_registered(workflow, domain=...)",
            code=code,
        )
    return SWFError(f"SWF refused to start {what}: {code}: {fault_message(exc)}", code=code)


def _execution_error(
    exc: ClientError, client: SWFClient, domain: str, workflow_id: str, what: str
) -> SWFError:
    code = fault_code(exc)
    if code == "UnknownResourceFault":
        if not domain_exists(client, domain):
            return unknown_domain(domain)
        return UnknownExecutionError(
            f"cannot deliver {what}: no open execution with workflow id {workflow_id!r} in "
            f"domain {domain!r} ({fault_message(exc)})",
            code=code,
        )
    return SWFError(f"SWF refused the {what} for {workflow_id!r}: {code}: {exc}", code=code)
