"""The default stack, resource by resource: what each grants, runs and outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk.assertions import Match

DOMAIN_ARN = "arn:aws:swf:${Region}:${Account}:/domain/pyflow"
EXAMPLES = {
    "string-upcase": "strings.upcase",
    "string-reverse": "strings.reverse",
    "string-concat": "strings.concat",
}


@pytest.fixture(scope="module")
def stack(synth: Callable[..., Any]) -> Any:
    return synth()


@pytest.fixture(scope="module")
def resources(stack: Any) -> dict[str, Any]:
    return stack.json["Resources"]  # type: ignore[no-any-return]


def _only(found: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    assert len(found) == 1, f"expected one match, found {sorted(found)}"
    return next(iter(found.items()))


def _policy_of_role(resources: dict[str, Any], role_id: str) -> list[dict[str, Any]]:
    statements = []
    for resource in resources.values():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in props["Roles"]:
            statements.extend(props["PolicyDocument"]["Statement"])
    return statements


def _role_id(resource: dict[str, Any]) -> str:
    return str(resource["Properties"]["Role"]["Fn::GetAtt"][0])


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def _sdk_call(resource: dict[str, Any], event: str) -> dict[str, Any]:
    return json.loads(resource["Properties"][event])  # type: ignore[no-any-return]


# -- the SWF domain --------------------------------------------------------------------------


def test_domain_is_registered_with_retention_as_a_string(stack: Any) -> None:
    stack.template.has_resource(
        "Custom::AWS",
        {
            "Properties": {
                "Create": Match.serialized_json(
                    Match.object_like(
                        {
                            "service": "SWF",
                            "action": "registerDomain",
                            "parameters": Match.object_like(
                                {"name": "pyflow", "workflowExecutionRetentionPeriodInDays": "30"}
                            ),
                            "ignoreErrorCodesMatching": "DomainAlreadyExistsFault",
                        }
                    )
                ),
            },
            "DeletionPolicy": "Retain",
        },
    )


def test_domain_is_undeprecated_after_registering(stack: Any, resources: dict[str, Any]) -> None:
    calls = {
        _sdk_call(r, "Create")["action"]: (logical_id, r)
        for logical_id, r in stack.resources("Custom::AWS").items()
    }
    assert set(calls) == {"registerDomain", "undeprecateDomain"}
    undeprecate_id, undeprecate = calls["undeprecateDomain"]
    call = _sdk_call(undeprecate, "Create")
    assert call["parameters"] == {"name": "pyflow"}
    assert call["ignoreErrorCodesMatching"] == "DomainAlreadyExistsFault"
    assert calls["registerDomain"][0] in resources[undeprecate_id]["DependsOn"]


def test_domain_is_never_deleted(stack: Any) -> None:
    for resource in stack.resources("Custom::AWS").values():
        assert "Delete" not in resource["Properties"]
        assert resource["DeletionPolicy"] == "Retain"
        assert _sdk_call(resource, "Update") == _sdk_call(resource, "Create")


def test_domain_custom_resource_has_its_own_role_and_log_group(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    token = next(iter(stack.resources("Custom::AWS").values()))["Properties"]["ServiceToken"]
    provider = resources[token["Fn::GetAtt"][0]]
    log_group = resources[provider["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]]
    assert log_group["Properties"]["RetentionInDays"] == 30
    statements = rendered(_policy_of_role(resources, _role_id(provider)), resources)
    # RegisterDomain supports no resource-level permission (SWF's API reference): "*" alone.
    assert {"Action": "swf:RegisterDomain", "Effect": "Allow", "Resource": "*"} in statements
    assert {
        "Action": "swf:UndeprecateDomain",
        "Effect": "Allow",
        "Resource": DOMAIN_ARN,
    } in statements
    assert {
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Effect": "Allow",
        "Resource": "<AWS::Logs::LogGroup.Arn>",
    } in statements
    assert len(statements) == 3


# -- the role SWF assumes to invoke Lambda ---------------------------------------------------


def _swf_role(stack: Any) -> tuple[str, dict[str, Any]]:
    return _only(
        stack.resources(
            "AWS::IAM::Role",
            {
                "AssumeRolePolicyDocument": {
                    "Statement": Match.array_with(
                        [Match.object_like({"Principal": {"Service": "swf.amazonaws.com"}})]
                    )
                }
            },
        )
    )


def test_lambda_role_trust_is_exactly_the_swf_guides_lambda_task_policy(stack: Any) -> None:
    # docs.aws.amazon.com/amazonswf/latest/developerguide/lambda-task.html: no condition keys,
    # since no SWF page documents any that SWF sends when it assumes the role.
    _, role = _swf_role(stack)
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "swf.amazonaws.com"},
        }
    ]


def test_lambda_role_has_a_stable_name_per_stack_and_region(
    stack: Any, rendered: Callable[..., Any]
) -> None:
    # Registered types keep the role's ARN as their default: it must survive a redeploy.
    _, role = _swf_role(stack)
    assert rendered(role["Properties"]["RoleName"]) == "Pyflow-SwfLambda-${Region}"


def test_lambda_role_may_invoke_only_the_workflows_functions(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    role_id, _ = _swf_role(stack)
    statements = rendered(_policy_of_role(resources, role_id), resources)
    assert statements == [
        {
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": sorted(
                f"arn:aws:lambda:${{Region}}:${{Account}}:function:{name}" for name in EXAMPLES
            ),
        }
    ]


def test_starter_policy_passes_the_lambda_role_only_to_swf(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    role_id, _ = _swf_role(stack)
    _, policy = _only(
        stack.resources(
            "AWS::IAM::ManagedPolicy",
            {
                "PolicyDocument": {
                    "Statement": Match.array_with([Match.object_like({"Action": "iam:PassRole"})])
                }
            },
        )
    )
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {
        "Action": "iam:PassRole",
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [role_id, "Arn"]},
        "Condition": {"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
    } in statements
    swf = [s for s in rendered(statements, resources) if s["Action"] != "iam:PassRole"]
    assert swf == [
        {
            "Action": [
                "swf:StartWorkflowExecution",
                "swf:SignalWorkflowExecution",
                "swf:RequestCancelWorkflowExecution",
                "swf:DescribeWorkflowExecution",
                "swf:GetWorkflowExecutionHistory",
            ],
            "Effect": "Allow",
            "Resource": DOMAIN_ARN,
        }
    ]


def test_worker_policy_covers_only_activity_work_on_the_domain_and_payloads(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    policies = stack.resources("AWS::IAM::ManagedPolicy")
    documents = [rendered(p["Properties"]["PolicyDocument"], resources) for p in policies.values()]
    worker = [d for d in documents if "swf:PollForActivityTask" in d["Statement"][0]["Action"]]
    assert worker == [
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": [
                        "swf:PollForActivityTask",
                        "swf:RespondActivityTaskCompleted",
                        "swf:RespondActivityTaskFailed",
                        "swf:RespondActivityTaskCanceled",
                        "swf:RecordActivityTaskHeartbeat",
                        "swf:DescribeDomain",
                        "swf:RegisterActivityType",
                        "swf:DescribeActivityType",
                    ],
                    "Effect": "Allow",
                    "Resource": DOMAIN_ARN,
                },
                {
                    "Action": ["s3:GetObject", "s3:PutObject"],
                    "Effect": "Allow",
                    "Resource": "<AWS::S3::Bucket.Arn>/pyflow/payloads/*",
                },
            ],
        }
    ]


# -- the layer -------------------------------------------------------------------------------


def test_layer_targets_the_decider_runtime_and_architecture(stack: Any) -> None:
    stack.template.has_resource_properties(
        "AWS::Lambda::LayerVersion",
        {"CompatibleRuntimes": ["python3.14"], "CompatibleArchitectures": ["arm64"]},
    )


# -- the decider -----------------------------------------------------------------------------


def _decider(stack: Any) -> tuple[str, dict[str, Any]]:
    return _only(stack.resources("AWS::Lambda::Function", {"Handler": "decider.lambda_handler"}))


def test_decider_runs_pyflow_with_the_layer_and_its_settings(
    stack: Any, resources: dict[str, Any]
) -> None:
    _, decider = _decider(stack)
    props = decider["Properties"]
    # The workflows layer and AWS's Powertools layer (tests/infra/test_powertools.py).
    (layer,) = [item for item in props["Layers"] if "Ref" in item]
    assert resources[layer["Ref"]]["Type"] == "AWS::Lambda::LayerVersion"
    assert len(props["Layers"]) == 2
    assert props["Runtime"] == "python3.14"
    assert props["Architectures"] == ["arm64"]
    # No reservation by default: any fails the CREATE in an account at the default quota of 10.
    assert "ReservedConcurrentExecutions" not in props
    assert props["TracingConfig"] == {"Mode": "Active"}
    env = props["Environment"]["Variables"]
    assert env["PYFLOW_DOMAIN"] == "pyflow"
    assert env["PYFLOW_TASK_LIST"] == "pyflow-decider"
    assert env["PYFLOW_WORKFLOWS"] == "workflows"
    assert "PYFLOW_ITERATIONS" not in env  # no cap by default: the deadline stops it
    assert env["PYFLOW_LAMBDA_ROLE"] == {"Fn::GetAtt": [_swf_role(stack)[0], "Arn"]}
    assert env["POWERTOOLS_SERVICE_NAME"] == "pyflow-decider"


def test_decider_timeout_leaves_room_for_a_whole_long_poll(stack: Any) -> None:
    _, decider = _decider(stack)
    # The handler stops polling with 70 s left; a poll lasts up to 60 s.
    assert decider["Properties"]["Timeout"] >= 60 + 70 - 10
    assert decider["Properties"]["Timeout"] > 60


def test_decider_logs_to_its_own_log_group_with_retention(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    _, decider = _decider(stack)
    logging_config = decider["Properties"]["LoggingConfig"]
    assert logging_config["LogFormat"] == "JSON"
    log_group = resources[logging_config["LogGroup"]["Ref"]]
    assert log_group["Properties"]["RetentionInDays"] == 30
    statements = rendered(_policy_of_role(resources, _role_id(decider)), resources)
    assert {
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Effect": "Allow",
        "Resource": "<AWS::Logs::LogGroup.Arn>",
    } in statements


def test_decider_may_make_only_its_swf_calls_on_its_own_domain(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    _, decider = _decider(stack)
    statements = rendered(_policy_of_role(resources, _role_id(decider)), resources)
    swf = [s for s in statements if any(a.startswith("swf:") for a in _actions(s))]
    assert len(swf) == 1
    assert swf[0]["Resource"] == DOMAIN_ARN
    assert set(swf[0]["Action"]) == {
        "swf:DescribeDomain",
        "swf:RegisterWorkflowType",
        "swf:DescribeWorkflowType",
        "swf:RegisterActivityType",
        "swf:DescribeActivityType",
        "swf:PollForDecisionTask",
        "swf:CountPendingDecisionTasks",
        "swf:RespondDecisionTaskCompleted",
        "swf:GetWorkflowExecutionHistory",
        "swf:ScheduleActivityTask",
        "swf:RequestCancelActivityTask",
        "swf:StartTimer",
        "swf:CancelTimer",
        "swf:StartChildWorkflowExecution",
        "swf:RequestCancelExternalWorkflowExecution",
        "swf:CompleteWorkflowExecution",
        "swf:FailWorkflowExecution",
        "swf:CancelWorkflowExecution",
    }


def test_decider_may_pass_the_lambda_role_only_to_swf(
    stack: Any, resources: dict[str, Any]
) -> None:
    _, decider = _decider(stack)
    passes = [
        s for s in _policy_of_role(resources, _role_id(decider)) if "iam:PassRole" in _actions(s)
    ]
    assert passes == [
        {
            "Action": "iam:PassRole",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [_swf_role(stack)[0], "Arn"]},
            "Condition": {"StringEquals": {"iam:PassedToService": "swf.amazonaws.com"}},
        }
    ]


def test_decider_is_scheduled_without_retries(stack: Any) -> None:
    decider_id, _ = _decider(stack)
    assert not stack.resources("AWS::Events::Rule"), "the legacy scheduled rule is gone"
    stack.template.has_resource_properties(
        "AWS::Scheduler::Schedule",
        {
            "ScheduleExpression": "rate(1 minute)",
            "FlexibleTimeWindow": {"Mode": "OFF"},
            "Target": Match.object_like(
                {
                    "Arn": {"Fn::GetAtt": [decider_id, "Arn"]},
                    "RetryPolicy": {"MaximumRetryAttempts": 0, "MaximumEventAgeInSeconds": 60},
                }
            ),
        },
    )
    stack.template.has_resource_properties(
        "AWS::Lambda::EventInvokeConfig",
        {"FunctionName": {"Ref": decider_id}, "MaximumRetryAttempts": 0},
    )


def test_decider_waits_for_the_domain(stack: Any, resources: dict[str, Any]) -> None:
    decider_id, decider = _decider(stack)
    custom = set(stack.resources("Custom::AWS"))
    assert custom <= set(decider["DependsOn"])


# -- the example functions -------------------------------------------------------------------


def test_example_functions_have_the_names_the_workflow_uses(
    stack: Any, resources: dict[str, Any], rendered: Callable[..., Any]
) -> None:
    for name, handler in EXAMPLES.items():
        _, function = _only(stack.resources("AWS::Lambda::Function", {"FunctionName": name}))
        props = function["Properties"]
        assert props["Handler"] == handler
        assert props["Runtime"] == "python3.14"
        assert "Layers" not in props
        log_group = resources[props["LoggingConfig"]["LogGroup"]["Ref"]]
        assert log_group["Properties"]["RetentionInDays"] == 30
        statements = rendered(_policy_of_role(resources, _role_id(function)), resources)
        assert all(_actions(s) == ["logs:CreateLogStream", "logs:PutLogEvents"] for s in statements)


def test_handlers_share_one_code_asset(stack: Any) -> None:
    functions = stack.resources("AWS::Lambda::Function", {"Runtime": "python3.14"})
    keys = {f["Properties"]["Code"]["S3Key"] for f in functions.values()}
    assert len(functions) == 5 and len(keys) == 1  # decider, registration, three examples


# -- security and outputs --------------------------------------------------------------------


def test_only_actions_without_resource_permissions_get_a_wildcard(
    stack: Any, rendered: Callable[..., Any]
) -> None:
    for statement in rendered(stack.statements(), stack.json["Resources"]):
        actions = _actions(statement)
        if statement["Effect"] == "Deny":  # enforce-SSL denials on the queue and topic
            continue
        assert not any(a == "*" or a.endswith(":*") for a in actions), statement
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if "*" in resources:  # X-Ray's and RegisterDomain's only form
            assert set(actions) in (
                {"xray:PutTraceSegments", "xray:PutTelemetryRecords"},
                {"swf:RegisterDomain"},
            ), statement


def test_every_log_group_has_a_retention(stack: Any) -> None:
    groups = stack.resources("AWS::Logs::LogGroup")
    assert len(groups) == 7  # registration: its handler and the Provider framework function
    assert all(g["Properties"]["RetentionInDays"] == 30 for g in groups.values())


def test_outputs_tell_how_to_start_the_example(stack: Any, rendered: Callable[..., Any]) -> None:
    outputs = rendered(stack.json["Outputs"], stack.json["Resources"])
    assert outputs["DomainName"]["Value"] == "pyflow"
    assert outputs["DeciderTaskList"]["Value"] == "pyflow-decider"
    assert outputs["LambdaRoleArn"]["Value"] == "<AWS::IAM::Role.Arn>"
    assert outputs["DeciderFunctionName"]["Value"] == "<Ref AWS::Lambda::Function>"
    assert outputs["StarterPolicyArn"]["Value"] == "<Ref AWS::IAM::ManagedPolicy>"
    assert outputs["WorkerPolicyArn"]["Value"] == "<Ref AWS::IAM::ManagedPolicy>"
    assert outputs["StartExampleCommand"]["Value"] == (
        "aws swf start-workflow-execution --domain pyflow"
        " --workflow-id stringtransformer-$(date +%s)"
        " --workflow-type name=StringTransformer,version=1.0"
        " --task-list name=pyflow-decider"
        " --lambda-role <AWS::IAM::Role.Arn> --input World"
    )
