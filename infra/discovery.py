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


def load_project_workflows(project_root: Path, package: str = "workflows") -> list[pyflow.Workflow]:
    """Every workflow defined in `project_root/package`, as the decider will load them."""
    root = str(project_root)
    if root not in sys.path:
        sys.path.insert(0, root)
    return pyflow.load_workflows(package)


def lambda_functions(workflows: Iterable[pyflow.Workflow]) -> list[str]:
    """The functions the `LambdaTask`s of `workflows` and of their pyflow children invoke."""
    names: set[str] = set()
    seen: set[int] = set()
    pending = list(workflows)
    while pending:
        workflow = pending.pop()
        if id(workflow) in seen:
            continue
        seen.add(id(workflow))
        for task in workflow.tasks:
            if isinstance(task, pyflow.LambdaTask):
                names.add(task.lambda_function)
            elif isinstance(task, pyflow.WorkflowTask) and task.child_workflow is not None:
                pending.append(task.child_workflow)
    return sorted(names)
