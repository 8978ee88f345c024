"""Commands that act on executions: start, signal, cancel, terminate, history."""

from __future__ import annotations

from typing import Any

import click
from botocore.exceptions import ClientError

from .._client import Client
from .._client._client import as_client
from .._exceptions import InvalidArgumentError, PyflowError
from .._workflow._definition import Workflow
from .._workflow._tasks import SignalTask
from .._workflow._tokens import decode_token
from . import _render as r
from ._describe import definition_in, definitions_option, show_outcome
from ._errors import CliError
from ._history import event_rows
from ._loading import load_workflow, load_workflows
from ._options import aws_options, json_option, options, payload_options, run_id_option
from ._reading import execution_info, explain_unknown, read_history
from ._values import parse_payload

MAX_TAGS = 5


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
@payload_options
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
    value = parse_payload(input_text)
    if len(tags) > MAX_TAGS:
        raise CliError(f"{len(tags)} tags given; SWF allows at most {MAX_TAGS} per execution")
    client = options().pyflow()
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
        client.register_domain()
        client.register(definition)
    new_id = client.start(
        name,
        version=version,
        task_list=task_list,
        lambda_role=lambda_role,
        input=value,
        workflow_id=workflow_id,
        tags=list(tags) or None,
        execution_timeout=execution_timeout,
    )
    if wait:
        show_outcome(new_id, definition, as_json=as_json)
        return
    if as_json:
        r.echo_json({"workflowId": new_id, "domain": client.domain})
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
@click.argument("workflow_id", required=False)
@click.argument("signal_name", required=False)
@click.option(
    "--token",
    metavar="TOKEN",
    help="The token a SignalTask's notifier received: it names the domain, the execution "
    "and the signal, in place of WORKFLOW_ID and SIGNAL_NAME.",
)
@click.option(
    "--input",
    "input_text",
    metavar="JSON",
    help="Signal input: JSON if it parses, @FILE to read a file, else plain text.",
)
@run_id_option
@definitions_option(
    "Module or package with the execution's workflow: warn if none of its SignalTasks waits "
    "for SIGNAL_NAME (the signal is sent all the same)."
)
@json_option
@aws_options
@payload_options
def signal(
    workflow_id: str | None,
    signal_name: str | None,
    token: str | None,
    input_text: str | None,
    run_id: str | None,
    definitions: str | None,
    as_json: bool,
) -> None:
    """Send SIGNAL_NAME to an open execution (a SignalTask waiting for it gets the input).

    SWF takes any signal name; with --workflows, a name the execution's workflow waits for
    nowhere is warned about on stderr, with the names it does wait for.

    \b
      pyflow signal order-17 Approved --input '{"by": "ana"}'
      pyflow signal --token pyflow-signal-1.WyJ... --input '"yes"'
    """
    client, workflow_id, signal_name = _signal_target(workflow_id, signal_name, token)
    value = parse_payload(input_text)
    # Imported before sending, so a TARGET that does not load stops the command untouched.
    loaded = load_workflows(definitions) if definitions else None
    try:
        client.signal(workflow_id, signal_name, value, run_id=run_id)
    except Exception as exc:
        raise explain_unknown(exc, workflow_id, open_only=True, run_id=run_id) from exc
    if loaded is not None:
        warning = _unawaited_signal(loaded, str(definitions), workflow_id, run_id, signal_name)
        if warning:
            click.echo(f"Warning: {warning}", err=True)
    _done(as_json, f"sent signal {signal_name!r} to {workflow_id}", signal=signal_name)


def _signal_target(
    workflow_id: str | None, signal_name: str | None, token: str | None
) -> tuple[Client, str, str]:
    """The client, execution and signal name the arguments (or the token) name."""
    client = options().pyflow()
    if token is None:
        if not workflow_id or not signal_name:
            raise CliError(
                "give WORKFLOW_ID and SIGNAL_NAME, or --token TOKEN",
                "the token is what a SignalTask's notifier received in its callback",
            )
        return client, workflow_id, signal_name
    if workflow_id or signal_name:
        raise CliError("give either --token or WORKFLOW_ID SIGNAL_NAME, not both")
    try:
        target = decode_token(token)
    except InvalidArgumentError as exc:
        raise CliError(str(exc)) from exc
    return as_client(client, target.domain), target.workflow_id, target.signal_name


def _unawaited_signal(
    loaded: list[Workflow], target: str, workflow_id: str, run_id: str | None, signal_name: str
) -> str | None:
    """Why `signal_name` reaches no SignalTask of the execution's workflow, if it does not."""
    try:
        info = execution_info(workflow_id, run_id)
    except (ClientError, PyflowError) as exc:
        return f"signal {signal_name!r} sent unchecked: cannot read the execution's type ({exc})"
    name, version = info["workflowType"]["name"], info["workflowType"]["version"]
    workflow = definition_in(loaded, name, version)
    if workflow is None:
        return (
            f"signal {signal_name!r} sent unchecked: {target!r} has no workflow {name!r} "
            f"version {version!r}, the type of {workflow_id}"
        )
    waited = sorted({t.signal_name for t in workflow.tasks if isinstance(t, SignalTask)})
    if signal_name in waited:
        return None
    return (
        f"no SignalTask of {name} {version} waits for signal {signal_name!r}; it waits for "
        f"{', '.join(repr(n) for n in waited) if waited else 'no signal at all'}. SWF took "
        "the signal anyway: it shows in the history and changes nothing"
    )


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
    try:
        options().pyflow().cancel(workflow_id, run_id=run_id)
    except Exception as exc:
        raise explain_unknown(exc, workflow_id, open_only=True, run_id=run_id) from exc
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
    try:
        options().pyflow().terminate(
            workflow_id, run_id=run_id, reason=reason, details=details, child_policy=child_policy
        )
    except Exception as exc:
        raise explain_unknown(exc, workflow_id, open_only=True, run_id=run_id) from exc
    _done(as_json, f"terminated {workflow_id}", action="terminate")


@click.command(short_help="Print an execution's history events.")
@click.argument("workflow_id")
@run_id_option
@click.option("--full", is_flag=True, help="Show payloads whole instead of cut to one line.")
@json_option
@aws_options
@payload_options
def history(workflow_id: str, run_id: str | None, full: bool, as_json: bool) -> None:
    """Print an execution's history events, one readable line each."""
    run, events = read_history(workflow_id, run_id)
    if as_json:
        r.echo_json({"workflowId": workflow_id, "runId": run, "events": events})
        return
    rows = event_rows(events, width=None if full else 80)
    r.table(["ID", "TIME", "+", "EVENT", "DETAILS"], rows, style_column=None)


COMMANDS = [start, signal, cancel, terminate, history]
