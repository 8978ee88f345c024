"""Virtual time never runs ahead of a task someone holds: while a decision or activity task
is started and unanswered, the clock follows real time; it jumps only when nothing is held.

The engines here use a short `idle_grace` so that, had the clock jumped past held tasks after
a quiet period (the old rule), these tests would catch it in well under a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import pyflow
import pyflow.local
from pyflow.local import LocalSWF
from pyflow.local import _engine as engine_module
from pyflow.local._clock import Clock
from tests.support.swf import (
    Env,
    activity,
    attrs,
    check_engine_fidelity,
    complete,
    lambda_,
    timer,
)

GRACE = 0.3
HOLD = 0.8
"""Longer than GRACE plus the confirmation pause: the old rule would have jumped."""


@pytest.fixture
def quick() -> Iterator[Env]:
    with LocalSWF(virtual_time=True, poll_timeout=2.0, idle_grace=GRACE) as swf:
        yield Env(swf)
        check_engine_fidelity(swf)


def _stamp(event: dict[str, Any]) -> float:
    return float(event["eventTimestamp"].timestamp())


def test_an_activity_held_longer_than_the_grace_completes_while_a_far_timer_waits(
    quick: Env,
) -> None:
    env = quick
    env.start()
    env.decide(env.poll(), activity("a1"), timer("far", 3600))
    work = env.poll_activity()
    time.sleep(HOLD)
    env.client.respond_activity_task_completed(taskToken=work["taskToken"], result="ok")
    events = env.history()
    types = [e["eventType"] for e in events]
    assert "ActivityTaskTimedOut" not in types and "TimerFired" not in types
    started = next(e for e in events if e["eventType"] == "ActivityTaskStarted")
    completed = next(e for e in events if e["eventType"] == "ActivityTaskCompleted")
    # the clock followed real time while the worker held the task, no more, no less
    assert HOLD - 0.05 <= _stamp(completed) - _stamp(started) < 30


def test_a_decision_task_held_longer_than_the_grace_is_not_timed_out(quick: Env) -> None:
    env = quick
    env.start()
    task = env.poll()  # its 60 s start-to-close timeout is the only item due
    time.sleep(HOLD)
    env.decide(task, complete("done"))
    assert env.status() == "COMPLETED"
    assert "DecisionTaskTimedOut" not in env.types()


def test_virtual_time_jumps_again_once_the_held_task_is_answered(quick: Env) -> None:
    env = quick
    env.start()
    env.decide(env.poll(), activity("a1"), timer("far", 3600))
    work = env.poll_activity()
    env.client.respond_activity_task_completed(taskToken=work["taskToken"])
    env.decide(env.poll())  # nothing held or waiting now: straight to the timer
    began = time.monotonic()
    task = env.poll()
    assert time.monotonic() - began < 1.5
    assert "TimerFired" in [e["eventType"] for e in task["events"]]


def test_a_timer_fires_on_real_time_while_a_worker_holds_a_task(quick: Env) -> None:
    env = quick
    env.start()
    env.decide(env.poll(), activity("a1"), timer("soon", 1))
    work = env.poll_activity()
    task = env.poll()  # the timer is due one real second later, the activity still held
    fired = [attrs(e) for e in task["events"] if e["eventType"] == "TimerFired"]
    assert [f["timerId"] for f in fired] == ["soon"]
    env.client.respond_activity_task_completed(taskToken=work["taskToken"])
    assert "ActivityTaskTimedOut" not in env.types()


def test_a_task_waiting_for_a_poller_does_not_stop_a_jump() -> None:
    with LocalSWF(virtual_time=True, poll_timeout=2.0, idle_grace=GRACE) as swf:
        env = Env(swf)
        env.start()
        env.decide(env.poll(), activity("nobody", taskList={"name": "unserved"}),
                   timer("t", 60))
        task = env.poll()  # after a quiet GRACE the clock leaves the waiting task behind
        assert "TimerFired" in [e["eventType"] for e in task["events"]]


def test_the_clock_stands_still_flows_and_jumps_forward_only() -> None:
    clock = Clock(virtual=True)
    start = clock.now()
    time.sleep(0.02)
    assert clock.now() == start and not clock.flowing
    clock.flow(True)
    time.sleep(0.05)
    flowed = clock.now() - start
    assert flowed >= 0.04
    clock.flow(False)
    frozen = clock.now()
    time.sleep(0.02)
    assert clock.now() == frozen
    clock.set(frozen - 100)
    assert clock.now() == frozen
    clock.set(frozen + 100)
    assert clock.now() == frozen + 100


@pyflow.activity(name="slow-double", version="1", task_list="slow")
def slow_double(value: int) -> int:
    time.sleep(HOLD)
    return value * 2


def test_local_run_of_a_slow_activity_completes(monkeypatch: pytest.MonkeyPatch) -> None:
    # run() builds its own engine: give it the short grace so the old rule would fail fast
    class QuickEngine(LocalSWF):
        def __init__(self, virtual_time: bool = False, **kwargs: Any) -> None:
            super().__init__(virtual_time, **{**kwargs, "idle_grace": GRACE})

    monkeypatch.setattr(engine_module, "LocalSWF", QuickEngine)
    wf = pyflow.Workflow("SlowActivity", "1")
    wf.add(pyflow.ActivityTask(name="S", activity=slow_double, depends_on=[wf.start_task]))
    outcome = pyflow.local.run(wf, 21, activities=[slow_double], timeout=20)
    assert (outcome.status, outcome.result) == ("COMPLETED", 42)
    assert "ActivityTaskTimedOut" not in [e["eventType"] for e in outcome.history]


def test_a_lambda_handler_running_holds_the_clock_too() -> None:
    release = threading.Event()
    with LocalSWF(virtual_time=True, poll_timeout=2.0, idle_grace=GRACE) as swf:
        swf.add_lambda("wait", lambda event, context: release.wait(5))
        env = Env(swf)
        env.start()
        env.decide(env.poll(), lambda_("l1", "wait", startToCloseTimeout="60"),
                   timer("far", 3600))
        time.sleep(HOLD)
        assert "TimerFired" not in env.types()
        release.set()
        task = env.poll()
        assert "LambdaFunctionCompleted" in [e["eventType"] for e in task["events"]]
