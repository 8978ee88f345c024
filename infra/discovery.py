"""What the stack learns from the user's workflows package at synthesis time.

The decider loads the same package at run time, so reading it here keeps the stack in step
with the workflows: adding a module that calls a new function grants SWF the right to invoke
that function, and a new workflow type is registered, on the next `cdk deploy`.

The package is read in a child process with stubs standing in for every module the synthesizing
virtualenv lacks (`_discovery_child.py`), not imported here and not read statically:
- importing it here fails on the first `workflows/requirements.txt` package the CDK's virtualenv
  lacks, and those belong to the layer (built for Lambda's platform, so not importable here);
- reading the source statically only sees literals: it misses names built in code, workflows
  made by factory functions, loops or other modules, and children defined elsewhere;
- the child runs the real pyflow on the real definitions, so the names, versions, functions and
  task lists are exactly what the decider will see. Dependencies matter only if a module calls
  them at import time to compute a definition, which is rare (tasks call them when they run);
  real packages are used wherever they are installed, and the child's stubs never leak into
  the CDK process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyflow
from pyflow._workflow import _catalog

from ._discovery_child import describe

_CHILD = Path(__file__).with_name("_discovery_child.py")


class DiscoveryError(RuntimeError):
    """The workflows package could not be read; the message carries pyflow's own reason."""


@dataclass(frozen=True)
class WorkflowInfo:
    """A top-level workflow as the stack needs it (start command, outputs)."""

    name: str
    version: str
    task_list: str | None = None


@dataclass(frozen=True)
class ProjectWorkflows:
    """Everything the stack reads off the workflows, sorted so templates do not change when
    modules are reordered."""

    workflows: tuple[WorkflowInfo, ...] = ()
    types: tuple[str, ...] = ()
    """`name:version` of every workflow type registration creates (children included)."""
    lambda_functions: tuple[str, ...] = ()
    activity_task_lists: tuple[str, ...] = ()
    stubbed: tuple[str, ...] = ()
    """Modules the workflows import that the synthesizing virtualenv lacks."""

    @classmethod
    def from_description(cls, data: dict[str, object]) -> ProjectWorkflows:
        workflows = data["workflows"]
        assert isinstance(workflows, list)
        return cls(
            workflows=tuple(WorkflowInfo(**item) for item in workflows),
            types=tuple(_strings(data["types"])),
            lambda_functions=tuple(_strings(data["lambda_functions"])),
            activity_task_lists=tuple(_strings(data["activity_task_lists"])),
            stubbed=tuple(_strings(data.get("stubbed", []))),
        )


def _strings(value: object) -> list[str]:
    assert isinstance(value, list)
    return [str(item) for item in value]


def describe_workflows(workflows: Sequence[pyflow.Workflow]) -> ProjectWorkflows:
    """Workflows given as objects (tests, or a CDK app that builds them itself)."""
    return ProjectWorkflows.from_description(describe(workflows))


def read_project_workflows(project_root: Path, package: str = "workflows") -> ProjectWorkflows:
    """Every workflow `project_root/package` defines, read in a child process (see above)."""
    result = subprocess.run(
        [sys.executable, str(_CHILD), str(project_root), package],
        cwd=project_root,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise DiscoveryError(
            f"cannot read the workflows in {project_root / package.replace('.', '/')}: "
            f"{result.stderr.strip() or f'the reader exited with {result.returncode}'}"
        )
    return ProjectWorkflows.from_description(json.loads(result.stdout.splitlines()[-1]))


def load_project_workflows(project_root: Path, package: str = "workflows") -> list[pyflow.Workflow]:
    """Every workflow defined in `project_root/package`, imported in this process (its
    dependencies must be installed here; the stack uses `read_project_workflows`)."""
    root = str(project_root)
    if root not in sys.path:
        sys.path.insert(0, root)
    return pyflow.load_workflows(package)


def lambda_functions(workflows: Iterable[pyflow.Workflow]) -> list[str]:
    """The functions the `LambdaTask`s of `workflows` and of their pyflow children invoke,
    sorted so the synthesized policy does not change when modules are reordered."""
    return sorted(_catalog.lambda_functions(workflows))
