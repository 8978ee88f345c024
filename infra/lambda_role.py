"""The role SWF assumes to invoke the Lambda functions of `LambdaTask`s.

SWF receives it with each StartWorkflowExecution (`lambdaRole`), or as a workflow type's
registered default, so whoever starts executions must be allowed to pass it: `starter_policy`
grants exactly that, plus the SWF calls a starter makes, on this domain only.

The role has a fixed name when one is given: registered workflow types keep the role's ARN as
their default for ever (SWF types are immutable), and an ARN built from a name survives the
role being replaced or the stack being deleted and deployed again, where a generated name
would leave the types pointing at a role that no longer exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from aws_cdk import Acknowledgment, ArnFormat, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._lint import nag_resource


class SwfLambdaRole(Construct):
    """A role trusted by swf.amazonaws.com to invoke exactly the named functions."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_arn: str,
        function_names: Sequence[str] = (),
        function_name_prefix: str | None = None,
        role_name: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.function_arns = sorted({function_arn(stack, name) for name in function_names})
        # The trust policy is the one SWF's developer guide gives for Lambda tasks, nothing more:
        # https://docs.aws.amazon.com/amazonswf/latest/developerguide/lambda-task.html
        # ("Set up an IAM role": principal swf.amazonaws.com, action sts:AssumeRole). No SWF
        # page documents that SWF sends aws:SourceAccount or aws:SourceArn when it assumes the
        # role (SWF has no confused-deputy page), and a condition on a key SWF does not send
        # would fail every Lambda task with ASSUME_ROLE_FAILED, so none is added.
        self.role = iam.Role(
            self,
            "Role",
            role_name=role_name,
            assumed_by=iam.ServicePrincipal("swf.amazonaws.com"),
            description="Assumed by Amazon SWF to invoke the Lambda functions of pyflow workflows",
        )
        resources = list(self.function_arns)
        if function_name_prefix:
            prefixed = prefix_arn(stack, function_name_prefix)
            resources.append(prefixed)
            Validations.of(self.role).acknowledge(
                Acknowledgment(
                    id="AwsSolutions::AwsSolutions-IAM5"
                    f"[Resource::{nag_resource(stack, prefixed)}]",
                    reason="The deployer set lambda_function_prefix: SWF may invoke the functions "
                    f"named {function_name_prefix}* in this account and region, which the "
                    "deployer keeps for this workflow's tasks; no other function and no action "
                    "but lambda:InvokeFunction",
                )
            )
        # Workflows of activities only invoke nothing: the role stays, with no permission, so
        # types and starters can name it the same way.
        if resources:
            self.role.add_to_principal_policy(
                iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=resources)
            )
        self.starter_policy = iam.ManagedPolicy(
            self,
            "StarterPolicy",
            description="Start, signal, cancel and inspect pyflow executions; pass the role to SWF",
            statements=[
                iam.PolicyStatement(
                    actions=["iam:PassRole"],
                    resources=[self.role.role_arn],
                    conditions={"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
                ),
                iam.PolicyStatement(
                    actions=[
                        "swf:StartWorkflowExecution",
                        "swf:SignalWorkflowExecution",
                        "swf:RequestCancelWorkflowExecution",
                        "swf:DescribeWorkflowExecution",
                        "swf:GetWorkflowExecutionHistory",
                    ],
                    resources=[domain_arn],
                ),
            ],
        )


def function_arn(stack: Stack, name: str) -> str:
    """The ARN SWF invokes for `name`: a full ARN as given, else one in this account and region.

    A qualified name (`fn:live`) gives the ARN of exactly that version or alias.
    """
    if name.startswith("arn:"):
        return name
    return stack.format_arn(
        service="lambda",
        resource="function",
        resource_name=name,
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


def prefix_arn(stack: Stack, prefix: str) -> str:
    """Every function (and qualifier) whose name starts with `prefix`."""
    return stack.format_arn(
        service="lambda",
        resource="function",
        resource_name=f"{prefix}*",
        arn_format=ArnFormat.COLON_RESOURCE_NAME,
    )


# IAM role names are at most 64 characters; the longest region name is 14 ("ap-southeast-3").
_ROLE_NAME_LIMIT = 64
_REGION_ROOM = 16


def stable_role_name(stack: Stack, suffix: str = "SwfLambda") -> str:
    """`<stack name>-<suffix>-<region>`: one per stack and region (role names are global to
    the account), the same on every deployment. A long stack name is cut and given a hash of
    itself, so two long names that share a beginning still differ."""
    room = _ROLE_NAME_LIMIT - _REGION_ROOM - len(suffix) - 2
    name = stack.stack_name
    if len(name) > room:
        digest = hashlib.sha256(name.encode()).hexdigest()[:8]
        name = f"{name[: room - 9]}-{digest}"
    return f"{name}-{suffix}-{stack.region}"
