"""Which interpreter compiles the layer: PYFLOW_LAYER_PYTHON, this Python, or python3.X on PATH,
each trusted only once it has said which bytecode it writes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from infra._compiler import (
    LAYER_PYTHON_ENV,
    LayerPythonError,
    bytecode_compiler,
    cache_tag,
    on_path,
    runtime_tag,
)
from infra.layer import LayerBuildError, build_layer, layer_bytecode

from .test_layer import HOST, OTHER, _asset, _sources

pytestmark = pytest.mark.slow

PYENV_SHIM = """#!/bin/sh
echo "pyenv: $(basename "$0"): command not found" >&2
exit 127
"""


def _wrapper(folder: Path, name: str, log: Path) -> Path:
    """`name` in `folder`: this Python, noting each command line it runs in `log`."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {sys.executable} "$@"\n')
    script.chmod(0o755)
    return script


def _shim(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(PYENV_SHIM)
    script.chmod(0o755)
    return script


def test_cache_tags_are_asked_of_the_interpreter(tmp_path: Path) -> None:
    assert runtime_tag("3.14") == "cpython-314"
    wrapper = _wrapper(tmp_path / "bin", "python-any", tmp_path / "log")
    assert cache_tag(str(wrapper)) == sys.implementation.cache_tag
    assert cache_tag(str(_shim(tmp_path / "bin", "python-shim"))) is None
    assert cache_tag(str(tmp_path / "missing")) is None


def test_python_of_the_version_on_path_is_found_only_if_it_is_that_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = _wrapper(tmp_path / "bin", f"python{HOST}", tmp_path / "log")
    # pyenv's shim of a version not selected, and a `python3.X` that is another Python.
    _shim(tmp_path / "bin", f"python{OTHER}")
    third = "3.12" if HOST != "3.12" else "3.13"
    _wrapper(tmp_path / "other", f"python{third}", tmp_path / "log")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:{tmp_path / 'other'}")
    assert on_path(HOST) == str(found)
    assert on_path(OTHER) is None
    assert on_path(third) is None


def test_the_named_interpreter_is_used_and_must_be_the_runtimes_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrapper = _wrapper(tmp_path / "bin", "layer-python", tmp_path / "log")
    monkeypatch.setenv(LAYER_PYTHON_ENV, str(wrapper))
    assert bytecode_compiler(HOST) == str(wrapper)
    with pytest.raises(LayerPythonError) as caught:
        bytecode_compiler(OTHER)
    message = str(caught.value)
    assert f"{LAYER_PYTHON_ENV}={wrapper} is {sys.implementation.cache_tag}" in message
    assert f"CPython {OTHER} (the python_version setting)" in message
    monkeypatch.setenv(LAYER_PYTHON_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(LayerPythonError, match="does not run"):
        bytecode_compiler(HOST)


def test_without_a_python_of_the_version_the_layer_is_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LAYER_PYTHON_ENV, raising=False)
    _shim(tmp_path / "bin", f"python{OTHER}")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert bytecode_compiler(OTHER) is None
    assert bytecode_compiler(HOST) == sys.executable


def test_the_layer_is_compiled_by_the_interpreter_found(
    synth: Callable[..., Any], snapshot: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log"
    monkeypatch.setenv(LAYER_PYTHON_ENV, str(_wrapper(tmp_path / "bin", "layer-python", log)))
    result = synth({"python_version": HOST}, bundle=True, project_root=snapshot)
    assert layer_bytecode(_asset(result)) == sys.implementation.cache_tag
    assert result.stack.layer.sources.compiler == str(tmp_path / "bin" / "layer-python")
    assert "-m compileall" in log.read_text()
    # A compiler that is not the runtime's version is refused before it writes anything.
    wrapper = str(tmp_path / "bin" / "layer-python")
    sources = _sources(snapshot, OTHER, bytecode=True, compiler=wrapper)
    with pytest.raises(LayerBuildError, match=f"bytecode for Python {OTHER} cannot be compiled by"):
        build_layer(tmp_path / "refused", sources)


def test_the_layers_hash_covers_bytecode_but_not_which_interpreter_wrote_it(
    snapshot: Path, tmp_path: Path
) -> None:
    """So a deploy alternating between bytecode and source replaces the layer, and two
    machines with the runtime's CPython at different paths give the same asset."""
    source, compiled = _sources(snapshot, HOST), _sources(snapshot, HOST, bytecode=True)
    elsewhere = _sources(snapshot, HOST, bytecode=True, compiler=str(tmp_path / "python"))
    assert source.fingerprint() != compiled.fingerprint() == elsewhere.fingerprint()
