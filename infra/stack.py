"""The pyflow stack of this repository's `app.py`: one `PyflowApp` over the project's folders."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aws_cdk import Stack
from constructs import Construct

import pyflow

from ._outputs import start_command
from .pyflow_app import RUNTIME, PyflowApp
from .settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent

__all__ = ["PROJECT_ROOT", "RUNTIME", "PyflowStack", "start_command"]


class PyflowStack(Stack):
    """`workflows/`, `functions/` and `handlers/` of `project_root`, deployed by `PyflowApp`."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        workflows: Sequence[pyflow.Workflow] | None = None,
        project_root: Path = PROJECT_ROOT,
        **kwargs: Any,
    ) -> None:
        """`workflows` (objects) replaces reading `project_root/workflows` (see discovery)."""
        super().__init__(scope, construct_id, **kwargs)
        own_pyflow = project_root / "pyflow"
        # "Default" is left out of logical ids, so resources keep the ids they had when the
        # stack built them itself: a redeploy replaces nothing.
        self.app = PyflowApp(
            self,
            "Default",
            settings=settings,
            workflows_package=project_root / "workflows",
            functions=project_root / "functions",
            workflows=workflows,
            handlers=project_root / "handlers",
            pyflow_dir=own_pyflow if (own_pyflow / "__init__.py").is_file() else None,
        )
        self.layer = self.app.layer
