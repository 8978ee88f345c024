"""Reads a workflows package in a child process, standing in stubs for the packages that only
the workflows layer installs, and prints what the stack needs as one line of JSON.

Run as `python _discovery_child.py PROJECT_ROOT PACKAGE`; `describe` is also imported by
`infra.discovery` for workflows given as objects. Only pyflow is imported from the CDK's
virtualenv on purpose: nothing here may need aws_cdk, so the child starts in a fraction of a
second.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

STUBBED: list[str] = []
"""Top-level modules replaced by stubs in this process, in the order they were asked for."""


class _StubMeta(type):
    """Whatever a module does with a missing package at import time gets another stub: an
    attribute, a call, a subscript (`List[Model]`), a base class, `X | None`. A call with one
    callable and nothing else returns that callable, so a decorator from a missing package
    (`@retry`, `@app.task`) leaves the decorated function, a `@pyflow.activity` included."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _stub(f"{cls.__qualname__}.{name}")

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        (only,) = args if len(args) == 1 and not kwargs else (None,)
        if callable(only) and not isinstance(only, _StubMeta):
            return only
        return _stub(f"{cls.__qualname__}()")

    def __getitem__(cls, _: Any) -> Any:
        return cls

    def __or__(cls, _: Any) -> Any:
        return cls

    __ror__ = __or__

    def __iter__(cls) -> Any:
        return iter(())


def _stub(qualname: str) -> Any:
    return _StubMeta(qualname.rsplit(".", 1)[-1], (), {"__qualname__": qualname})


class _StubModule(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return _stub(f"{self.__name__}.{name}")


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Last on `sys.meta_path`: asked only for modules no real finder has, and it answers only
    imports made by the user's own modules (under `source`). Installed libraries probing for
    optional packages (`try: import awscrt`) still get ImportError, as they expect; the user's
    package and pyflow are never stubbed, so a typo there is still an error."""

    def __init__(self, source: Path, own: Sequence[str]) -> None:
        self.source = str(source.resolve()) + os.sep
        self.own = tuple(own)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        top = fullname.partition(".")[0]
        if top in self.own or not (top in STUBBED or self._asked_by_user_code()):
            return None
        if top not in STUBBED:
            STUBBED.append(top)
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def _asked_by_user_code(self) -> bool:
        frame = sys._getframe(1)
        while frame is not None:
            filename = frame.f_code.co_filename
            if not filename.startswith("<") and filename != __file__:
                return os.path.realpath(filename).startswith(self.source)
            frame = frame.f_back  # type: ignore[assignment]
        return False

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def describe(workflows: Iterable[Any]) -> dict[str, Any]:
    """What the stack reads off the workflows: the top-level ones (name, version, task list),
    every type registration creates, the Lambda functions and activity task lists used."""
    from pyflow._workflow._catalog import activity_uses, lambda_functions, workflow_closure

    items = list(workflows)
    closure = workflow_closure(items)
    task_lists = {
        use.task_list or (use.activity.task_list if use.activity else None)
        for use in activity_uses(items).values()
    }
    return {
        "workflows": [
            {"name": w.name, "version": w.version, "task_list": w.task_list} for w in items
        ],
        "types": sorted(f"{name}:{version}" for name, version in closure),
        "lambda_functions": sorted(lambda_functions(items)),
        "activity_task_lists": sorted(t for t in task_lists if t),
        "stubbed": list(STUBBED),
    }


def main(argv: Sequence[str], out: Callable[[str], Any] = print) -> int:
    project_root, package = argv
    sys.path.insert(0, project_root)
    import pyflow

    top = package.partition(".")[0]
    sys.meta_path.append(_StubFinder(Path(project_root) / top, (top, "pyflow")))

    try:
        found = pyflow.load_workflows(package)
        out(json.dumps(describe(found)))
    except pyflow.PyflowError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    # Python put this script's folder first on sys.path: its modules (settings, functions,
    # layer...) must not stand in for the user's modules of the same names.
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        del sys.path[0]
    sys.exit(main(sys.argv[1:]))
