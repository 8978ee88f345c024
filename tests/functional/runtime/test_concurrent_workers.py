"""`poll_for_activities(..., concurrency=N)`: N activities at once in one worker process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import pyflow
from pyflow.local import LocalSWF

pytestmark = pytest.mark.timeout(60)
_running: list[int] = []
_most: list[int] = [0]
_lock = threading.Lock()


@pyflow.activity(name="slow-double", version="1", task_list="pool")
def slow_double(value: int) -> int:
    with _lock:
        _running.append(value)
        _most[0] = max(_most[0], len(_running))
    time.sleep(0.8)
    with _lock:
        _running.remove(value)
    return value * 2


fan = pyflow.Workflow("Fan", "1")
for i in range(4):
    fan.add(pyflow.ActivityTask(name=f"D{i}", activity=slow_double, param=i))


def test_four_pollers_run_four_activities_at_once() -> None:
    with LocalSWF(virtual_time=False, poll_timeout=0.3) as engine:
        client = pyflow.Client(engine.client(), domain="pool")
        client.register_domain()
        client.register(fan)
        stop = threading.Event()
        threads = [
            threading.Thread(target=pyflow.poll_for_executions, args=(fan,),
                             kwargs={"domain": "pool", "client": client,
                                     "should_stop": stop.is_set}),
            threading.Thread(target=pyflow.poll_for_activities, args=([slow_double],),
                             kwargs={"domain": "pool", "task_list": "pool", "client": client,
                                     "should_stop": stop.is_set, "concurrency": 4,
                                     "identity": "box"}),
        ]
        for thread in threads:
            thread.start()
        try:
            wid = client.start(fan, input=None, workflow_id="fan-1")
            outcome = client.wait_for_outcome(wid, workflow=fan, timeout=30)
        finally:
            stop.set()
            for thread in threads:
                thread.join(10)
        assert not any(thread.is_alive() for thread in threads)  # the pool stopped
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == {"D0": 0, "D1": 2, "D2": 4, "D3": 6}
    assert _most[0] >= 3  # activities overlapped in one worker call
    identities = {e["activityTaskStartedEventAttributes"]["identity"] for e in outcome.history
                  if e["eventType"] == "ActivityTaskStarted"}
    assert identities <= {"box#1", "box#2", "box#3", "box#4"} and len(identities) >= 3


@pytest.mark.parametrize(("value", "error"), [(0, pyflow.InvalidArgumentError),
                                              (2.5, pyflow.ArgumentTypeError)])
def test_a_bad_concurrency_is_refused(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="concurrency must be"):
        pyflow.poll_for_activities([slow_double], domain="d", task_list="pool",
                                   concurrency=value, num_iterations=0)


def test_an_error_in_one_poller_stops_the_pool_and_is_raised() -> None:
    with LocalSWF(virtual_time=False, poll_timeout=0.2) as engine:
        with pytest.raises(pyflow.UnknownDomainError):
            pyflow.poll_for_activities([slow_double], domain="missing", task_list="pool",
                                       client=engine.client(), concurrency=3)


SIGTERM_SCRIPT = '''
import json, os, signal, threading, time
import pyflow
from pyflow.local import LocalSWF
from tests.functional.runtime.test_concurrent_workers import fan, slow_double

with LocalSWF(virtual_time=False, poll_timeout=0.3) as engine:
    client = pyflow.Client(engine.client(), domain="pool")
    client.register_domain()
    client.register(fan)
    stop = threading.Event()
    decider = threading.Thread(target=pyflow.poll_for_executions, args=(fan,),
                               kwargs={"domain": "pool", "client": client,
                                       "should_stop": stop.is_set})
    decider.start()
    client.start(fan, input=None, workflow_id="fan-term")
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    began = time.monotonic()
    pyflow.poll_for_activities([slow_double], domain="pool", task_list="pool", client=client,
                               concurrency=4)
    stopped_after = time.monotonic() - began
    events = [e["eventType"] for e in client.history("fan-term")]
    stop.set()
    decider.join()
print(json.dumps({"completed": events.count("ActivityTaskCompleted"),
                  "stopped_after": stopped_after}))
'''


def test_sigterm_lets_the_activities_in_hand_finish_then_stops() -> None:
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, "-c", SIGTERM_SCRIPT], cwd=root,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["completed"] == 4  # all four were in hand when SIGTERM came: none dropped
    assert seen["stopped_after"] < 5
