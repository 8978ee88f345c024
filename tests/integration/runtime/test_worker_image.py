"""The worker image's contents, run as the container would run them (short of Docker): the build
context `WorkerService` writes, with its copied pyflow and workflows package as the only code,
runs the task definition's command (`python -m pyflow worker ...`) against `pyflow local serve`,
does an activity end to end, and stops cleanly on SIGTERM as ECS stops a task."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

# Before aws_cdk starts Node (infra.workers imports it).
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

from infra.settings import Settings  # noqa: E402
from infra.workers import worker_command, write_image_context  # noqa: E402
from tests.support.processes import PYTHON, ROOT, bare_env, server  # noqa: E402, F401

pytestmark = pytest.mark.timeout(120)

ORDERS = """
import pyflow


@pyflow.activity(name="pack", version="1", task_list="packing")
def pack(order: str) -> str:
    return f"packed {order}"


workflow = pyflow.Workflow("PackOrder", version="1")
workflow.add(pyflow.ActivityTask(name="Pack", activity=pack, depends_on=[workflow.start_task]))
"""


def _context(tmp_path: Path) -> Path:
    package = tmp_path / "project" / "orders"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "flow.py").write_text(textwrap.dedent(ORDERS))
    context = tmp_path / "context"
    write_image_context(context, pyflow_dir=ROOT / "pyflow", package=package)
    settings = Settings.from_mapping({"worker_service": True, "worker_concurrency": 2})
    (context / "command").write_text("\n".join(worker_command(settings, "orders")))
    return context


def test_the_image_context_runs_the_workers_command_against_local_serve(
    tmp_path: Path, server: str  # noqa: F811
) -> None:
    context = _context(tmp_path)
    dockerfile = (context / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "-m", "pyflow", "worker"]' in dockerfile
    assert not (context / "pyflow" / "cdk").exists()
    command = (context / "command").read_text().split("\n")
    assert command == ["orders", "--concurrency", "2", "--domain", "pyflow"]
    # As in the container: the context is the working directory and the only code on the path.
    env = bare_env(AWS_ENDPOINT_URL_SWF=server, PYTHONPATH=str(context))

    def pyflow(*args: str) -> list[str]:
        return [str(PYTHON), "-m", "pyflow", *args]

    # At deploy, the registration custom resource does this.
    registered = subprocess.run(
        pyflow("register", "orders"), cwd=context, env=env, text=True, capture_output=True
    )
    assert registered.returncode == 0, registered.stderr
    worker = subprocess.Popen(
        pyflow("worker", *command, "--register"), cwd=context, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    decider = subprocess.Popen(
        pyflow("decider", "orders"), cwd=context, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        started = subprocess.run(
            pyflow("start", "orders.flow:workflow", "--input", '"A-17"', "--workflow-id",
                   "image-1", "--wait"),
            cwd=context, env=env, text=True, capture_output=True, timeout=90,
        )
    finally:
        worker.terminate()  # SIGTERM, as ECS stops a task
        decider.terminate()
        worker_out, worker_err = worker.communicate(timeout=60)
        decider.communicate(timeout=60)
    assert started.returncode == 0, started.stderr
    assert "Status:      COMPLETED" in started.stdout
    assert "Result:      packed A-17" in started.stdout
    assert worker.returncode == 0, worker_err
