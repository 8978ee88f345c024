"""Names a package exports from its private modules, imported on first use (PEP 562).

Each module pyflow imports is paid for at every cold start of a Lambda function (compiled
there too when the layer ships source only), and a process needs one part of pyflow: the
decider Lambda has no use for the activity worker or the client's execution operations. A
package whose `__init__` imports its parts through `exports` makes each importer pay only for
what it uses; type checkers read the package's `TYPE_CHECKING` imports instead.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping
from typing import Any


def exports(
    package: str, modules: Mapping[str, tuple[str, ...]], namespace: MutableMapping[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of `package`, whose `namespace` (its globals) gets
    each name of `modules` (private module -> names) from that module on first use. A
    module is named as in `from .module import name` without its first dot, so
    `._payloads._lambda` is a sibling package's module."""
    sources = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = sources.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f".{module}", package), name)
        namespace[name] = value  # later look-ups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(sources))

    return __getattr__, __dir__
