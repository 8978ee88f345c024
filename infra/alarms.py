"""The decider's alarms (to one SNS topic) and its CloudWatch dashboard.

The function's own metrics (errors, throttles, duration) come from Lambda; the decider's
counters come from the handler's embedded-metric-format records, namespace `pyflow`, with the
dimensions Powertools writes (`Domain` and `service`).
"""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

NAMESPACE = "pyflow"
SERVICE = "pyflow-decider"
PERIOD = Duration.minutes(5)
# The handler never starts a poll with less than 70 s left and a poll lasts at most 60 s, so
# a healthy invocation ends at least 10 s before its timeout; within 5 s of it, it is not.
TIMEOUT_MARGIN_S = 5


class DeciderAlarms(Construct):
    """`topic` and the alarms that notify it; `dashboard` of decisions, latency and errors."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        function: lambda_.Function,
        domain_name: str,
        timeout_seconds: int,
        dead_letters: sqs.IQueue,
        pending_threshold: int,
        email: str | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Topic", display_name=f"pyflow alarms ({domain_name})",
                               enforce_ssl=True)
        Validations.of(self.topic).acknowledge(
            Acknowledgment(
                id="AwsSolutions::AwsSolutions-SNS2",
                reason="Alarm notifications carry alarm names and states, no workflow data; "
                "CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, "
                "and a customer-managed key would add $1/month to an idle stack",
            )
        )
        if email:
            self.topic.add_subscription(subscriptions.EmailSubscription(email))
        dimensions = {"Domain": domain_name, "service": SERVICE}
        self.decider_errors = _pyflow("DeciderErrors", dimensions)
        self.pending = _pyflow("PendingDecisionTasks", dimensions, statistic="Maximum")
        self.alarms = [
            self._alarm("Errors", function.metric_errors(period=PERIOD), 1,
                        "the decider function failed (a crash or timeout)"),
            self._alarm("Throttles", function.metric_throttles(period=PERIOD), 1,
                        "Lambda throttled the decider: decisions wait until it runs again"),
            self._alarm(
                "Duration",
                function.metric_duration(period=PERIOD, statistic="Maximum"),
                (timeout_seconds - TIMEOUT_MARGIN_S) * 1000,
                f"a decider invocation ran within {TIMEOUT_MARGIN_S} s of its timeout",
            ),
            self._alarm("DeciderErrors", self.decider_errors, 1,
                        "the decider loop raised (see its log group)"),
            self._alarm("PendingDecisionTasks", self.pending, pending_threshold,
                        f"more than {pending_threshold - 1} decision tasks were waiting"),
            self._alarm(
                "DeadLetters",
                dead_letters.metric_approximate_number_of_messages_visible(
                    period=PERIOD, statistic="Maximum"
                ),
                1,
                "an invocation failed or could not be delivered (see the failure queue)",
            ),
        ]
        self.dashboard = self._dashboard(function, domain_name, dimensions)

    def _alarm(
        self, construct_id: str, metric: cloudwatch.IMetric, threshold: float, why: str
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=f"pyflow: {why}",
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        return alarm

    def _dashboard(
        self, function: lambda_.Function, domain_name: str, dimensions: dict[str, str]
    ) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(self, "Dashboard")
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title=f"Decisions ({domain_name})",
                left=[_pyflow("Decisions", dimensions), _pyflow("DecisionTasks", dimensions)],
                right=[self.pending],
            ),
            cloudwatch.GraphWidget(
                title="Decider latency (invocation duration)",
                left=[
                    function.metric_duration(period=PERIOD, statistic="p50"),
                    function.metric_duration(period=PERIOD, statistic="Maximum"),
                ],
            ),
            cloudwatch.GraphWidget(
                title="Errors",
                left=[
                    self.decider_errors,
                    function.metric_errors(period=PERIOD),
                    function.metric_throttles(period=PERIOD),
                ],
            ),
            cloudwatch.GraphWidget(
                title="History pages read",
                left=[_pyflow("HistoryPages", dimensions), _pyflow("EmptyPolls", dimensions)],
            ),
        )
        return dashboard


def _pyflow(
    name: str, dimensions: dict[str, str], statistic: str = "Sum"
) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map=dimensions,
        statistic=statistic,
        period=PERIOD,
    )
