"""The poll loops survive throttling, stop cleanly on signals, read long histories across
pages, and let long activities heartbeat and notice cancellation."""

from __future__ import annotations

import io
import json
import os
import random
import signal
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.retries.standard
import pytest
from botocore.awsrequest import AWSResponse

import pyflow
import pyflow._decider
from pyflow._client._factory import CLIENT_CONFIG
from pyflow._worker import _loop, _retry
from pyflow.local import LocalSWF
from tests.support.harness import DECIDERS, register, running, start

pytestmark = pytest.mark.timeout(60)
DOMAIN = "resilience"
ROLE = "arn:aws:iam::000000000000:role/test"


@pyflow.activity(name="echo", version="1", task_list="echoes")
def echo(value: Any) -> Any:
    return value


@pytest.fixture
def engine() -> Iterator[LocalSWF]:
    with LocalSWF(virtual_time=True, poll_timeout=0.5, idle_grace=0.5) as local:
        pyflow.ensure_domain_registered(DOMAIN, client=local.client())
        yield local


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body.read()


class Throttler:
    """Answers a share of requests with ThrottlingException, the rest from the engine."""

    def __init__(self, engine: LocalSWF, rate: float, only: set[str] | None = None,
                 first: dict[str, int] | None = None) -> None:
        self.engine, self.rate, self.only = engine, rate, only
        self.first = dict(first or {})
        self.random = random.Random(7)
        self.throttled = 0
        self.lock = threading.Lock()

    def client(self, max_attempts: int) -> Any:
        config = CLIENT_CONFIG.merge(
            boto3.session.Config(retries={"mode": "standard", "max_attempts": max_attempts})
        )
        session = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x",
                                        region_name="us-east-1")
        client = session.client("swf", endpoint_url="https://swf.invalid", config=config)
        client.meta.events.register("before-send.swf", self.send)
        return client

    def send(self, request: Any, **kwargs: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().split(".")[-1]
        with self.lock:
            throttle = (self.only is None or operation in self.only) and (
                self.random.random() < self.rate
            )
            if self.first.get(operation, 0) > 0:
                self.first[operation] -= 1
                throttle = True
            if throttle:
                self.throttled += 1
        if throttle:
            status = 400
            body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})
            payload = body.encode()
        else:
            status, payload = self.engine.handle_json(operation, request.body)
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return AWSResponse(request.url, status, headers, _Body(payload))  # type: ignore[arg-type]


def _workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("Sturdy", "1")
    up = wf.add(pyflow.LambdaTask(name="Up", lambda_function="up", depends_on=[wf.start_task]))
    nap = wf.add(pyflow.TimerTask(name="Nap", duration=10, depends_on=[up]))
    wf.add(pyflow.ActivityTask(name="Echo", activity=echo, depends_on=[up, nap]))
    return wf


def test_throttled_calls_are_retried_by_botocore(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: 0.001)
    throttler = Throttler(engine, rate=0.3)
    client = throttler.client(max_attempts=8)
    engine.add_lambda("up", lambda event, context: event.upper())
    wf = _workflow()
    register(client, DOMAIN, wf)
    with running(client, DOMAIN, [wf], [echo]) as stats:
        workflow_id = start(client, DOMAIN, wf, "calm", lambda_role=ROLE)
        outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf,
                                          timeout=30, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", "CALM")
    assert throttler.throttled >= 5
    assert stats[0].errors == 0


def test_a_poll_still_throttled_after_retries_is_logged_and_polled_again(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_loop, "ERROR_BACKOFF_MIN", 0.001)
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: 0.001)
    throttler = Throttler(engine, rate=1.0, only={"PollForDecisionTask"})
    client = throttler.client(max_attempts=1)
    wf = pyflow.Workflow("Empty", "1")
    register(engine.client(), DOMAIN, wf)
    workflow_id = start(engine.client(), DOMAIN, wf)
    stats = pyflow.poll_for_executions(wf, domain=DOMAIN, task_list=DECIDERS, num_iterations=3,
                                       client=client)
    assert (stats.errors, stats.decision_tasks) == (3, 0)
    assert "ThrottlingException" in caplog.text
    throttler.rate = 0.0
    stats = pyflow.poll_for_executions(wf, domain=DOMAIN, task_list=DECIDERS, num_iterations=1,
                                       client=client)
    assert stats.decision_tasks == 1
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    assert outcome.status == "COMPLETED"


def test_the_log_says_when_polling_works_again_after_failures(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_loop, "ERROR_BACKOFF_MIN", 0.001)
    throttler = Throttler(engine, rate=1.0, only={"PollForDecisionTask"})
    client = throttler.client(max_attempts=1)
    wf = pyflow.Workflow("Empty", "1")
    register(engine.client(), DOMAIN, wf)
    workflow_id = start(engine.client(), DOMAIN, wf)
    rates = iter([1.0, 1.0, 0.0, 0.0])  # the first two polls fail, the next two get through

    def before_each_poll(self: _loop.StopControl) -> bool:
        throttler.rate = next(rates, 0.0)
        return False

    monkeypatch.setattr(_loop.StopControl, "stop_requested", before_each_poll)
    caplog.set_level("INFO", logger="pyflow")
    pyflow.poll_for_executions(wf, domain=DOMAIN, task_list=DECIDERS, num_iterations=4,
                               client=client)
    messages = [r.getMessage() for r in caplog.records if r.name == "pyflow.decider"]
    back = [m for m in messages if "works again" in m]
    assert back == [f"polling task list {DECIDERS!r} works again"]
    assert messages.index(back[0]) > max(i for i, m in enumerate(messages) if "failed" in m)
    assert any(f"[{workflow_id}] decided 1 decision(s)" in m for m in messages)


def test_responses_throttled_beyond_botocores_retries_are_not_lost(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_retry, "FIRST_PAUSE", 0.001)
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: 0.001)
    throttler = Throttler(engine, rate=0.0, first={
        "RespondDecisionTaskCompleted": 3, "RespondActivityTaskCompleted": 3})
    client = throttler.client(max_attempts=1)
    engine.add_lambda("up", lambda event, context: event.upper())
    wf = _workflow()
    register(engine.client(), DOMAIN, wf)
    with running(client, DOMAIN, [wf], [echo]) as stats:
        workflow_id = start(client, DOMAIN, wf, "calm", lambda_role=ROLE)
        outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf,
                                          timeout=30, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", "CALM")
    assert throttler.throttled == 6
    kinds = {e["eventType"] for e in outcome.history}
    assert not kinds & {"DecisionTaskTimedOut", "ActivityTaskTimedOut"}
    assert stats[0].errors == 0


def _kill_self_soon(sig: int, after: float) -> threading.Timer:
    timer = threading.Timer(after, os.kill, args=(os.getpid(), sig))
    timer.start()
    return timer


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_while_polling_stops_the_loop_and_restores_handlers(
    sig: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LocalSWF(poll_timeout=30) as local:
        client = local.client()
        pyflow.ensure_domain_registered(DOMAIN, client=client)
        before = signal.getsignal(sig)
        _kill_self_soon(sig, 0.3)
        stats = pyflow.poll_for_executions(pyflow.Workflow("Idle", "1"), domain=DOMAIN,
                                           task_list=DECIDERS, client=client)
        assert signal.getsignal(sig) is before
        assert (stats.decision_tasks, stats.errors) == (0, 0)


def test_a_signal_while_deciding_finishes_the_decision_then_stops(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyflow._worker._decider as loop_module

    real_resume = loop_module.resume  # what the decider loop calls to decide

    def decide_then_get_interrupted(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signal.SIGTERM)  # handled right away, in this (main) thread
        return real_resume(*args, **kwargs)

    monkeypatch.setattr(loop_module, "resume", decide_then_get_interrupted)
    client = engine.client()
    wf = pyflow.Workflow("Quick", "1")
    register(client, DOMAIN, wf)
    first, second = start(client, DOMAIN, wf), start(client, DOMAIN, wf)
    stats = pyflow.poll_for_executions(wf, domain=DOMAIN, task_list=DECIDERS, client=client)
    assert (stats.decision_tasks, stats.decisions) == (1, 1)
    statuses = {
        pyflow.get_outcome(domain=DOMAIN, workflow_id=i, client=client).status
        for i in (first, second)
    }
    assert statuses == {"COMPLETED", "OPEN"}


def test_a_history_longer_than_a_page_is_read_in_full(engine: LocalSWF) -> None:
    wf = pyflow.Workflow("Wide", "1")
    for number in range(400):
        wf.add(pyflow.LambdaTask(name=f"L{number}", lambda_function="id",
                                 depends_on=[wf.start_task]))
    client = engine.client()
    engine.add_lambda("id", lambda event, context: event)
    register(client, DOMAIN, wf)
    with running(client, DOMAIN, [wf]) as stats:
        workflow_id = start(client, DOMAIN, wf, 1, lambda_role=ROLE)
        outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id, workflow=wf,
                                          timeout=30, client=client)
    assert outcome.status == "COMPLETED"
    assert outcome.result == {f"L{n}": 1 for n in range(400)}
    assert len(outcome.history) > 1000
    assert stats[0].history_pages > stats[0].decision_tasks  # some tasks took a second page


def test_a_heartbeating_activity_notices_the_workflow_was_canceled() -> None:
    observed: list[str] = []
    started = threading.Event()

    @pyflow.activity(name="long", version="1", task_list="long", heartbeat_timeout=30)
    def long_running(value: Any) -> None:
        started.set()
        context = pyflow.activity_context()
        try:
            while True:
                context.heartbeat({"still": "working"})
                threading.Event().wait(0.01)
        except pyflow.ActivityCanceledError:
            observed.append("canceled")
            raise

    with LocalSWF(poll_timeout=0.5) as local:
        client = local.client()
        pyflow.ensure_domain_registered(DOMAIN, client=client)
        wf = pyflow.Workflow("Long", "1")
        wf.add(pyflow.ActivityTask(name="Long", activity=long_running))
        register(client, DOMAIN, wf)
        with running(client, DOMAIN, [wf], [long_running]):
            workflow_id = start(client, DOMAIN, wf)
            assert started.wait(10)
            pyflow.cancel_workflow(domain=DOMAIN, workflow_id=workflow_id, client=client)
            outcome = pyflow.wait_for_outcome(domain=DOMAIN, workflow_id=workflow_id,
                                              workflow=wf, timeout=10, client=client)
            for _ in range(500):
                if observed:
                    break
                threading.Event().wait(0.01)
    assert outcome.status == "CANCELED"
    assert observed == ["canceled"]
