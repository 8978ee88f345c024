"""Helpers for testing workflows on one machine: `LocalEnvironment` (the embedded engine with
deciders, activity workers and Lambda handlers around it) and `run` for one execution end to
end. Built on `pyflow.local`, the engine; `pyflow.local.run` is the same function."""

from ._environment import LocalEnvironment
from ._run import RunOutcome, run

__all__ = ["LocalEnvironment", "RunOutcome", "run"]
