"""The user's own Lambda functions, one per module or folder of the project's `functions/`.

Each function is named after its module (`functions/charge.py` -> `charge`, handler
`charge.handler`) or folder (`functions/charge/index.py` -> `charge`, handler `index.handler`),
so the name a `LambdaTask` gives is the file a user adds: no mapping to keep in step. The code is
a plain asset (no Docker at synth); the workflows layer is attached so a function can import
pyflow and whatever `workflows/requirements.txt` installs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from pyflow._workflow._names import lambda_name_problem

from ._lint import acknowledge_task_function, allow_redundant_role_dependency

_EXCLUDE = ["**/__pycache__", "**/*.pyc"]


class FunctionsError(ValueError):
    """A `functions/` entry that cannot become a Lambda function; the message says why."""


@dataclass(frozen=True)
class FunctionSource:
    """Where one function's code lives and which handler Lambda calls."""

    name: str
    asset: Path
    handler: str
    exclude: tuple[str, ...] = tuple(_EXCLUDE)


def find_functions(directory: Path) -> dict[str, FunctionSource]:
    """Every function `directory` defines, by name; none if the directory does not exist.

    Modules share the directory as one asset (each excluding the others would give every
    function a different asset for no gain); a folder is its own asset.
    """
    if not directory.is_dir():
        return {}
    found: dict[str, FunctionSource] = {}
    for path in sorted(directory.iterdir()):
        if path.name.startswith(("_", ".")):
            continue
        if path.is_file() and path.suffix == ".py":
            name, source = path.stem, FunctionSource(path.stem, directory, f"{path.stem}.handler")
        elif path.is_dir() and (path / "index.py").is_file():
            name, source = path.name, FunctionSource(path.name, path, "index.handler")
        elif path.is_dir() and path.name != "__pycache__":
            raise FunctionsError(
                f"{path} has no index.py: a function folder needs index.py defining handler"
            )
        else:
            continue
        problem = lambda_name_problem(name)
        if problem:
            raise FunctionsError(f"{path}: the function name {name!r} {problem}")
        if name in found:
            raise FunctionsError(
                f"{directory} defines {name!r} twice (a module and a folder): keep one"
            )
        found[name] = source
    return found


class UserFunctions(Construct):
    """One function per `functions/` entry, each with its own role that may only log."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        sources: Mapping[str, FunctionSource],
        layers: Sequence[lambda_.ILayerVersion],
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        self.functions: dict[str, lambda_.Function] = {}
        for name, source in sorted(sources.items()):
            # Construct ids from the name keep logical ids stable when functions are added.
            scope_id = "".join(part.title() for part in name.replace("_", "-").split("-"))
            role = iam.Role(
                self,
                f"{scope_id}Role",
                assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
                description=f"pyflow task function {name}",
            )
            log_group = logs.LogGroup(
                self,
                f"{scope_id}Logs",
                retention=log_retention,
                removal_policy=RemovalPolicy.DESTROY,
            )
            log_group.grant_write(role)
            function = lambda_.Function(
                self,
                scope_id,
                function_name=name,
                description=f"pyflow task function from functions/ ({source.handler})",
                code=lambda_.Code.from_asset(str(source.asset), exclude=list(source.exclude)),
                handler=source.handler,
                runtime=runtime,
                architecture=architecture,
                layers=list(layers),
                role=role,
                timeout=Duration.seconds(60),
                memory_size=128,
                log_group=log_group,
                logging_format=lambda_.LoggingFormat.JSON,
            )
            allow_redundant_role_dependency(function)
            acknowledge_task_function(function)
            self.functions[name] = function
