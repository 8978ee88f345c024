"""Each construct alone in a bare `Stack`: it synthesizes without the others and makes what it
promises, so a user's CDK app can take any of them (the stack tests cover how they combine)."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk.assertions import Match, Template

from infra.alarms import DeciderAlarms
from infra.decider import Decider
from infra.domain import SwfDomain
from infra.functions import FunctionSource, UserFunctions
from infra.ingress import SignalIngress
from infra.lambda_role import SwfLambdaRole
from infra.layer import WorkflowsLayer
from infra.payloads import PayloadBucket
from infra.powertools import powertools_layer
from infra.schedule import DeciderSchedule, FailureQueue
from infra.settings import Settings
from infra.worker_policy import ActivityWorkerPolicy
from infra.workers import WorkerService

from .conftest import NO_BUNDLING, PROJECT_ROOT, render

DOMAIN_ARN = "arn:aws:swf:eu-west-1:123456789012:/domain/bare"
RUNTIME = lambda_.Runtime.PYTHON_3_14
ARM = lambda_.Architecture.ARM_64
RETENTION = logs.RetentionDays.ONE_WEEK


@pytest.fixture
def bare(tmp_path: Path) -> cdk.Stack:
    app = cdk.App(outdir=str(tmp_path / "cdk.out"), context=NO_BUNDLING)
    return cdk.Stack(app, "Bare", env=cdk.Environment(account="123456789012", region="eu-west-1"))


def _template(stack: cdk.Stack) -> Template:
    return Template.from_stack(stack)


def _code() -> lambda_.Code:
    return lambda_.Code.from_asset(str(PROJECT_ROOT / "handlers"))


def _layer(stack: cdk.Stack) -> lambda_.ILayerVersion:
    return lambda_.LayerVersion.from_layer_version_arn(
        stack, "Layer", "arn:aws:lambda:eu-west-1:123456789012:layer:flows:1"
    )


def _function(stack: cdk.Stack) -> lambda_.Function:
    return lambda_.Function(
        stack, "Fn", code=_code(), handler="decider.lambda_handler", runtime=RUNTIME
    )


def test_domain(bare: cdk.Stack) -> None:
    SwfDomain(bare, "Domain", domain_name="bare", retention_days=3, log_retention=RETENTION)
    _template(bare).has_resource_properties(
        "Custom::AWS", {"Create": Match.string_like_regexp('"action":"registerDomain"')}
    )


def test_lambda_role(bare: cdk.Stack) -> None:
    SwfLambdaRole(bare, "Role", domain_arn=DOMAIN_ARN, function_names=["charge"])
    (policy,) = _template(bare).find_resources("AWS::IAM::Policy").values()
    (statement,) = render(policy["Properties"]["PolicyDocument"]["Statement"])
    assert statement["Action"] == "lambda:InvokeFunction"
    assert statement["Resource"] == "arn:aws:lambda:eu-west-1:123456789012:function:charge"


def test_workflows_layer(bare: cdk.Stack) -> None:
    WorkflowsLayer(
        bare, "Flows", workflows=PROJECT_ROOT / "workflows", runtime=RUNTIME, architecture=ARM
    )
    _template(bare).has_resource_properties(
        "AWS::Lambda::LayerVersion", {"CompatibleArchitectures": ["arm64"]}
    )


def test_powertools_layer(bare: cdk.Stack) -> None:
    layer = powertools_layer(bare, "Powertools", runtime=RUNTIME, architecture=ARM, version=9)
    assert bare.resolve(layer.layer_version_arn) == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":lambda:eu-west-1:017000801446:layer:AWSLambdaPowertoolsPythonV3-python314-arm64:9",
            ],
        ]
    }


def test_decider_schedule_and_alarms(bare: cdk.Stack) -> None:
    role = iam.Role(bare, "SwfRole", assumed_by=iam.ServicePrincipal("swf.amazonaws.com"))
    failures = FailureQueue(bare, "Failures").queue
    decider = Decider(
        bare,
        "Decider",
        code=_code(),
        layers=[_layer(bare)],
        runtime=RUNTIME,
        architecture=ARM,
        domain_name="bare",
        domain_arn=DOMAIN_ARN,
        task_list="deciders",
        lambda_role=role,
        failures=failures,
        iterations=None,
        timeout=cdk.Duration.seconds(120),
        memory_size=256,
        reserved_concurrency=None,
        log_retention=RETENTION,
        workflows_package="orders",
    )
    DeciderSchedule(
        bare,
        "Schedule",
        function=decider.function,
        expression="rate(1 minute)",
        dead_letters=failures,
        description="bare",
    )
    DeciderAlarms(
        bare,
        "Alarms",
        function=decider.function,
        domain_name="bare",
        timeout_seconds=120,
        dead_letters=failures,
        pending_threshold=5,
    )
    template = _template(bare)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"PYFLOW_WORKFLOWS": "orders"})}},
    )
    template.resource_count_is("AWS::Scheduler::Schedule", 1)
    assert len(template.find_resources("AWS::CloudWatch::Alarm")) >= 5


def test_payload_bucket(bare: cdk.Stack) -> None:
    payloads = PayloadBucket(bare, "Payloads", prefix="p/", expiration_days=100)
    payloads.give_to(_function(bare))
    template = _template(bare)
    template.resource_count_is("AWS::S3::Bucket", 1)
    template.has_resource_properties(
        "AWS::Lambda::Function",
        {"Environment": {"Variables": Match.object_like({"PYFLOW_PAYLOAD_PREFIX": "p/"})}},
    )


def test_user_functions(bare: cdk.Stack, tmp_path: Path) -> None:
    source = tmp_path / "functions"
    source.mkdir()
    (source / "charge.py").write_text("def handler(event, context):\n    return 1\n")
    sources = {"charge": FunctionSource("charge", source, "charge.handler")}
    UserFunctions(
        bare,
        "Functions",
        sources=sources,
        layers=[_layer(bare)],
        runtime=RUNTIME,
        architecture=ARM,
        log_retention=RETENTION,
    )
    _template(bare).has_resource_properties(
        "AWS::Lambda::Function", {"FunctionName": "charge", "Handler": "charge.handler"}
    )


def test_signal_ingress(bare: cdk.Stack) -> None:
    SignalIngress(
        bare,
        "Signals",
        code=_code(),
        layer=_layer(bare),
        runtime=RUNTIME,
        architecture=ARM,
        domain_name="bare",
        domain_arn=DOMAIN_ARN,
        log_retention=RETENTION,
    )
    _template(bare).has_resource_properties("AWS::Lambda::Url", {"AuthType": "AWS_IAM"})


def test_worker_policy_and_service(bare: cdk.Stack, tmp_path: Path) -> None:
    package = tmp_path / "orders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    policy = ActivityWorkerPolicy(bare, "Workers", domain_arn=DOMAIN_ARN).policy
    settings = Settings.from_mapping({"worker_service": True, "domain": "bare", "worker_count": 2})
    WorkerService(
        bare,
        "Service",
        settings=settings,
        package=package,
        pyflow_dir=PROJECT_ROOT / "pyflow",
        policy=policy,
        environment={},
        log_retention=RETENTION,
    )
    template = _template(bare)
    template.has_resource_properties("AWS::ECS::Service", {"DesiredCount": 2})
    template.has_resource_properties(
        "AWS::ECS::TaskDefinition",
        {
            "ContainerDefinitions": [
                Match.object_like({"Command": ["orders", "--concurrency", "4", "--domain", "bare"]})
            ]
        },
    )
