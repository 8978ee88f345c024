"""Idempotent registration of the domain, workflow types and activity types.

SWF types are immutable once registered: re-registering is a no-op here (TypeAlreadyExists is
success), and a type registered earlier with a different default task list is reported in the
log rather than silently assumed to match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from botocore.exceptions import ClientError

from .._exceptions import ArgumentTypeError, DeprecatedError, InvalidArgumentError
from .._logging import runtime_log
from .._workflow._activity import Activity
from .._workflow._catalog import ActivityUse, activity_uses, workflow_closure
from .._workflow._definition import Workflow
from ._faults import fault_code, swf_error, unknown_domain

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

NO_LIMIT = "NONE"
DEFAULT_DECIDER_TASK_LIST: Final = "pyflow-decider"
"""The decision task list of workflow types registered without one (neither
`Workflow.task_list` nor `task_list=`), and the one `poll_for_executions` polls by default;
the CDK stack's decider polls it too unless configured otherwise."""


def register_domain(swf: SWFClient, domain: str, *, retention_days: int = 30) -> None:
    """Register `domain` unless it exists; a deprecated domain is an error (it accepts no work).

    `retention_days` (0-90) is how long SWF keeps closed executions' histories.
    """
    if isinstance(retention_days, bool) or not isinstance(retention_days, int):
        raise ArgumentTypeError(
            f"retention_days must be a whole number of days, not {retention_days!r}"
        )
    if not 0 <= retention_days <= 90:
        raise InvalidArgumentError(f"retention_days must be between 0 and 90, not {retention_days}")
    try:
        swf.register_domain(
            name=domain, workflowExecutionRetentionPeriodInDays=str(retention_days)
        )
        runtime_log.info("registered SWF domain %r", domain)
    except ClientError as exc:
        if fault_code(exc) != "DomainAlreadyExistsFault":
            raise swf_error(exc, f"registering domain {domain!r}") from exc
    check_domain(domain, swf)


def check_domain(domain: str, client: SWFClient) -> None:
    """Raise a clear error unless `domain` exists and is not deprecated."""
    try:
        info = client.describe_domain(name=domain)["domainInfo"]
    except ClientError as exc:
        if fault_code(exc) == "UnknownResourceFault":
            raise unknown_domain(domain) from exc
        raise swf_error(exc, f"describing domain {domain!r}") from exc
    if info.get("status") == "DEPRECATED":
        raise DeprecatedError(
            f"SWF domain {domain!r} is deprecated and accepts no new work; undeprecate it "
            "(aws swf undeprecate-domain) or use another domain",
            code="DomainDeprecatedFault",
        )


def register_workflow(
    swf: SWFClient,
    domain: str,
    workflow: Workflow,
    *,
    task_list: str | None = None,
    lambda_role: str | None = None,
) -> None:
    """Register the types `workflow` needs (its own, its pyflow children's, its activities');
    `pyflow.ensure_workflow_registered` documents the defaults each type gets."""
    check_domain(domain, swf)
    workflows = list(workflow_closure(workflow).values())
    for wf in workflows:
        default_list = wf.task_list or task_list or DEFAULT_DECIDER_TASK_LIST
        _register_workflow_type(wf, domain, default_list, lambda_role, swf)
    for use in activity_uses(workflows).values():
        _register_activity_type(use, domain, swf)


def register_activity(swf: SWFClient, domain: str, activity: Activity) -> None:
    """Register one `@pyflow.activity` type (idempotent), e.g. for a worker started first."""
    check_domain(domain, swf)
    _register_activity(activity.name, activity.version, _activity_defaults(activity), domain, swf)


def _register_workflow_type(
    workflow: Workflow,
    domain: str,
    task_list: str,
    lambda_role: str | None,
    client: SWFClient,
) -> None:
    args: dict[str, Any] = {
        "domain": domain,
        "name": workflow.name,
        "version": workflow.version,
        "defaultTaskStartToCloseTimeout": str(workflow.decision_timeout),
        "defaultExecutionStartToCloseTimeout": str(workflow.execution_timeout),
        "defaultChildPolicy": workflow.child_policy,
        "defaultTaskList": {"name": task_list},
    }
    if lambda_role:
        args["defaultLambdaRole"] = lambda_role
    if workflow.description:
        args["description"] = workflow.description[:1024]
    what = f"workflow type {workflow.name!r} version {workflow.version!r}"
    try:
        client.register_workflow_type(**args)
        runtime_log.info("registered %s in domain %r", what, domain)
        return
    except ClientError as exc:
        if fault_code(exc) != "TypeAlreadyExistsFault":
            raise swf_error(exc, f"registering {what}") from exc
    detail = client.describe_workflow_type(
        domain=domain, workflowType={"name": workflow.name, "version": workflow.version}
    )
    _check_not_deprecated(detail["typeInfo"].get("status"), what, "workflow")
    registered = detail["configuration"].get("defaultTaskList", {}).get("name")
    if registered is None:
        runtime_log.warning(
            "%s was registered earlier without a default task list; SWF types are immutable, "
            "so starting it without a task list fails (DefaultUndefinedFault): pass task_list= "
            "when starting it, or register a new version to get the default %r",
            what,
            task_list,
        )
    elif registered != task_list:
        runtime_log.warning(
            "%s was registered earlier with default task list %r, not %r; SWF types are "
            "immutable, so executions started without a task list go to %r (register a new "
            "version to change it)",
            what,
            registered,
            task_list,
            registered,
        )


def _activity_defaults(activity: Activity | None, use: ActivityUse | None = None) -> dict[str, Any]:
    """Registration defaults: the declaration's timeouts, else the task's, else "NONE"."""

    def pick(attr: str) -> str:
        value = getattr(activity, attr, None) if activity is not None else None
        if value is None and use is not None:
            value = getattr(use.task, attr, None)
        return NO_LIMIT if value is None else str(value)

    defaults: dict[str, Any] = {
        "defaultTaskScheduleToStartTimeout": pick("schedule_to_start_timeout"),
        "defaultTaskStartToCloseTimeout": pick("start_to_close_timeout"),
        "defaultTaskScheduleToCloseTimeout": pick("schedule_to_close_timeout"),
        "defaultTaskHeartbeatTimeout": pick("heartbeat_timeout"),
    }
    task_list = activity.task_list if activity is not None else (use.task_list if use else None)
    if task_list:
        defaults["defaultTaskList"] = {"name": task_list}
    if activity is not None and activity.description:
        defaults["description"] = activity.description[:1024]
    return defaults


def _register_activity_type(use: ActivityUse, domain: str, client: SWFClient) -> None:
    _register_activity(use.name, use.version, _activity_defaults(use.activity, use), domain, client)


def _register_activity(
    name: str, version: str, defaults: dict[str, Any], domain: str, client: SWFClient
) -> None:
    what = f"activity type {name!r} version {version!r}"
    try:
        client.register_activity_type(domain=domain, name=name, version=version, **defaults)
        runtime_log.info("registered %s in domain %r", what, domain)
        return
    except ClientError as exc:
        if fault_code(exc) != "TypeAlreadyExistsFault":
            raise swf_error(exc, f"registering {what}") from exc
    detail = client.describe_activity_type(
        domain=domain, activityType={"name": name, "version": version}
    )
    _check_not_deprecated(detail["typeInfo"].get("status"), what, "activity")


def _check_not_deprecated(status: str | None, what: str, kind: str) -> None:
    if status == "DEPRECATED":
        raise DeprecatedError(
            f"{what} is deprecated, so SWF will not run it; undeprecate it (aws swf "
            f"undeprecate-{kind}-type) or register a new version",
            code="TypeDeprecatedFault",
        )
