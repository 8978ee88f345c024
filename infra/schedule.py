"""The decider's invocations: an EventBridge Scheduler schedule and the queue that keeps what fails.

Scheduler (not the legacy EventBridge rule) invokes the decider asynchronously. Nothing is
retried, since the next scheduled invocation does the same work; what could not be delivered
(Scheduler's dead-letter queue) and what failed (the function's on-failure destination) land
in one SQS queue, kept 14 days, which the stack alarms on.
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Stack, Validations
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ._lint import acknowledge_serverless

# Scheduler's shortest maximum event age; an older invocation would only overlap the next one.
MAX_EVENT_AGE = Duration.seconds(60)


class FailureQueue(Construct):
    """`queue`: the decider's dead letters (undelivered schedules and failed invocations)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        Validations.of(self.queue).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-SQS3",
                reason="This queue is itself the dead-letter queue of the decider's schedule and "
                "its on-failure destination; a queue behind it would only move the same records",
            )
        )
        acknowledge_serverless(
            self.queue,
            {
                "SQSRedrivePolicy": "This queue is itself the dead-letter queue of the schedule, "
                "the decider and the signal rules; nothing is redriven from it"
            },
        )


class DeciderSchedule(Construct):
    """Invokes `function` on `expression` (rate or cron), with `dead_letters` for failures."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function: lambda_.IFunction,
        expression: str,
        dead_letters: sqs.IQueue,
        description: str,
    ) -> None:
        super().__init__(scope, construct_id)
        # The L1 resource with a role of its own: the L2 target (LambdaInvoke) grants invoke on
        # every version and alias too (`<arn>:*`); this role may invoke only the function.
        account = Stack.of(self).account
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": account}},
            ),
            description=description,
        )
        self.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["lambda:InvokeFunction"], resources=[function.function_arn]
            )
        )
        dead_letters.grant_send_messages(self.role)
        self.schedule = scheduler.CfnSchedule(
            self,
            "Schedule",
            description=description,
            schedule_expression=expression,
            flexible_time_window=scheduler.CfnSchedule.FlexibleTimeWindowProperty(mode="OFF"),
            target=scheduler.CfnSchedule.TargetProperty(
                arn=function.function_arn,
                role_arn=self.role.role_arn,
                dead_letter_config=scheduler.CfnSchedule.DeadLetterConfigProperty(
                    arn=dead_letters.queue_arn
                ),
                retry_policy=scheduler.CfnSchedule.RetryPolicyProperty(
                    maximum_event_age_in_seconds=int(MAX_EVENT_AGE.to_seconds()),
                    maximum_retry_attempts=0,
                ),
            ),
        )
