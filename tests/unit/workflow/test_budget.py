"""Budget checks in `Workflow.validate()`: a workflow that cannot finish in its execution
timeout is refused before it runs (histories of any length continue as new)."""

from __future__ import annotations

import pytest

import pyflow
from pyflow._workflow._budget import estimate


def chain(timeout: int, *durations: int) -> pyflow.Workflow:
    wf = pyflow.Workflow("Naps", "1", execution_timeout=timeout)
    before: pyflow.Task = wf.start_task
    for i, seconds in enumerate(durations):
        before = wf.add(pyflow.TimerTask(name=f"Nap{i}", duration=seconds, depends_on=[before]))
    return wf


def test_a_one_day_timer_fits_the_default_execution_timeout() -> None:
    wf = pyflow.Workflow("Daily", "1")
    wf.add(pyflow.TimerTask(name="Day", duration=86_400, depends_on=[wf.start_task]))
    assert wf.validate() is wf


def test_timers_that_cannot_fit_the_execution_timeout_are_refused_naming_the_path() -> None:
    wf = chain(3600, 1800, 1200, 1200)
    side = wf.add(pyflow.TimerTask(name="Short", duration=10, depends_on=[wf.start_task]))
    assert side.duration == 10
    with pytest.raises(pyflow.DefinitionError) as raised:
        wf.validate()
    message = str(raised.value)
    assert message.startswith("workflow 'Naps': the path start -> Nap0 -> Nap1 -> Nap2 can "
                              "take 4200 s")
    assert "more than execution_timeout=3600 s; raise execution_timeout" in message


def test_retry_waits_count_at_their_longest_and_stated_timeouts_per_attempt() -> None:
    wf = pyflow.Workflow("Flaky", "1", execution_timeout=2000)
    wf.add(pyflow.LambdaTask(name="L", lambda_function="f", timeout=600,
                             depends_on=[wf.start_task],
                             retry=pyflow.RetryPolicy(max_attempts=4, initial_interval=100)))
    found = estimate(wf)
    assert found.longest_seconds == 4 * 600 + 100 + 200 + 300  # max_interval caps the third
    with pytest.raises(pyflow.DefinitionError, match="the path start -> L can take 3000 s"):
        wf.validate()


def test_a_loop_counts_every_iteration_and_its_delays() -> None:
    wf = pyflow.Workflow("Poll", "1", execution_timeout=1000)
    wf.add(pyflow.LambdaTask(name="P", lambda_function="f", timeout=10,
                             depends_on=[wf.start_task], repeat_until=bool,
                             max_iterations=20, repeat_delay=60))
    assert estimate(wf).longest_seconds == 20 * 10 + 19 * 60
    with pytest.raises(pyflow.DefinitionError, match="can take 1340 s"):
        wf.validate()


def test_a_history_over_25000_events_is_accepted_since_it_continues_as_new() -> None:
    wf = pyflow.Workflow("Chatty", "1")
    wf.add(pyflow.LambdaTask(name="Poll", lambda_function="f", depends_on=[wf.start_task],
                             repeat_until=bool, max_iterations=5000, repeat_delay=1))
    assert wf.validate() is wf
    assert estimate(wf).events == 40003


def test_a_4000_task_fan_out_fits_one_history() -> None:
    wf = pyflow.Workflow("Wide", "1")
    for i in range(4000):
        wf.add(pyflow.LambdaTask(name=f"T{i}", lambda_function="f", depends_on=[wf.start_task]))
    found = estimate(wf)
    assert (found.events, found.widest) == (24_005, 4000)
    wf.validate()


def test_the_widest_rank_and_the_longest_path_follow_the_graph() -> None:
    wf = chain(10_000, 5, 5)
    for name in ("A", "B", "C"):
        wf.add(pyflow.LambdaTask(name=name, lambda_function="f", depends_on=["Nap0"]))
    found = estimate(wf)
    assert found.widest == 4  # Nap1, A, B, C
    assert found.longest_path == ("start", "Nap0", "Nap1")
