"""Branches, cleanup, notification and loops over HTTP: `pyflow local serve` runs the
Lambdas, a separate process decides and works, and each execution ends as the rules say."""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator

import pytest

from tests.support.processes import PYFLOW, PYTHON, ROOT, bare_env

pytestmark = pytest.mark.timeout(180)

SCRIPT = textwrap.dedent(
    """
    import json, threading
    import pyflow
    from tests.support import control_flows as cf

    client = pyflow.Client()
    client.register_domain()
    for wf in cf.WORKFLOWS:
        client.register(wf, lambda_role="arn:aws:iam::000000000000:role/local")
    stop = threading.Event()
    threads = [
        threading.Thread(target=pyflow.poll_for_executions, args=(cf.WORKFLOWS + [cf.step],),
                         kwargs={"domain": client.domain, "client": client,
                                 "should_stop": stop.is_set}),
        threading.Thread(target=pyflow.poll_for_activities, args=([cf.cleanup],),
                         kwargs={"domain": client.domain, "task_list": "cf-workers",
                                 "client": client, "should_stop": stop.is_set}),
    ]
    for t in threads:
        t.start()
    runs = {
        "small": (cf.branch, 3), "big": (cf.branch, 42), "cleanup": (cf.cleanup_flow, "o-1"),
        "poll": (cf.poll, {"job": "serve-3", "needed": 3}),
        "limit": (cf.poll_limited, {"job": "serve-5", "needed": 5}), "counter": (cf.counter, 0),
    }
    seen = {}
    try:
        ids = {key: client.start(wf, input=value, workflow_id=f"cf-{key}")
               for key, (wf, value) in runs.items()}
        for key, wid in ids.items():
            outcome = client.wait_for_outcome(wid, workflow=runs[key][0], timeout=120)
            seen[key] = {"status": outcome.status, "result": outcome.result,
                         "reason": outcome.reason,
                         "tasks": {n: [t.state, t.iteration] for n, t in outcome.tasks.items()}}
    finally:
        stop.set()
        for t in threads:
            t.join()
    print(json.dumps(seen))
    """
)


@pytest.fixture
def endpoint() -> Iterator[str]:
    proc = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--virtual-time",
         "--lambdas", "tests.support.control_flows"],
        cwd=ROOT, env=bare_env(PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "listening on http://127.0.0.1:" in first, first
    try:
        yield first.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_control_flow_over_local_serve(endpoint: str) -> None:
    result = subprocess.run(
        [str(PYTHON), "-c", SCRIPT], cwd=ROOT,
        env=bare_env(AWS_ENDPOINT_URL_SWF=endpoint, PYTHONPATH=str(ROOT)),
        capture_output=True, text=True, timeout=170,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["small"]["result"] == ["small:3"]
    assert seen["small"]["tasks"]["Big"] == ["skipped", 0]
    assert seen["big"]["result"] == ["big:42"]
    assert seen["big"]["tasks"]["Small"] == ["skipped", 0]
    assert seen["cleanup"]["status"] == "COMPLETED", seen["cleanup"]
    assert seen["cleanup"]["result"]["Notify"].startswith("told: UnhandledError (ValueError")
    assert seen["cleanup"]["tasks"]["Work"][0] == "failed"
    assert (seen["poll"]["result"], seen["poll"]["tasks"]["Wait"]) == ("DONE", ["completed", 3])
    assert seen["limit"]["status"] == "FAILED"
    assert "after 2 iterations (max_iterations=2)" in seen["limit"]["reason"]
    assert (seen["counter"]["result"], seen["counter"]["tasks"]["Body"]) == (
        3, ["completed", 3])
