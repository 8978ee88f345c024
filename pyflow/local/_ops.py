"""The table of SWF operations the engine answers, filled in by the `_ops_*` modules."""

from __future__ import annotations

from collections.abc import Callable

from ._core import Core
from ._model import JSON

Operation = Callable[[Core, JSON], JSON]
OPERATIONS: dict[str, Operation] = {}


def operation(name: str) -> Callable[[Operation], Operation]:
    def register(func: Operation) -> Operation:
        OPERATIONS[name] = func
        return func

    return register
