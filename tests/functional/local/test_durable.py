"""The durable engine (`LocalSWF(path=...)`): what a new engine on the same file finds, how
open work carries on after a restart, retention, the file lock and unusable files.

A restart here is `close()` then a new engine; every answered call was already on disk, so
this is what a crash leaves too (tests/integration/local/test_crash.py kills real servers).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pyflow.local import LocalSWF
from pyflow.local._store import StoreError
from tests.support.swf import DOMAIN, Env, activity, attrs, complete, decision, lambda_, timer

Open = Callable[..., LocalSWF]


@pytest.fixture
def reopen(tmp_path: Path) -> Iterator[Open]:
    """Open a real-time engine on one database file (closing the last one first)."""
    engines: list[LocalSWF] = []

    def open_engine(**kwargs: Any) -> LocalSWF:
        if engines:
            engines[-1].close()
        kwargs.setdefault("poll_timeout", 1.0)
        engine = LocalSWF(path=tmp_path / "engine.db", **kwargs)
        engines.append(engine)
        return engine

    yield open_engine
    for engine in engines:
        engine.close()


def _env(engine: LocalSWF) -> Env:
    """An `Env` on an engine that already holds its registrations."""
    env = Env.__new__(Env)
    env.engine, env.client = engine, engine.client()
    return env


def test_a_new_engine_on_the_file_has_the_domains_types_and_histories(reopen: Open) -> None:
    env = Env(reopen())
    env.start("done")
    env.decide(env.poll(), complete("result"))
    env.start("open")
    before = env.types("done")

    again = _env(reopen())
    assert again.types("done") == before
    assert again.status("done") == "COMPLETED"
    assert again.status("open") == "OPEN"
    types = again.client.list_workflow_types(domain=DOMAIN, registrationStatus="REGISTERED")
    assert [t["workflowType"]["name"] for t in types["typeInfos"]] == ["wf"]
    task = again.poll()  # the open execution's first decision task is still on its list
    assert task["workflowExecution"]["workflowId"] == "open"
    with pytest.raises(again.client.exceptions.DomainAlreadyExistsFault):
        again.client.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")


def test_a_timer_that_fell_due_while_the_engine_was_down_fires_at_once(reopen: Open) -> None:
    env = Env(reopen())
    env.start()
    env.decide(env.poll(), timer("t", 1), timer("later", 3600))
    reopen().close()  # an engine that ran only briefly must not lose the timers either
    time.sleep(1.2)
    again = _env(reopen())
    began = time.monotonic()
    task = again.poll()
    assert time.monotonic() - began < 0.9
    fired = [attrs(e)["timerId"] for e in task["events"] if e["eventType"] == "TimerFired"]
    assert fired == ["t"]


def _delivered(env: Env, task: dict[str, Any]) -> dict[str, Any]:
    """Confirm a poll answer's delivery, as the HTTP server does once it has sent it."""
    env.engine.delivered(task["taskToken"])
    return task


def test_a_delivered_decision_task_keeps_its_token_across_a_restart(reopen: Open) -> None:
    env = Env(reopen())
    env.start()
    task = _delivered(env, env.poll())
    again = _env(reopen())
    assert again.client.poll_for_decision_task(
        domain=DOMAIN, taskList={"name": "decider"})["startedEventId"] == 0  # still its own
    again.decide(task, complete("late but in time"))
    assert again.status() == "COMPLETED"


def test_a_delivered_decision_task_nobody_answers_times_out_as_on_swf(reopen: Open) -> None:
    env = Env(reopen())
    env.start(taskStartToCloseTimeout="1")
    lost = _delivered(env, env.poll())
    reopen().close()
    time.sleep(1.1)
    again = _env(reopen())
    task = again.poll()
    assert task["taskToken"] != lost["taskToken"]
    timed_out = [attrs(e) for e in task["events"] if e["eventType"] == "DecisionTaskTimedOut"]
    assert timed_out == [{"timeoutType": "START_TO_CLOSE", "scheduledEventId": 2,
                          "startedEventId": 3}]
    with pytest.raises(again.client.exceptions.UnknownResourceFault):
        again.decide(lost, complete())
    again.decide(task, complete())
    assert again.status() == "COMPLETED"


def test_an_undelivered_decision_task_goes_to_the_next_poller_as_it_was(reopen: Open) -> None:
    env = Env(reopen())
    env.start(taskStartToCloseTimeout="2")
    lost = env.poll()  # recorded as started, but (say) the answer died with the engine
    env.engine.close()
    time.sleep(1.2)
    again = _env(reopen())
    task = again.poll()
    assert (task["taskToken"], task["startedEventId"]) == (lost["taskToken"], 3)
    time.sleep(1.2)  # the new poller has its own two seconds, not what was left of the first
    again.decide(task, complete())
    assert again.types() == ["WorkflowExecutionStarted", "DecisionTaskScheduled",
                             "DecisionTaskStarted", "DecisionTaskCompleted",
                             "WorkflowExecutionCompleted"]


def test_activity_tasks_wait_or_time_out_across_a_restart(reopen: Open) -> None:
    env = Env(reopen())
    env.start()
    env.decide(env.poll(), activity("taken", startToCloseTimeout="1"),
               activity("beating", heartbeatTimeout="30"), activity("lost"),
               activity("queued"))
    taken = _delivered(env, env.poll_activity())
    beating = _delivered(env, env.poll_activity())
    lost = env.poll_activity()
    env.client.record_activity_task_heartbeat(taskToken=beating["taskToken"], details="half")
    again = _env(reopen())
    handed = again.poll_activity()
    queued = again.poll_activity()
    assert [t["activityId"] for t in (taken, beating, lost, handed, queued)] == [
        "taken", "beating", "lost", "lost", "queued"]
    assert handed["taskToken"] == lost["taskToken"]
    for task in (beating, handed, queued):
        again.client.respond_activity_task_completed(taskToken=task["taskToken"], result="ok")
    time.sleep(1.1)
    closing = [e for e in again.history() if e["eventType"].startswith("ActivityTask")
               and e["eventType"] not in ("ActivityTaskScheduled", "ActivityTaskStarted")]
    assert sorted(e["eventType"] for e in closing) == [
        "ActivityTaskCompleted", "ActivityTaskCompleted", "ActivityTaskCompleted",
        "ActivityTaskTimedOut"]
    assert again.types().count("ActivityTaskStarted") == 4
    with pytest.raises(again.client.exceptions.UnknownResourceFault):
        again.client.respond_activity_task_completed(taskToken=taken["taskToken"])


def test_a_lambda_running_when_the_engine_stopped_runs_again(reopen: Open) -> None:
    release = threading.Event()
    first = reopen()
    first.add_lambda("slow", lambda event, context: release.wait(10))
    env = Env(first)
    env.start()
    env.decide(env.poll(), lambda_("l1", "slow", {"n": 1}))
    try:
        again = reopen()
        again.add_lambda("slow", lambda event, context: {"again": event["n"]})
        task = _env(again).poll()
    finally:
        release.set()
    done = [attrs(e) for e in task["events"] if e["eventType"] == "LambdaFunctionCompleted"]
    assert [d["result"] for d in done] == ['{"again": 1}']


def _parent_of_c1(engine: LocalSWF) -> Env:
    """Execution w1 has started child c1 (on task list 'kids')."""
    env = Env(engine)
    env.register_workflow("child", defaultTaskList={"name": "kids"})
    env.start()
    env.decide(env.poll(), decision("StartChildWorkflowExecution", workflowId="c1",
                                    workflowType={"name": "child", "version": "1"}))
    return env


def test_a_child_that_completes_after_a_restart_reaches_its_parent(reopen: Open) -> None:
    env = _parent_of_c1(reopen())
    env.decide(env.poll())  # the parent sees ChildWorkflowExecutionStarted and waits
    again = _env(reopen())
    again.decide(again.poll("kids"), complete("from the child"))
    task = again.poll()
    done = [attrs(e) for e in task["events"]
            if e["eventType"] == "ChildWorkflowExecutionCompleted"]
    assert [d["result"] for d in done] == ["from the child"]


def test_closed_executions_past_retention_are_purged(reopen: Open) -> None:
    engine = reopen(virtual_time=True)
    env = Env(engine)
    env.start("old")
    env.decide(env.poll(), complete())
    env.start("open", executionStartToCloseTimeout="864000")
    engine.advance(2 * 86_400)  # the domain keeps closed executions for one day
    env.start("recent")
    env.client.terminate_workflow_execution(domain=DOMAIN, workflowId="recent")

    again = _env(reopen(virtual_time=True))
    closed = again.client.list_closed_workflow_executions(
        domain=DOMAIN, startTimeFilter={"oldestDate": 0})["executionInfos"]
    assert [i["execution"]["workflowId"] for i in closed] == ["recent"]
    assert again.status("open") == "OPEN"
    reopen().close()
    with sqlite3.connect(engine.path or "") as db:
        rows = db.execute("SELECT workflow_id FROM executions ORDER BY seq").fetchall()
        events = db.execute("SELECT count(*) FROM events e JOIN executions x "
                            "ON e.run_id = x.run_id").fetchone()[0]
        all_events = db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert rows == [("open",), ("recent",)]
    assert events == all_events


def test_a_second_engine_on_a_file_in_use_is_refused(reopen: Open) -> None:
    engine = reopen()
    with pytest.raises(StoreError, match="in use by another pyflow local engine") as caught:
        LocalSWF(path=engine.path)
    assert "stop that server first" in (caught.value.hint or "")
    alias = Path(engine.path or "").with_name("alias.db")
    alias.symlink_to(Path(engine.path or "").name)
    with pytest.raises(StoreError, match="in use by another pyflow local engine"):
        LocalSWF(path=alias)


def test_unusable_files_get_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory .*missing does not exist"):
        LocalSWF(path=tmp_path / "missing" / "engine.db")
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, but long enough to look like a file header")
    with pytest.raises(StoreError, match="is not a pyflow local engine database"):
        LocalSWF(path=text)
    assert text.read_text().startswith("not a database")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="SQLite database, but not a pyflow local engine"):
        LocalSWF(path=other)


def test_a_database_from_another_format_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "engine.db"
    LocalSWF(path=path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="format version 99; this pyflow reads format "
                                         "version 1"):
        LocalSWF(path=path)


def test_virtual_time_resumes_where_it_stood(reopen: Open) -> None:
    engine = reopen(virtual_time=True)
    Env(engine)
    engine.advance(5000)
    stood = engine.now()
    again = reopen(virtual_time=True)
    assert stood <= again.now() < stood + 5


def test_a_damaged_database_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "engine.db"
    with LocalSWF(path=path) as engine:
        Env(engine).start()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE executions SET data = '{\"half\": '")
    with pytest.raises(StoreError, match="could not be read back") as caught:
        LocalSWF(path=path)
    assert "damaged" in (caught.value.hint or "")
    with sqlite3.connect(path) as db:  # refused, and left as it was for a look
        assert db.execute("SELECT data FROM executions").fetchone() == ('{"half": ',)


def test_a_child_continued_as_new_is_still_its_parents_after_a_restart(reopen: Open) -> None:
    env = _parent_of_c1(reopen())
    env.decide(env.poll("kids"), decision("ContinueAsNewWorkflowExecution"))
    again = _env(reopen())
    again.client.terminate_workflow_execution(domain=DOMAIN, workflowId="w1")
    assert again.status("c1") == "TERMINATED"  # the parent's TERMINATE child policy


def test_a_heartbeat_before_a_restart_counts_after_it(reopen: Open) -> None:
    env = Env(reopen())
    env.start()
    env.decide(env.poll(), activity("a1", heartbeatTimeout="2"))
    work = _delivered(env, env.poll_activity())
    time.sleep(1.0)
    env.client.record_activity_task_heartbeat(taskToken=work["taskToken"], details="60%")
    again = _env(reopen())
    time.sleep(1.3)  # past the first two seconds, within two of the heartbeat
    assert "ActivityTaskTimedOut" not in again.types()
    task = again.poll()
    timed_out = [attrs(e) for e in task["events"] if e["eventType"] == "ActivityTaskTimedOut"]
    assert [(t["timeoutType"], t["details"]) for t in timed_out] == [("HEARTBEAT", "60%")]
