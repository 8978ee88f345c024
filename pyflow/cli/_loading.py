"""Importing user code named on the command line: workflows, Lambda handlers, activities.

Import problems become one-line errors that say which module and why; the current directory
is put on `sys.path` first, as `python -m` does, because the console script's own directory
is where Python would otherwise look.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any

from .._exceptions import PyflowError
from .._workflow._activity import Activity
from .._workflow._definition import Workflow
from .._workflow._tasks import ActivityTask, LambdaTask, WorkflowTask
from ._errors import CliError

PATH_HINT = "run pyflow from the directory that holds the module, or add it to PYTHONPATH"


def _add_cwd_to_path() -> None:
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f" ({os.path.relpath(last.filename)}, line {last.lineno})"


def import_module(name: str) -> ModuleType:
    """Import `name`, turning every failure into a CliError naming the module."""
    _add_cwd_to_path()
    if not name or any(not part.isidentifier() for part in name.split(".")):
        raise CliError(f"{name!r} is not a module name", "give a dotted name such as pkg.module")
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise CliError(f"no module named {name!r}", PATH_HINT) from None
        raise CliError(
            f"importing {name!r} failed: {exc}", "install the missing package"
        ) from exc
    except PyflowError as exc:
        raise CliError(f"importing {name!r} failed: {exc}") from exc
    except SyntaxError as exc:
        raise CliError(
            f"importing {name!r} failed: syntax error in {exc.filename}, line {exc.lineno}"
        ) from exc
    except Exception as exc:  # user code at import time: anything can happen
        raise CliError(
            f"importing {name!r} failed: {type(exc).__name__}: {exc}{_where(exc)}",
            "--debug shows the traceback",
        ) from exc


def load_object(target: str) -> Any:
    """The object `MODULE:ATTRIBUTE` names (the attribute may be dotted)."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not attribute:
        raise CliError(f"{target!r} is not MODULE:ATTRIBUTE", "for example handlers.strings:upcase")
    obj: Any = import_module(module_name)
    for part in attribute.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise CliError(f"module {module_name!r} has no attribute {attribute!r}") from None
    return obj


def _workflows_in(module: ModuleType) -> list[Workflow]:
    found: dict[int, Workflow] = {}
    for value in vars(module).values():
        if isinstance(value, Workflow):
            found.setdefault(id(value), value)
    return list(found.values())


def load_workflow(target: str) -> Workflow:
    """The workflow `MODULE:ATTRIBUTE` names, or the only workflow defined in `MODULE`."""
    if ":" in target:
        obj = load_object(target)
        if not isinstance(obj, Workflow):
            raise CliError(
                f"{target!r} is not a pyflow.Workflow (it is {type(obj).__name__})"
            )
        workflow = obj
    else:
        workflows = _workflows_in(import_module(target))
        if len(workflows) != 1:
            names = ", ".join(sorted(w.name for w in workflows)) or "none"
            raise CliError(
                f"module {target!r} defines {len(workflows)} workflows ({names})",
                f"name one as {target}:ATTRIBUTE",
            )
        workflow = workflows[0]
    try:
        return workflow.validate()
    except PyflowError as exc:
        raise CliError(f"workflow {target!r} is invalid: {exc}") from exc


def load_workflows(target: str) -> list[Workflow]:
    """Every workflow in `MODULE:ATTRIBUTE`, a module, or a package and its modules."""
    if ":" in target:
        return [load_workflow(target)]
    import pkgutil

    module = import_module(target)
    found = _workflows_in(module)
    for info in pkgutil.walk_packages(getattr(module, "__path__", []), prefix=target + "."):
        found.extend(_workflows_in(import_module(info.name)))
    unique = list({id(w): w for w in found}.values())
    if not unique:
        raise CliError(f"{target!r} defines no pyflow.Workflow", "give MODULE:ATTRIBUTE")
    return unique


def load_activities(target: str) -> list[Activity]:
    """Every `@pyflow.activity` function in `MODULE` (or the one `MODULE:ATTRIBUTE` names)."""
    if ":" in target:
        obj = load_object(target)
        if not isinstance(obj, Activity):
            raise CliError(f"{target!r} is not a function declared with @pyflow.activity")
        return [obj]
    module = import_module(target)
    found = [v for v in vars(module).values() if isinstance(v, Activity)]
    if not found:
        raise CliError(f"module {target!r} declares no @pyflow.activity functions")
    return list({id(a): a for a in found}.values())


def all_workflows(workflow: Workflow) -> list[Workflow]:
    """`workflow` and the pyflow child workflows it runs, transitively."""
    seen: dict[int, Workflow] = {}
    stack = [workflow]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen[id(current)] = current
        for task in current.tasks:
            if isinstance(task, WorkflowTask) and task.child_workflow is not None:
                stack.append(task.child_workflow)
    return list(seen.values())


def lambda_functions(workflow: Workflow) -> list[str]:
    """The Lambda function names `workflow` and its children call, in order, once each."""
    names = (
        task.lambda_function
        for wf in all_workflows(workflow)
        for task in wf.tasks
        if isinstance(task, LambdaTask)
    )
    return list(dict.fromkeys(names))


def activity_types(workflow: Workflow) -> list[tuple[str, str]]:
    pairs = (
        (task.activity_type, task.activity_version)
        for wf in all_workflows(workflow)
        for task in wf.tasks
        if isinstance(task, ActivityTask)
    )
    return list(dict.fromkeys(pairs))


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
        handler = _find_handler(name, loaded)
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


def _find_handler(name: str, modules: list[ModuleType]) -> Callable[..., Any] | None:
    for module in modules:
        table = getattr(module, "LAMBDAS", None)
        if isinstance(table, dict) and callable(table.get(name)):
            return table[name]  # type: ignore[no-any-return]
        for attribute in handler_candidates(name):
            value = getattr(module, attribute, None)
            if callable(value) and not isinstance(value, type):
                return value  # type: ignore[no-any-return]
    return None
