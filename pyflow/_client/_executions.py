"""Starting, signalling, cancelling and terminating executions: the requests SWF takes, built
and checked here, with SWF's faults translated by `_faults`."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._exceptions import ArgumentTypeError, InvalidArgumentError
from .._logging import ExecutionLogger, runtime_log
from .._payloads import PayloadStore
from .._workflow._names import check_swf_name
from .._workflow._payload import MAX_DATA, encode
from ._faults import execution_error, fault_code, start_error

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

CHILD_POLICIES = ("TERMINATE", "REQUEST_CANCEL", "ABANDON")

MAX_TAGS = 5


def start(
    swf: SWFClient,
    domain: str,
    *,
    workflow_name: str,
    workflow_version: str,
    task_list: str | None = None,
    lambda_role: str | None = None,
    input: Any = None,
    workflow_id: str | None = None,
    tags: Sequence[str] | None = None,
    execution_timeout: int | None = None,
    payload_store: PayloadStore | None = None,
) -> str:
    """Start an execution and return its workflow id; `pyflow.start_workflow` documents the
    arguments. Safe under botocore's retries: a generated id that SWF reports as already open
    was opened by an earlier attempt of this very call (see `_started_by_an_earlier_attempt`)."""
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
        args["input"] = _encode_arg(input, "workflow input", payload_store)
    if task_list is not None:
        args["taskList"] = {"name": check_swf_name(task_list, "task_list")}
    if lambda_role is not None:
        args["lambdaRole"] = lambda_role
    if tags is not None:
        args["tagList"] = _check_tags(tags)
    if execution_timeout is not None:
        args["executionStartToCloseTimeout"] = str(_positive_seconds(execution_timeout))
    try:
        run_id = swf.start_workflow_execution(**args)["runId"]
    except ClientError as exc:
        if not (generated and _started_by_an_earlier_attempt(exc)):
            raise start_error(
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


def signal(
    swf: SWFClient,
    domain: str,
    *,
    workflow_id: str,
    signal_name: str,
    input: Any = None,
    run_id: str | None = None,
    payload_store: PayloadStore | None = None,
) -> None:
    """Send a signal to an open execution; `input` (any JSON value) becomes the SignalTask's
    output. Without `run_id` the signal goes to the execution's current open run."""
    args: dict[str, Any] = {
        "domain": domain,
        "workflowId": workflow_id,
        "signalName": check_swf_name(signal_name, "signal_name"),
        # JSON null when there is no input: it decodes to None just like a missing input,
        # and every SWF implementation accepts it (moto rejects a signal without input).
        "input": _encode_arg(input, f"signal {signal_name!r} input", payload_store),
    }
    if run_id is not None:
        args["runId"] = run_id
    try:
        swf.signal_workflow_execution(**args)
    except ClientError as exc:
        doing = f"deliver signal {signal_name!r}"
        raise execution_error(exc, swf, domain, workflow_id, doing) from exc
    ExecutionLogger(runtime_log, workflow_id, run_id or "?").info("sent signal %r", signal_name)


def cancel(
    swf: SWFClient, domain: str, *, workflow_id: str, run_id: str | None = None
) -> None:
    """Ask an open execution to cancel: its decider cancels the open tasks and closes it as
    CANCELED (unlike TerminateWorkflowExecution, which stops it at once)."""
    args: dict[str, Any] = {"domain": domain, "workflowId": workflow_id}
    if run_id is not None:
        args["runId"] = run_id
    try:
        swf.request_cancel_workflow_execution(**args)
    except ClientError as exc:
        raise execution_error(exc, swf, domain, workflow_id, "deliver the cancel request") from exc
    ExecutionLogger(runtime_log, workflow_id, run_id or "?").info("requested cancellation")


def terminate(
    swf: SWFClient,
    domain: str,
    *,
    workflow_id: str,
    run_id: str | None = None,
    reason: str | None = None,
    details: str | None = None,
    child_policy: str | None = None,
) -> None:
    """Close an open execution at once, with no decider involved (cancel lets the decider
    clean up first). `child_policy` overrides the execution's for its children."""
    args: dict[str, Any] = {"domain": domain, "workflowId": workflow_id}
    if child_policy is not None:
        policy = child_policy.upper()
        if policy not in CHILD_POLICIES:
            raise InvalidArgumentError(
                f"child_policy must be one of {', '.join(CHILD_POLICIES)}, not {child_policy!r}"
            )
        args["childPolicy"] = policy
    for key, value, limit in (("runId", run_id, None), ("reason", reason, 256),
                              ("details", details, MAX_DATA)):
        if value is not None:
            args[key] = value if limit is None else value[:limit]
    try:
        swf.terminate_workflow_execution(**args)
    except ClientError as exc:
        raise execution_error(exc, swf, domain, workflow_id, "terminate it") from exc
    ExecutionLogger(runtime_log, workflow_id, run_id or "?").info("terminated: %s", reason)


def _encode_arg(value: Any, what: str, store: PayloadStore | None) -> str:
    """`value` as JSON SWF takes: within its limit, or (with a store) offloaded beyond it."""
    try:
        text = encode(value, what=what, limit=MAX_DATA if store is None else None)
    except (TypeError, ValueError) as exc:
        raise ArgumentTypeError(f"{what} must be a JSON value: {exc}") from exc
    return text if store is None else store.offload(text)


def _check_tags(tags: Sequence[str]) -> list[str]:
    if isinstance(tags, str):
        raise ArgumentTypeError("tags must be a list of strings, not a single string")
    tag_list = list(tags)
    if len(tag_list) > MAX_TAGS:
        raise InvalidArgumentError(
            f"SWF allows at most {MAX_TAGS} tags per execution, not {len(tag_list)}"
        )
    for tag in tag_list:
        if not isinstance(tag, str) or len(tag) > 256:
            raise InvalidArgumentError(f"tag {tag!r} must be a string of at most 256 characters")
    return tag_list


def _positive_seconds(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgumentError(
            f"execution_timeout must be a positive whole number of seconds: {value!r}"
        )
    return value
