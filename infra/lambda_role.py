"""The role SWF assumes to invoke the Lambda functions of `LambdaTask`s.

SWF receives it with each StartWorkflowExecution (`lambdaRole`), so whoever starts executions
must be allowed to pass it: `starter_policy` grants exactly that, plus the SWF calls a starter
makes, on this domain only.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Acknowledgment, ArnFormat, Stack, Validations
from aws_cdk import aws_iam as iam
from constructs import Construct

from ._lint import nag_resource


class SwfLambdaRole(Construct):
    """A role trusted by swf.amazonaws.com (this account only) to invoke named functions."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_arn: str,
        function_names: Sequence[str] = (),
        function_name_prefix: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        if not function_names and not function_name_prefix:
            raise ValueError(
                "the SWF Lambda role needs functions to invoke: define a LambdaTask in workflows/, "
                "deploy the example functions, or set lambda_functions or lambda_function_prefix"
            )
        self.function_arns = sorted({function_arn(stack, name) for name in function_names})
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(
                "swf.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": stack.account}},
            ),
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
