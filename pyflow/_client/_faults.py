"""SWF's faults turned into pyflow errors that say what went wrong and what to do: the only
place botocore's ClientError is translated.

SWF answers an unknown domain, type and execution alike with UnknownResourceFault, so the
translation asks SWF once more (DescribeDomain) before blaming the domain; everything else is
named from the call being made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._exceptions import (
    DeprecatedError,
    SWFError,
    UnknownDomainError,
    UnknownExecutionError,
    UnknownTypeError,
    WorkflowAlreadyStartedError,
)

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

UNKNOWN = "UnknownResourceFault"


def fault_code(exc: BaseException) -> str | None:
    """SWF's fault name ('UnknownResourceFault', 'ThrottlingException', ...) of a ClientError."""
    if isinstance(exc, ClientError):
        error: Any = exc.response.get("Error", {})
        code = error.get("Code")
        return str(code) if code else None
    return None


def fault_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error: Any = exc.response.get("Error", {})
        return str(error.get("Message") or exc)
    return str(exc)


def swf_error(exc: ClientError, doing: str) -> SWFError:
    """A fault with nothing more specific to say: SWF's code and message, and what was tried."""
    code = fault_code(exc)
    return SWFError(f"SWF refused {doing}: {code}: {fault_message(exc)}", code=code)


def unknown_domain(domain: str) -> UnknownDomainError:
    return UnknownDomainError(
        f"SWF domain {domain!r} does not exist in this account and region; create it with "
        f"pyflow.ensure_domain_registered({domain!r}) or deploy the pyflow CDK stack",
        code=UNKNOWN,
    )


def domain_exists(client: SWFClient, domain: str) -> bool:
    """Whether `domain` exists, to tell an unknown domain from an unknown execution or type.
    True when SWF cannot say (another fault), so the caller reports its own error rather than
    a guess."""
    try:
        client.describe_domain(name=domain)
    except ClientError as exc:
        return fault_code(exc) != UNKNOWN
    return True


def execution_error(
    exc: ClientError,
    client: SWFClient,
    domain: str,
    workflow_id: str,
    doing: str,
    *,
    open_only: bool = True,
) -> SWFError:
    """A fault from a call about one execution: signal, cancel and terminate need an open one
    (`open_only`), describe and history any run SWF still keeps."""
    code = fault_code(exc)
    if code == UNKNOWN:
        if not domain_exists(client, domain):
            return unknown_domain(domain)
        missing = f"no {'open ' if open_only else ''}execution with workflow id {workflow_id!r}"
        prefix = f"cannot {doing}: " if open_only else ""
        return UnknownExecutionError(
            f"{prefix}{missing} in domain {domain!r} ({fault_message(exc)}); "
            f"{list_hint(domain, open_only=open_only)}",
            code=code,
        )
    return SWFError(f"SWF refused to {doing} for {workflow_id!r}: {code}: {exc}", code=code)


def list_hint(domain: str, *, open_only: bool) -> str:
    """Where to look up the workflow ids an unknown-execution error could have meant."""
    which = ", status='open'" if open_only else ""
    return f"pyflow.list_executions(domain={domain!r}{which}) lists the ones there are"


def start_error(
    exc: ClientError, client: SWFClient, domain: str, name: str, version: str, workflow_id: str
) -> SWFError:
    """A fault from StartWorkflowExecution, each with the fix."""
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
    if code == UNKNOWN:
        if not domain_exists(client, domain):
            return unknown_domain(domain)
        return UnknownTypeError(
            f"{what} is not registered in domain {domain!r}; register it with "
            "pyflow.ensure_workflow_registered(workflow, domain=...)",
            code=code,
        )
    return SWFError(f"SWF refused to start {what}: {code}: {fault_message(exc)}", code=code)
