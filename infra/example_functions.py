"""The Lambda functions of the example StringTransformer workflow (`handlers/strings.py`).

They carry the exact names the workflow's `LambdaTask`s use, so the example runs as soon as the
stack is up. Fixed names also mean one copy per account and region.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from ._lint import acknowledge_task_function, allow_redundant_role_dependency

EXAMPLE_HANDLERS = {
    "string-upcase": "strings.upcase",
    "string-reverse": "strings.reverse",
    "string-concat": "strings.concat",
}
"""Function name -> handler in the `handlers/` code asset."""


class ExampleFunctions(Construct):
    """string-upcase, string-reverse and string-concat, sharing one role that may only log."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="pyflow example functions (string-upcase, string-reverse, string-concat)",
        )
        self.functions: dict[str, lambda_.Function] = {}
        for name, handler in EXAMPLE_HANDLERS.items():
            scope_id = name.title().replace("-", "")
            log_group = logs.LogGroup(
                self,
                f"{scope_id}Logs",
                retention=log_retention,
                removal_policy=RemovalPolicy.DESTROY,
            )
            log_group.grant_write(self.role)
            self.functions[name] = lambda_.Function(
                self,
                scope_id,
                function_name=name,
                description=f"pyflow example task ({handler})",
                code=code,
                handler=handler,
                runtime=runtime,
                architecture=architecture,
                role=self.role,
                memory_size=128,
                timeout=Duration.seconds(10),
                log_group=log_group,
                logging_format=lambda_.LoggingFormat.JSON,
            )
            allow_redundant_role_dependency(self.functions[name])
            acknowledge_task_function(self.functions[name])
