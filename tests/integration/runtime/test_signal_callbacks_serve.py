"""Over `pyflow local serve`: a notifier's callback is all an outside process needs to signal
the execution, whether it uses curl on SWF's JSON protocol or `pyflow signal --token`."""

from __future__ import annotations

import json
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import PYFLOW, PYTHON, ROOT, bare_env

pytestmark = pytest.mark.timeout(120)

DECIDE = textwrap.dedent(
    """
    import sys
    import pyflow
    from tests.support.signal_flows import approval
    client = pyflow.Client()
    client.register_domain()
    client.register(approval, lambda_role="arn:aws:iam::000000000000:role/local")
    for wid in sys.argv[1:]:
        client.start(approval, input="x", workflow_id=wid)
    pyflow.poll_for_executions(approval, domain=client.domain, client=client,
                               num_iterations=40)
    """
)

WAIT = (
    "import json, pyflow; c = pyflow.Client(); print(json.dumps({w: c.wait_for_outcome(w, "
    "timeout=60).result for w in ('by-curl', 'by-token')}))"
)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    env = bare_env(PYTHONPATH=str(ROOT), PYFLOW_TEST_CALLBACKS=str(tmp_path))
    proc = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--lambdas", "tests.support.signal_flows"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "listening on http://127.0.0.1:" in first, first
    try:
        yield first.split()[-1], tmp_path
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _callback(folder: Path, workflow_id: str) -> dict[str, str]:
    path = folder / f"{workflow_id}.json"
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, "the notifier never ran"
        time.sleep(0.1)
    data: dict[str, str] = json.loads(path.read_text())
    return data


def test_curl_and_the_cli_signal_with_only_the_callback(served: tuple[str, Path]) -> None:
    url, folder = served
    env = bare_env(AWS_ENDPOINT_URL_SWF=url, PYTHONPATH=str(ROOT))
    decider = subprocess.Popen([str(PYTHON), "-c", DECIDE, "by-curl", "by-token"], cwd=ROOT,
                               env=env)
    try:
        by_curl = _callback(folder, "by-curl")
        body = json.dumps({"domain": by_curl["domain"], "workflowId": by_curl["workflow_id"],
                           "signalName": by_curl["signal_name"], "input": '"curl"'})
        curl = subprocess.run(
            ["curl", "-sS", "-f", "-X", "POST", url,
             "-H", "Content-Type: application/x-amz-json-1.0",
             "-H", "X-Amz-Target: SimpleWorkflowService.SignalWorkflowExecution", "-d", body],
            capture_output=True, text=True, timeout=30,
        )
        assert curl.returncode == 0, curl.stderr
        by_token = _callback(folder, "by-token")
        sent = subprocess.run([str(PYFLOW), "signal", "--token", by_token["token"], "--input",
                               '"cli"'], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=30)
        assert sent.returncode == 0, sent.stderr
        done = subprocess.run([str(PYTHON), "-c", WAIT], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=90)
        assert done.returncode == 0, done.stderr
        results = json.loads(done.stdout)
    finally:
        decider.kill()
        decider.wait()
    assert results == {"by-curl": "shipped: curl", "by-token": "shipped: cli"}
