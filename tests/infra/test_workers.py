"""The optional ECS Fargate worker service: settings become the service's count, the command's
concurrency and the task's size; the task role has the worker policy and nothing else; the
image context is written at synthesis; cdk-nag and cfn-lint pass with it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cfnlint.api import lint  # type: ignore[import-untyped]

from infra import SettingsError
from infra.settings import Settings

from .conftest import PROJECT_ROOT

ACTIVITIES = """
import pyflow


@pyflow.activity(name="pack", version="1", task_list="packing")
def pack(order: str) -> str:
    return order


workflow = pyflow.Workflow("Orders", version="1")
workflow.add(pyflow.ActivityTask(name="Pack", activity=pack, depends_on=[workflow.start_task]))
"""

CONTEXT = {
    "worker_service": "true",
    "example_functions": "false",
    "worker_count": "3",
    "worker_concurrency": "8",
    "worker_cpu": "512",
    "worker_memory": "2048",
    "python_version": "3.13",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("workers-project")
    (root / "workflows").mkdir()
    (root / "workflows" / "__init__.py").write_text("")
    (root / "workflows" / "orders.py").write_text(ACTIVITIES)
    (root / "workflows" / "requirements.txt").write_text("")
    shutil.copytree(PROJECT_ROOT / "handlers", root / "handlers")
    return root


@pytest.fixture(scope="module")
def result(synth: Callable[..., Any], project: Path) -> Any:
    return synth(CONTEXT, project_root=project, nag=True)


def _only(result: Any, kind: str) -> dict[str, Any]:
    (found,) = result.resources(kind).values()
    return found["Properties"]  # type: ignore[no-any-return]


def test_the_service_runs_the_asked_count_on_fargate_in_public_subnets(result: Any) -> None:
    service = _only(result, "AWS::ECS::Service")
    assert service["DesiredCount"] == 3
    assert service["LaunchType"] == "FARGATE"
    assert service["NetworkConfiguration"]["AwsvpcConfiguration"]["AssignPublicIp"] == "ENABLED"
    assert service["DeploymentConfiguration"]["DeploymentCircuitBreaker"] == {
        "Enable": True,
        "Rollback": True,
    }
    # No NAT gateway (it would cost more than the workers) and no inbound rule.
    assert not result.resources("AWS::EC2::NatGateway")
    group = _only(result, "AWS::EC2::SecurityGroup")
    assert "SecurityGroupIngress" not in group
    assert _only(result, "AWS::EC2::FlowLog")["TrafficType"] == "REJECT"


def test_the_task_runs_pyflow_worker_with_the_settings(result: Any) -> None:
    task = _only(result, "AWS::ECS::TaskDefinition")
    assert (task["Cpu"], task["Memory"]) == ("512", "2048")
    assert task["RuntimePlatform"]["CpuArchitecture"] == "ARM64"
    (container,) = task["ContainerDefinitions"]
    assert container["Command"] == ["workflows", "--concurrency", "8", "--domain", "pyflow"]
    assert container["StopTimeout"] == 120  # Fargate's longest: running activities finish
    assert "container-assets" in json.dumps(container["Image"])
    variables = {item["Name"]: item["Value"] for item in container["Environment"]}
    assert set(variables) == {"PYFLOW_PAYLOAD_BUCKET", "PYFLOW_PAYLOAD_PREFIX"}
    assert container["LogConfiguration"]["LogDriver"] == "awslogs"


def test_the_task_role_has_the_worker_policy_and_nothing_else(result: Any) -> None:
    task = _only(result, "AWS::ECS::TaskDefinition")
    role_id = task["TaskRoleArn"]["Fn::GetAtt"][0]
    role = result.json["Resources"][role_id]["Properties"]
    (policy,) = role["ManagedPolicyArns"]
    policies = result.resources("AWS::IAM::ManagedPolicy")
    assert "activity workers" in policies[policy["Ref"]]["Properties"]["Description"]
    inline = [
        r
        for r in result.json["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in r["Properties"]["Roles"]
    ]
    assert inline == []


def test_the_image_context_holds_pyflow_and_the_package(result: Any) -> None:
    task = _only(result, "AWS::ECS::TaskDefinition")
    digest = task["ContainerDefinitions"][0]["Image"]["Fn::Sub"].rsplit(":", 1)[-1]
    context = Path(result.outdir) / f"asset.{digest}"
    dockerfile = (context / "Dockerfile").read_text()
    assert dockerfile.startswith("# Written by pyflow's WorkerService")
    assert "FROM public.ecr.aws/docker/library/python:3.13-slim\n" in dockerfile  # as the functions
    assert "RUN pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert (context / "workflows" / "orders.py").is_file()
    assert (context / "pyflow" / "__main__.py").is_file()
    assert not (context / "pyflow" / "cdk").exists()
    pins = (context / "cli-requirements.txt").read_text().split()
    assert [pin.split("==")[0] for pin in pins] == ["click", "rich"]


def test_cdk_nag_and_cfn_lint_pass_with_the_workers(result: Any) -> None:
    report = json.loads((Path(result.outdir) / "validation-report.json").read_text())
    for plugin in report["pluginReports"]:
        assert (plugin["pluginName"], plugin["violations"]) == (plugin["pluginName"], [])
        assert plugin["conclusion"] == "success"
    template = (Path(result.outdir) / "Pyflow.template.json").read_text()
    assert [f"{m.rule.id} {m.message}" for m in lint(template)] == []


def test_without_the_setting_there_is_no_service(synth: Callable[..., Any]) -> None:
    assert not synth().resources("AWS::ECS::Service")


def test_a_package_without_activities_is_a_clear_error(synth: Callable[..., Any]) -> None:
    with pytest.raises(SettingsError, match="has no activity tasks"):
        synth({"worker_service": "true"})


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"worker_cpu": "300"}, "worker_cpu must be one of 256, 512"),
        ({"worker_cpu": "256", "worker_memory": "4096"}, "not a Fargate size for worker_cpu 256"),
        ({"worker_concurrency": "0"}, "worker_concurrency must be between 1"),
        ({"worker_target": "orders:"}, "worker_target 'orders:' must be a module name"),
        ({"worker_task_list": " "}, None),
    ],
)
def test_worker_settings_are_checked(raw: dict[str, str], message: str | None) -> None:
    if message is None:
        assert Settings.from_mapping(raw).worker_task_list is None  # blank: the default
        return
    with pytest.raises(SettingsError, match=message):
        Settings.from_mapping(raw)
