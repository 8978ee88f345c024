"""Operating the deployed decider: the Scheduler schedule and its dead letters, the failure
destination, the alarms and their topic, the dashboard, and a second stage in one account."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk.assertions import Match

from infra.settings import Settings, SettingsError


@pytest.fixture(scope="module")
def stack(synth: Callable[..., Any]) -> Any:
    return synth({"alarm_email": "ops@example.com", "pending_decisions_alarm": 25})


def _only(found: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert len(found) == 1, f"expected one match, found {sorted(found)}"
    return next(iter(found.items()))


def _decider_id(stack: Any) -> str:
    found = stack.resources("AWS::Lambda::Function", {"Handler": "decider.lambda_handler"})
    return _only(found)[0]


def _queue_id(stack: Any) -> str:
    return _only(stack.resources("AWS::SQS::Queue"))[0]


def test_failures_go_to_one_encrypted_queue_from_scheduler_and_the_function(stack: Any) -> None:
    queue_id = _queue_id(stack)
    queue = stack.json["Resources"][queue_id]["Properties"]
    assert queue["SqsManagedSseEnabled"] is True
    assert queue["MessageRetentionPeriod"] == 14 * 24 * 3600
    _, schedule = _only(stack.resources("AWS::Scheduler::Schedule"))
    target = schedule["Properties"]["Target"]
    assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [queue_id, "Arn"]}}
    stack.template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {
            "FunctionName": {"Ref": _decider_id(stack)},
            "DestinationConfig": {
                "OnFailure": {"Destination": {"Fn::GetAtt": [queue_id, "Arn"]}}
            },
        },
    )
    # Only TLS: the queue policy denies aws:SecureTransport false.
    stack.template.has_resource_properties(
        "AWS::SQS::QueuePolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Effect": "Deny", "Condition": {
                        "Bool": {"aws:SecureTransport": "false"}}})]
                )
            }
        },
    )


def test_the_schedule_role_may_invoke_only_the_decider_and_send_dead_letters(
    stack: Any,
) -> None:
    _, schedule = _only(stack.resources("AWS::Scheduler::Schedule"))
    role_id = schedule["Properties"]["Target"]["RoleArn"]["Fn::GetAtt"][0]
    role = stack.json["Resources"][role_id]["Properties"]
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": "scheduler.amazonaws.com"}
    statements = [
        statement
        for resource in stack.resources("AWS::IAM::Policy").values()
        if {"Ref": role_id} in resource["Properties"]["Roles"]
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]
    invoke = [s for s in statements if s["Action"] == "lambda:InvokeFunction"]
    assert invoke == [
        {
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [_decider_id(stack), "Arn"]},
        }
    ]
    sends = {a for s in statements if s is not invoke[0] for a in
             ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert sends and all(a.startswith("sqs:") for a in sends)


def _alarms(stack: Any) -> dict[str, dict[str, Any]]:
    """Alarms by metric name."""
    return {a["Properties"]["MetricName"]: a["Properties"]
            for a in stack.resources("AWS::CloudWatch::Alarm").values()}


def test_alarms_cover_the_function_the_decider_and_the_backlog(stack: Any) -> None:
    alarms = _alarms(stack)
    assert set(alarms) == {
        "Errors", "Throttles", "Duration", "DeciderErrors", "PendingDecisionTasks",
        "ApproximateNumberOfMessagesVisible",
    }
    decider_ref = {"Ref": _decider_id(stack)}
    for name in ("Errors", "Throttles", "Duration"):
        assert alarms[name]["Namespace"] == "AWS/Lambda"
        assert alarms[name]["Dimensions"] == [{"Name": "FunctionName", "Value": decider_ref}]
    # Timeout 120 s: a healthy invocation ends at least 10 s before it.
    assert alarms["Duration"]["Threshold"] == 115_000
    assert alarms["Duration"]["Statistic"] == "Maximum"
    for name in ("DeciderErrors", "PendingDecisionTasks"):
        assert alarms[name]["Namespace"] == "pyflow"
        # The dimensions Powertools writes with the handler's add_dimension("Domain").
        assert sorted(alarms[name]["Dimensions"], key=lambda d: d["Name"]) == [
            {"Name": "Domain", "Value": "pyflow"},
            {"Name": "service", "Value": "pyflow-decider"},
        ]
    assert alarms["PendingDecisionTasks"]["Threshold"] == 25
    topic_id = _only(stack.resources("AWS::SNS::Topic"))[0]
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert alarm["TreatMissingData"] == "notBreaching"


def test_the_alarm_topic_takes_the_configured_email(stack: Any) -> None:
    stack.template.has_resource_properties(
        "AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.com"}
    )


def test_without_an_email_no_subscription_is_made(synth: Callable[..., Any]) -> None:
    assert not synth().resources("AWS::SNS::Subscription")


def test_the_dashboard_shows_decisions_latency_errors_and_history_pages(stack: Any) -> None:
    _, dashboard = _only(stack.resources("AWS::CloudWatch::Dashboard"))
    body = json.dumps(stack.template.to_json()["Resources"])  # the body is an Fn::Join
    del dashboard
    for metric in ("Decisions", "DecisionTasks", "HistoryPages", "DeciderErrors", "Duration",
                   "PendingDecisionTasks"):
        assert f'\\\\"{metric}\\\\"' in body or f'\\"{metric}\\"' in body, metric


def test_a_stage_is_a_second_stack_with_its_own_names(synth: Callable[..., Any]) -> None:
    settings = Settings.from_mapping({"stage": "prod"})
    assert (settings.stack_name, settings.domain, settings.example_functions) == (
        "Pyflow-prod", "pyflow-prod", False
    )
    prod = synth({"stage": "prod", "lambda_functions": "string-upcase"})
    calls = [json.loads(r["Properties"]["Create"]) for r in prod.resources("Custom::AWS").values()]
    assert {c["parameters"]["name"] for c in calls} == {"pyflow-prod"}
    # No function with a fixed name, so two stages never collide in one account.
    assert all("FunctionName" not in f["Properties"]
               for f in prod.resources("AWS::Lambda::Function").values())
    env = _only(prod.resources("AWS::Lambda::Function", {"Handler": "decider.lambda_handler"}))[1]
    assert env["Properties"]["Environment"]["Variables"]["PYFLOW_DOMAIN"] == "pyflow-prod"


@pytest.mark.parametrize("raw", ["Prod", "a_b", "x" * 26])
def test_a_bad_stage_is_rejected_naming_the_key(raw: str) -> None:
    with pytest.raises(SettingsError, match="stage"):
        Settings.from_mapping({"stage": raw})


def test_a_bad_alarm_email_is_rejected() -> None:
    with pytest.raises(SettingsError, match="alarm_email"):
        Settings.from_mapping({"alarm_email": "not-an-address"})
