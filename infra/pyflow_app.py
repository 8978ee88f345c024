"""`PyflowApp`: everything pyflow deploys for one workflows package, as one construct.

`PyflowStack` (this repository's `app.py`) is a stack holding one; a user's own CDK app puts
one in any stack of its own, with its own workflows package, `functions/` folder and settings
(`pip install 'pyflow-swf[cdk]'`, then `from pyflow.cdk import PyflowApp`). One per stack: the
SWF role's name is derived from the stack's name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from aws_cdk import Acknowledgment, CfnOutput, Duration, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

import pyflow

from ._outputs import payload_outputs, stack_outputs
from .alarms import DeciderAlarms
from .decider import Decider
from .discovery import describe_workflows, read_project_workflows
from .domain import SwfDomain
from .example_functions import EXAMPLE_HANDLERS, ExampleFunctions
from .functions import UserFunctions, find_functions
from .ingress import SignalIngress
from .lambda_role import SwfLambdaRole, stable_role_name
from .layer import WorkflowsLayer
from .payloads import PayloadBucket
from .powertools import powertools_layer
from .registration import WorkflowRegistration
from .schedule import DeciderSchedule, FailureQueue
from .settings import PYTHON_VERSIONS, Settings, SettingsError
from .worker_policy import ActivityWorkerPolicy
from .workers import WorkerService

RUNTIME = lambda_.Runtime.PYTHON_3_14
"""The runtime of the default `python_version`."""


def runtime_of(python_version: str) -> lambda_.Runtime:
    """Lambda's runtime for a `python_version` setting ("3.14")."""
    name = "PYTHON_" + python_version.replace(".", "_")
    runtime: lambda_.Runtime = getattr(lambda_.Runtime, name)
    return runtime


_ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}
_HERE = Path(__file__).resolve().parent
_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    5: logs.RetentionDays.FIVE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    60: logs.RetentionDays.TWO_MONTHS,
    90: logs.RetentionDays.THREE_MONTHS,
    120: logs.RetentionDays.FOUR_MONTHS,
    150: logs.RetentionDays.FIVE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
    400: logs.RetentionDays.THIRTEEN_MONTHS,
    545: logs.RetentionDays.EIGHTEEN_MONTHS,
    731: logs.RetentionDays.TWO_YEARS,
    1096: logs.RetentionDays.THREE_YEARS,
    1827: logs.RetentionDays.FIVE_YEARS,
    2192: logs.RetentionDays.SIX_YEARS,
    2557: logs.RetentionDays.SEVEN_YEARS,
    2922: logs.RetentionDays.EIGHT_YEARS,
    3288: logs.RetentionDays.NINE_YEARS,
    3653: logs.RetentionDays.TEN_YEARS,
}


def _shipped_handlers() -> Path:
    """The Lambda entry points: `handlers/` beside this package in an installed wheel
    (`pyflow/cdk/handlers`), the repository's top-level `handlers/` in a checkout."""
    for candidate in (_HERE / "handlers", _HERE.parent / "handlers"):
        if (candidate / "decider.py").is_file():
            return candidate
    raise FileNotFoundError(f"pyflow's Lambda handlers are missing beside {_HERE}")


class PyflowApp(Construct):
    """SWF domain, Lambda role, workflows layer, deploy-time registration, scheduled decider,
    alarms, payload bucket, the user's functions and (if asked) signal ingress and workers."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        workflows_package: Path | str,
        settings: Settings | Mapping[str, Any] | None = None,
        functions: Path | str | None = None,
        workflows: Sequence[pyflow.Workflow] | None = None,
        handlers: Path | None = None,
        pyflow_dir: Path | None = None,
    ) -> None:
        """`workflows_package` is the folder of the package the decider loads (its name is
        the folder's). `settings` are a `Settings`, a mapping of setting names to values, or
        (None) the CDK context's. `functions` is the folder of task functions (default:
        `functions/` beside the package, if there). `workflows` (objects) replaces reading
        the package (tests, or an app that builds its workflows in code)."""
        super().__init__(scope, construct_id)
        if settings is None:
            settings = Settings.from_context(self.node)
        elif not isinstance(settings, Settings):
            settings = Settings.from_mapping(settings)
        package = Path(workflows_package).resolve()
        self.settings = settings
        self.package = package
        found = (
            read_project_workflows(package.parent, package.name)
            if workflows is None
            else describe_workflows(workflows)
        )
        self.found = found
        self.architecture = _ARCHITECTURES[settings.architecture]
        self.runtime = runtime_of(settings.python_version)
        self.log_retention = _RETENTION[settings.log_retention_days]
        self.handlers = lambda_.Code.from_asset(
            str(handlers or _shipped_handlers()), exclude=["**/__pycache__", "**/*.pyc"]
        )
        folder = package.parent / "functions" if functions is None else Path(functions)
        self._core(find_functions(folder), pyflow_dir)
        self._extras()
        self._acknowledge_runtime()

    def _acknowledge_runtime(self) -> None:
        """An older Python than Lambda's latest is the settings' choice: say so on each of
        pyflow's Python functions (the CDK's own functions keep their runtime checked)."""
        version = self.settings.python_version
        if version == PYTHON_VERSIONS[-1]:
            return
        reason = (
            f"python_version {version} is chosen in the settings (the workflows' code or its "
            "dependencies need it; the latest runtime is the default)"
        )
        for node in self.node.find_all():
            if isinstance(node, lambda_.Function) and node.runtime.name == self.runtime.name:
                for rule in ("AwsSolutions::AwsSolutions-L1",
                             "Serverless::Serverless-LambdaLatestVersion"):
                    Validations.of(node).acknowledge(Acknowledgment(id=rule, reason=reason))

    def _core(self, user_functions: Mapping[str, Any], pyflow_dir: Path | None) -> None:
        settings, found = self.settings, self.found
        self.domain = SwfDomain(
            self,
            "Domain",
            domain_name=settings.domain,
            retention_days=settings.retention_days,
            log_retention=self.log_retention,
            deploy_nonce=settings.deploy_nonce,
        )
        names = set(found.lambda_functions) | set(settings.lambda_functions) | set(user_functions)
        if settings.example_functions:
            names |= set(EXAMPLE_HANDLERS)
        self.lambda_role = SwfLambdaRole(
            self,
            "LambdaRole",
            domain_arn=self.domain.domain_arn,
            function_names=sorted(names),
            function_name_prefix=settings.lambda_function_prefix,
            role_name=stable_role_name(Stack.of(self)),
        )
        self.layer = WorkflowsLayer(
            self,
            "Workflows",
            workflows=self.package,
            pyflow_dir=pyflow_dir,
            runtime=self.runtime,
            architecture=self.architecture,
            bundle_sdk=settings.bundle_sdk,
            bundle_powertools=settings.bundle_powertools,
        )
        self.layers: list[lambda_.ILayerVersion] = [self.layer.layer]
        if not settings.bundle_powertools:
            self.layers.append(
                powertools_layer(
                    self,
                    "Powertools",
                    runtime=self.runtime,
                    architecture=self.architecture,
                    version=settings.powertools_layer_version,
                )
            )
        self.failures = FailureQueue(self, "DeciderFailures").queue
        self._decider()
        self._registration()
        self.functions = (
            UserFunctions(
                self,
                "Functions",
                sources=user_functions,
                layers=self.layers,
                runtime=self.runtime,
                architecture=self.architecture,
                log_retention=self.log_retention,
            ).functions
            if user_functions
            else {}
        )

    def _decider(self) -> None:
        settings = self.settings
        self.decider = Decider(
            self,
            "Decider",
            code=self.handlers,
            layers=self.layers,
            runtime=self.runtime,
            architecture=self.architecture,
            domain_name=settings.domain,
            domain_arn=self.domain.domain_arn,
            task_list=settings.decider_task_list,
            lambda_role=self.lambda_role.role,
            failures=self.failures,
            iterations=settings.decider_iterations,
            timeout=Duration.seconds(settings.decider_timeout),
            memory_size=settings.decider_memory,
            reserved_concurrency=settings.decider_concurrency,
            log_retention=self.log_retention,
            workflows_package=self.package.name,
        )
        # Registration fails on a domain that does not exist yet.
        self.decider.node.add_dependency(self.domain)
        DeciderSchedule(
            self,
            "DeciderSchedule",
            function=self.decider.function,
            expression=settings.decider_schedule,
            dead_letters=self.failures,
            description=f"Starts the pyflow decider for SWF domain {settings.domain}",
        )
        DeciderAlarms(
            self,
            "Alarms",
            function=self.decider.function,
            domain_name=settings.domain,
            timeout_seconds=settings.decider_timeout,
            dead_letters=self.failures,
            pending_threshold=settings.pending_decisions_alarm,
            email=settings.alarm_email,
        )

    def _handler_kwargs(self) -> dict[str, Any]:
        """What every pyflow handler function of the domain is built with."""
        return {
            "code": self.handlers,
            "layer": self.layer.layer,
            "runtime": self.runtime,
            "architecture": self.architecture,
            "domain_name": self.settings.domain,
            "domain_arn": self.domain.domain_arn,
            "log_retention": self.log_retention,
        }

    def _registration(self) -> None:
        settings = self.settings
        registration = WorkflowRegistration(
            self,
            "Registration",
            **self._handler_kwargs(),
            retention_days=settings.retention_days,
            task_list=settings.decider_task_list,
            lambda_role=self.lambda_role.role,
            workflow_types=self.found.types,
            workflows_package=self.package.name,
            deprecate_removed=settings.deprecate_removed_types,
        )
        registration.node.add_dependency(self.domain)
        CfnOutput(
            self,
            "DisappearedWorkflowTypes",
            value=registration.disappeared,
            description="Workflow types the previous deployment registered and this one no "
            "longer defines (name:version; deprecated only with deprecate_removed_types)",
        )

    def _extras(self) -> None:
        settings = self.settings
        payloads = (
            PayloadBucket(
                self,
                "Payloads",
                prefix=settings.payload_prefix,
                expiration_days=settings.payload_expiration_days,
            )
            if settings.payload_store
            else None
        )
        self.payloads = payloads
        if payloads is not None:
            for function in [self.decider.function, *self.functions.values()]:
                payloads.give_to(function)
        if settings.example_functions:
            ExampleFunctions(
                self,
                "Examples",
                code=self.handlers,
                runtime=self.runtime,
                architecture=self.architecture,
                log_retention=self.log_retention,
            )
        if settings.signal_endpoint or settings.signal_rules:
            SignalIngress(
                self,
                "Signals",
                **self._handler_kwargs(),
                url=settings.signal_endpoint,
                rules=settings.signal_rules,
                dead_letters=self.failures,
            )
        self.workers = ActivityWorkerPolicy(self, "Workers", domain_arn=self.domain.domain_arn)
        if payloads is not None:
            self.workers.policy.add_statements(payloads.statement())
            payloads.allow_prefix_wildcard(self.workers.policy)
            payload_outputs(self, payloads)
        if settings.worker_service:
            self._worker_service()
        stack_outputs(self, settings, self.found, self.lambda_role, self.decider, self.workers)

    def _worker_service(self) -> None:
        if not self.found.activity_task_lists and self.settings.worker_target is None:
            raise SettingsError(
                f"worker_service is on, but {self.package.name} has no activity tasks: add a "
                "pyflow.ActivityTask, or name the module of the activities in worker_target"
            )
        environment = {} if self.payloads is None else self.payloads.environment()
        self.worker_service = WorkerService(
            self,
            "WorkerService",
            settings=self.settings,
            package=self.package,
            pyflow_dir=self.layer.sources.packages[0],
            policy=self.workers.policy,
            environment=environment,
            log_retention=self.log_retention,
        )
