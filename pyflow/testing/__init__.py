"""Helpers for testing workflows on one machine: the embedded engine with deciders, workers and
Lambda handlers around it, and `run` for one execution end to end."""

from ._run import RunOutcome, run

__all__ = ["RunOutcome", "run"]
