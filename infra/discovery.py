"""What the stack learns from the user's `workflows/` package at synthesis time.

The decider loads the same package at run time, so reading it here keeps the Lambda role's
permissions in step with the workflows: adding a module that calls a new function grants SWF
the right to invoke that function on the next `cdk deploy`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import pyflow
from pyflow._workflow import _catalog


def load_project_workflows(project_root: Path, package: str = "workflows") -> list[pyflow.Workflow]:
    """Every workflow defined in `project_root/package`, as the decider will load them."""
    root = str(project_root)
    if root not in sys.path:
        sys.path.insert(0, root)
    return pyflow.load_workflows(package)


def lambda_functions(workflows: Iterable[pyflow.Workflow]) -> list[str]:
    """The functions the `LambdaTask`s of `workflows` and of their pyflow children invoke,
    sorted so the synthesized policy does not change when modules are reordered."""
    return sorted(_catalog.lambda_functions(workflows))
