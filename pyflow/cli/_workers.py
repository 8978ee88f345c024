"""Long-running and setup commands: register, decider, worker."""

from __future__ import annotations

from typing import Any

import click

from .._client import DEFAULT_DECIDER_TASK_LIST
from .._worker import poll_for_activities, poll_for_executions
from . import _render as r
from ._errors import CliError
from ._loading import lambda_functions, load_activities, load_workflows
from ._options import aws_options, json_option, options, payload_options

DEFAULT_TASK_LIST = DEFAULT_DECIDER_TASK_LIST
"""The decider task list of the CDK stack, so CLI deciders and the deployed one agree."""

task_list_option = click.option(
    "--task-list",
    envvar="PYFLOW_TASK_LIST",
    show_envvar=True,
    help=f"Decision task list (default: the workflow's own, else {DEFAULT_TASK_LIST}).",
)
iterations_option = click.option(
    "--iterations",
    type=click.IntRange(min=1),
    help="Stop after this many polls (default: run until Ctrl-C / SIGTERM).",
)
identity_option = click.option("--identity", help="Poller identity recorded in the history.")


def _decider_task_list(workflows: list[Any], given: str | None) -> str:
    if given:
        return given
    own = {w.task_list for w in workflows if w.task_list}
    if len(own) > 1:
        raise CliError(
            f"the workflows use different task lists ({', '.join(sorted(own))})",
            "run one decider per task list with --task-list",
        )
    return own.pop() if own else DEFAULT_TASK_LIST


@click.command(short_help="Register the domain and workflow types.")
@click.argument("target")
@task_list_option
@click.option("--lambda-role", metavar="ARN", help="Default IAM role for Lambda tasks.")
@click.option(
    "--retention-days",
    type=click.IntRange(0, 90),
    default=30,
    show_default=True,
    help="For a new domain: days SWF keeps closed executions.",
)
@json_option
@aws_options
def register(
    target: str, task_list: str | None, lambda_role: str | None, retention_days: int, as_json: bool
) -> None:
    """Register the domain and the workflow types (with their activity types) in TARGET.

    TARGET is MODULE:ATTRIBUTE, a module or a package. Registering again is harmless.
    """
    workflows = load_workflows(target)
    opts = options()
    client = opts.pyflow()
    client.register_domain(retention_days=retention_days)
    default_list = _decider_task_list(workflows, task_list)
    existing = {(w.name, w.version): _existing_defaults(w) for w in workflows}
    for workflow in workflows:
        client.register(
            workflow,
            task_list=task_list or workflow.task_list or default_list,
            lambda_role=lambda_role,
        )
    registered = [
        _registered_item(w, task_list or w.task_list or default_list, existing[w.name, w.version])
        for w in workflows
    ]
    if as_json:
        r.echo_json({"domain": opts.domain, "workflowTypes": registered})
        return
    click.echo(f"domain {opts.domain!r} ready")
    for item in registered:
        name = f"{item['name']} {item['version']}"
        if item["alreadyRegistered"]:
            role = item.get("lambdaRole")
            click.echo(
                f"workflow type {name} already registered; defaults unchanged "
                f"(task list {item['taskList']}, Lambda role {role or 'none'})"
            )
        else:
            click.echo(f"registered workflow type {name} (task list {item['taskList']})")
    _warn_without_lambda_role(workflows, registered, lambda_role)
    if any(item["alreadyRegistered"] for item in registered) and (lambda_role or task_list):
        click.echo(
            "Note: SWF types cannot change; register a new workflow version to change their "
            "default task list or Lambda role, or pass them to `pyflow start`",
            err=True,
        )


def _warn_without_lambda_role(
    workflows: list[Any], registered: list[dict[str, Any]], given: str | None
) -> None:
    """Types with Lambda tasks but no default role: their executions need a role at start, or
    every Lambda task fails later with ASSUME_ROLE_FAILED."""
    roles = {
        (i["name"], i["version"]): i.get("lambdaRole") if i["alreadyRegistered"] else given
        for i in registered
    }
    needing = [
        f"{w.name} {w.version}"
        for w in workflows
        if not roles.get((w.name, w.version)) and lambda_functions(w)
    ]
    if needing:
        click.echo(
            f"Warning: {', '.join(needing)} call Lambda functions but have no default Lambda "
            "role: start their executions with --lambda-role (or lambda_role=), or register "
            "a new version with --lambda-role; otherwise every Lambda task fails with "
            "ASSUME_ROLE_FAILED",
            err=True,
        )


def _existing_defaults(workflow: Any) -> dict[str, Any] | None:
    """The configuration of `workflow`'s type if SWF already has it (types are immutable, so
    registering again changes nothing), else None."""
    opts = options()
    try:
        found = opts.client().describe_workflow_type(
            domain=opts.domain,
            workflowType={"name": workflow.name, "version": workflow.version},
        )
    except Exception:
        return None  # unknown type (or domain just created): it is registered now
    return dict(found.get("configuration", {}))


def _registered_item(
    workflow: Any, task_list: str, existing: dict[str, Any] | None
) -> dict[str, Any]:
    item: dict[str, Any] = {"name": workflow.name, "version": workflow.version}
    if existing is None:
        item.update(taskList=task_list, alreadyRegistered=False)
        return item
    current = existing.get("defaultTaskList", {}).get("name", task_list)
    item.update(taskList=current, alreadyRegistered=True)
    if existing.get("defaultLambdaRole"):
        item["lambdaRole"] = existing["defaultLambdaRole"]
    return item


@click.command(short_help="Run the decider loop for workflows.")
@click.argument("target")
@task_list_option
@iterations_option
@identity_option
@click.option("--register", "do_register", is_flag=True, help="Register domain and types first.")
@json_option
@aws_options
@payload_options
def decider(
    target: str,
    task_list: str | None,
    iterations: int | None,
    identity: str | None,
    do_register: bool,
    as_json: bool,
) -> None:
    """Run the decider for the workflows in TARGET (MODULE:ATTRIBUTE, module or package).

    Stateless: stop it any time and start another; executions continue where they were.
    """
    workflows = load_workflows(target)
    opts = options()
    client = opts.pyflow()
    task_list = _decider_task_list(workflows, task_list)
    if do_register:
        client.register_domain()
        for workflow in workflows:
            client.register(workflow, task_list=task_list)
    names = ", ".join(f"{w.name} {w.version}" for w in workflows)
    click.echo(
        f"deciding {names} on task list {task_list!r} in domain {opts.domain!r} "
        f"({opts.where()}); Ctrl-C stops",
        err=True,
    )
    stats = poll_for_executions(
        workflows,
        domain=opts.domain,
        task_list=task_list,
        num_iterations=iterations,
        identity=identity,
        client=opts.client(),
        payload_store=opts.payload_store(),
    )
    if stats.errors and not (stats.decision_tasks or stats.empty_polls):
        raise CliError(
            f"no poll of task list {task_list!r} reached SWF at {opts.where()} "
            f"({stats.errors} failed)",
            "is the endpoint right and reachable? (`pyflow local serve` prints its URL)",
        )
    data = {
        "decisionTasks": stats.decision_tasks,
        "decisions": stats.decisions,
        "errors": stats.errors,
        "emptyPolls": stats.empty_polls,
    }
    if as_json:
        r.echo_json(data)
    else:
        click.echo(
            f"decider stopped: {stats.decision_tasks} decision tasks, {stats.decisions} "
            f"decisions, {stats.errors} errors, {stats.empty_polls} empty polls"
        )


@click.command(short_help="Run activity workers.")
@click.argument("target")
@click.option("--task-list", help="Activity task list (default: the activities' own).")
@iterations_option
@identity_option
@click.option("--register", "do_register", is_flag=True, help="Register the activity types.")
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Activities run at once (one poller thread each).",
)
@aws_options
@payload_options
def worker(
    target: str,
    task_list: str | None,
    iterations: int | None,
    identity: str | None,
    do_register: bool,
    concurrency: int,
) -> None:
    """Run the @pyflow.activity functions in TARGET for the tasks on their task list."""
    activities = load_activities(target)
    opts = options()
    lists = {a.task_list for a in activities}
    if task_list is None and len(lists) > 1:
        raise CliError(
            f"the activities use different task lists ({', '.join(sorted(lists))})",
            "run one worker per task list with --task-list",
        )
    chosen = task_list or lists.pop()
    if do_register:
        for act in activities:
            opts.pyflow().register_activity(act)
    names = ", ".join(f"{a.name} {a.version}" for a in activities)
    click.echo(
        f"working on {names} from task list {chosen!r} in domain {opts.domain!r} "
        f"({opts.where()}), {concurrency} at a time; Ctrl-C stops",
        err=True,
    )
    poll_for_activities(
        activities,
        domain=opts.domain,
        task_list=chosen,
        num_iterations=iterations,
        identity=identity,
        client=opts.client(),
        concurrency=concurrency,
        payload_store=opts.payload_store(),
    )
    click.echo("worker stopped", err=True)


COMMANDS = [register, decider, worker]
