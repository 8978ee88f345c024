"""The deploy-time registration handler, called as the Provider framework calls it, against
`pyflow local serve` over HTTP: it registers the domain and the workflows' types with the
Lambda role as their default, reports the types a deployment dropped, and deprecates them
only when asked."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from tests.support.processes import PYFLOW, ROOT, bare_env

DOMAIN = "registration-test"
ROLE = "arn:aws:iam::123456789012:role/Pyflow-SwfLambda-us-east-1"
PROPS = {
    "ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:provider",
    "Domain": DOMAIN,
    "RetentionDays": "7",
    "TaskList": "pyflow-decider",
    "LambdaRoleArn": ROLE,
    "WorkflowsPackage": "workflows",
    "WorkflowTypes": ["StringTransformer:1.0"],
    "LayerVersionArn": "arn:aws:lambda:us-east-1:123456789012:layer:workflows:2",
    "DeprecateRemoved": "false",
}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    """`pyflow local serve` with no domain and no types: the handler must create both."""
    proc = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--domain", "unrelated"],
        cwd=ROOT,
        env=bare_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("pyflow local SWF engine listening on http://127.0.0.1:"), first
    try:
        yield first.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def handler(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """handlers/registration.py imported as Lambda imports it, its boto3 client on the server
    (placeholder credentials: boto3 signs every request)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    spec = importlib.util.spec_from_file_location(
        "registration_under_test", ROOT / "handlers" / "registration.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def swf(endpoint: str) -> Any:
    return boto3.client(
        "swf",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def _event(kind: str, props: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    event: dict[str, Any] = {
        "RequestType": kind,
        "ResourceType": "Custom::PyflowWorkflowTypes",
        "LogicalResourceId": "Registration",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/Pyflow/1",
        "RequestId": "r-1",
        "ResourceProperties": props,
    }
    if kind != "Create":
        event["PhysicalResourceId"] = f"pyflow-workflow-types-{props['Domain']}"
    if old is not None:
        event["OldResourceProperties"] = old
    return event


def _deploy_with_an_older_type(handler: ModuleType, swf: Any, name: str, version: str) -> None:
    """A first deployment, plus a type registered earlier that the next one will not define."""
    handler.on_event(_event("Create", PROPS))
    swf.register_workflow_type(
        domain=DOMAIN,
        name=name,
        version=version,
        defaultTaskList={"name": "pyflow-decider"},
        defaultTaskStartToCloseTimeout="30",
        defaultExecutionStartToCloseTimeout="60",
        defaultChildPolicy="TERMINATE",
    )


def _type_status(swf: Any, name: str, version: str) -> str:
    info = swf.describe_workflow_type(
        domain=DOMAIN, workflowType={"name": name, "version": version}
    )
    return str(info["typeInfo"]["status"])


def test_create_registers_the_domain_and_the_types_with_the_lambda_role(
    handler: ModuleType, swf: Any
) -> None:
    answer = handler.on_event(_event("Create", PROPS))
    assert answer == {
        "PhysicalResourceId": f"pyflow-workflow-types-{DOMAIN}",
        "Data": {"Registered": "StringTransformer:1.0", "Disappeared": "none"},
    }
    domain = swf.describe_domain(name=DOMAIN)
    assert domain["configuration"]["workflowExecutionRetentionPeriodInDays"] == "7"
    detail = swf.describe_workflow_type(
        domain=DOMAIN, workflowType={"name": "StringTransformer", "version": "1.0"}
    )
    assert detail["typeInfo"]["status"] == "REGISTERED"
    assert detail["configuration"]["defaultLambdaRole"] == ROLE
    assert detail["configuration"]["defaultTaskList"] == {"name": "pyflow-decider"}
    # An execution can start at once, with neither a task list nor a role given.
    run = swf.start_workflow_execution(
        domain=DOMAIN,
        workflowId="right-after-deploy",
        workflowType={"name": "StringTransformer", "version": "1.0"},
        input='"World"',
    )
    assert run["runId"]


def test_an_update_reports_types_the_previous_deployment_had_and_keeps_them(
    handler: ModuleType, swf: Any
) -> None:
    _deploy_with_an_older_type(handler, swf, "Retired", "1")
    old = {**PROPS, "WorkflowTypes": ["Retired:1", "StringTransformer:1.0"]}
    new = {**PROPS, "LayerVersionArn": PROPS["LayerVersionArn"].replace(":2", ":3")}
    answer = handler.on_event(_event("Update", new, old))
    assert answer["Data"] == {"Registered": "StringTransformer:1.0", "Disappeared": "Retired:1"}
    assert _type_status(swf, "Retired", "1") == "REGISTERED"


def test_deprecation_of_disappeared_types_is_opt_in(handler: ModuleType, swf: Any) -> None:
    _deploy_with_an_older_type(handler, swf, "Dropped", "2")
    old = {**PROPS, "WorkflowTypes": ["Dropped:2", "StringTransformer:1.0"]}
    new = {**PROPS, "DeprecateRemoved": "true"}
    answer = handler.on_event(_event("Update", new, old))
    assert answer["Data"]["Disappeared"] == "Dropped:2"
    assert _type_status(swf, "Dropped", "2") == "DEPRECATED"
    assert _type_status(swf, "StringTransformer", "1.0") == "REGISTERED"
    # Deploying again with the same old list: already deprecated is not an error.
    assert handler.on_event(_event("Update", new, old))["Data"]["Disappeared"] == "Dropped:2"


def test_a_domain_change_reports_nothing_for_the_old_domain(handler: ModuleType) -> None:
    old = {**PROPS, "Domain": "unrelated", "WorkflowTypes": ["Elsewhere:1"]}
    answer = handler.on_event(_event("Update", PROPS, old))
    assert answer["Data"]["Disappeared"] == "none"


def test_delete_leaves_the_types_registered(handler: ModuleType, swf: Any) -> None:
    handler.on_event(_event("Create", PROPS))
    answer = handler.on_event(_event("Delete", PROPS))
    assert answer == {"PhysicalResourceId": f"pyflow-workflow-types-{DOMAIN}"}
    assert _type_status(swf, "StringTransformer", "1.0") == "REGISTERED"


def test_a_workflow_that_does_not_load_fails_the_deployment_with_its_reason(
    handler: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "broken_flows"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "bad.py").write_text("import pyflow\nworkflow = pyflow.Workflow('Bad', version=1)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(Exception, match="broken_flows"):
        handler.on_event(_event("Create", {**PROPS, "WorkflowsPackage": "broken_flows"}))


def test_long_lists_are_cut_to_fit_a_custom_resource_response(handler: ModuleType) -> None:
    keys = [f"Workflow{i:04d}:1.0" for i in range(400)]
    text = handler._attribute(keys)
    assert len(text) < 1600
    assert text.endswith(" more")
    assert text.startswith("Workflow0000:1.0, Workflow0001:1.0")
