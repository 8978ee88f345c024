"""The pyflow CDK app: `python app.py` or `npx aws-cdk synth|deploy` (settings: README)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from infra import PyflowStack, Settings
from infra._compiler import LAYER_PYTHON_ENV
from infra.layer import layer_asset_dirs, layer_bytecode, zipped_size

# The CDK CLI passes cdk.json's context (the feature flags) in CDK_CONTEXT_JSON; a plain
# `python app.py` would synthesize without them, so they are the defaults here, and whatever
# the environment passes (the CLI, or CDK_CONTEXT_JSON set by hand) overrides them.
CDK_JSON_CONTEXT = json.loads((Path(__file__).parent / "cdk.json").read_text())["context"]

# Without the CDK CLI (plain `python app.py`) the assembly would go to a temporary folder.
app = cdk.App(context=CDK_JSON_CONTEXT, outdir=None if "CDK_OUTDIR" in os.environ else "cdk.out")
settings = Settings.from_context(app.node)
# The stack's id is its name, so `-c stage=prod` gives a second, independent artifact.
stack = PyflowStack(
    app,
    settings.stack_name,
    stack_name=settings.stack_name,
    settings=settings,
    description="pyflow: SWF domain, Lambda role, scheduled decider and workflows layer",
    env=cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    ),
)
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
assembly = app.synth()
# The layer's size is what a deploy uploads and a cold start downloads: shown on every synth.
# So is whether it ships bytecode, which only a CPython of the runtime's version can write.
for layer_dir in layer_asset_dirs(assembly, stack):
    compiled = layer_bytecode(layer_dir)
    print(
        f"workflows layer: {zipped_size(layer_dir) / 1e6:.1f} MB zipped ({layer_dir.name}), "
        + (
            f"with bytecode ({compiled})"
            if compiled
            else f"source only (no CPython {settings.python_version} found: synthesize with "
            f"it, put python{settings.python_version} on PATH or set {LAYER_PYTHON_ENV} to ship "
            "bytecode; cold starts then skip compiling pyflow and the workflows)"
        ),
        file=sys.stderr,
    )
