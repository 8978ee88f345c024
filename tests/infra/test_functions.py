"""The user's functions/ folder: one Lambda function per module or folder, invocable by SWF."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infra.functions import FunctionsError, find_functions

from .conftest import PROJECT_ROOT, render

WORKFLOW = """import pyflow
workflow = pyflow.Workflow("Orders", version="1")
charge = workflow.add(pyflow.LambdaTask(name="Charge", lambda_function="charge",
                                        depends_on=[workflow.start_task]))
workflow.add(pyflow.LambdaTask(name="Ship", lambda_function="ship", depends_on=[charge]))
"""


def _project(tmp_path: Path) -> Path:
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows" / "__init__.py").write_text("")
    (tmp_path / "workflows" / "orders.py").write_text(WORKFLOW)
    shutil.copytree(PROJECT_ROOT / "handlers", tmp_path / "handlers")
    functions = tmp_path / "functions"
    functions.mkdir()
    (functions / "charge.py").write_text("def handler(event, context):\n    return event\n")
    (functions / "ship").mkdir()
    (functions / "ship" / "index.py").write_text("def handler(event, context):\n    return 1\n")
    return tmp_path


def test_modules_and_folders_become_named_functions(tmp_path: Path) -> None:
    found = find_functions(_project(tmp_path) / "functions")
    assert {name: s.handler for name, s in found.items()} == {
        "charge": "charge.handler",
        "ship": "index.handler",
    }


def test_a_folder_without_index_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    with pytest.raises(FunctionsError, match="index.py"):
        find_functions(tmp_path)


def test_the_stack_deploys_them_with_the_layer_and_swf_may_invoke_exactly_them(
    tmp_path: Path, synth: Callable[..., Any]
) -> None:
    result = synth({"example_functions": "false"}, project_root=_project(tmp_path), nag=True)
    for name, handler in (("charge", "charge.handler"), ("ship", "index.handler")):
        (function,) = result.resources("AWS::Lambda::Function", {"FunctionName": name}).values()
        assert function["Properties"]["Handler"] == handler
        assert function["Properties"]["Runtime"] == "python3.14"
        # The workflows layer and AWS's Powertools layer, as the decider has them.
        layers = sorted(render(function["Properties"]["Layers"], result.json["Resources"]))
        assert layers == [
            "<Ref AWS::Lambda::LayerVersion>",
            "arn:aws:lambda:${Region}:017000801446:layer:"
            "AWSLambdaPowertoolsPythonV3-python314-arm64:27",
        ]
    rendered = render(result.statements(), result.json["Resources"])
    (invoke,) = [s for s in rendered if "function:charge" in str(s.get("Resource"))]
    assert invoke["Action"] == "lambda:InvokeFunction"
    assert invoke["Resource"] == [
        "arn:aws:lambda:${Region}:${Account}:function:charge",
        "arn:aws:lambda:${Region}:${Account}:function:ship",
    ]


def test_functions_deployed_elsewhere_are_given_by_arn_and_swf_may_invoke_exactly_those(
    tmp_path: Path, synth: Callable[..., Any]
) -> None:
    # The workflow names an existing function by its ARN (SWF's ScheduleLambdaFunction takes
    # a name or an ARN); the setting adds another the workflows do not name.
    billing = "arn:aws:lambda:eu-west-1:210987654321:function:billing"
    audit = "arn:aws:lambda:eu-west-1:210987654321:function:audit:live"
    project = _project(tmp_path)
    shutil.rmtree(project / "functions")
    (project / "workflows" / "orders.py").write_text(WORKFLOW.replace('"ship"', f'"{billing}"'))
    result = synth({"example_functions": "false", "lambda_functions": audit}, project_root=project)
    rendered = render(result.statements(), result.json["Resources"])
    (invoke,) = [s for s in rendered if billing in str(s.get("Resource"))]
    assert invoke["Action"] == "lambda:InvokeFunction"
    assert invoke["Resource"] == sorted(
        [audit, billing, "arn:aws:lambda:${Region}:${Account}:function:charge"]
    )
    assert not result.resources("AWS::Lambda::Function", {"FunctionName": "billing"})
