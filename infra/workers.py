"""The optional activity workers: `pyflow worker` as an ECS Fargate service.

The image is built from a context written at synthesis (pyflow without its CDK library, the
workflows package, the pinned SDK and CLI requirements and the package's own), so synthesis
needs no Docker; `cdk deploy` builds and pushes it. Tasks run in a VPC of their own with public
subnets and no inbound rule: they only call SWF (and S3 for payloads), and a NAT gateway would
cost more than the workers. ECS stops a task with SIGTERM, on which `pyflow worker` stops
polling and finishes the activities it holds; the stop timeout gives them Fargate's longest
grace (120 s).
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Stage, Validations
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr_assets as ecr_assets
from aws_cdk import aws_ecs as ecs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from .layer import CACHE_PATTERNS, SDK_REQUIREMENTS
from .settings import Settings

BASE_IMAGE = "public.ecr.aws/docker/library/python:{python_version}-slim"
"""The worker's image, on the Python of the functions (`python_version`)."""
_PLATFORMS = {"arm64": ecr_assets.Platform.LINUX_ARM64, "x86_64": ecr_assets.Platform.LINUX_AMD64}
_CPUS = {"arm64": ecs.CpuArchitecture.ARM64, "x86_64": ecs.CpuArchitecture.X86_64}
_IGNORE = shutil.ignore_patterns(*CACHE_PATTERNS)


def write_image_context(
    directory: Path, *, pyflow_dir: Path, package: Path, python_version: str = "3.14"
) -> None:
    """The Docker build context: the Dockerfile and every file it copies. The CLI's
    dependencies are pinned to the versions synthesizing here, so an unchanged project gives
    an unchanged context (and CDK's asset hash) and the image never drifts unasked."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    shutil.copytree(
        pyflow_dir, directory / "pyflow", ignore=shutil.ignore_patterns("cdk", *CACHE_PATTERNS)
    )
    shutil.copytree(package, directory / package.name, ignore=_IGNORE)
    shutil.copy(SDK_REQUIREMENTS, directory / "sdk-requirements.txt")
    cli = [f"{name}=={metadata.version(name)}" for name in ("click", "rich")]
    (directory / "cli-requirements.txt").write_text("\n".join(cli) + "\n")
    lines = [
        "# Written by pyflow's WorkerService at synthesis; `cdk deploy` builds it.",
        f"FROM {BASE_IMAGE.format(python_version=python_version)}",
        "ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1",
        "WORKDIR /app",
        "COPY sdk-requirements.txt cli-requirements.txt ./",
        "RUN pip install --no-cache-dir -r sdk-requirements.txt -r cli-requirements.txt",
    ]
    own = package / "requirements.txt"
    if own.is_file():
        shutil.copy(own, directory / "requirements.txt")
        lines += ["COPY requirements.txt ./", "RUN pip install --no-cache-dir -r requirements.txt"]
    lines += [
        "COPY pyflow ./pyflow",
        f"COPY {package.name} ./{package.name}",
        "USER 1000:1000",
        'ENTRYPOINT ["python", "-m", "pyflow", "worker"]',
    ]
    (directory / "Dockerfile").write_text("\n".join(lines) + "\n")


def worker_command(settings: Settings, package: str) -> list[str]:
    """The arguments of `pyflow worker` in each task."""
    command = [settings.worker_target or package, "--concurrency", str(settings.worker_concurrency)]
    command += ["--domain", settings.domain]
    if settings.worker_task_list:
        command += ["--task-list", settings.worker_task_list]
    return command


class WorkerService(Construct):
    """The cluster, VPC, task definition (role with the worker policy) and service."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        settings: Settings,
        package: Path,
        pyflow_dir: Path,
        policy: iam.IManagedPolicy,
        environment: Mapping[str, str],
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        # Beside the assembly, not in a temporary folder: CDK copies it into the assembly as
        # the image asset, and each synthesis rewrites it.
        self._context = Path(Stage.of(self).outdir) / f".pyflow-worker-{self.node.addr}"
        write_image_context(
            self._context,
            pyflow_dir=pyflow_dir,
            package=package,
            python_version=settings.python_version,
        )
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            max_azs=2,
            nat_gateways=0,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="Public", subnet_type=ec2.SubnetType.PUBLIC)
            ],
        )
        self.vpc.add_flow_log("RejectedTraffic", traffic_type=ec2.FlowLogTrafficType.REJECT)
        cluster = ecs.Cluster(self, "Cluster", vpc=self.vpc)
        task = self._task_definition(settings, package.name, policy, environment, log_retention)
        self.service = ecs.FargateService(
            self,
            "Service",
            cluster=cluster,
            task_definition=task,
            desired_count=settings.worker_count,
            assign_public_ip=True,
            min_healthy_percent=100,
            circuit_breaker=ecs.DeploymentCircuitBreaker(rollback=True),
        )
        _acknowledge(cluster, task)

    def _task_definition(
        self,
        settings: Settings,
        package: str,
        policy: iam.IManagedPolicy,
        environment: Mapping[str, str],
        log_retention: logs.RetentionDays,
    ) -> ecs.FargateTaskDefinition:
        task = ecs.FargateTaskDefinition(
            self,
            "Task",
            cpu=settings.worker_cpu,
            memory_limit_mib=settings.worker_memory,
            runtime_platform=ecs.RuntimePlatform(
                cpu_architecture=_CPUS[settings.architecture],
                operating_system_family=ecs.OperatingSystemFamily.LINUX,
            ),
        )
        task.task_role.add_managed_policy(policy)
        log_group = logs.LogGroup(
            self, "Logs", retention=log_retention, removal_policy=RemovalPolicy.DESTROY
        )
        task.add_container(
            "Worker",
            image=ecs.ContainerImage.from_asset(
                str(self._context), platform=_PLATFORMS[settings.architecture]
            ),
            command=worker_command(settings, package),
            environment=dict(environment),
            logging=ecs.LogDrivers.aws_logs(stream_prefix="worker", log_group=log_group),
            stop_timeout=Duration.seconds(120),
        )
        return task


def _acknowledge(cluster: ecs.Cluster, task: ecs.FargateTaskDefinition) -> None:
    Validations.of(cluster).acknowledge(
        Acknowledgment(
            id="AwsSolutions::AwsSolutions-ECS4",
            reason="Container Insights is billed per task metric; the workers log to CloudWatch "
            "and their work shows in SWF's activity metrics and the decider's alarms",
        )
    )
    Validations.of(task).acknowledge(
        Acknowledgment(
            id="AwsSolutions::AwsSolutions-ECS2",
            reason="The variables are the payload bucket's name and key prefix: configuration, "
            "not secrets",
        )
    )
    assert task.execution_role is not None  # created for the image asset's registry
    Validations.of(task.execution_role).acknowledge(
        Acknowledgment(
            id="AwsSolutions::AwsSolutions-IAM5[Resource::*]",
            reason="ecr:GetAuthorizationToken, which ECS needs to pull the worker image, supports "
            "no resource-level permission; the pull itself is granted on the asset repository "
            "only",
        )
    )
