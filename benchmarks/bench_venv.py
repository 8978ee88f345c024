"""The virtualenvs benchmarks build once under `~/.cache/pyflow-bench/` for software kept out of
the project's dependencies (simpleflow; the Lambda runtime's packages alone)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cache_root() -> Path:
    """Where the benchmarks' virtualenvs live (XDG_CACHE_HOME honoured)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "pyflow-bench"


def build(venv: Path, python: str, packages: list[str], what: str) -> Path:
    """A fresh virtualenv of `python` at `venv` with `packages` (pip arguments) installed;
    its interpreter. pip's output (warnings about the machine's index settings among it) is
    shown only when the install fails, so that the benchmark's own lines stay readable."""
    print(f"creating {venv} with {what} (once; reused after)", file=sys.stderr)
    subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
    interpreter = venv / "bin" / "python"
    install = subprocess.run(
        [str(interpreter), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         *packages],
        capture_output=True, text=True,
    )
    if install.returncode != 0:
        sys.exit(f"pip could not install {what} into {venv}:\n{install.stdout}{install.stderr}")
    return interpreter
