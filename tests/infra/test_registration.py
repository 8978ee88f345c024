"""Deploy-time registration in the template: the custom resource runs again for every new
layer, registers with the stable Lambda role, reports dropped types, and its roles grant
only what registration calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template

from infra.lambda_role import stable_role_name
from infra.registration import RESOURCE_TYPE, WorkflowRegistration

DOMAIN_ARN = "arn:aws:swf:${Region}:${Account}:/domain/pyflow"


@pytest.fixture(scope="module")
def stack(synth: Callable[..., Any]) -> Any:
    return synth()


def _only(found: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert len(found) == 1, sorted(found)
    return next(iter(found.items()))


def _registration(stack: Any) -> tuple[str, dict[str, Any]]:
    return _only(stack.resources(RESOURCE_TYPE))


def _statements_of_role(resources: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    return [
        statement
        for resource in resources.values()
        if resource["Type"] == "AWS::IAM::Policy"
        and {"Ref": role_id} in resource["Properties"]["Roles"]
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_registration_runs_for_each_layer_with_the_workflow_types_and_the_role(
    stack: Any,
) -> None:
    _, resource = _registration(stack)
    props = resource["Properties"]
    (layer_id,) = stack.resources("AWS::Lambda::LayerVersion")
    (swf_role_id,) = stack.resources(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": Match.object_like(
                {"Statement": [Match.object_like({"Principal": {"Service": "swf.amazonaws.com"}})]}
            )
        },
    )
    assert props["LayerVersionArn"] == {"Ref": layer_id}
    assert props["LambdaRoleArn"] == {"Fn::GetAtt": [swf_role_id, "Arn"]}
    assert props["WorkflowTypes"] == ["StringTransformer:1.0"]
    assert {k: props[k] for k in ("Domain", "TaskList", "RetentionDays", "DeprecateRemoved")} == {
        "Domain": "pyflow",
        "TaskList": "pyflow-decider",
        "RetentionDays": "30",
        "DeprecateRemoved": "false",
    }
    assert resource["DeletionPolicy"] == "Retain"


def test_registration_waits_for_the_domain(stack: Any) -> None:
    _, resource = _registration(stack)
    for domain_call in stack.resources("Custom::AWS"):
        assert domain_call in resource["DependsOn"]


def test_the_handler_loads_the_workflows_layer_through_the_provider_framework(
    stack: Any,
) -> None:
    resources = stack.json["Resources"]
    _, resource = _registration(stack)
    framework = resources[resource["Properties"]["ServiceToken"]["Fn::GetAtt"][0]]
    handler_ids = [
        logical_id
        for logical_id, r in stack.resources("AWS::Lambda::Function").items()
        if r["Properties"].get("Handler") == "registration.on_event"
    ]
    assert len(handler_ids) == 1
    handler = resources[handler_ids[0]]["Properties"]
    (layer_id,) = stack.resources("AWS::Lambda::LayerVersion")
    assert handler["Layers"] == [{"Ref": layer_id}]
    assert framework["Properties"]["Environment"]["Variables"]["USER_ON_EVENT_FUNCTION_ARN"] == {
        "Fn::GetAtt": [handler_ids[0], "Arn"]
    }


def test_registration_role_grants_only_what_registration_calls(
    stack: Any, rendered: Callable[..., Any]
) -> None:
    resources = stack.json["Resources"]
    (handler,) = [
        r
        for r in stack.resources("AWS::Lambda::Function").values()
        if r["Properties"].get("Handler") == "registration.on_event"
    ]
    role_id = handler["Properties"]["Role"]["Fn::GetAtt"][0]
    statements = rendered(_statements_of_role(resources, role_id), resources)
    assert {
        "Action": [
            "swf:DescribeDomain",
            "swf:RegisterWorkflowType",
            "swf:DescribeWorkflowType",
            "swf:RegisterActivityType",
            "swf:DescribeActivityType",
        ],
        "Effect": "Allow",
        "Resource": DOMAIN_ARN,
    } in statements
    assert {"Action": "swf:RegisterDomain", "Effect": "Allow", "Resource": "*"} in statements
    assert {
        "Action": "iam:PassRole",
        "Condition": {"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
        "Effect": "Allow",
        "Resource": "<AWS::IAM::Role.Arn>",
    } in statements
    assert not any("swf:DeprecateWorkflowType" in str(s["Action"]) for s in statements)
    assert len(statements) == 4  # the three above and writing its own log group


def test_disappeared_types_are_a_stack_output(stack: Any) -> None:
    registration_id, _ = _registration(stack)
    stack.template.has_output(
        "DisappearedWorkflowTypes", {"Value": {"Fn::GetAtt": [registration_id, "Disappeared"]}}
    )


def test_deprecating_dropped_types_is_opt_in_and_granted_only_then(
    synth: Callable[..., Any],
) -> None:
    opted = synth({"deprecate_removed_types": "true"})
    _, resource = _only(opted.resources(RESOURCE_TYPE))
    assert resource["Properties"]["DeprecateRemoved"] == "true"
    actions = [s["Action"] for s in opted.statements() if isinstance(s["Action"], list)]
    assert any("swf:DeprecateWorkflowType" in a for a in actions)


def test_the_construct_alone_in_a_bare_stack() -> None:
    stack = cdk.Stack(cdk.App(), "Bare")
    role = iam.Role(stack, "SwfRole", assumed_by=iam.ServicePrincipal("swf.amazonaws.com"))
    layer = lambda_.LayerVersion.from_layer_version_arn(
        stack, "Layer", "arn:aws:lambda:us-east-1:123456789012:layer:flows:7"
    )
    WorkflowRegistration(
        stack,
        "Registration",
        code=lambda_.Code.from_inline("def on_event(event, context): pass"),
        layer=layer,
        runtime=lambda_.Runtime.PYTHON_3_14,
        architecture=lambda_.Architecture.ARM_64,
        domain_name="orders",
        domain_arn="arn:aws:swf:us-east-1:123456789012:/domain/orders",
        retention_days=10,
        task_list="orders-decider",
        lambda_role=role,
        workflow_types=["B:1", "A:2"],
        log_retention=logs.RetentionDays.ONE_WEEK,
    )
    template = Template.from_stack(stack)
    template.resource_count_is(RESOURCE_TYPE, 1)
    template.has_resource_properties(
        RESOURCE_TYPE,
        {
            "Domain": "orders",
            "RetentionDays": "10",
            "TaskList": "orders-decider",
            "WorkflowTypes": ["A:2", "B:1"],
            "LayerVersionArn": "arn:aws:lambda:us-east-1:123456789012:layer:flows:7",
        },
    )
    # Two log groups with retention: the handler's and the framework function's.
    template.resource_properties_count_is("AWS::Logs::LogGroup", {"RetentionInDays": 7}, 2)


@pytest.mark.parametrize(
    ("stack_name", "expected"),
    [("Pyflow", "Pyflow-SwfLambda-eu-west-1"), ("prod-orders", "prod-orders-SwfLambda-eu-west-1")],
)
def test_stable_role_names(stack_name: str, expected: str) -> None:
    stack = cdk.Stack(
        cdk.App(), "S", stack_name=stack_name, env=cdk.Environment(region="eu-west-1")
    )
    assert stable_role_name(stack) == expected


def test_long_stack_names_are_cut_to_a_valid_distinct_role_name() -> None:
    app = cdk.App()
    env = cdk.Environment(region="ap-southeast-3")
    first = stable_role_name(cdk.Stack(app, "A", stack_name="x" * 100 + "a", env=env))
    second = stable_role_name(cdk.Stack(app, "B", stack_name="x" * 100 + "b", env=env))
    assert len(first) <= 64 and len(second) <= 64
    assert first != second
    assert first.endswith("-SwfLambda-ap-southeast-3")
