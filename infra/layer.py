"""The workflows layer: pyflow, the workflows package and their dependencies, under `python/`.

Built on the synthesizing machine (no Docker): the packages are copied, and pip installs what
`requirements.txt` beside the workflows asks for (and Powertools, when it is bundled rather than
taken from AWS's managed layer) as wheels for the function's runtime and architecture, whatever
the host. The asset's hash is computed from those inputs (files, requirements, versions, this
module), so an unchanged project reuses the layer already in `cdk.out` instead of rebuilding
it, and files pip writes that vary between installs (`bin/` scripts with the host
interpreter's path, `RECORD`, `direct_url.json`) are dropped so two builds are identical.

Bytecode: Lambda cannot write `__pycache__` under `/opt`, so a layer of source compiles every
module it imports at every cold start (for the decider, most of what pyflow adds to it).
When a CPython of the runtime's version is at hand (see `_compiler`), the layer ships bytecode
compiled by it: hash-checked against nothing (`unchecked-hash`: the layer is immutable, and no
timestamp enters the files), with a fixed hash seed and `/opt/python` paths, so two builds by
the same Python are still identical. Without one the layer is source only.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import AssetHashType, BundlingOptions, ILocalBundling, RemovalPolicy
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

import pyflow

from ._compiler import bytecode_compiler, cache_tag, runtime_tag

POWERTOOLS_REQUIREMENTS = Path(__file__).with_name("layer-requirements.txt")
SDK_REQUIREMENTS = Path(__file__).with_name("sdk-requirements.txt")
# What every Lambda Python runtime already provides (boto3 and what it pulls in): left out of
# the layer unless asked for, since a second botocore was most of the layer's size.
RUNTIME_SDK = ("boto3", "botocore", "s3transfer", "urllib3", "dateutil", "six", "jmespath")
_DISTRIBUTIONS = {"dateutil": "python_dateutil"}
CACHE_PATTERNS = ("__pycache__", "*.pyc", "*.pyo")
"""What is never copied from a package: bytecode the host compiled for itself."""
_MACHINES = {"arm64": "aarch64", "x86_64": "x86_64"}


class LayerBuildError(RuntimeError):
    """pip could not build the layer; the message carries pip's own explanation."""


def pip_platforms(architecture: str) -> list[str]:
    """The wheel platform tags Lambda's Amazon Linux 2023 (glibc 2.34) can load."""
    machine = _MACHINES[architecture]
    return [f"manylinux_2_28_{machine}", f"manylinux2014_{machine}"]


@dataclass(frozen=True)
class LayerSources:
    """Everything a layer is built from; equal sources give an identical layer."""

    packages: tuple[Path, ...]
    """Package folders, copied under `python/` by their folder name (pyflow, the workflows)."""
    python_version: str
    architecture: str
    requirements: tuple[Path, ...] = ()
    """Requirements files pip installs for Lambda's platform."""
    bundle_sdk: bool = False
    skip: tuple[str, ...] = ()
    """Top-level folders of the first package not copied (pyflow's CDK library)."""
    bytecode: bool = False
    """Compile the layer, with `compiler` (a CPython of `python_version`)."""
    compiler: str = field(default=sys.executable, compare=False)
    """Not part of the fingerprint: which interpreter of that version wrote it changes nothing."""

    def fingerprint(self) -> str:
        """A hash of every input, this module's own code included (a change to how layers
        are built must rebuild them too)."""
        digest = hashlib.sha256()
        for part in self._parts():
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def _parts(self) -> Iterator[bytes]:
        yield Path(__file__).read_bytes()
        flags = f"{self.python_version} {self.architecture} {self.bundle_sdk} {self.bytecode}"
        yield flags.encode()
        for requirements in self.requirements:
            yield requirements.name.encode()
            yield requirements.read_bytes()
        for index, package in enumerate(self.packages):
            yield package.name.encode()
            for path in _package_files(package, self.skip if index == 0 else ()):
                yield path.relative_to(package).as_posix().encode()
                yield path.read_bytes()


def _package_files(package: Path, skip: Sequence[str]) -> list[Path]:
    found = []
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package).parts
        if relative[0] in skip or any(_is_cache(part) for part in relative):
            continue
        if path.is_file():
            found.append(path)
    return found


def _is_cache(name: str) -> bool:
    return any(fnmatch(name, pattern) for pattern in CACHE_PATTERNS)


def build_layer(output_dir: Path, sources: LayerSources) -> None:
    """Write the layer's files to `output_dir/python` (Lambda puts `/opt/python` on sys.path);
    without `bundle_sdk`, the runtime's own boto3 serves pyflow and the workflows."""
    for package in sources.packages:
        if not (package / "__init__.py").is_file():
            raise LayerBuildError(f"{package} is not a Python package (no __init__.py)")
    target = output_dir / "python"
    target.mkdir(parents=True, exist_ok=True)
    if sources.requirements:
        _pip_install(
            target,
            sources.requirements,
            python_version=sources.python_version,
            architecture=sources.architecture,
        )
    for index, package in enumerate(sources.packages):
        skip = sources.skip if index == 0 else ()
        shutil.copytree(
            package, target / package.name, ignore=shutil.ignore_patterns(*CACHE_PATTERNS, *skip)
        )
    if not sources.bundle_sdk:
        _drop_runtime_sdk(target)
    _drop_unreproducible(target)
    if sources.bytecode:
        _compile(target, sources.python_version, sources.compiler)


def _compile(target: Path, python_version: str, compiler: str) -> None:
    found = cache_tag(compiler)
    if found != runtime_tag(python_version):
        raise LayerBuildError(
            f"bytecode for Python {python_version} cannot be compiled by {compiler} "
            f"({found or 'it does not run'}): build the layer with CPython {python_version}, "
            "or without bytecode"
        )
    # A fixed hash seed: set and frozenset constants are marshalled in hash order.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    # Lambda reads plain `.pyc` files: `.opt-N.pyc` or a cache elsewhere would never be loaded.
    for name in ("PYTHONPYCACHEPREFIX", "PYTHONOPTIMIZE"):
        env.pop(name, None)
    command = [
        compiler,
        "-m",
        "compileall",
        "-q",
        "-q",
        "-d",
        "/opt/python",
        "--invalidation-mode",
        "unchecked-hash",
        str(target),
    ]
    # A file that does not compile (a template, a test of old syntax) is left as source: the
    # import that needs it fails as it would have, and nothing else depends on it.
    subprocess.run(command, env=env, capture_output=True, check=False)


def layer_bytecode(directory: Path) -> str | None:
    """The interpreter a built layer's bytecode is for (`cpython-314`), None for source only."""
    for cached in sorted((directory / "python" / "pyflow" / "__pycache__").glob("*.pyc")):
        return cached.name.split(".")[1]
    return None


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
    """CDK's local bundling hook: builds the layer in-process so Docker is never needed.

    CDK calls it only when `cdk.out` has no asset of the sources' hash yet.
    """

    def __init__(self, sources: LayerSources) -> None:
        self.sources = sources
        self.builds = 0

    def try_bundle(self, output_dir: str, options: Any = None, **_: Any) -> bool:
        # Returning False would make CDK fall back to `docker run`: fail clearly instead.
        build_layer(Path(output_dir), self.sources)
        self.builds += 1
        return True


class WorkflowsLayer(Construct):
    """The layer every pyflow function loads; rebuilt only when its sources change."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        workflows: Path,
        runtime: lambda_.Runtime,
        architecture: lambda_.Architecture,
        pyflow_dir: Path | None = None,
        bundle_sdk: bool = False,
        bundle_powertools: bool = False,
    ) -> None:
        """`workflows` is the workflows package's folder; its `requirements.txt`, if any, is
        installed into the layer. `pyflow_dir` defaults to the pyflow this process runs. The
        layer ships bytecode when a CPython of the runtime's version is at hand (`_compiler`)."""
        super().__init__(scope, construct_id)
        if pyflow_dir is None:
            pyflow_dir = Path(pyflow.__file__).resolve().parent
        requirements = [POWERTOOLS_REQUIREMENTS] if bundle_powertools else []
        if (workflows / "requirements.txt").is_file():
            requirements.append(workflows / "requirements.txt")
        if requirements or bundle_sdk:
            requirements.insert(0, SDK_REQUIREMENTS)
        python_version = runtime.name.removeprefix("python")
        compiler = bytecode_compiler(python_version)
        self.sources = LayerSources(
            packages=(pyflow_dir, workflows),
            python_version=python_version,
            architecture=architecture.name,
            requirements=tuple(requirements),
            bundle_sdk=bundle_sdk,
            skip=("cdk",),
            bytecode=compiler is not None,
            compiler=compiler or sys.executable,
        )
        self.bundler = LocalPipBundler(self.sources)
        code = lambda_.Code.from_asset(
            str(workflows),
            exclude=["**/__pycache__", "**/*.pyc"],
            asset_hash_type=AssetHashType.CUSTOM,
            asset_hash=self.sources.fingerprint(),
            bundling=BundlingOptions(image=runtime.bundling_image, local=self.bundler),
        )
        self.code = code
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=code,
            compatible_runtimes=[runtime],
            compatible_architectures=[architecture],
            description=f"pyflow, {workflows.name} and their dependencies ({runtime.name}, "
            f"{architecture.name})",
            removal_policy=RemovalPolicy.DESTROY,
        )
