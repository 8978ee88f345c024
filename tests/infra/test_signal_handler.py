"""handlers/signal.py against `pyflow local serve`: a token or the fields signal a waiting
execution through the Function URL's event shape; bad requests get 400/403/404/405, never a
crash; an EventBridge delivery signals with the event as input."""

from __future__ import annotations

import base64
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import pyflow
from pyflow._workflow._tokens import encode_token
from tests.integration.runtime.test_signal_callbacks_serve import _callback
from tests.support.processes import PYTHON, ROOT, bare_env

pytestmark = pytest.mark.timeout(180)

DECIDE = """
import sys
import pyflow
from tests.support.signal_flows import approval
client = pyflow.Client()
client.register_domain()
client.register(approval, lambda_role="arn:aws:iam::000000000000:role/local")
for wid in sys.argv[1:]:
    client.start(approval, input="x", workflow_id=wid)
pyflow.poll_for_executions(approval, domain=client.domain, client=client, num_iterations=60)
"""
IDS = ("by-token", "by-fields", "by-event")


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A served engine and a decider with three executions waiting for 'Approved'."""
    folder = tmp_path_factory.mktemp("callbacks")
    env = bare_env(PYTHONPATH=str(ROOT), PYFLOW_TEST_CALLBACKS=str(folder))
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "pyflow"), "local", "serve", "--port", "0",
         "--lambdas", "tests.support.signal_flows"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert server.stdout is not None
    url = server.stdout.readline().split()[-1]
    decider = subprocess.Popen(
        [str(PYTHON), "-c", DECIDE, *IDS], cwd=ROOT, env={**env, "AWS_ENDPOINT_URL_SWF": url}
    )
    try:
        yield url, folder
    finally:
        decider.kill()
        decider.wait()
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def handler(running: tuple[str, Path], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    url, folder = running
    domain = _callback(folder, "by-token")["domain"]
    monkeypatch.setenv("AWS_ENDPOINT_URL_SWF", url)
    monkeypatch.setenv("PYFLOW_DOMAIN", domain)
    spec = importlib.util.spec_from_file_location(
        "signal_under_test", ROOT / "handlers" / "signal.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _post(handler: ModuleType, body: Any, *, raw: str | None = None, b64: bool = False,
          method: str = "POST") -> tuple[int, Any]:
    text = raw if raw is not None else json.dumps(body)
    event = {
        "requestContext": {"http": {"method": method}},
        "body": base64.b64encode(text.encode()).decode() if b64 else text,
        "isBase64Encoded": b64,
    }
    answer = handler.lambda_handler(event, None)
    assert answer["headers"] == {"Content-Type": "application/json"}
    return answer["statusCode"], json.loads(answer["body"])


def _results(url: str) -> dict[str, Any]:
    wait = ("import json, pyflow; c = pyflow.Client(); print(json.dumps({w: c.wait_for_outcome("
            f"w, timeout=60).result for w in {IDS!r}}}))")
    done = subprocess.run([str(PYTHON), "-c", wait], cwd=ROOT, capture_output=True, text=True,
                          env=bare_env(PYTHONPATH=str(ROOT), AWS_ENDPOINT_URL_SWF=url),
                          timeout=90)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_token_fields_and_event_each_signal_their_execution(
    handler: ModuleType, running: tuple[str, Path]
) -> None:
    url, folder = running
    token = _callback(folder, "by-token")["token"]
    assert _post(handler, {"token": token, "input": "tok"}, b64=True) == (
        200, {"signalled": {"workflowId": "by-token", "signalName": "Approved", "runId": None}})
    status, _ = _post(handler, {"workflowId": "by-fields", "signalName": "Approved",
                                "input": "fields"})
    assert status == 200
    _callback(folder, "by-event")
    event = {"source": "shop", "detail-type": "Ok", "detail": {"orderId": "by-event"}}
    assert handler.lambda_handler(
        {"pyflow.event": {"workflowId": "by-event", "signalName": "Approved", "input": event}}
    ) == {"workflowId": "by-event", "signalName": "Approved"}
    assert _results(url) == {
        "by-token": "shipped: tok",
        "by-fields": "shipped: fields",
        "by-event": f"shipped: {event}",
    }


def test_bad_requests_get_a_status_and_a_message_saying_what_to_change(
    handler: ModuleType,
) -> None:
    status, body = _post(handler, None, raw="{not json")
    assert (status, body["error"]) == (400, 'the body must be JSON: {"token": ..., "input": ...}')
    assert _post(handler, ["a"])[0] == 400
    status, body = _post(handler, {"token": "pyflow-signal-1.@@@"})
    assert status == 400 and "damaged" in body["error"]
    status, body = _post(handler, {"workflowId": "x"})
    assert status == 400 and "signalName" in body["error"]
    other = encode_token("someone-elses", "w", "Approved")
    status, body = _post(handler, {"token": other})
    assert status == 403 and "someone-elses" in body["error"]
    status, body = _post(handler, {"workflowId": "never-started", "signalName": "Approved"})
    assert status == 404 and "never-started" in body["error"]
    assert _post(handler, {}, method="GET")[0] == 405


def test_a_bad_event_delivery_raises_so_eventbridge_retries_and_dead_letters(
    handler: ModuleType,
) -> None:
    with pytest.raises(ValueError, match="workflow id None"):
        handler.lambda_handler({"pyflow.event": {"signalName": "Approved", "input": {}}})
    with pytest.raises(pyflow.UnknownExecutionError):
        handler.lambda_handler(
            {"pyflow.event": {"workflowId": "nobody", "signalName": "Approved", "input": {}}}
        )
