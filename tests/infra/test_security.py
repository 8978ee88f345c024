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

import pytest
from cfnlint.api import lint  # type: ignore[import-untyped]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["default", "prefix"])
def checked(request: pytest.FixtureRequest, synth: Callable[..., Any]) -> Any:
    context = {"lambda_function_prefix": "team-"} if request.param == "prefix" else {}
    return synth(context, nag=True)


def _report(outdir: Path) -> dict[str, Any]:
    report = json.loads((outdir / "validation-report.json").read_text())
    (plugin,) = report["pluginReports"]
    assert plugin["pluginName"] == "AwsSolutions"
    return plugin  # type: ignore[no-any-return]


def test_aws_solutions_checks_pass(checked: Any) -> None:
    plugin = _report(checked.outdir)
    assert plugin["conclusion"] == "success"
    assert plugin["violations"] == []


def test_every_acknowledgment_is_specific_and_has_a_reason(checked: Any) -> None:
    suppressed = _report(checked.outdir)["suppressedViolations"]
    assert suppressed, "expected the X-Ray wildcard to be acknowledged"
    for finding in suppressed:
        assert "[" in finding["ruleName"], f"blanket acknowledgment: {finding['ruleName']}"
        assert len(finding["reason"]) > 40
        assert finding["acknowledgedAt"] != "Pyflow", "acknowledged for the whole stack"


def test_cfn_lint_finds_nothing(checked: Any) -> None:
    # Warnings included: the one CDK habit cfn-lint flags (W3005, a DependsOn next to a
    # GetAtt) is acknowledged in each function's metadata, so a bare `cfn-lint` run passes.
    template = (checked.outdir / "Pyflow.template.json").read_text()
    assert [f"{m.rule.id} {m.message}" for m in lint(template)] == []


@pytest.mark.slow
def test_app_synthesizes_with_the_checks(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CDK_OUTDIR": str(tmp_path),
        "CDK_CONTEXT_JSON": json.dumps({"aws:cdk:bundling-stacks": []}),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
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
