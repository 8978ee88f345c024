"""Finding workflows and activities by name: 'package', 'package.module' or 'module:attribute'.

Used by the CLI and the decider Lambda, which are told where the user's definitions live
rather than handed the objects.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from types import ModuleType
from typing import Any, TypeVar

from ._exceptions import PyflowError
from ._workflow._activity import Activity
from ._workflow._definition import Workflow

T = TypeVar("T", Workflow, Activity)


def load_workflows(target: str) -> list[Workflow]:
    """The workflows `target` names: 'module:attribute' (a Workflow or a list of them), or
    every Workflow defined at module level in a module or, recursively, a package."""
    return _load(target, Workflow, "workflows")


def load_activities(target: str) -> list[Activity]:
    """The `@pyflow.activity` functions `target` names, found like `load_workflows`."""
    return _load(target, Activity, "activities")


def _load(target: str, kind: type[T], what: str) -> list[T]:
    if not isinstance(target, str) or not target.strip():
        raise PyflowError(
            f"expected 'package', 'package.module' or 'module:attribute', not {target!r}"
        )
    module_name, _, attribute = target.strip().partition(":")
    module = _import(module_name, target)
    if attribute:
        found = _from_attribute(module, attribute, kind, target)
    else:
        found = _from_modules(module, kind)
    if not found:
        raise PyflowError(f"no {what} found in {target!r}")
    return found


def _import(name: str, target: str) -> ModuleType:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        # A console script does not put the working directory on sys.path as `python -m` does.
        cwd = os.getcwd()
        if exc.name == name.split(".")[0] and cwd not in sys.path:
            sys.path.insert(0, cwd)
            return _import(name, target)
        raise PyflowError(f"cannot import {name!r} (from {target!r}): {exc}") from exc
    except Exception as exc:  # the user's module failed while importing
        raise PyflowError(
            f"importing {name!r} (from {target!r}) raised {type(exc).__name__}: {exc}"
        ) from exc


def _from_attribute(module: ModuleType, attribute: str, kind: type[T], target: str) -> list[T]:
    value: Any = module
    for part in attribute.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise PyflowError(
                f"{target!r}: module {module.__name__!r} has no attribute {attribute!r}"
            ) from None
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    for item in items:
        if not isinstance(item, kind):
            raise PyflowError(
                f"{target!r} is {item!r}, not a {_label(kind)} (or a list of them)"
            )
    return items


def _from_modules(module: ModuleType, kind: type[T]) -> list[T]:
    modules = [module]
    if hasattr(module, "__path__"):
        for info in pkgutil.walk_packages(module.__path__, prefix=module.__name__ + "."):
            if not info.name.rsplit(".", 1)[-1].startswith("_"):
                modules.append(_import(info.name, module.__name__))
    found: dict[int, T] = {}
    for mod in modules:
        for value in vars(mod).values():
            if isinstance(value, kind):
                found.setdefault(id(value), value)
    return list(found.values())


def _label(kind: type[Any]) -> str:
    return "pyflow.Workflow" if kind is Workflow else "function declared with @pyflow.activity"
