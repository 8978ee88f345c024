"""The decider loop reads only the events after the state it kept for the run: a warm
decision task costs one poll and one respond, whatever the history's length; without the
state (a restarted decider) it reads the whole history and decides the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import botocore.retries.standard
import pytest
from botocore.awsrequest import AWSResponse

import pyflow
from pyflow._decider import decide
from pyflow._worker import _retry
from pyflow._worker._decider import _DeciderLoop
from pyflow._worker._history_cache import SHARED, HistoryCache
from pyflow._worker._loop import StopControl
from pyflow._workflow._catalog import workflow_closure
from pyflow.local import LocalSWF
from tests.support.harness import DECIDERS, register, start

pytestmark = pytest.mark.timeout(120)
DOMAIN = "incremental"
SIGNALS = 1500  # more than one full page: a cold read takes several calls


@pyflow.activity(name="double", version="1", task_list="doubles")
def double(value: int) -> int:
    return 2 * value


def _chain() -> pyflow.Workflow:
    wf = pyflow.Workflow("Chain", "1")
    previous = wf.start_task
    for i in range(3):
        previous = wf.add(pyflow.ActivityTask(name=f"D{i}", activity=double,
                                              depends_on=[previous]))
    return wf


@pytest.fixture
def engine() -> Iterator[LocalSWF]:
    with LocalSWF(virtual_time=True, poll_timeout=0.2, idle_grace=0.2) as local:
        pyflow.ensure_domain_registered(DOMAIN, client=local.client())
        yield local


class Recorder:
    """Counts SWF calls by operation and keeps the decisions sent, through botocore's
    event hooks on a real client."""

    def __init__(self, client: Any) -> None:
        self.calls: list[str] = []
        self.decisions: list[list[dict[str, Any]]] = []
        self._client = client
        client.meta.events.register("before-call.swf", self._call)

    def stop(self) -> None:
        self._client.meta.events.unregister("before-call.swf", self._call)

    def _call(self, model: Any, params: Any, **_: Any) -> None:
        self.calls.append(model.name)
        if model.name == "RespondDecisionTaskCompleted":
            self.decisions.append(json.loads(params["body"])["decisions"])


FULL_READ = ["PollForDecisionTask", "PollForDecisionTask", "RespondDecisionTaskCompleted"]
"""A decision task over 1,500 signals as the loop before the cache took it: two full pages."""


def _loop(workflow: pyflow.Workflow, client: Any, cache: HistoryCache) -> _DeciderLoop:
    return _DeciderLoop(catalog=workflow_closure(workflow), domain=DOMAIN,
                        task_list=DECIDERS, identity="test", client=client, cache=cache)


def _decide_once(loop: _DeciderLoop) -> None:
    tasks = loop.stats.decision_tasks
    assert loop.iterate(StopControl())
    assert loop.stats.decision_tasks == tasks + 1


def _run(engine: LocalSWF, cache: HistoryCache, *, restart_before: int | None) -> Recorder:
    """One execution of the chain, 1,500 signals into its history, decided task by task;
    with `restart_before` k, the decider is replaced by a new one (an empty cache) before
    its k-th task."""
    workflow = _chain()
    client = engine.client()
    register(client, DOMAIN, workflow)
    workflow_id = start(client, DOMAIN, workflow, 1)
    for number in range(SIGNALS):
        client.signal_workflow_execution(domain=DOMAIN, workflowId=workflow_id,
                                         signalName=f"noise{number}")
    recorder = Recorder(client)
    loop = _loop(workflow, client, cache)
    for k in range(4):
        if k == restart_before:
            cache.clear()  # the new process's cache
            loop = _loop(workflow, client, cache)
        _decide_once(loop)
        pyflow.poll_for_activities([double], domain=DOMAIN, task_list="doubles",
                                   num_iterations=1, client=client)
    recorder.stop()
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", 8)
    return recorder


def test_a_warm_decision_task_makes_one_poll_and_one_respond(engine: LocalSWF) -> None:
    cache = HistoryCache()
    client = engine.client()
    workflow = _chain()
    register(client, DOMAIN, workflow)
    workflow_id = start(client, DOMAIN, workflow, 1)
    for number in range(SIGNALS):
        client.signal_workflow_execution(domain=DOMAIN, workflowId=workflow_id,
                                         signalName=f"noise{number}")
    recorder = Recorder(client)
    loop = _loop(workflow, client, cache)
    _decide_once(loop)  # cold (an empty cache): the whole history, as the full read took it
    assert recorder.calls == FULL_READ
    assert (loop.stats.cache_misses, loop.stats.cache_hits) == (1, 0)
    for _ in range(2):
        pyflow.poll_for_activities([double], domain=DOMAIN, task_list="doubles",
                                   num_iterations=1, client=client)
        recorder.calls.clear()
        read_before = loop.stats.events_read
        _decide_once(loop)
        assert recorder.calls == ["PollForDecisionTask", "RespondDecisionTaskCompleted"]
        assert loop.stats.events_read - read_before <= 100  # not the 1,500 before
    assert (loop.stats.cache_misses, loop.stats.cache_hits) == (1, 2)
    assert loop.stats.history_pages == 2 + 1 + 1


@pytest.mark.parametrize("restart_before", [1, 2, 3])
def test_a_restarted_decider_decides_as_a_warm_one(engine: LocalSWF, restart_before: int) -> None:
    warm = _run(engine, HistoryCache(), restart_before=None)
    restarted = _run(engine, HistoryCache(), restart_before=restart_before)
    assert restarted.decisions == warm.decisions
    # Each cold read (an empty cache) is two full poll pages; a warm read one small one.
    assert warm.calls.count("PollForDecisionTask") == 2 + 3
    assert restarted.calls.count("PollForDecisionTask") == 2 + 2 + 2
    assert "GetWorkflowExecutionHistory" not in warm.calls + restarted.calls


def test_a_run_new_to_a_warm_process_is_read_in_full_history_pages(engine: LocalSWF) -> None:
    """With states kept, polls ask for small pages; a long history the cache does not know
    then comes in GetWorkflowExecutionHistory pages of 1,000, and decides as `decide` does."""
    client = engine.client()
    workflow = _chain()
    register(client, DOMAIN, workflow)
    loop = _loop(workflow, client, HistoryCache())
    start(client, DOMAIN, workflow, 1)
    _decide_once(loop)  # a short run, whose state the cache now holds
    workflow_id = start(client, DOMAIN, workflow, 1)
    for number in range(SIGNALS):
        client.signal_workflow_execution(domain=DOMAIN, workflowId=workflow_id,
                                         signalName=f"noise{number}")
    recorder = Recorder(client)
    _decide_once(loop)
    assert recorder.calls == ["PollForDecisionTask", "GetWorkflowExecutionHistory",
                              "GetWorkflowExecutionHistory", "RespondDecisionTaskCompleted"]
    assert (loop.stats.cache_misses, loop.stats.cache_hits) == (2, 0)
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    history = outcome.history
    started = next(e["eventId"] for e in history if e["eventType"] == "DecisionTaskStarted")
    expected = decide(workflow, history[:started], domain=DOMAIN,
                      execution={"workflowId": workflow_id, "runId": outcome.run_id})
    assert recorder.decisions == [json.loads(json.dumps(expected))]


def test_deciders_taking_turns_stay_correct(engine: LocalSWF) -> None:
    """Two processes alternate on one run: each reads what the other decided since its own
    last task, and the run ends as with one decider."""
    workflow = _chain()
    client = engine.client()
    register(client, DOMAIN, workflow)
    workflow_id = start(client, DOMAIN, workflow, 1)
    loops = [_loop(workflow, client, HistoryCache()), _loop(workflow, client, HistoryCache())]
    for k in range(4):
        _decide_once(loops[k % 2])
        pyflow.poll_for_activities([double], domain=DOMAIN, task_list="doubles",
                                   num_iterations=1, client=client)
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    assert (outcome.status, outcome.result) == ("COMPLETED", 8)
    assert [(s.cache_hits, s.cache_misses) for s in (lp.stats for lp in loops)] == [
        (1, 1), (1, 1)]


def test_poll_for_executions_keeps_states_in_the_process_cache(engine: LocalSWF) -> None:
    SHARED.clear()
    workflow = _chain()
    client = engine.client()
    register(client, DOMAIN, workflow)
    workflow_id = start(client, DOMAIN, workflow, 1)
    totals = [0, 0]
    for _ in range(4):  # a new loop each time, as each warm Lambda invocation makes
        stats = pyflow.poll_for_executions(workflow, domain=DOMAIN, task_list=DECIDERS,
                                           num_iterations=1, client=client)
        totals[0] += stats.cache_hits
        totals[1] += stats.cache_misses
        pyflow.poll_for_activities([double], domain=DOMAIN, task_list="doubles",
                                   num_iterations=1, client=client)
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    assert outcome.status == "COMPLETED"
    assert totals == [3, 1]
    assert len(SHARED) == 0  # the closing decision keeps nothing


class _Throttled:
    """A ThrottlingException body, as botocore reads a response's raw stream."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()


@pytest.mark.parametrize("page", ["PollForDecisionTask", "GetWorkflowExecutionHistory"])
def test_a_later_page_throttled_beyond_botocores_retries_is_read_again(
    engine: LocalSWF, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """A task's later pages are tried again as its respond is: the task is held already, and
    giving up would leave it to its decision timeout."""
    monkeypatch.setattr(_retry, "FIRST_PAUSE", 0.001)
    monkeypatch.setattr(botocore.retries.standard.ExponentialBackoff, "delay_amount",
                        lambda self, context: 0.001)
    client = engine.client()
    workflow = _chain()
    register(client, DOMAIN, workflow)
    loop = _loop(workflow, client, HistoryCache())
    if page == "GetWorkflowExecutionHistory":  # a warm process polls small pages
        start(client, DOMAIN, workflow, 1)
        _decide_once(loop)
    workflow_id = start(client, DOMAIN, workflow, 1)
    for number in range(SIGNALS):
        client.signal_workflow_execution(domain=DOMAIN, workflowId=workflow_id,
                                         signalName=f"noise{number}")
    throttled: list[str] = []

    def throttle(request: Any, **_: Any) -> AWSResponse | None:
        later = page != "PollForDecisionTask" or b"nextPageToken" in request.body
        if later and len(throttled) < 6:  # more than botocore's own attempts
            throttled.append(page)
            return AWSResponse(request.url, 400, {}, _Throttled())  # type: ignore[arg-type]
        return None

    client.meta.events.register_first(f"before-send.swf.{page}", throttle)
    _decide_once(loop)
    assert len(throttled) == 6 and loop.stats.errors == 0
    outcome = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client)
    kinds = [e["eventType"] for e in outcome.history]
    assert "DecisionTaskCompleted" in kinds and "DecisionTaskTimedOut" not in kinds
