"""The workflows layer: pyflow, the `workflows/` package and their dependencies, under `python/`.

Built on the synthesizing machine by pip for the Lambda platform (no Docker): pip downloads the
wheels for the function's runtime and architecture, whatever the host. The layer's asset hash is
the hash of the built files, so it is kept reproducible: third-party versions are pinned in
`layer-requirements.txt`, pyflow and `workflows/` are copied without bytecode caches, and the
files pip writes that vary between installs (`bin/` scripts with the host interpreter's path,
`RECORD` listing them, `direct_url.json`) are dropped.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, ILocalBundling, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

LOCKED_REQUIREMENTS = Path(__file__).with_name("layer-requirements.txt")
# What every Lambda Python runtime already provides (boto3 and what it pulls in): left out of
# the layer unless asked for, since a second botocore was most of the layer's size.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "urllib3", "dateutil", "six")
_DISTRIBUTIONS = {"dateutil": "python_dateutil"}
_CACHES = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo")
_MACHINES = {"arm64": "aarch64", "x86_64": "x86_64"}


class LayerBuildError(RuntimeError):
    """pip could not build the layer; the message carries pip's own explanation."""


def pip_platforms(architecture: str) -> list[str]:
    """The wheel platform tags Lambda's Amazon Linux 2023 (glibc 2.34) can load."""
    machine = _MACHINES[architecture]
    return [f"manylinux_2_28_{machine}", f"manylinux2014_{machine}"]


def build_layer(
    output_dir: Path,
    *,
    project_root: Path,
    python_version: str,
    architecture: str,
    packages: Sequence[str] = ("pyflow", "workflows"),
    bundle_sdk: bool = False,
) -> None:
    """Write the layer's files to `output_dir/python` (Lambda puts `/opt/python` on sys.path);
    without `bundle_sdk`, the runtime's own boto3 serves pyflow and the workflows."""
    for package in packages:
        if not (project_root / package / "__init__.py").is_file():
            raise LayerBuildError(
                f"{project_root / package} is not a Python package (no __init__.py)"
            )
    target = output_dir / "python"
    target.mkdir(parents=True, exist_ok=True)
    requirements = [LOCKED_REQUIREMENTS]
    user_requirements = project_root / "workflows" / "requirements.txt"
    if user_requirements.is_file():
        requirements.append(user_requirements)
    _pip_install(target, requirements, python_version=python_version, architecture=architecture)
    for package in packages:
        shutil.copytree(project_root / package, target / package, ignore=_CACHES)
    if not bundle_sdk:
        _drop_runtime_sdk(target)
    _drop_unreproducible(target)


def _drop_runtime_sdk(target: Path) -> None:
    for name in RUNTIME_SDK:
        shutil.rmtree(target / name, ignore_errors=True)
        (target / f"{name}.py").unlink(missing_ok=True)
        distribution = _DISTRIBUTIONS.get(name, name)
        for info in target.glob(f"{distribution}-*.dist-info"):
            shutil.rmtree(info)


def zipped_size(directory: Path) -> int:
    """Bytes of `directory` zipped as CDK uploads an asset (deflate): what Lambda's 50 MB
    direct-upload limit and the layer's cold-start download are measured by."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(directory))
    return buffer.tell()


def _pip_install(
    target: Path, requirements: Sequence[Path], *, python_version: str, architecture: str
) -> None:
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-input",
        "--target",
        str(target),
        "--implementation",
        "cp",
        "--python-version",
        python_version,
        "--only-binary=:all:",
        "--no-compile",
    ]
    for platform in pip_platforms(architecture):
        command += ["--platform", platform]
    for path in requirements:
        command += ["--requirement", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise LayerBuildError(
            f"pip could not install the layer's packages for Lambda (Python {python_version}, "
            f"{architecture}) from {', '.join(map(str, requirements))}:\n{result.stderr.strip()}"
        )


def _drop_unreproducible(target: Path) -> None:
    shutil.rmtree(target / "bin", ignore_errors=True)
    for pattern in ("*.dist-info/RECORD", "*.dist-info/direct_url.json"):
        for path in target.glob(pattern):
            path.unlink()
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache)


def layer_asset_dirs(assembly: Any, stack: Any) -> list[Path]:
    """The built layer folders of `stack` in a synthesized cloud assembly."""
    template = assembly.get_stack_artifact(stack.artifact_id).template
    found = []
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Lambda::LayerVersion":
            key = str(resource["Properties"]["Content"]["S3Key"]).removesuffix(".zip")
            path = Path(assembly.directory) / f"asset.{key}"
            if path.is_dir():
                found.append(path)
    return found


@jsii.implements(ILocalBundling)
class LocalPipBundler:
    """CDK's local bundling hook: builds the layer in-process so Docker is never needed."""

    def __init__(
        self,
        *,
        project_root: Path,
        python_version: str,
        architecture: str,
        bundle_sdk: bool = False,
    ) -> None:
        self.project_root = project_root
        self.python_version = python_version
        self.architecture = architecture
        self.bundle_sdk = bundle_sdk

    def try_bundle(self, output_dir: str, options: Any = None, **_: Any) -> bool:
        # Returning False would make CDK fall back to `docker run`: fail clearly instead.
        build_layer(
            Path(output_dir),
            project_root=self.project_root,
            python_version=self.python_version,
            architecture=self.architecture,
            bundle_sdk=self.bundle_sdk,
        )
        return True


class WorkflowsLayer(Construct):
    """The layer every pyflow function loads; rebuilt (and re-hashed) on each synthesis."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        project_root: Path,
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        bundle_sdk: bool = False,
    ) -> None:
        super().__init__(scope, construct_id)
        python_version = runtime.name.removeprefix("python")
        self.bundler = LocalPipBundler(
            project_root=project_root,
            python_version=python_version,
            architecture=architecture.name,
            bundle_sdk=bundle_sdk,
        )
        # Hash the built files, not the asset's source folder: pyflow and the pinned
        # requirements live outside `workflows/` but change the layer just as much.
        code = lambda_.Code.from_asset(
            str(project_root / "workflows"),
            exclude=["**/__pycache__", "**/*.pyc"],
            asset_hash_type=AssetHashType.OUTPUT,
            bundling=BundlingOptions(image=runtime.bundling_image, local=self.bundler),
        )
        self.code = code
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=code,
            compatible_runtimes=[runtime],
            compatible_architectures=[architecture],
            description=f"pyflow, workflows/ and their dependencies ({runtime.name}, "
            f"{architecture.name})",
            removal_policy=RemovalPolicy.DESTROY,
        )
