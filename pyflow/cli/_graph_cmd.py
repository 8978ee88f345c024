"""`pyflow graph`: print a workflow as Mermaid or Graphviz DOT, optionally with task states."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .._decider import execution_state
from .._decider._events import attributes
from .._exceptions import PyflowError
from .._workflow._budget import MAX_EVENTS, estimate
from .._workflow._definition import Workflow
from . import _render as r
from ._errors import CliError
from ._graph import as_data, dot, mermaid
from ._loading import load_workflow
from ._options import aws_options, options, run_id_option
from ._reading import read_history
from ._render import to_json


@click.command(short_help="Print a workflow as Mermaid or DOT.")
@click.argument("workflow")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "json"], case_sensitive=False),
    default="mermaid",
    show_default=True,
    help="Mermaid (renders on GitHub and in most Markdown viewers), Graphviz DOT, or JSON.",
)
@click.option(
    "--workflow-id",
    help="Colour each task by its state in this execution (done, running, failed, waiting).",
)
@run_id_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to a file."
)
@click.option(
    "--budget",
    is_flag=True,
    help="Print the estimate validate() checks instead: history events, longest path, widest "
    "rank; exit 1 if the workflow is over budget.",
)
@aws_options
def graph(
    workflow: str,
    fmt: str,
    workflow_id: str | None,
    run_id: str | None,
    output: Path | None,
    budget: bool,
) -> None:
    """Print the task graph of WORKFLOW (MODULE:ATTRIBUTE).

    \b
      pyflow graph workflows.string_transformer:workflow > flow.mmd
      pyflow graph workflows.string_transformer:workflow --format dot | dot -Tsvg > flow.svg
      pyflow graph workflows.string_transformer:workflow --workflow-id ID --endpoint-url URL
      pyflow graph workflows.string_transformer:workflow --budget
    """
    if budget:
        show_budget(load_workflow(workflow, validate=False), as_json=fmt.lower() == "json")
        return
    definition = load_workflow(workflow)
    states: dict[str, Any] | None = None
    if workflow_id:
        run, events = read_history(workflow_id, run_id)
        _check_type(definition, workflow_id, events)
        state = execution_state(
            definition, events, execution={"workflowId": workflow_id, "runId": run}
        )
        states = dict(state.tasks)
        options()  # the domain and endpoint were used above
    renderers = {"mermaid": mermaid, "dot": dot, "json": lambda wf, st: to_json(as_data(wf, st))}
    text = renderers[fmt.lower()](definition, states)
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CliError(
                f"cannot write {output}: {exc.strerror or exc}",
                "check that the directory exists and is writable",
            ) from None
        click.echo(f"wrote {output}", err=True)


def show_budget(definition: Workflow, *, as_json: bool) -> None:
    """The estimate, and whether it fits (exit 1 with the reason if not)."""
    try:
        definition.validate()
        problem = None
    except PyflowError as exc:
        problem = str(exc)
    found = estimate(definition)
    runs = -(-found.events // definition.history_budget)
    if as_json:
        click.echo(to_json({
            "events": found.events, "maxEvents": MAX_EVENTS,
            "historyBudget": definition.history_budget, "runs": runs,
            "longestSeconds": found.longest_seconds, "longestPath": list(found.longest_path),
            "executionTimeout": definition.execution_timeout, "widest": found.widest,
            "problem": problem,
        }))
    else:
        r.fields([
            ("workflow", f"{definition.name} {definition.version}"),
            ("history events", f"about {found.events:,} (every attempt succeeding, loops at "
             f"max_iterations): {runs} run{'' if runs == 1 else 's'} of history_budget "
             f"{definition.history_budget:,}, each under SWF's {MAX_EVENTS:,}"),
            ("longest path", f"{r.duration(found.longest_seconds)} "
             f"({' -> '.join(found.longest_path)}), execution_timeout "
             f"{r.duration(definition.execution_timeout)}"),
            ("widest rank", f"{found.widest} task{'' if found.widest == 1 else 's'}"),
        ])
    if problem is not None:
        raise CliError(f"over budget: {problem}")


def _check_type(definition: Workflow, workflow_id: str, events: list[Any]) -> None:
    """Colouring one workflow's tasks by another workflow's history would draw nonsense."""
    wf_type = attributes(events[0]).get("workflowType", {}) if events else {}
    name, version = wf_type.get("name", "?"), wf_type.get("version", "?")
    if (name, version) != (definition.name, definition.version):
        raise CliError(
            f"execution {workflow_id} is {name} {version}, "
            f"not {definition.name} {definition.version}",
            "pass the MODULE:ATTRIBUTE of the workflow this execution runs",
        )


COMMANDS = [graph]
