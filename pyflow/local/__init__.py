"""The embedded SWF engine: run and test pyflow workflows offline, through real boto3.

`LocalSWF` is the engine. `run` and `RunOutcome` (one execution end to end) live in
`pyflow.testing`, which is built on this engine; they are also reachable here, as documented,
and imported on first use because `pyflow.testing` imports this package.
"""

from __future__ import annotations

from typing import Any

from ._engine import EngineStats, LocalSWF
from ._faults import SWFFault

__all__ = ["EngineStats", "LocalSWF", "RunOutcome", "SWFFault", "run"]


def __getattr__(name: str) -> Any:
    if name in ("run", "RunOutcome"):
        from .. import testing

        return getattr(testing, name)
    raise AttributeError(f"module 'pyflow.local' has no attribute {name!r}")
