"""Fixtures for the CDK tests: synthesizing the stack (bundling skipped unless asked) and
reading the synthesized template.

Synthesis costs about 2 s for the first stack of a process (jsii start) and a fraction of a
second after that, so each test module synthesizes once (module-scoped fixtures) and asserts on
the shared template.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

# Must be set before jsii starts Node (at the first aws_cdk import).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

PROJECT_ROOT = Path(__file__).resolve().parents[2]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

import aws_cdk as cdk  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402
from cdk_nag import AwsSolutionsChecks, ServerlessChecks  # noqa: E402

from infra import PyflowStack, Settings  # noqa: E402

NO_BUNDLING: dict[str, Any] = {"aws:cdk:bundling-stacks": []}
TEST_NONCE = "tests"
# The feature flags the CDK CLI (and app.py) synthesize with; tests add them where they matter.
CDK_JSON_CONTEXT: dict[str, Any] = json.loads((PROJECT_ROOT / "cdk.json").read_text())["context"]
PSEUDO = {
    "AWS::Partition": "aws",
    "AWS::Region": "${Region}",
    "AWS::AccountId": "${Account}",
    "AWS::URLSuffix": "amazonaws.com",
}


@dataclass
class Synth:
    """One synthesized app: the stack's template (assertions and raw JSON) and where it went."""

    stack: PyflowStack
    template: Template
    outdir: Path

    @property
    def json(self) -> dict[str, Any]:
        return dict(self.template.to_json())

    def resources(self, resource_type: str, props: Any = None) -> dict[str, Any]:
        matcher = {"Properties": props} if props is not None else None
        return dict(self.template.find_resources(resource_type, matcher))

    def statements(self) -> list[dict[str, Any]]:
        """Every IAM statement of every policy and role in the template."""
        found: list[dict[str, Any]] = []
        for resource in self.json["Resources"].values():
            props = resource.get("Properties", {})
            for doc in (props.get("PolicyDocument"), props.get("AssumeRolePolicyDocument")):
                if doc:
                    found.extend(doc["Statement"])
            for policy in props.get("Policies", []):
                found.extend(policy["PolicyDocument"]["Statement"])
        return found


def render(value: Any, resources: Mapping[str, Any] | None = None) -> Any:
    """Template values as readable strings: Fn::Join flattened, pseudo parameters named,
    `Ref`/`Fn::GetAtt` of resources shown as `<LogicalIdType.Attr>` by resource type."""
    if isinstance(value, list):
        return [render(item, resources) for item in value]
    if not isinstance(value, dict):
        return value
    if "Fn::Join" in value:
        sep, parts = value["Fn::Join"]
        return sep.join(str(render(part, resources)) for part in parts)
    if "Ref" in value:
        ref = value["Ref"]
        if ref in PSEUDO:
            return PSEUDO[ref]
        kind = (resources or {}).get(ref, {}).get("Type", ref)
        return f"<Ref {kind}>"
    if "Fn::GetAtt" in value:
        logical_id, attribute = value["Fn::GetAtt"]
        kind = (resources or {}).get(logical_id, {}).get("Type", logical_id)
        return f"<{kind}.{attribute}>"
    return {key: render(item, resources) for key, item in value.items()}


def synthesize(
    context: Mapping[str, Any] | None = None,
    *,
    outdir: Path,
    nag: bool = False,
    bundle: bool = False,
    project_root: Path = PROJECT_ROOT,
    workflows: Any = None,
    env: cdk.Environment | None = None,
) -> Synth:
    full_context = dict(context or {})
    # Every call pinned by a nonce; `{"deploy_nonce": None}` keeps the real default (none).
    full_context.setdefault("deploy_nonce", TEST_NONCE)
    if not bundle:
        full_context.update(NO_BUNDLING)
    app = cdk.App(outdir=str(outdir), context=full_context)
    settings = Settings.from_context(app.node)
    stack = PyflowStack(
        app, "Pyflow", settings=settings, project_root=project_root, workflows=workflows, env=env
    )
    if nag:
        cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
    app.synth()
    return Synth(stack=stack, template=Template.from_stack(stack), outdir=outdir)


@pytest.fixture(scope="session")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Synth]:
    """`synth(context=None, nag=False, bundle=False, project_root=..., env=None)` -> a `Synth`."""

    def run(context: Mapping[str, Any] | None = None, **kwargs: Any) -> Synth:
        return synthesize(context, outdir=tmp_path_factory.mktemp("cdk.out"), **kwargs)

    return run


@pytest.fixture(scope="session")
def rendered() -> Callable[..., Any]:
    return render


@pytest.fixture(scope="session")
def read_json() -> Callable[[Path], Any]:
    return lambda path: json.loads(Path(path).read_text())


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A frozen copy of the sources, so both builds see the same files while others edit."""
    root = tmp_path_factory.mktemp("project")
    for package in ("pyflow", "workflows", "handlers"):
        shutil.copytree(
            PROJECT_ROOT / package,
            root / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    return root
