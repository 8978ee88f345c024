"""Many pollers on one engine: every task goes to exactly one poller, nothing is lost."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from pyflow.local import LocalSWF
from tests.support.swf import DOMAIN, Env, activity, attrs, check_engine_fidelity, complete

PER_EXECUTION = 5


def _decider(engine: LocalSWF, stop: threading.Event) -> None:
    client = engine.client()
    while not stop.is_set():
        task = client.poll_for_decision_task(domain=DOMAIN, taskList={"name": "decider"})
        if not task.get("taskToken"):
            continue
        types = [e["eventType"] for e in task["events"]]
        if "ActivityTaskScheduled" not in types:
            decisions = [activity(f"a{j}", input=str(j)) for j in range(PER_EXECUTION)]
        elif types.count("ActivityTaskCompleted") == PER_EXECUTION:
            decisions = [complete()]
        else:
            decisions = []
        client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=decisions)


def _worker(engine: LocalSWF, stop: threading.Event) -> None:
    client = engine.client()
    while not stop.is_set():
        work = client.poll_for_activity_task(domain=DOMAIN, taskList={"name": "workers"})
        if work.get("taskToken"):
            client.respond_activity_task_completed(taskToken=work["taskToken"],
                                                   result=work["input"])


def _run_threads(targets: list[Callable[[], None]], done: Callable[[], bool]) -> list[Exception]:
    errors: list[Exception] = []
    stop = threading.Event()

    def guarded(target: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except Exception as exc:  # surfaced by the caller's assertion
                errors.append(exc)
        return run

    threads = [threading.Thread(target=guarded(t)) for t in targets]
    for thread in threads:
        thread.start()
    try:
        for _ in range(200):
            if done() or errors:
                break
            stop.wait(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    return errors


def test_concurrent_deciders_and_workers_finish_every_execution_exactly_once() -> None:
    with LocalSWF(virtual_time=True, poll_timeout=0.2, idle_grace=0.5) as engine:
        env = Env(engine)
        executions = 12
        for i in range(executions):
            env.start(f"w{i}")
        stop = threading.Event()

        def all_closed() -> bool:
            count = env.client.count_closed_workflow_executions(
                domain=DOMAIN, startTimeFilter={"oldestDate": 0})["count"]
            if count == executions:
                stop.set()
            return bool(count == executions)

        roles = [lambda: _decider(engine, stop)] * 4 + [lambda: _worker(engine, stop)] * 4
        errors = _run_threads(roles, all_closed)
        stop.set()
        assert not errors, errors
        for i in range(executions):
            events = env.history(f"w{i}")
            assert env.status(f"w{i}") == "COMPLETED"
            starts = Counter(attrs(e)["scheduledEventId"] for e in events
                             if e["eventType"] == "ActivityTaskStarted")
            assert len(starts) == PER_EXECUTION and set(starts.values()) == {1}
            scheduled = [attrs(e)["scheduledEventId"] for e in events
                         if e["eventType"] == "DecisionTaskStarted"]
            assert len(scheduled) == len(set(scheduled))
        check_engine_fidelity(engine)
