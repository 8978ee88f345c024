"""A managed policy for activity workers (`pyflow.poll_for_activities`), run anywhere.

Workers are not part of the stack (they run wherever the work is), but they need exactly
these calls on this domain; attach the policy to their role or user.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

WORKER_SWF_ACTIONS = (
    "swf:PollForActivityTask",
    "swf:RespondActivityTaskCompleted",
    "swf:RespondActivityTaskFailed",
    "swf:RespondActivityTaskCanceled",
    "swf:RecordActivityTaskHeartbeat",
    # pyflow.ensure_activity_registered, for a worker started before any decider:
    "swf:DescribeDomain",
    "swf:RegisterActivityType",
    "swf:DescribeActivityType",
)


class ActivityWorkerPolicy(Construct):
    """`policy`: poll, answer and heartbeat activity tasks (and register their types)."""

    def __init__(self, scope: Construct, construct_id: str, *, domain_arn: str) -> None:
        super().__init__(scope, construct_id)
        self.policy = iam.ManagedPolicy(
            self,
            "Policy",
            description="Run pyflow activity workers on one SWF domain",
            statements=[
                iam.PolicyStatement(actions=list(WORKER_SWF_ACTIONS), resources=[domain_arn])
            ],
        )
