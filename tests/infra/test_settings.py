"""Settings from CDK context: parsing, checking, and what a changed setting changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from infra.settings import Settings, SettingsError


def test_defaults_need_no_context() -> None:
    settings = Settings.from_mapping({})
    assert settings.domain == "pyflow"
    assert settings.decider_task_list == "pyflow-decider"
    assert settings.decider_timeout > 60 + 10


def test_command_line_strings_are_parsed_like_json_values() -> None:
    settings = Settings.from_mapping(
        {
            "retention_days": "7",
            "decider_concurrency": "none",
            "example_functions": "false",
            "lambda_functions": "a-fn, b_fn",
            "architecture": "x86_64",
        }
    )
    assert settings.retention_days == 7
    assert settings.decider_concurrency is None
    assert Settings.from_mapping({}).decider_concurrency is None  # the default reserves nothing
    assert Settings.from_mapping({"decider_concurrency": "3"}).decider_concurrency == 3
    assert settings.example_functions is False
    assert settings.lambda_functions == ("a-fn", "b_fn")
    assert Settings.from_mapping({"lambda_functions": ["x"]}).lambda_functions == ("x",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"decider_timeout": 60}, "decider_timeout must be between 75 and 900"),
        ({"retention_days": "91"}, "retention_days must be between 0 and 90"),
        ({"architecture": "arm"}, "architecture must be one of arm64, x86_64"),
        ({"log_retention_days": 10}, "log_retention_days must be one of"),
        ({"python_version": "3.9"}, "python_version must be one of Lambda's runtimes pyflow"),
        # Lambda has a 3.10 runtime, but pyflow needs 3.11 (datetime.UTC, among others).
        ({"python_version": "3.10"}, "runs on (3.11, 3.12, 3.13, 3.14), not '3.10'"),
        ({"domain": "a:b"}, "domain 'a:b' contains ':'"),
        ({"decider_task_list": ""}, "decider_task_list '' must not be empty"),
        ({"example_functions": "maybe"}, "example_functions must be true or false"),
        ({"decider_memory": "lots"}, "decider_memory must be a whole number"),
        ({"lambda_functions": "bad name"}, "lambda_functions: 'bad name' is not a valid"),
        ({"lambda_function_prefix": "team/*"}, "lambda_function_prefix 'team/*' must be"),
        ({"domian": "x"}, "unknown pyflow setting(s): domian"),
    ],
)
def test_bad_values_are_rejected_naming_the_key(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_mapping(raw)
    assert message in str(caught.value)


@pytest.fixture(scope="module")
def custom(synth: Callable[..., Any]) -> Any:
    return synth(
        {
            "domain": "prod",
            "retention_days": "7",
            "decider_task_list": "prod-decider",
            "decider_schedule": "rate(5 minutes)",
            "decider_iterations": "10",
            "decider_timeout": "900",
            "decider_concurrency": "none",
            "decider_memory": "512",
            "architecture": "x86_64",
            "log_retention_days": "90",
            "example_functions": "false",
            "lambda_function_prefix": "team-",
            "lambda_functions": "billing-charge",
        }
    )


def test_changed_settings_reach_the_decider(custom: Any) -> None:
    (decider,) = custom.resources(
        "AWS::Lambda::Function", {"Handler": "decider.lambda_handler"}
    ).values()
    props = decider["Properties"]
    assert props["Timeout"] == 900
    assert props["MemorySize"] == 512
    assert props["Architectures"] == ["x86_64"]
    assert "ReservedConcurrentExecutions" not in props
    env = props["Environment"]["Variables"]
    assert (env["PYFLOW_DOMAIN"], env["PYFLOW_TASK_LIST"], env["PYFLOW_ITERATIONS"]) == (
        "prod",
        "prod-decider",
        "10",
    )
    custom.template.has_resource_properties(
        "AWS::Scheduler::Schedule", {"ScheduleExpression": "rate(5 minutes)"}
    )
    custom.template.has_resource_properties(
        "AWS::Lambda::LayerVersion", {"CompatibleArchitectures": ["x86_64"]}
    )


def test_changed_settings_reach_the_domain_and_logs(custom: Any) -> None:
    creates = [r["Properties"]["Create"] for r in custom.resources("Custom::AWS").values()]
    assert any('"workflowExecutionRetentionPeriodInDays":"7"' in c for c in creates)
    assert all('"name":"prod"' in c for c in creates)
    groups = custom.resources("AWS::Logs::LogGroup").values()
    assert {g["Properties"]["RetentionInDays"] for g in groups} == {90}


def test_without_examples_the_role_invokes_workflow_functions_and_the_prefix(
    custom: Any, rendered: Callable[..., Any]
) -> None:
    assert not custom.resources("AWS::Lambda::Function", {"FunctionName": "string-upcase"})
    invoke = [
        s
        for s in rendered(custom.statements(), custom.json["Resources"])
        if s["Action"] == "lambda:InvokeFunction"
        # The registration Provider's framework function invokes its handler, and the
        # schedule the decider.
        and "<AWS::Lambda::Function.Arn>" not in s["Resource"]
    ]
    function = "arn:aws:lambda:${Region}:${Account}:function:"
    # The StringTransformer in workflows/ still names the example functions.
    assert invoke == [
        {
            "Action": "lambda:InvokeFunction",
            "Effect": "Allow",
            "Resource": [
                function + "billing-charge",
                function + "string-concat",
                function + "string-reverse",
                function + "string-upcase",
                function + "team-*",
            ],
        }
    ]
