"""Commands that act on executions: start, signal, cancel, terminate, history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import _render as r
from ._client import aws_options, options
from ._errors import CliError
from ._history import event_rows
from ._loading import load_workflow
from ._values import parse_payload

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

MAX_TAGS = 5
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
run_id_option = click.option("--run-id", help="A specific run (default: the current or latest).")


def _unknown_execution(workflow_id: str, open_only: bool = False) -> CliError:
    which = "open execution" if open_only else "execution"
    return CliError(
        f"no {which} with workflow id {workflow_id!r} in domain {options().domain!r} "
        f"at {options().where()}",
        "`pyflow list` shows the executions in the domain (--domain picks another)",
    )


def _is_unknown_execution(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError

    from .._exceptions import UnknownExecutionError

    if isinstance(exc, UnknownExecutionError):
        return True
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return error.get("Code") == "UnknownResourceFault" and "domain" not in str(
            error.get("Message", "")
        ).lower()
    return False


def _reraise_unknown(
    exc: Exception, workflow_id: str, open_only: bool, run_id: str | None = None
) -> None:
    if _is_unknown_execution(exc):
        closed = _closed_execution(workflow_id, run_id) if open_only else None
        raise (closed or _unknown_execution(workflow_id, open_only)) from exc
    raise exc


def _closed_execution(workflow_id: str, run_id: str | None) -> CliError | None:
    """'already closed' for an action on an execution that exists but is no longer open."""
    client = options().client()
    try:
        run = run_id or resolve_run_id(client, workflow_id, None)
        info = client.describe_workflow_execution(
            domain=options().domain, execution={"workflowId": workflow_id, "runId": run}
        )["executionInfo"]
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


@click.command(short_help="Start an execution; print its workflow id.")
@click.argument("workflow")
@click.option(
    "--input",
    "input_text",
    metavar="JSON",
    help="Workflow input: JSON if it parses, @FILE to read a file, else plain text.",
)
@click.option("--workflow-id", help="Id for the execution (default: NAME-<uuid>).")
@click.option(
    "--workflow-version",
    metavar="VERSION",
    help="Treat WORKFLOW as a registered type name with this version.",
)
@click.option("--task-list", help="Decision task list (default: the type's).")
@click.option("--lambda-role", metavar="ARN", help="IAM role SWF assumes to invoke Lambda.")
@click.option("--tag", "tags", multiple=True, help="Execution tag (repeatable, at most 5).")
@click.option("--execution-timeout", type=click.IntRange(min=1), help="Seconds (default: type's).")
@click.option("--register", is_flag=True, help="Register the domain and types first.")
@click.option(
    "--wait",
    is_flag=True,
    help="Wait for the execution to close and print its outcome (the workflow id goes to "
    "stderr at once; exit status 0 only if it completed).",
)
@json_option
@aws_options
def start(
    workflow: str,
    input_text: str | None,
    workflow_id: str | None,
    workflow_version: str | None,
    task_list: str | None,
    lambda_role: str | None,
    tags: tuple[str, ...],
    execution_timeout: int | None,
    register: bool,
    wait: bool,
    as_json: bool,
) -> None:
    """Start an execution and print its workflow id.

    WORKFLOW is MODULE:ATTRIBUTE (a pyflow workflow; its name, version and task list are
    used), or a registered type name together with --workflow-version.

    \b
      pyflow start workflows.string_transformer:workflow --input World
      pyflow start StringTransformer --workflow-version 1.0 --input '"World"'
    """
    import pyflow

    value = parse_payload(input_text)
    if len(tags) > MAX_TAGS:
        raise CliError(f"{len(tags)} tags given; SWF allows at most {MAX_TAGS} per execution")
    opts = options()
    definition = None
    if workflow_version is None:
        definition = _load_definition(workflow)
        name, version = definition.name, definition.version
        task_list = task_list or definition.task_list
    else:
        name, version = workflow, workflow_version
    if register:
        if definition is None:
            raise CliError("--register needs WORKFLOW as MODULE:ATTRIBUTE")
        pyflow.ensure_domain_registered(opts.domain, client=opts.client())
        pyflow.ensure_workflow_registered(definition, domain=opts.domain, client=opts.client())
    new_id = pyflow.start_workflow(
        domain=opts.domain,
        workflow_name=name,
        workflow_version=version,
        task_list=task_list,
        lambda_role=lambda_role,
        input=value,
        workflow_id=workflow_id,
        tags=list(tags) or None,
        execution_timeout=execution_timeout,
        client=opts.client(),
    )
    if wait:
        from ._describe import show_outcome

        show_outcome(new_id, definition, as_json=as_json)
        return
    if as_json:
        r.echo_json({"workflowId": new_id, "domain": opts.domain})
    else:
        click.echo(new_id)


def _load_definition(workflow: str) -> Any:
    """The workflow to start; a bare name that is no module was meant as a type name."""
    try:
        return load_workflow(workflow)
    except CliError as exc:
        if exc.message != f"no module named {workflow!r}":
            raise
        raise CliError(
            f"{workflow!r} is neither MODULE:ATTRIBUTE nor a module with one workflow",
            f"to start a registered type by name, add its version: pyflow start {workflow} "
            "--workflow-version VERSION",
        ) from exc


@click.command(short_help="Send a signal to an open execution.")
@click.argument("workflow_id")
@click.argument("signal_name")
@click.option(
    "--input",
    "input_text",
    metavar="JSON",
    help="Signal input: JSON if it parses, @FILE to read a file, else plain text.",
)
@run_id_option
@json_option
@aws_options
def signal(
    workflow_id: str, signal_name: str, input_text: str | None, run_id: str | None, as_json: bool
) -> None:
    """Send SIGNAL_NAME to an open execution (a SignalTask waiting for it gets the input)."""
    import pyflow

    value = parse_payload(input_text)
    opts = options()
    try:
        pyflow.signal_workflow(
            domain=opts.domain,
            workflow_id=workflow_id,
            signal_name=signal_name,
            input=value,
            run_id=run_id,
            client=opts.client(),
        )
    except Exception as exc:
        _reraise_unknown(exc, workflow_id, open_only=True, run_id=run_id)
    _done(as_json, f"sent signal {signal_name!r} to {workflow_id}", signal=signal_name)


def _done(as_json: bool, message: str, **extra: Any) -> None:
    if as_json:
        r.echo_json({"workflowId": click.get_current_context().params["workflow_id"], **extra})
    else:
        click.echo(message)


@click.command(short_help="Ask an open execution to cancel.")
@click.argument("workflow_id")
@run_id_option
@json_option
@aws_options
def cancel(workflow_id: str, run_id: str | None, as_json: bool) -> None:
    """Ask an open execution to cancel; its decider cancels open tasks and closes it."""
    import pyflow

    opts = options()
    try:
        pyflow.cancel_workflow(
            domain=opts.domain, workflow_id=workflow_id, run_id=run_id, client=opts.client()
        )
    except Exception as exc:
        _reraise_unknown(exc, workflow_id, open_only=True, run_id=run_id)
    _done(as_json, f"requested cancellation of {workflow_id}", action="cancel")


@click.command(short_help="Stop an open execution at once.")
@click.argument("workflow_id")
@run_id_option
@click.option("--reason", help="Recorded in the WorkflowExecutionTerminated event.")
@click.option("--details", help="Recorded in the WorkflowExecutionTerminated event.")
@click.option(
    "--child-policy",
    type=click.Choice(["TERMINATE", "REQUEST_CANCEL", "ABANDON"], case_sensitive=False),
    help="What happens to child executions (default: the execution's policy).",
)
@json_option
@aws_options
def terminate(
    workflow_id: str,
    run_id: str | None,
    reason: str | None,
    details: str | None,
    child_policy: str | None,
    as_json: bool,
) -> None:
    """Stop an open execution at once (no decider involved; prefer `cancel` to clean up)."""
    opts = options()
    args: dict[str, Any] = {"domain": opts.domain, "workflowId": workflow_id}
    for key, value in (
        ("runId", run_id),
        ("reason", reason),
        ("details", details),
        ("childPolicy", child_policy.upper() if child_policy else None),
    ):
        if value is not None:
            args[key] = value
    try:
        opts.client().terminate_workflow_execution(**args)
    except Exception as exc:
        _reraise_unknown(exc, workflow_id, open_only=True, run_id=run_id)
    _done(as_json, f"terminated {workflow_id}", action="terminate")


def resolve_run_id(client: SWFClient, workflow_id: str, run_id: str | None) -> str:
    """`run_id`, or the open run with this workflow id, else the latest closed one."""
    if run_id:
        return run_id
    from .._client._outcome import latest_run_id

    try:
        return latest_run_id(client, options().domain, workflow_id)
    except Exception as exc:
        _reraise_unknown(exc, workflow_id, open_only=False)
        raise


def read_history(workflow_id: str, run_id: str | None) -> tuple[str, list[Any]]:
    from .._client._outcome import read_history as read

    client = options().client()
    run = resolve_run_id(client, workflow_id, run_id)
    try:
        return run, list(read(client, options().domain, workflow_id, run))
    except Exception as exc:
        _reraise_unknown(exc, workflow_id, open_only=False)
        raise


@click.command(short_help="Print an execution's history events.")
@click.argument("workflow_id")
@run_id_option
@click.option("--full", is_flag=True, help="Show payloads whole instead of cut to one line.")
@json_option
@aws_options
def history(workflow_id: str, run_id: str | None, full: bool, as_json: bool) -> None:
    """Print an execution's history events, one readable line each."""
    run, events = read_history(workflow_id, run_id)
    if as_json:
        r.echo_json({"workflowId": workflow_id, "runId": run, "events": events})
        return
    rows = event_rows(events, width=None if full else 80)
    r.table(["ID", "TIME", "+", "EVENT", "DETAILS"], rows, style_column=None)


COMMANDS = [start, signal, cancel, terminate, history]
