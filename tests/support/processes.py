"""Running the project's own console script in subprocesses with no AWS configuration, and
`pyflow local serve` as a fixture (import `server` into a test module or conftest to use it)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYFLOW = ROOT / ".venv" / "bin" / "pyflow"
PYTHON = ROOT / ".venv" / "bin" / "python"


def bare_env(**extra: str) -> dict[str, str]:
    """The environment of a shell with no AWS (or pyflow) configuration at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYFLOW_"))}
    env.update(AWS_EC2_METADATA_DISABLED="true", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", **extra)
    return env


@pytest.fixture
def server() -> Iterator[str]:
    """`pyflow local serve` on a free loopback port, with the example's Lambda handlers."""
    proc = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--virtual-time",
         "--lambdas", "handlers.strings", "--register", "workflows"],
        cwd=ROOT, env=bare_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert first.startswith("pyflow local SWF engine listening on http://127.0.0.1:"), first
    url = first.split()[-1]
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert proc.returncode == 0
