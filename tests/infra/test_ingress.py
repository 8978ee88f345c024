"""Signal ingress in the stack: an IAM-authenticated Function URL and EventBridge rules that may
signal this domain's executions and do nothing else."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from infra.settings import Settings, SettingsError

from .conftest import render

RULES = [
    {
        "pattern": {"source": ["shop.payments"], "detail-type": ["PaymentSettled"]},
        "workflow_id": "$.detail.orderId",
        "signal_name": "Paid",
    }
]
DOMAIN_ARN = "arn:aws:swf:${Region}:${Account}:/domain/pyflow"


@pytest.fixture(scope="module")
def stack(synth: Callable[..., Any]) -> Any:
    return synth({"signal_endpoint": "true", "signal_rules": json.dumps(RULES)}, nag=True)


def _ingress(stack: Any) -> dict[str, Any]:
    (function,) = [
        f
        for f in stack.resources("AWS::Lambda::Function").values()
        if f["Properties"]["Handler"] == "signal.lambda_handler"
    ]
    return function  # type: ignore[no-any-return]


def test_the_url_needs_iam_auth_and_the_output_names_it(stack: Any) -> None:
    (url,) = stack.resources("AWS::Lambda::Url").values()
    assert url["Properties"]["AuthType"] == "AWS_IAM"
    assert "SignalUrl" in stack.json["Outputs"]
    assert _ingress(stack)["Properties"]["Environment"]["Variables"]["PYFLOW_DOMAIN"] == "pyflow"


def test_the_ingress_role_may_only_signal_this_domain(stack: Any) -> None:
    resources = stack.json["Resources"]
    role_id = _ingress(stack)["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = [
        statement
        for policy in stack.resources("AWS::IAM::Policy").values()
        if {"Ref": role_id} in policy["Properties"]["Roles"]
        for statement in render(policy["Properties"]["PolicyDocument"]["Statement"], resources)
    ]
    swf = [s for s in statements if "swf:" in str(s["Action"])]
    assert swf == [
        {"Action": "swf:SignalWorkflowExecution", "Effect": "Allow", "Resource": DOMAIN_ARN}
    ]
    others = {str(s["Action"]) for s in statements} - {"swf:SignalWorkflowExecution"}
    assert all("logs:" in action for action in others), others


def test_callers_get_a_policy_for_invoking_the_url_with_iam_only(stack: Any) -> None:
    resources = stack.json["Resources"]
    documents = [
        render(p["Properties"]["PolicyDocument"], resources)
        for p in stack.resources("AWS::IAM::ManagedPolicy").values()
    ]
    (invoke,) = [d for d in documents if "lambda:InvokeFunctionUrl" in str(d)]
    assert invoke["Statement"] == [
        {
            "Action": "lambda:InvokeFunctionUrl",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}},
            "Effect": "Allow",
            "Resource": "<AWS::Lambda::Function.Arn>",
        }
    ]


def test_a_rule_signals_the_event_with_the_whole_event_as_input(stack: Any) -> None:
    (rule,) = [
        r
        for r in stack.resources("AWS::Events::Rule").values()
        if "shop.payments" in str(r["Properties"].get("EventPattern"))
    ]
    props = rule["Properties"]
    assert props["EventPattern"] == {
        "source": ["shop.payments"],
        "detail-type": ["PaymentSettled"],
    }
    (target,) = props["Targets"]
    transformer = target["InputTransformer"]
    paths = transformer["InputPathsMap"]
    (whole,) = [name for name, path in paths.items() if path == "$"]
    assert paths["detail-orderId"] == "$.detail.orderId"
    template = transformer["InputTemplate"]
    assert '"workflowId":<detail-orderId>' in template
    assert '"signalName":"Paid"' in template
    assert f'"input":<{whole}>' in template
    assert target["RetryPolicy"]["MaximumRetryAttempts"] == 4
    assert "DeadLetterConfig" in target


def test_the_default_stack_has_no_ingress(synth: Callable[..., Any]) -> None:
    result = synth()
    assert result.resources("AWS::Lambda::Url") == {}
    assert "signal.lambda_handler" not in json.dumps(result.json)
    assert not [k for k in result.json["Resources"] if k.startswith("Signals")]
    assert "SignalUrl" not in result.json["Outputs"]


def test_rules_alone_deploy_the_function_without_a_url(synth: Callable[..., Any]) -> None:
    result = synth({"signal_rules": json.dumps(RULES)})
    assert result.resources("AWS::Lambda::Url") == {}
    assert (
        len(
            result.resources(
                "AWS::Events::Rule", {"Description": "Signals 'Paid' to '$.detail.orderId'"}
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not json", "signal_rules must be JSON"),
        ('{"pattern": {}}', "must be a list of rules"),
        ('[{"pattern": {"source": ["x"]}}]', r"signal_rules\[0\] must be an object"),
        (
            '[{"pattern": {"color": ["x"]}, "workflow_id": "w", "signal_name": "S"}]',
            r"signal_rules\[0\].pattern must be a non-empty EventBridge pattern",
        ),
        (
            '[{"pattern": {"source": ["x"]}, "workflow_id": " ", "signal_name": "S"}]',
            r"signal_rules\[0\].workflow_id must be",
        ),
        (
            '[{"pattern": {"source": ["x"]}, "workflow_id": "w", "signal_name": "a:b"}]',
            r"signal_rules\[0\].signal_name 'a:b'",
        ),
    ],
)
def test_bad_rules_fail_synthesis_naming_the_rule(value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_mapping({"signal_rules": value})
