"""The pyflow stack: composes the constructs, wires them together and declares the outputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aws_cdk import CfnOutput, Duration, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

import pyflow

from .alarms import DeciderAlarms
from .decider import Decider
from .discovery import ProjectWorkflows, WorkflowInfo, describe_workflows, read_project_workflows
from .domain import SwfDomain
from .example_functions import EXAMPLE_HANDLERS, ExampleFunctions
from .functions import UserFunctions, find_functions
from .ingress import SignalIngress
from .lambda_role import SwfLambdaRole, stable_role_name
from .layer import WorkflowsLayer
from .payloads import PayloadBucket
from .registration import WorkflowRegistration
from .schedule import DeciderSchedule, FailureQueue
from .settings import Settings
from .worker_policy import ActivityWorkerPolicy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RUNTIME = lambda_.Runtime.PYTHON_3_14
_ARCHITECTURES = {"arm64": lambda_.Architecture.ARM_64, "x86_64": lambda_.Architecture.X86_64}
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


class PyflowStack(Stack):
    """SWF domain, Lambda role, workflows layer, scheduled decider and example functions."""

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
        found = (
            read_project_workflows(project_root)
            if workflows is None
            else describe_workflows(workflows)
        )
        architecture = _ARCHITECTURES[settings.architecture]
        log_retention = _RETENTION[settings.log_retention_days]
        handlers = lambda_.Code.from_asset(
            str(project_root / "handlers"), exclude=["**/__pycache__", "**/*.pyc"]
        )

        domain = SwfDomain(
            self,
            "Domain",
            domain_name=settings.domain,
            retention_days=settings.retention_days,
            log_retention=log_retention,
            deploy_nonce=settings.deploy_nonce,
        )
        user_functions = find_functions(project_root / "functions")
        function_names = (
            set(found.lambda_functions) | set(settings.lambda_functions) | set(user_functions)
        )
        if settings.example_functions:
            function_names |= set(EXAMPLE_HANDLERS)
        lambda_role = SwfLambdaRole(
            self,
            "LambdaRole",
            domain_arn=domain.domain_arn,
            function_names=sorted(function_names),
            function_name_prefix=settings.lambda_function_prefix,
            role_name=stable_role_name(self),
        )
        layer = WorkflowsLayer(
            self,
            "Workflows",
            project_root=project_root,
            runtime=RUNTIME,
            architecture=architecture,
            bundle_sdk=settings.bundle_sdk,
        )
        self.layer = layer
        failures = FailureQueue(self, "DeciderFailures").queue
        decider = Decider(
            self,
            "Decider",
            code=handlers,
            layer=layer.layer,
            runtime=RUNTIME,
            architecture=architecture,
            domain_name=settings.domain,
            domain_arn=domain.domain_arn,
            task_list=settings.decider_task_list,
            lambda_role=lambda_role.role,
            failures=failures,
            iterations=settings.decider_iterations,
            timeout=Duration.seconds(settings.decider_timeout),
            memory_size=settings.decider_memory,
            reserved_concurrency=settings.decider_concurrency,
            log_retention=log_retention,
        )
        # Registration fails on a domain that does not exist yet.
        decider.node.add_dependency(domain)
        registration = WorkflowRegistration(
            self,
            "Registration",
            code=handlers,
            layer=layer.layer,
            runtime=RUNTIME,
            architecture=architecture,
            domain_name=settings.domain,
            domain_arn=domain.domain_arn,
            retention_days=settings.retention_days,
            task_list=settings.decider_task_list,
            lambda_role=lambda_role.role,
            workflow_types=found.types,
            log_retention=log_retention,
            deprecate_removed=settings.deprecate_removed_types,
        )
        registration.node.add_dependency(domain)
        DeciderSchedule(
            self,
            "DeciderSchedule",
            function=decider.function,
            expression=settings.decider_schedule,
            dead_letters=failures,
            description=f"Starts the pyflow decider for SWF domain {settings.domain}",
        )
        DeciderAlarms(
            self,
            "Alarms",
            function=decider.function,
            domain_name=settings.domain,
            timeout_seconds=settings.decider_timeout,
            dead_letters=failures,
            pending_threshold=settings.pending_decisions_alarm,
            email=settings.alarm_email,
        )
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
        if payloads is not None:
            payloads.give_to(decider.function)
        if user_functions:
            functions = UserFunctions(
                self,
                "Functions",
                sources=user_functions,
                layer=layer.layer,
                runtime=RUNTIME,
                architecture=architecture,
                log_retention=log_retention,
            )
            for function in functions.functions.values():
                if payloads is not None:
                    payloads.give_to(function)
        if settings.example_functions:
            ExampleFunctions(
                self,
                "Examples",
                code=handlers,
                runtime=RUNTIME,
                architecture=architecture,
                log_retention=log_retention,
            )

        if settings.signal_endpoint or settings.signal_rules:
            SignalIngress(
                self,
                "Signals",
                code=handlers,
                layer=layer.layer,
                runtime=RUNTIME,
                architecture=architecture,
                domain_name=settings.domain,
                domain_arn=domain.domain_arn,
                log_retention=log_retention,
                url=settings.signal_endpoint,
                rules=settings.signal_rules,
                dead_letters=failures,
            )

        workers = ActivityWorkerPolicy(self, "Workers", domain_arn=domain.domain_arn)
        if payloads is not None:
            workers.policy.add_statements(payloads.statement())
            payloads.allow_prefix_wildcard(workers.policy)
            _payload_outputs(self, payloads)

        self._outputs(settings, found, lambda_role, decider, workers)
        CfnOutput(
            self,
            "DisappearedWorkflowTypes",
            value=registration.disappeared,
            description="Workflow types the previous deployment registered and this one no "
            "longer defines (name:version; deprecated only with deprecate_removed_types)",
        )

    def _outputs(
        self,
        settings: Settings,
        found: ProjectWorkflows,
        lambda_role: SwfLambdaRole,
        decider: Decider,
        workers: ActivityWorkerPolicy,
    ) -> None:
        role_arn = lambda_role.role.role_arn
        CfnOutput(self, "DomainName", value=settings.domain, description="SWF domain")
        CfnOutput(
            self,
            "DeciderTaskList",
            value=settings.decider_task_list,
            description="Task list the decider polls: start executions on it",
        )
        CfnOutput(
            self,
            "LambdaRoleArn",
            value=role_arn,
            description="Role SWF assumes to invoke Lambda tasks (--lambda-role)",
        )
        CfnOutput(
            self,
            "DeciderFunctionName",
            value=decider.function.function_name,
            description="The decider Lambda function (its logs show every decision)",
        )
        CfnOutput(
            self,
            "StarterPolicyArn",
            value=lambda_role.starter_policy.managed_policy_arn,
            description="Attach to whoever starts executions: passes the Lambda role to SWF",
        )
        CfnOutput(
            self,
            "WorkerPolicyArn",
            value=workers.policy.managed_policy_arn,
            description="Attach to activity workers: poll and answer this domain's activity tasks",
        )
        example = _example(found.workflows)
        if example is not None:
            CfnOutput(
                self,
                "StartExampleCommand",
                value=start_command(settings, example, role_arn),
                description=f"Starts the {example.name} workflow with the AWS CLI",
            )


def _payload_outputs(stack: Stack, payloads: PayloadBucket) -> None:
    CfnOutput(
        stack,
        "PayloadBucketName",
        value=payloads.bucket.bucket_name,
        description="S3 bucket of payloads over 32,000 characters: set PYFLOW_PAYLOAD_BUCKET "
        f"(and PYFLOW_PAYLOAD_PREFIX={payloads.prefix}) on workers, or --payload-bucket",
    )
    CfnOutput(
        stack,
        "PayloadPolicyArn",
        value=payloads.policy.managed_policy_arn,
        description="Attach to task functions deployed outside this stack that handle large "
        "payloads (the worker policy already includes it)",
    )


def _example(workflows: Sequence[WorkflowInfo]) -> WorkflowInfo | None:
    for workflow in workflows:
        if workflow.name == "StringTransformer":
            return workflow
    return workflows[0] if workflows else None


def start_command(settings: Settings, workflow: WorkflowInfo, role_arn: str) -> str:
    """A bash command line that starts one execution of `workflow` with input `World`."""
    workflow_id = f"{workflow.name.lower()}-$(date +%s)"
    return (
        f"aws swf start-workflow-execution --domain {settings.domain}"
        f" --workflow-id {workflow_id}"
        f" --workflow-type name={workflow.name},version={workflow.version}"
        f" --task-list name={workflow.task_list or settings.decider_task_list}"
        f" --lambda-role {role_arn} --input World"
    )
