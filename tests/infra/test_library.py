"""The CDK bundle as a library: the wheel ships `pyflow.cdk` (the constructs and the handlers
they deploy), and a CDK app in a folder outside this repository, with a workflows package of its
own name, synthesizes with `PyflowApp` from the installed wheel alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

USER_APP = """
import aws_cdk as cdk
import pyflow
from pyflow.cdk import PyflowApp

app = cdk.App()
stack = cdk.Stack(app, "Orders")
PyflowApp(
    stack,
    "Pyflow",
    workflows_package="orders",
    settings={"domain": "orders", "example_functions": False, "decider_task_list": "orders"},
)
app.synth()
print(json.dumps({"pyflow": pyflow.__file__}))
"""

ORDER_FLOW = """
import stripe  # only the layer would have it: synthesis must not need it

import pyflow

workflow = pyflow.Workflow("PlaceOrder", version="2")
charge = workflow.add(
    pyflow.LambdaTask(name="Charge", lambda_function="charge", depends_on=[workflow.start_task])
)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), "."],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("pyflow_swf-*.whl")
    return built


def test_the_wheel_ships_the_constructs_and_their_handlers(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in (
        "pyflow/cdk/__init__.py",
        "pyflow/cdk/pyflow_app.py",
        "pyflow/cdk/_discovery_child.py",
        "pyflow/cdk/layer-requirements.txt",
        "pyflow/cdk/sdk-requirements.txt",
        "pyflow/cdk/handlers/decider.py",
        "pyflow/cdk/handlers/registration.py",
        "pyflow/cdk/handlers/signal.py",
        "pyflow/ui/templates/_live.html",
    ):
        assert name in names, name
    assert not [name for name in names if "__pycache__" in name]


@pytest.fixture(scope="module")
def user_app(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    project = tmp_path_factory.mktemp("user-project")
    (project / "app.py").write_text("import json\n" + USER_APP)
    (project / "orders").mkdir()
    (project / "orders" / "__init__.py").write_text("")
    (project / "orders" / "flow.py").write_text(textwrap.dedent(ORDER_FLOW))
    (project / "functions").mkdir()
    (project / "functions" / "charge.py").write_text("def handler(event, context):\n    return 1\n")
    outdir = project / "cdk.out"
    env = {
        **os.environ,
        "PYTHONPATH": str(site),
        "CDK_OUTDIR": str(outdir),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    assert printed["pyflow"].startswith(str(site)), "the app must run the installed wheel"
    return outdir, json.loads((outdir / "Orders.template.json").read_text())


def _function(template: dict[str, Any], handler: str) -> dict[str, Any]:
    (found,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function" and r["Properties"].get("Handler") == handler
    ]
    return found


def test_a_user_app_outside_the_repository_deploys_its_own_package_and_functions(
    user_app: tuple[Path, dict[str, Any]],
) -> None:
    _, template = user_app
    decider = _function(template, "decider.lambda_handler")
    variables = decider["Environment"]["Variables"]
    assert (variables["PYFLOW_WORKFLOWS"], variables["PYFLOW_DOMAIN"]) == ("orders", "orders")
    charge = _function(template, "charge.handler")
    assert charge["FunctionName"] == "charge"
    (registration,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "Custom::PyflowWorkflowTypes"
    ]
    assert registration["WorkflowTypes"] == ["PlaceOrder:2"]
    assert registration["WorkflowsPackage"] == "orders"
    invokes = json.dumps(
        [
            r["Properties"]["PolicyDocument"]
            for r in template["Resources"].values()
            if r["Type"] == "AWS::IAM::Policy"
        ]
    )
    assert ":function:charge" in invokes
    assert ":function:string-upcase" not in invokes


def test_the_user_apps_layer_holds_its_package_and_pyflow_without_the_cdk_library(
    user_app: tuple[Path, dict[str, Any]],
) -> None:
    outdir, template = user_app
    (layer,) = [
        r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::Lambda::LayerVersion"
    ]
    python = outdir / f"asset.{layer['Content']['S3Key'].removesuffix('.zip')}" / "python"
    assert (python / "orders" / "flow.py").is_file()
    assert (python / "pyflow" / "__init__.py").is_file()
    assert not (python / "pyflow" / "cdk").exists()
    # The handlers asset is the one shipped in the wheel.
    decider = _function(template, "decider.lambda_handler")
    handlers = outdir / f"asset.{decider['Code']['S3Key'].removesuffix('.zip')}"
    assert (handlers / "decider.py").is_file()
