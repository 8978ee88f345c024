"""Which interpreter on the synthesizing machine can write the bytecode of a Lambda runtime.

Bytecode is read only by the CPython version that wrote it, so a layer for the python3.14
runtime synthesized in a 3.12 virtualenv needs a CPython 3.14 from elsewhere: the one named by
`PYFLOW_LAYER_PYTHON`, else this Python when it is that version, else `python3.14` on PATH.
Each is asked for its cache tag before it is trusted, since a PATH entry may be a shim that
does not run (pyenv's, for a version not selected) or a Python of another version or kind.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys

LAYER_PYTHON_ENV = "PYFLOW_LAYER_PYTHON"
"""The interpreter that compiles the layer, when the synthesizing Python is another version."""


class LayerPythonError(RuntimeError):
    """`PYFLOW_LAYER_PYTHON` names no CPython of the runtime's version."""


def runtime_tag(python_version: str) -> str:
    """The cache tag of Lambda's CPython `python_version` (`cpython-314` for "3.14")."""
    return "cpython-" + python_version.replace(".", "")


def can_compile_for(python_version: str) -> bool:
    """Whether this Python writes the bytecode Lambda's CPython `python_version` reads (PyPy's
    bytecode has its own cache tag, which CPython never loads)."""
    return sys.implementation.cache_tag == runtime_tag(python_version)


@functools.cache
def cache_tag(interpreter: str) -> str | None:
    """The cache tag `interpreter` writes bytecode under; None if it does not run. Asked once
    per process: the layer's construction finds the interpreter, and its build checks it."""
    if interpreter == sys.executable:
        return sys.implementation.cache_tag
    try:
        asked = subprocess.run(
            [interpreter, "-c", "import sys; print(sys.implementation.cache_tag)"],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    tag = asked.stdout.strip()
    return tag if asked.returncode == 0 and tag else None


def on_path(python_version: str) -> str | None:
    """`python<version>` on PATH, if it runs and is CPython of that version."""
    found = shutil.which(f"python{python_version}")
    if found is None or cache_tag(found) != runtime_tag(python_version):
        return None
    return found


def bytecode_compiler(python_version: str) -> str | None:
    """The interpreter that compiles a layer for `python_version`; None: the layer ships
    source (it works the same, and compiles what it imports at every cold start)."""
    explicit = os.environ.get(LAYER_PYTHON_ENV)
    if explicit:
        found = cache_tag(explicit)
        if found != runtime_tag(python_version):
            raise LayerPythonError(
                f"{LAYER_PYTHON_ENV}={explicit} "
                + (f"is {found}" if found else "does not run")
                + f", and the layer's bytecode must be written by CPython {python_version} "
                f"(the python_version setting): name a CPython {python_version}, or unset "
                f"{LAYER_PYTHON_ENV} to ship the layer as source"
            )
        return explicit
    if can_compile_for(python_version):
        return sys.executable
    return on_path(python_version)
