"""The decider: a scheduled Lambda function running pyflow's decider loop against one domain.

Each invocation long-polls its task list (up to 60 s a poll) until too little time is left to
finish another poll (or, if set, `iterations` polls are done), so the timeout must exceed 60 s
plus the 70 s margin the handler keeps. A schedule of one minute with invocations of about a
minute keeps one poller waiting most of the time; the schedule's maximum event age bounds the
overlap, and a reserved concurrency (off by default: it fails the first deploy in a new
account) can cap it.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ._lint import acknowledge_serverless, allow_redundant_role_dependency

HANDLER = "decider.lambda_handler"

# Every SWF call the decider makes: registration (describe, register, describe on
# TypeAlreadyExists), polling and answering, reading a long history whole in full pages when
# it has no state for the run, and the decisions it sends. SWF authorises each
# decision in RespondDecisionTaskCompleted as an action of its own ("pseudo API"); ScheduleLambda-
# Function has none (SWF checks the Lambda role instead).
DECIDER_SWF_ACTIONS = (
    "swf:DescribeDomain",
    "swf:RegisterWorkflowType",
    "swf:DescribeWorkflowType",
    "swf:RegisterActivityType",
    "swf:DescribeActivityType",
    "swf:PollForDecisionTask",
    "swf:CountPendingDecisionTasks",
    "swf:RespondDecisionTaskCompleted",
    "swf:GetWorkflowExecutionHistory",
    "swf:ScheduleActivityTask",
    "swf:RequestCancelActivityTask",
    "swf:StartTimer",
    "swf:CancelTimer",
    "swf:StartChildWorkflowExecution",
    "swf:RequestCancelExternalWorkflowExecution",
    "swf:CompleteWorkflowExecution",
    "swf:FailWorkflowExecution",
    "swf:CancelWorkflowExecution",
)


class Decider(Construct):
    """The decider function, its role and its log group (`DeciderSchedule` invokes it)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        layers: Sequence[lambda_.ILayerVersion],
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        domain_name: str,
        domain_arn: str,
        task_list: str,
        lambda_role: iam.IRole,
        failures: sqs.IQueue,
        iterations: int | None,
        timeout: Duration,
        memory_size: int,
        reserved_concurrency: int | None,
        log_retention: logs.RetentionDays,
        workflows_package: str = "workflows",
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"pyflow decider for SWF domain {domain_name}",
        )
        self.log_group.grant_write(self.role)
        self.role.add_to_principal_policy(
            iam.PolicyStatement(actions=list(DECIDER_SWF_ACTIONS), resources=[domain_arn])
        )
        # Registration names the role as the types' default Lambda role, and child workflows
        # inherit it: both hand the role to SWF.
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[lambda_role.role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
            )
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"pyflow decider: decides executions in SWF domain {domain_name}",
            code=code,
            handler=HANDLER,
            runtime=runtime,
            architecture=architecture,
            layers=list(layers),
            role=self.role,
            timeout=timeout,
            memory_size=memory_size,
            reserved_concurrent_executions=reserved_concurrency,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            tracing=lambda_.Tracing.ACTIVE,
            # A missed or failed invocation is replaced by the next scheduled one.
            retry_attempts=0,
            max_event_age=Duration.seconds(60),
            on_failure=destinations.SqsDestination(failures),
            environment={
                "PYFLOW_DOMAIN": domain_name,
                "PYFLOW_TASK_LIST": task_list,
                "PYFLOW_LAMBDA_ROLE": lambda_role.role_arn,
                "PYFLOW_WORKFLOWS": workflows_package,
                **({} if iterations is None else {"PYFLOW_ITERATIONS": str(iterations)}),
                "POWERTOOLS_SERVICE_NAME": "pyflow-decider",
                "POWERTOOLS_METRICS_NAMESPACE": "pyflow",
            },
        )
        allow_redundant_role_dependency(self.function)
        acknowledge_serverless(
            self.function,
            {
                "LambdaDLQ": "EventBridge Scheduler invokes it: the schedule's dead-letter queue "
                "and the function's on-failure destination (both the failure queue) catch "
                "failures"
            },
        )
        Validations.of(self.role).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
                reason="Active tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, "
                "which support no resource-level permissions (Resource must be *); every other "
                "statement of this role names its resources",
            )
        )
