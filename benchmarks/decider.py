"""How fast the decider reads a long history: `.venv/bin/python benchmarks/decider.py`.

Builds the history of a fan-out/fan-in workflow (N Lambda tasks after the start task, one
join task after all of them) as SWF would record it with pyflow deciding: 99 functions
scheduled per decision plus a zero-second wake-up timer while the batch limit holds work
back, at most 1,000 open at once, and one decision task per completion. Three sizes give
about 1k, 10k and (4,000 tasks) just under SWF's 25,000-event limit. The builder follows
the decider's scheduling rule itself (calling the decider at every one of ~4,000 decision
points would take minutes) and checks at sample points that the real decider agrees.

Prints, for each history, microseconds per event and total milliseconds of one `decide`
call (best and median of several runs) on the final history (the join task completed, so
the answer is CompleteWorkflowExecution) and on the history just before the join task is
scheduled (the decider builds its input from every fan-out output).
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyflow
from pyflow._decider import decide, execution_state

TARGET_MS = 100.0
EXECUTION = {"workflowId": "bench", "runId": "run-1"}
BATCH = 99
OPEN_LIMIT = 1000


def fan_out_fan_in(n: int) -> pyflow.Workflow:
    wf = pyflow.Workflow("FanOutFanIn", "1")
    branches = [
        wf.add(pyflow.LambdaTask(name=f"Branch{i:04d}", lambda_function="work",
                                 depends_on=[wf.start_task]))
        for i in range(n)
    ]
    wf.add(pyflow.LambdaTask(name="Join", lambda_function="join", depends_on=branches,
                             transform_input=lambda value: sum(value["inputs"].values())))
    return wf


class Builder:
    """Appends events the way SWF records them."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.t0 = datetime(2026, 1, 1, tzinfo=UTC)
        self.decision_scheduled = 0
        self.decision_started = 0

    def add(self, event_type: str, **attrs: Any) -> int:
        event_id = len(self.events) + 1
        key = event_type[0].lower() + event_type[1:] + "EventAttributes"
        self.events.append({"eventId": event_id, "eventType": event_type,
                            "eventTimestamp": self.t0 + timedelta(milliseconds=event_id),
                            key: attrs})
        return event_id

    def decision_task(self) -> None:
        self.decision_scheduled = self.add("DecisionTaskScheduled",
                                           taskList={"name": "decider"})
        self.decision_started = self.add("DecisionTaskStarted",
                                         scheduledEventId=self.decision_scheduled)

    def completed(self) -> int:
        return self.add("DecisionTaskCompleted", scheduledEventId=self.decision_scheduled,
                        startedEventId=self.decision_started)


def schedule(b: Builder, done: int, name: str, input_text: str) -> int:
    return b.add("LambdaFunctionScheduled", id=f"{name}#1", name="work",
                 control=f'{{"task":"{name}","attempt":1}}', input=input_text,
                 decisionTaskCompletedEventId=done)


def build(n: int, *, checks: int = 4) -> tuple[pyflow.Workflow, list[dict[str, Any]], int]:
    """The full history, and the length of the prefix just before the join is scheduled."""
    wf = fan_out_fan_in(n)
    b = Builder()
    b.add("WorkflowExecutionStarted", input='"go"', childPolicy="TERMINATE",
          taskList={"name": "decider"}, workflowType={"name": wf.name, "version": "1"})
    b.decision_task()
    names = [f"Branch{i:04d}" for i in range(n)]
    pending = list(reversed(names))
    open_lambdas: list[tuple[str, int]] = []
    wake_open: str | None = None
    wakes = 0
    decision_points = 0
    check_every = max(1, n // checks)
    while pending or open_lambdas:
        if decision_points % check_every == 0:
            expect = len(b.events)
        done = b.completed()
        count = min(len(pending), OPEN_LIMIT - len(open_lambdas), BATCH)
        made = []
        for _ in range(count):
            name = pending.pop()
            open_lambdas.append((name, schedule(b, done, name, '"go"')))
            made.append(("ScheduleLambdaFunction", f"{name}#1"))
        if count == BATCH and pending and wake_open is None:
            wakes += 1
            wake_open = f"{wakes}#wake"
            b.add("TimerStarted", timerId=wake_open, startToFireTimeout="0",
                  control=f'{{"timer":"wake","attempt":{wakes}}}',
                  decisionTaskCompletedEventId=done)
            made.append(("StartTimer", wake_open))
        if decision_points % check_every == 0:
            check(wf, b.events[:expect], made)
        decision_points += 1
        if wake_open is not None:
            started = next(e["eventId"] for e in reversed(b.events)
                           if e["eventType"] == "TimerStarted")
            b.add("TimerFired", timerId=wake_open, startedEventId=started)
            wake_open = None
        elif open_lambdas:
            name, sched = open_lambdas.pop(0)
            started = b.add("LambdaFunctionStarted", scheduledEventId=sched)
            b.add("LambdaFunctionCompleted", scheduledEventId=sched, startedEventId=started,
                  result=str(int(name[6:])))
        b.decision_task()
    before_join = len(b.events)
    done = b.completed()
    sched = schedule(b, done, "Join", str(sum(range(n))))
    started = b.add("LambdaFunctionStarted", scheduledEventId=sched)
    b.add("LambdaFunctionCompleted", scheduledEventId=sched, startedEventId=started,
          result='"joined"')
    b.decision_task()
    return wf, b.events, before_join


def check(wf: pyflow.Workflow, events: list[dict[str, Any]], made: list[tuple[str, str]]) -> None:
    """The real decider makes the decisions the builder recorded for this point."""
    decisions = decide(wf, events, execution=EXECUTION)  # type: ignore[arg-type]
    got = []
    for d in decisions:
        kind = d["decisionType"]
        attrs: Any = d[kind[0].lower() + kind[1:] + "DecisionAttributes"]  # type: ignore[literal-required]
        got.append((kind, attrs.get("id") or attrs.get("timerId")))
    if got != made:
        sys.exit(f"builder and decider disagree at event {len(events)}: {got[:3]} vs {made[:3]}")


def timed(wf: pyflow.Workflow, events: list[dict[str, Any]], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        decide(wf, events, execution=EXECUTION)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
    return min(times) * 1000, statistics.median(times) * 1000


def main() -> int:
    print(f"{'history':>28} {'events':>7} {'us/event':>9} {'best ms':>8} {'median ms':>10}")
    worst = 0.0
    for n in (160, 1600, 4000):
        wf, events, before_join = build(n)
        final = decide(wf, events, execution=EXECUTION)  # type: ignore[arg-type]
        assert final[0]["decisionType"] == "CompleteWorkflowExecution", final
        assert execution_state(wf, events).status == "OPEN"  # type: ignore[arg-type]
        join = decide(wf, events[:before_join], execution=EXECUTION)  # type: ignore[arg-type]
        assert join[0]["scheduleLambdaFunctionDecisionAttributes"]["id"] == "Join#1", join
        runs = 30 if n < 1000 else 10
        for label, history in (("final", events), ("before join", events[:before_join])):
            best, median = timed(wf, history, runs)
            worst = max(worst, best) if len(history) > 20_000 else worst
            print(f"{f'{n}-task fan-out, {label}':>28} {len(history):>7} "
                  f"{best * 1000 / len(history):>9.2f} {best:>8.1f} {median:>10.1f}")
    verdict = "meets" if worst < TARGET_MS else "MISSES"
    print(f"~25k-event history: {worst:.1f} ms, {verdict} the {TARGET_MS:.0f} ms target")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
