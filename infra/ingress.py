"""Signal ingress: an IAM-authenticated Lambda Function URL and optional EventBridge rules that
signal executions of the stack's domain (`handlers/signal.py`).

A Function URL rather than API Gateway: one resource, no per-request charge beyond the
function's, SigV4 with `AWS_IAM` auth exactly like any AWS API (callers need
`lambda:InvokeFunctionUrl`, which `policy` grants), and no stage or deployment to keep in step.
The function's role may call SignalWorkflowExecution on this domain and nothing else in SWF.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aws_cdk import CfnOutput, Duration, RemovalPolicy
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ._lint import UNTRACED, acknowledge_serverless, allow_redundant_role_dependency
from ._signal_rules import PATTERN_KEYS, SignalRule

HANDLER = "signal.lambda_handler"
EVENT_KEY = "pyflow.event"


class SignalIngress(Construct):
    """`function`; with `url`, the Function URL and `policy` (attach to whoever calls it)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        code: lambda_.Code,
        layer: lambda_.ILayerVersion,
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        domain_name: str,
        domain_arn: str,
        log_retention: logs.RetentionDays,
        url: bool = True,
        rules: Sequence[SignalRule] = (),
        dead_letters: sqs.IQueue | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"pyflow signal ingress for SWF domain {domain_name}",
        )
        log_group.grant_write(role)
        role.add_to_principal_policy(
            iam.PolicyStatement(actions=["swf:SignalWorkflowExecution"], resources=[domain_arn])
        )
        self.function = lambda_.Function(
            self,
            "Function",
            description=f"pyflow signal ingress: signals executions in SWF domain {domain_name}",
            code=code,
            handler=HANDLER,
            runtime=runtime,
            architecture=architecture,
            layers=[layer],
            role=role,
            timeout=Duration.seconds(30),
            memory_size=256,
            log_group=log_group,
            logging_format=lambda_.LoggingFormat.JSON,
            environment={"PYFLOW_DOMAIN": domain_name, "POWERTOOLS_SERVICE_NAME": "pyflow-signal"},
        )
        allow_redundant_role_dependency(self.function)
        acknowledge_serverless(
            self.function,
            {
                "LambdaDLQ": "A Function URL invokes it synchronously (the caller sees the "
                "status); each EventBridge rule target has its own dead-letter queue",
                "LambdaTracing": UNTRACED,
            },
        )
        self.url: lambda_.FunctionUrl | None = None
        self.policy: iam.ManagedPolicy | None = None
        for number, rule in enumerate(rules, start=1):
            self._rule(number, rule, dead_letters)
        if url:
            self._url(scope, domain_name)

    def _url(self, scope: Construct, domain_name: str) -> None:
        self.url = self.function.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description=f"Call the pyflow signal URL of SWF domain {domain_name}",
            statements=[
                iam.PolicyStatement(
                    actions=["lambda:InvokeFunctionUrl"],
                    resources=[self.function.function_arn],
                    conditions={"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
                )
            ],
        )
        CfnOutput(
            scope,
            "SignalUrl",
            value=self.url.url,
            description='POST {"token": ..., "input": ...} (SigV4, service lambda) to signal '
            "an execution",
        )
        CfnOutput(
            scope,
            "SignalPolicyArn",
            value=self.policy.managed_policy_arn,
            description="Attach to whoever calls SignalUrl",
        )

    def _rule(self, number: int, rule: SignalRule, dead_letters: sqs.IQueue | None) -> None:
        workflow_id: Any = (
            events.EventField.from_path(rule.workflow_id)
            if rule.workflow_id.startswith("$")
            else rule.workflow_id
        )
        message = {
            EVENT_KEY: {
                "workflowId": workflow_id,
                "signalName": rule.signal_name,
                "input": events.EventField.from_path("$"),
            }
        }
        events.Rule(
            self,
            f"Rule{number}",
            description=f"Signals {rule.signal_name!r} to {rule.workflow_id!r}",
            event_pattern=_pattern(rule.pattern),
            targets=[
                targets.LambdaFunction(
                    self.function,
                    event=events.RuleTargetInput.from_object(message),
                    dead_letter_queue=dead_letters,
                    retry_attempts=4,
                    max_event_age=Duration.hours(2),
                )
            ],
        )


def _pattern(raw: dict[str, Any]) -> events.EventPattern:
    return events.EventPattern(**{PATTERN_KEYS[key]: value for key, value in raw.items()})
