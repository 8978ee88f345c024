"""`pyflow local serve --payload-dir`: the served Lambda handlers, a decider in another process
and the client share one directory store, so megabytes pass over HTTP; without one, the
oversize result fails its task naming the setting."""

from __future__ import annotations

import json
import subprocess
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import PYFLOW, PYTHON, ROOT, bare_env

pytestmark = pytest.mark.timeout(180)

SCRIPT = textwrap.dedent(
    """
    import json, sys, threading
    import pyflow
    from tests.support.payload_flows import big

    store = pyflow.LocalPayloadStore(sys.argv[1]) if sys.argv[1] else None
    client = pyflow.Client(payload_store=store)
    client.register_domain()
    client.register(big, lambda_role="arn:aws:iam::000000000000:role/local")
    stop = threading.Event()
    decider = threading.Thread(target=pyflow.poll_for_executions, args=([big],),
                               kwargs={"domain": client.domain, "client": client,
                                       "should_stop": stop.is_set})
    decider.start()
    try:
        wid = client.start(big, input=200_000, workflow_id="big-1")
        outcome = client.wait_for_outcome(wid, workflow=big, timeout=120)
    finally:
        stop.set()
        decider.join()
    result = outcome.result
    print(json.dumps({"status": outcome.status, "reason": outcome.reason,
                      "length": len(result) if isinstance(result, str) else None,
                      "upper": isinstance(result, str) and set(result) == {"A"}}))
    """
)


def _serve(*extra: str) -> Iterator[dict[str, object]]:
    proc = subprocess.Popen(
        [str(PYFLOW), "local", "serve", "--port", "0", "--virtual-time", "--json",
         "--lambdas", "tests.support.payload_flows", *extra],
        cwd=ROOT, env=bare_env(PYTHONPATH=str(ROOT)), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    try:
        yield json.loads(first)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _run(url: str, store: str) -> dict[str, object]:
    done = subprocess.run(
        [str(PYTHON), "-c", SCRIPT, store], cwd=ROOT, capture_output=True, text=True,
        env=bare_env(PYTHONPATH=str(ROOT), AWS_ENDPOINT_URL_SWF=url), timeout=150,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_served_lambdas_and_a_separate_decider_share_the_payload_dir(tmp_path: Path) -> None:
    payloads = tmp_path / "payloads"
    for served in _serve("--payload-dir", str(payloads)):
        assert served["payloadDir"] == str(payloads)
        seen = _run(str(served["url"]), str(payloads))
    assert seen == {"status": "COMPLETED", "reason": None, "length": 200_000, "upper": True}
    # Make's 200,000 characters and Upper's: two objects, written by the served handlers.
    assert len([p for p in payloads.rglob("*") if p.is_file()]) >= 2


def test_without_a_payload_dir_the_oversize_result_fails_naming_the_setting() -> None:
    for served in _serve():
        assert served["payloadDir"] is None
        seen = _run(str(served["url"]), "")
    assert seen["status"] == "FAILED"
    assert "payload store" in str(seen["reason"]) or "PYFLOW_PAYLOAD" in str(seen["reason"]), seen
