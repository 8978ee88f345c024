"""The stack outputs a deployer reads after `cdk deploy`: names, ARNs and a start command."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnOutput
from constructs import Construct

from .decider import Decider
from .discovery import ProjectWorkflows, WorkflowInfo
from .lambda_role import SwfLambdaRole
from .payloads import PayloadBucket
from .settings import Settings
from .worker_policy import ActivityWorkerPolicy


def stack_outputs(
    scope: Construct,
    settings: Settings,
    found: ProjectWorkflows,
    lambda_role: SwfLambdaRole,
    decider: Decider,
    workers: ActivityWorkerPolicy,
) -> None:
    role_arn = lambda_role.role.role_arn
    CfnOutput(scope, "DomainName", value=settings.domain, description="SWF domain")
    CfnOutput(
        scope,
        "DeciderTaskList",
        value=settings.decider_task_list,
        description="Task list the decider polls: start executions on it",
    )
    CfnOutput(
        scope,
        "LambdaRoleArn",
        value=role_arn,
        description="Role SWF assumes to invoke Lambda tasks (--lambda-role)",
    )
    CfnOutput(
        scope,
        "DeciderFunctionName",
        value=decider.function.function_name,
        description="The decider Lambda function (its logs show every decision)",
    )
    CfnOutput(
        scope,
        "StarterPolicyArn",
        value=lambda_role.starter_policy.managed_policy_arn,
        description="Attach to whoever starts executions: passes the Lambda role to SWF",
    )
    CfnOutput(
        scope,
        "WorkerPolicyArn",
        value=workers.policy.managed_policy_arn,
        description="Attach to activity workers: poll and answer this domain's activity tasks",
    )
    example = _example(found.workflows)
    if example is not None:
        CfnOutput(
            scope,
            "StartExampleCommand",
            value=start_command(settings, example, role_arn),
            description=f"Starts the {example.name} workflow with the AWS CLI",
        )


def payload_outputs(scope: Construct, payloads: PayloadBucket) -> None:
    CfnOutput(
        scope,
        "PayloadBucketName",
        value=payloads.bucket.bucket_name,
        description="S3 bucket of payloads over 32,000 characters: set PYFLOW_PAYLOAD_BUCKET "
        f"(and PYFLOW_PAYLOAD_PREFIX={payloads.prefix}) on workers, or --payload-bucket",
    )
    CfnOutput(
        scope,
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
