"""The command line's view of user code: `LoadError`s as one-line errors, plus CLI shortcuts.

Importing and searching modules is `pyflow._loading`'s job and walking child workflows is the
catalog's; this module only turns their exceptions into `CliError`s (message and hint) and
adds what only the command line offers: one workflow per command, and finding a Lambda
handler by a name derived from the function's (`string-upcase` -> `upcase`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from .. import _loading
from .._exceptions import LoadError, PyflowError
from .._workflow._activity import Activity
from .._workflow._catalog import activity_uses, reachable_workflows
from .._workflow._catalog import lambda_functions as _lambda_functions
from .._workflow._definition import Workflow
from ._errors import CliError

PATH_HINT = _loading.PATH_HINT


@contextmanager
def _as_cli_error() -> Iterator[None]:
    """Show a `LoadError` as `Error: <message>` and `Hint: <hint>`."""
    try:
        yield
    except LoadError as exc:
        raise CliError(str(exc), exc.hint) from exc


def import_module(name: str) -> ModuleType:
    """Import `name`, turning every failure into a CliError naming the module."""
    with _as_cli_error():
        return _loading.import_module(name)


def load_object(target: str) -> Any:
    """The object `MODULE:ATTRIBUTE` names (the attribute may be dotted)."""
    with _as_cli_error():
        return _loading.load_object(target)


def load_workflows(target: str) -> list[Workflow]:
    """Every workflow in `MODULE:ATTRIBUTE`, a module, or a package and its modules."""
    with _as_cli_error():
        return _loading.load_workflows(target)


def load_activities(target: str) -> list[Activity]:
    """Every `@pyflow.activity` function in `MODULE:ATTRIBUTE`, a module or a package."""
    with _as_cli_error():
        return _loading.load_activities(target)


def load_workflow(target: str, *, validate: bool = True) -> Workflow:
    """The one workflow `target` names, validated (unless told not to, to report on it):
    commands such as `run` and `graph` act on exactly one, so a module defining several must
    be narrowed to MODULE:ATTRIBUTE."""
    workflows = load_workflows(target)
    if len(workflows) != 1:
        names = ", ".join(sorted(w.name for w in workflows))
        raise CliError(
            f"{'' if ':' in target else 'module '}{target!r} defines {len(workflows)} "
            f"workflows ({names})",
            f"name one as {target.partition(':')[0]}:ATTRIBUTE",
        )
    if not validate:
        return workflows[0]
    try:
        return workflows[0].validate()
    except PyflowError as exc:
        raise CliError(f"workflow {target!r} is invalid: {exc}") from exc


def all_workflows(workflow: Workflow) -> list[Workflow]:
    """`workflow` and the pyflow child workflows it runs, transitively (see the catalog)."""
    return reachable_workflows(workflow)


def lambda_functions(workflow: Workflow) -> list[str]:
    """The Lambda function names `workflow` and its children call, in order, once each."""
    return _lambda_functions(workflow)


def activity_types(workflow: Workflow) -> list[tuple[str, str]]:
    """The (name, version) of every activity type `workflow` and its children schedule."""
    return list(activity_uses(workflow))


def handler_candidates(function_name: str) -> Iterable[str]:
    """Attribute names tried for a Lambda function under `--lambdas MODULE`.

    `string-upcase` tries `string_upcase`, then `upcase`: the whole name with '-' as '_',
    then each shorter '-'-separated suffix. A qualifier (`name:alias`) is ignored.
    """
    parts_of_arn = function_name.split(":")
    base = parts_of_arn[6] if function_name.startswith("arn:") else parts_of_arn[0]
    parts = base.split("-")
    for start in range(len(parts)):
        yield "_".join(parts[start:])


def lambda_handlers(
    workflow: Workflow, modules: Iterable[str], explicit: dict[str, str]
) -> dict[str, Callable[..., Any]]:
    """Map every Lambda function the workflow calls to a Python handler, or say which lacks one."""
    loaded = [import_module(m) for m in modules]
    handlers: dict[str, Callable[..., Any]] = {}
    for name, target in explicit.items():
        handler = load_object(target)
        if not callable(handler):
            raise CliError(f"--lambda {name}={target}: {target!r} is not callable")
        handlers[name] = handler
    missing: list[str] = []
    for name in lambda_functions(workflow):
        if name in handlers:
            continue
        handler = _loading.find_handler(loaded, name, handler_candidates(name))
        if handler is None:
            missing.append(name)
        else:
            handlers[name] = handler
    if missing:
        raise CliError(
            f"no Python handler for Lambda function(s): {', '.join(missing)}",
            "map each with --lambda NAME=MODULE:FUNCTION, or --lambdas MODULE with a function "
            f"named like {next(iter(handler_candidates(missing[0])))}",
        )
    return handlers
