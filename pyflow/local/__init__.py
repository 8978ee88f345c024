"""The embedded SWF engine: run and test pyflow workflows offline, through real boto3.

`LocalSWF` is the engine; `run` and `RunOutcome` (one execution end to end) come from the
runtime's `_run` module and are imported on first use.
"""

from __future__ import annotations

from typing import Any

from ._engine import EngineStats, LocalSWF
from ._faults import SWFFault

__all__ = ["EngineStats", "LocalSWF", "RunOutcome", "SWFFault", "run"]


def __getattr__(name: str) -> Any:
    if name in ("run", "RunOutcome"):
        from . import _run

        return getattr(_run, name)
    raise AttributeError(f"module 'pyflow.local' has no attribute {name!r}")
