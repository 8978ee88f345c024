"""cdk-nag's AwsSolutions checks and cfn-lint pass on the synthesized templates, and the app
itself (`python app.py`) synthesizes with the checks on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from cfnlint.api import lint  # type: ignore[import-untyped]

from .conftest import CDK_JSON_CONTEXT

PROJECT_ROOT = Path(__file__).resolve().parents[2]


PREFIX = {"lambda_function_prefix": "team-"}
# cdk-nag rules that have no per-finding form: the failure queue is a dead-letter queue itself
# (SQS3); the alarm topic cannot use the AWS-managed key CloudWatch cannot publish with (SNS2).
# Serverless rules have no per-finding form either: each is acknowledged on its one function.
WHOLE_RULES = {
    "AwsSolutions-SQS3",
    "AwsSolutions-SNS2",
    "AwsSolutions-S1",
    "Serverless-LambdaDLQ",
    "Serverless-LambdaTracing",
    "Serverless-LambdaDefaultMemorySize",
    "Serverless-SQSRedrivePolicy",
    # An older runtime than the latest (`python_version`), on each of pyflow's functions.
    "AwsSolutions-L1",
    "Serverless-LambdaLatestVersion",
}
# The CDK CLI always sets a region (us-east-1 when none is configured), rarely an account; with
# cdk.json's flags a concrete region also makes the partition a literal.
VARIANTS: dict[str, tuple[dict[str, Any], cdk.Environment | None]] = {
    "default": ({}, None),
    "prefix": (PREFIX, None),
    "prefix-region": (PREFIX, cdk.Environment(region="us-east-1")),
    "prefix-account-region": (PREFIX, cdk.Environment(account="123456789012", region="eu-west-1")),
    "prefix-cli": ({**CDK_JSON_CONTEXT, **PREFIX}, cdk.Environment(region="us-east-1")),
    "python-3.12": ({"python_version": "3.12"}, None),
    "ingress": (
        {
            "signal_endpoint": "true",
            "signal_rules": '[{"pattern": {"source": ["shop"]}, "workflow_id": "$.detail.id", '
            '"signal_name": "Paid"}]',
        },
        None,
    ),
}

# The wildcard resource as cdk-nag renders it: literals where the environment fixes a value.
PREFIX_FINDINGS = {
    "prefix": "arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:team-*",
    "prefix-region": "arn:<AWS::Partition>:lambda:us-east-1:<AWS::AccountId>:function:team-*",
    "prefix-account-region": "arn:<AWS::Partition>:lambda:eu-west-1:123456789012:function:team-*",
    "prefix-cli": "arn:aws:lambda:us-east-1:<AWS::AccountId>:function:team-*",
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def checked(request: pytest.FixtureRequest, synth: Callable[..., Any]) -> Any:
    context, env = VARIANTS[request.param]
    return synth(context, nag=True, env=env)


def _report(outdir: Path, name: str = "AwsSolutions") -> dict[str, Any]:
    report = json.loads((outdir / "validation-report.json").read_text())
    names = sorted(p["pluginName"] for p in report["pluginReports"])
    assert names == ["AwsSolutions", "Serverless"]
    (plugin,) = [p for p in report["pluginReports"] if p["pluginName"] == name]
    return plugin  # type: ignore[no-any-return]


@pytest.mark.parametrize("pack", ["AwsSolutions", "Serverless"])
def test_cdk_nag_packs_pass(checked: Any, pack: str) -> None:
    plugin = _report(checked.outdir, pack)
    assert plugin["conclusion"] == "success"
    assert plugin["violations"] == []


def test_a_prefix_wildcard_is_acknowledged_as_cdk_nag_names_it(
    request: pytest.FixtureRequest, checked: Any
) -> None:
    variant = request.node.callspec.params["checked"]
    acknowledged = [
        f["ruleName"]
        for f in _report(checked.outdir)["suppressedViolations"]
        if f["acknowledgedAt"] == "Pyflow/Default/LambdaRole/Role"
    ]
    expected = PREFIX_FINDINGS.get(variant)
    assert acknowledged == ([f"AwsSolutions-IAM5[Resource::{expected}]"] if expected else [])


def test_every_acknowledgment_is_specific_and_has_a_reason(checked: Any) -> None:
    suppressed = [
        *_report(checked.outdir)["suppressedViolations"],
        *_report(checked.outdir, "Serverless")["suppressedViolations"],
    ]
    assert suppressed, "expected the X-Ray wildcard to be acknowledged"
    for finding in suppressed:
        rule = finding["ruleName"]
        # Rules with per-finding ids are acknowledged per finding; the others on one resource.
        assert "[" in rule or rule in WHOLE_RULES, f"blanket acknowledgment: {rule}"
        assert len(finding["reason"]) > 40
        assert finding["acknowledgedAt"] != "Pyflow", "acknowledged for the whole stack"


def test_cfn_lint_finds_nothing(checked: Any) -> None:
    # Warnings included: the one CDK habit cfn-lint flags (W3005, a DependsOn next to a
    # GetAtt) is acknowledged in each function's metadata, so a bare `cfn-lint` run passes.
    template = (checked.outdir / "Pyflow.template.json").read_text()
    assert [f"{m.rule.id} {m.message}" for m in lint(template)] == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("context", "region"),
    [({}, None), ({"lambda_function_prefix": "myapp-"}, "eu-west-1")],
    ids=["default", "prefix-in-a-region"],
)
def test_app_synthesizes_with_the_checks(
    tmp_path: Path, context: dict[str, Any], region: str | None
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CDK_DEFAULT_")},
        "CDK_OUTDIR": str(tmp_path),
        "CDK_CONTEXT_JSON": json.dumps({"aws:cdk:bundling-stacks": [], **context}),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        **({"CDK_DEFAULT_REGION": region} if region else {}),
    }
    result = subprocess.run(
        [sys.executable, "app.py"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "Pyflow.template.json").is_file()
    assert _report(tmp_path)["conclusion"] == "success"
