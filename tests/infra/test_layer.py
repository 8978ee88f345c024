"""The workflows layer really built (pip from the package index, no Docker): its contents, its
target platform, and a hash that does not change between two builds of the same sources."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import pyflow
from infra.layer import RUNTIME_SDK, LayerBuildError, _drop_runtime_sdk, build_layer, zipped_size

PROJECT_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A frozen copy of the sources, so both builds see the same files while others edit."""
    root = tmp_path_factory.mktemp("project")
    for package in ("pyflow", "workflows", "handlers"):
        shutil.copytree(
            PROJECT_ROOT / package,
            root / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        )
    return root


@pytest.fixture(scope="module")
def bundled(synth: Callable[..., Any], snapshot: Path) -> tuple[Any, Path]:
    workflows = pyflow.load_workflows("workflows")
    result = synth(bundle=True, project_root=snapshot, workflows=workflows)
    (layer,) = result.resources("AWS::Lambda::LayerVersion").values()
    asset_hash = layer["Properties"]["Content"]["S3Key"].removesuffix(".zip")
    return result, result.outdir / f"asset.{asset_hash}"


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
        "jmespath/__init__.py",
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
    assert all("aarch64" in name and "cpython-314" in name for name in extensions), extensions


def test_layer_has_no_files_that_vary_between_builds(bundled: tuple[Any, Path]) -> None:
    _, asset = bundled
    python = asset / "python"
    assert not (python / "bin").exists()
    assert not list(python.rglob("__pycache__"))
    assert not list(python.rglob("*.pyc"))
    assert not list(python.glob("*.dist-info/RECORD"))
    assert not list(python.glob("*.dist-info/direct_url.json"))


def test_layer_hash_is_the_same_for_a_second_build(
    bundled: tuple[Any, Path], snapshot: Path, tmp_path: Path
) -> None:
    _, asset = bundled
    build_layer(tmp_path, project_root=snapshot, python_version="3.14", architecture="arm64")
    again = cdk.FileSystem.fingerprint(str(tmp_path))
    assert again == cdk.FileSystem.fingerprint(str(asset))
    assert asset.name == f"asset.{again}"


def test_a_package_that_is_not_there_fails_the_build_clearly(tmp_path: Path) -> None:
    with pytest.raises(LayerBuildError, match="is not a Python package"):
        build_layer(
            tmp_path / "out",
            project_root=tmp_path,
            python_version="3.14",
            architecture="arm64",
            packages=("workflows",),
        )
