"""The workflows layer really built (pip from the package index, no Docker): its contents, its
target platform, a hash that does not change between two builds of the same sources, and a
build skipped when `cdk.out` already holds the layer of unchanged sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import pyflow
from infra._compiler import LAYER_PYTHON_ENV, can_compile_for
from infra.layer import (
    RUNTIME_SDK,
    LayerBuildError,
    LayerSources,
    _drop_runtime_sdk,
    build_layer,
    layer_bytecode,
    zipped_size,
)

from .conftest import synthesize

PROJECT_ROOT = Path(__file__).resolve().parents[2]
POWERTOOLS = PROJECT_ROOT / "infra" / "layer-requirements.txt"
SDK = PROJECT_ROOT / "infra" / "sdk-requirements.txt"

pytestmark = pytest.mark.slow

HOST = f"{sys.version_info.major}.{sys.version_info.minor}"
OTHER = "3.13" if HOST == "3.14" else "3.14"
"""A runtime this Python cannot write bytecode for: its layer is source only."""


@pytest.fixture(scope="module")
def bundled(
    synth: Callable[..., Any], snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Any, Path]:
    workflows = pyflow.load_workflows("workflows")
    context = {"bundle_powertools": "true", "python_version": OTHER}
    # Source only whatever this machine has: a `python3.X` of OTHER on PATH would compile it.
    shims = tmp_path_factory.mktemp("shims")
    (shims / f"python{OTHER}").write_text("#!/bin/sh\nexit 127\n")
    (shims / f"python{OTHER}").chmod(0o755)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(LAYER_PYTHON_ENV, raising=False)
        patch.setenv("PATH", f"{shims}{os.pathsep}{os.environ['PATH']}")
        result = synth(context, bundle=True, project_root=snapshot, workflows=workflows)
    return result, _asset(result)


def _asset(result: Any) -> Path:
    (layer,) = result.resources("AWS::Lambda::LayerVersion").values()
    asset_hash = layer["Properties"]["Content"]["S3Key"].removesuffix(".zip")
    return Path(result.outdir) / f"asset.{asset_hash}"


def _sources(root: Path, python_version: str = OTHER, **kwargs: Any) -> LayerSources:
    return LayerSources(
        packages=(root / "pyflow", root / "workflows"),
        python_version=python_version,
        architecture="arm64",
        **kwargs,
    )


def test_layer_holds_pyflow_the_workflows_and_their_dependencies(
    bundled: tuple[Any, Path],
) -> None:
    _, asset = bundled
    python = asset / "python"
    assert sorted(p.name for p in asset.iterdir()) == ["python"]
    for path in (
        "pyflow/__init__.py",
        "pyflow/_worker/_decider.py",
        "workflows/__init__.py",
        "workflows/string_transformer.py",
        "aws_lambda_powertools/__init__.py",
        "aws_xray_sdk/__init__.py",
    ):
        assert (python / path).is_file(), path


def test_the_runtimes_sdk_is_not_bundled_so_the_layer_stays_small(
    bundled: tuple[Any, Path],
) -> None:
    _, asset = bundled
    python = asset / "python"
    for name in RUNTIME_SDK:
        assert not (python / name).exists(), name
    assert not list(python.glob("boto*.dist-info"))
    # A second botocore made the layer 19.1 MB zipped; without it about 1.7 MB remain.
    assert zipped_size(asset) < 8_000_000


def test_dropping_the_sdk_removes_its_packages_and_their_dist_info_only(tmp_path: Path) -> None:
    python = tmp_path / "python"
    for name in ("boto3", "botocore", "dateutil", "aws_lambda_powertools"):
        (python / name).mkdir(parents=True)
        (python / name / "__init__.py").write_text("")
    (python / "six.py").write_text("")
    (python / "botocore-1.44.8.dist-info").mkdir()
    (python / "python_dateutil-2.9.0.post0.dist-info").mkdir()
    _drop_runtime_sdk(python)
    assert sorted(p.name for p in python.iterdir()) == ["aws_lambda_powertools"]


def test_layer_is_built_for_the_lambda_platform(bundled: tuple[Any, Path]) -> None:
    _, asset = bundled
    extensions = [p.name for p in (asset / "python").rglob("*.so")]
    assert extensions, "expected wrapt's compiled extension"
    tag = "cpython-" + OTHER.replace(".", "")
    assert all("aarch64" in name and tag in name for name in extensions), extensions


def test_layer_has_no_files_that_vary_between_builds(bundled: tuple[Any, Path]) -> None:
    _, asset = bundled
    python = asset / "python"
    assert not (python / "bin").exists()
    # Another Python's bytecode cannot be written here: the layer is source only.
    assert not can_compile_for(OTHER) and layer_bytecode(asset) is None
    assert not list(python.rglob("__pycache__"))
    assert not list(python.rglob("*.pyc"))
    assert not list(python.glob("*.dist-info/RECORD"))
    assert not list(python.glob("*.dist-info/direct_url.json"))


def test_a_second_build_of_the_same_sources_is_identical(
    bundled: tuple[Any, Path], snapshot: Path, tmp_path: Path
) -> None:
    result, asset = bundled
    sources = _sources(snapshot, requirements=(SDK, POWERTOOLS), skip=("cdk",))
    build_layer(tmp_path, sources)
    assert cdk.FileSystem.fingerprint(str(tmp_path)) == cdk.FileSystem.fingerprint(str(asset))
    # CDK names the asset by a hash of the sources' fingerprint (and the bundling options).
    assert result.stack.layer.sources == sources


def test_a_package_that_is_not_there_fails_the_build_clearly(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError, match="is not a Python package"):
        build_layer(tmp_path / "out", _sources(tmp_path))


def test_by_default_the_layer_holds_only_pyflow_and_the_workflows(
    synth: Callable[..., Any], snapshot: Path
) -> None:
    # Powertools comes from AWS's managed layer, boto3 from the runtime: pip has nothing to do.
    asset = _asset(synth(bundle=True, project_root=snapshot))
    assert sorted(p.name for p in (asset / "python").iterdir()) == ["pyflow", "workflows"]
    assert zipped_size(asset) < 1_000_000


def test_an_unchanged_project_reuses_the_layer_in_cdk_out(
    snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    project = tmp_path_factory.mktemp("cached")
    for package in ("pyflow", "workflows", "handlers"):
        shutil.copytree(snapshot / package, project / package)
    outdir = tmp_path_factory.mktemp("cdk.out")
    first = synthesize(outdir=outdir, bundle=True, project_root=project)
    again = synthesize(outdir=outdir, bundle=True, project_root=project)
    assert (first.stack.layer.bundler.builds, again.stack.layer.bundler.builds) == (1, 0)
    assert _asset(again) == _asset(first)
    (project / "workflows" / "extra.py").write_text("VALUE = 1\n")
    changed = synthesize(outdir=outdir, bundle=True, project_root=project)
    assert changed.stack.layer.bundler.builds == 1
    assert _asset(changed) != _asset(first)
    assert (_asset(changed) / "python" / "workflows" / "extra.py").is_file()


def test_the_fingerprint_covers_requirements_and_ignores_caches(tmp_path: Path) -> None:
    for package in ("pyflow", "workflows"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("requests==2.32.0\n")
    before = _sources(tmp_path, requirements=(requirements,)).fingerprint()
    (tmp_path / "workflows" / "__pycache__").mkdir()
    (tmp_path / "workflows" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    (tmp_path / "pyflow" / "cdk").mkdir()
    (tmp_path / "pyflow" / "cdk" / "stack.py").write_text("# the CDK library is not shipped")
    skipping = _sources(tmp_path, requirements=(requirements,), skip=("cdk",))
    assert skipping.fingerprint() == before
    requirements.write_text("requests==2.32.3\n")
    assert skipping.fingerprint() != before
    build_layer(tmp_path / "out", skipping)
    assert not (tmp_path / "out" / "python" / "pyflow" / "cdk").exists()


def test_bundle_sdk_keeps_boto3_in_the_layer(synth: Callable[..., Any], snapshot: Path) -> None:
    asset = _asset(synth({"bundle_sdk": "true"}, bundle=True, project_root=snapshot))
    python = asset / "python"
    for name in ("boto3", "botocore", "s3transfer"):
        assert (python / name / "__init__.py").is_file(), name
    assert not (python / "aws_lambda_powertools").exists()
    print(f"layer with the SDK: {zipped_size(asset) / 1e6:.1f} MB zipped")


def test_a_layer_synthesized_by_the_runtimes_python_ships_its_bytecode(
    synth: Callable[..., Any], snapshot: Path, tmp_path: Path
) -> None:
    result = synth({"python_version": HOST}, bundle=True, project_root=snapshot)
    asset = _asset(result)
    tag = sys.implementation.cache_tag
    assert layer_bytecode(asset) == tag
    assert {r["Properties"]["Runtime"] for r in result.resources("AWS::Lambda::Function").values()
            if r["Properties"].get("Runtime", "").startswith("python")} == {f"python{HOST}"}
    python = asset / "python"
    cached = python / "pyflow" / "_decider" / "__pycache__" / f"_decide.{tag}.pyc"
    # PEP 552 flags: hash-based (bit 0), source never checked (bit 1 clear).
    assert int.from_bytes(cached.read_bytes()[4:8], "little") == 1
    assert (python / "workflows" / "__pycache__").is_dir()
    # The runtime reads the bytecode without compiling (or even reading) the source: a source
    # changed after the build does not change what is imported.
    copy = tmp_path / "python"
    shutil.copytree(python, copy)
    (copy / "pyflow" / "_decider" / "_decide.py").write_text("raise SystemExit('compiled')\n")
    code = "import pyflow._decider._decide as m; print(m.resume.__name__)"
    run = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(copy)!r}); {code}"],
        capture_output=True, text=True, check=True,
    )
    assert run.stdout.strip() == "resume"
    # Built again from the same sources: the same bytes (a fixed hash seed, no timestamps, and
    # /opt/python, not the build folder, as the paths compiled in).
    again = tmp_path / "again"
    build_layer(again, result.stack.layer.sources)
    assert cdk.FileSystem.fingerprint(str(again)) == cdk.FileSystem.fingerprint(str(asset))


def test_bytecode_for_another_python_is_refused_clearly(snapshot: Path, tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError, match=f"bytecode for Python {OTHER} cannot be compiled"):
        build_layer(tmp_path, _sources(snapshot, bytecode=True))


def test_bytecode_is_what_lambda_loads_whatever_the_synthesizing_environment(
    snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Under PYTHONOPTIMIZE compileall would write `.opt-1.pyc`, which Lambda (no -O) never reads.
    monkeypatch.setenv("PYTHONOPTIMIZE", "1")
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(tmp_path / "elsewhere"))
    build_layer(tmp_path / "layer", _sources(snapshot, HOST, bytecode=True))
    compiled = list((tmp_path / "layer" / "python").rglob("*.pyc"))
    assert compiled and not [path for path in compiled if ".opt-" in path.name]
    assert layer_bytecode(tmp_path / "layer") == sys.implementation.cache_tag
    assert not (tmp_path / "elsewhere").exists()
