"""The pyflow CDK app: `python app.py` or `npx aws-cdk synth|deploy` (settings: README)."""

from __future__ import annotations

import os

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks

from infra import PyflowStack, Settings

# Without the CDK CLI (plain `python app.py`) the assembly would go to a temporary folder.
app = cdk.App(outdir=None if "CDK_OUTDIR" in os.environ else "cdk.out")
settings = Settings.from_context(app.node)
PyflowStack(
    app,
    "Pyflow",
    stack_name=settings.stack_name,
    settings=settings,
    description="pyflow: SWF domain, Lambda role, scheduled decider and workflows layer",
    env=cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    ),
)
cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app))
app.synth()
