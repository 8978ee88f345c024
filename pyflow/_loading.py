"""Importing the user's modules and finding what they define: workflows, activities, handlers.

The CLI, the decider Lambda and the CDK stack are told where the user's definitions live
('package', 'package.module' or 'module:attribute') rather than handed the objects. Every
failure is a `LoadError` that says which module, why, and where in the user's code, so each
caller can show it in one line without a traceback.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
import pkgutil
import sys
import sysconfig
import traceback
from collections.abc import Callable, Iterable, Iterator
from types import ModuleType
from typing import Any, TypeVar

from ._exceptions import LoadError, PyflowError
from ._workflow._activity import Activity
from ._workflow._definition import Workflow

T = TypeVar("T")
K = TypeVar("K", Workflow, Activity)

PATH_HINT = "run pyflow from the directory that holds the module, or add it to PYTHONPATH"


@functools.cache
def _library_dirs() -> tuple[str, ...]:
    """Directories whose frames are not the user's code: the line to point at is the last one
    outside them (a ValueError raised by json.loads is reported where the user called it).
    Computed on the first load error, not at import: it reads the interpreter's build data."""
    paths = sysconfig.get_paths()
    return tuple(
        {paths[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
        | {os.path.dirname(os.path.abspath(__file__))}
    )


_NOTHING_FOUND = {
    Workflow: ("defines no pyflow.Workflow", "define one at module level"),
    Activity: ("declares no @pyflow.activity functions", "declare them with @pyflow.activity"),
}
_KIND_LABEL = {Workflow: "a pyflow.Workflow", Activity: "a function declared with @pyflow.activity"}


def load_workflows(target: str) -> list[Workflow]:
    """The workflows `target` names: 'module:attribute' (a Workflow or a list of them), or
    every Workflow defined at module level in a module or, recursively, a package."""
    return _load(target, Workflow)


def load_activities(target: str) -> list[Activity]:
    """The `@pyflow.activity` functions `target` names, found like `load_workflows`."""
    return _load(target, Activity)


def import_module(name: str) -> ModuleType:
    """Import `name` as `python -m` would (the current directory first on `sys.path`).

    A console script or a Lambda handler does not put the working directory on `sys.path`,
    yet that is where users expect their modules to be found.
    """
    _add_cwd_to_path()
    if not isinstance(name, str) or not name or not all(p.isidentifier() for p in name.split(".")):
        raise LoadError(
            f"{name!r} is not a module name", module=str(name),
            hint="give a dotted name such as pkg.module",
        )
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise LoadError(f"no module named {name!r}", module=name, hint=PATH_HINT) from None
        raise _import_failed(name, exc, str(exc), "install the missing package") from exc
    except SyntaxError as exc:
        raise LoadError(
            f"importing {name!r} failed: syntax error in {exc.filename}, line {exc.lineno}",
            module=name, filename=exc.filename, lineno=exc.lineno, hint="fix the syntax there",
        ) from exc
    except PyflowError as exc:
        raise _import_failed(name, exc, str(exc), "fix the definition at that line") from exc
    except Exception as exc:  # user code at import time: anything can happen
        raise _import_failed(
            name, exc, f"{type(exc).__name__}: {exc}", "fix the module at that line"
        ) from exc


def import_package(name: str) -> list[ModuleType]:
    """The module `name` and, if it is a package, its modules and sub-packages, recursively.

    Names starting with '_' are skipped (and private packages not entered): they are the
    package's internals, which may not even import on their own.
    """
    module = import_module(name)
    return [module, *_submodules(module)]


def _submodules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.iter_modules(getattr(package, "__path__", []), package.__name__ + "."):
        if info.name.rsplit(".", 1)[-1].startswith("_"):
            continue
        module = import_module(info.name)
        yield module
        if info.ispkg:
            yield from _submodules(module)


def load_object(target: str) -> Any:
    """The object `MODULE:ATTRIBUTE` names (the attribute may be dotted)."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not attribute:
        raise LoadError(
            f"{target!r} is not MODULE:ATTRIBUTE", module=module_name or None,
            hint="for example handlers.strings:upcase",
        )
    value: Any = import_module(module_name)
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise LoadError(
                f"module {module_name!r} has no attribute {attribute!r}", module=module_name,
                hint="check the name after ':'",
            ) from None
    return value


def objects_of(modules: Iterable[ModuleType], kind: type[T]) -> list[T]:
    """The module-level objects of `kind` in `modules`, in definition order, each object once
    (an alias, or a re-export in a package's `__init__`, is not a second object)."""
    found: dict[int, T] = {}
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, kind):
                found.setdefault(id(value), value)
    return list(found.values())


def module_handlers(module: ModuleType) -> dict[str, Callable[..., Any]]:
    """Every Lambda handler a module offers: its `LAMBDAS` dict, else each public function it
    defines, by its name with '_' as '-' (`string_upcase` serves `string-upcase`)."""
    table = getattr(module, "LAMBDAS", None)
    if isinstance(table, dict):
        return {str(k): v for k, v in table.items() if callable(v)}
    return {
        attr.replace("_", "-"): value
        for attr, value in vars(module).items()
        if not attr.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == module.__name__
    }


def find_handler(
    modules: Iterable[ModuleType], function_name: str, attributes: Iterable[str]
) -> Callable[..., Any] | None:
    """The Python handler for Lambda function `function_name` in the first module that has one.

    A module's `LAMBDAS` dict (function name to handler) wins over its attributes, then the
    first callable among `attributes` is taken; classes are skipped, as calling one would
    build an object instead of handling the event.
    """
    names = list(attributes)
    for module in modules:
        table = getattr(module, "LAMBDAS", None)
        if isinstance(table, dict) and callable(table.get(function_name)):
            return table[function_name]  # type: ignore[no-any-return]
        for attribute in names:
            value = getattr(module, attribute, None)
            if callable(value) and not isinstance(value, type):
                return value  # type: ignore[no-any-return]
    return None


def _load(target: str, kind: type[K]) -> list[K]:
    if not isinstance(target, str) or not target.strip():
        raise LoadError(
            f"expected 'package', 'package.module' or 'module:attribute', not {target!r}",
            hint="for example workflows or workflows.orders:workflow",
        )
    target = target.strip()
    module_name = target.partition(":")[0]
    if ":" in target:
        found = _of_kind(target, load_object(target), kind)
    else:
        found = objects_of(import_package(target), kind)
    if not found:
        problem, fix = _NOTHING_FOUND[kind]
        raise LoadError(
            f"module {target!r} {problem}" if ":" not in target else f"{target!r} is empty",
            module=module_name, hint=f"{fix}, or name it as MODULE:ATTRIBUTE",
        )
    return found


def _of_kind(target: str, value: Any, kind: type[K]) -> list[K]:
    """`value` as a list of `kind`, for 'module:attribute' naming one object or a list."""
    module = target.partition(":")[0]
    if not isinstance(value, (list, tuple)):
        if not isinstance(value, kind):
            raise LoadError(
                f"{target!r} is not {_KIND_LABEL[kind]} (it is {type(value).__name__})",
                module=module, hint=f"name {_KIND_LABEL[kind]} or a list of them",
            )
        return [value]
    for item in value:
        if not isinstance(item, kind):
            raise LoadError(
                f"{target!r} holds {item!r}, not {_KIND_LABEL[kind]}", module=module,
                hint=f"list only {_KIND_LABEL[kind]} objects",
            )
    return list(value)


def _add_cwd_to_path() -> None:
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)


def _import_failed(name: str, exc: BaseException, why: str, hint: str) -> LoadError:
    filename, lineno = _user_frame(exc)
    where = f" ({os.path.relpath(filename)}, line {lineno})" if filename else ""
    return LoadError(
        f"importing {name!r} failed: {why}{where}",
        module=name, hint=hint, filename=filename, lineno=lineno,
    )


def _user_frame(exc: BaseException) -> tuple[str | None, int | None]:
    """The file and line in the user's code where `exc` was raised, or passed through last."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if not frame.filename.startswith("<") and not frame.filename.startswith(_library_dirs()):
            return frame.filename, frame.lineno
    if frames and not frames[-1].filename.startswith("<"):
        return frames[-1].filename, frames[-1].lineno
    return None, None
