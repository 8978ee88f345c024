"""Powertools comes from AWS's managed layer (pinned, in the stack's region and partition) unless
`bundle_powertools` builds it into the workflows layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest

from infra import SettingsError
from infra.settings import Settings

from .conftest import render


def _layers(result: Any, handler: str = "decider.lambda_handler") -> list[Any]:
    (function,) = result.resources("AWS::Lambda::Function", {"Handler": handler}).values()
    return sorted(render(function["Properties"]["Layers"], result.json["Resources"]), key=str)


def test_the_decider_takes_the_managed_layer_for_its_runtime_and_architecture(
    synth: Callable[..., Any],
) -> None:
    assert _layers(synth()) == [
        "<Ref AWS::Lambda::LayerVersion>",
        "arn:aws:lambda:${Region}:017000801446:layer:"
        "AWSLambdaPowertoolsPythonV3-python314-arm64:27",
    ]
    x86 = synth({"architecture": "x86_64", "powertools_layer_version": "31"})
    assert _layers(x86)[1].endswith(":layer:AWSLambdaPowertoolsPythonV3-python314-x86_64:31")


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("eu-west-1", "arn:aws:lambda:eu-west-1:017000801446:layer:"),
        ("us-gov-west-1", "arn:aws:lambda:us-gov-west-1:165093116878:layer:"),
        ("cn-north-1", "arn:aws:lambda:cn-north-1:498634801083:layer:"),
    ],
)
def test_a_stack_in_a_known_region_uses_that_regions_publisher(
    synth: Callable[..., Any], region: str, expected: str
) -> None:
    result = synth(env=cdk.Environment(account="123456789012", region=region))
    (managed,) = [layer for layer in _layers(result) if "Powertools" in str(layer)]
    # The partition stays CloudFormation's (aws-us-gov, aws-cn); the rest is fixed.
    assert managed.startswith(expected), managed


def test_bundled_powertools_leaves_only_the_workflows_layer(synth: Callable[..., Any]) -> None:
    result = synth({"bundle_powertools": "true"})
    assert _layers(result) == ["<Ref AWS::Lambda::LayerVersion>"]
    (layer,) = result.resources("AWS::Lambda::LayerVersion").values()
    assert layer["Properties"]["Description"].startswith("pyflow, workflows and their")


def test_the_layer_version_must_be_a_positive_number() -> None:
    with pytest.raises(SettingsError, match="powertools_layer_version must be between 1"):
        Settings.from_mapping({"powertools_layer_version": "0"})
    with pytest.raises(SettingsError, match="bundle_powertools must be true or false"):
        Settings.from_mapping({"bundle_powertools": "maybe"})
