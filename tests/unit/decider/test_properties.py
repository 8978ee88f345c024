"""Robustness as a property: random DAGs of every task type, with random trigger rules,
`run_if` outcomes and loops, driven through random interleavings of completions, failures,
timeouts, schedule rejections, signals and cancel requests, checked against an oracle that
knows only what the simulated SWF did and applies the trigger-rule table on its own.

Properties checked after every decision:
- the decisions validate against botocore's RespondDecisionTaskCompleted input shape,
  including the maximum lengths botocore itself does not check, and SWF's id characters;
- at most 100 decisions, a close decision only last;
- a task is started only once its trigger rule fired and its `run_if` said yes, never the
  same attempt twice, and attempt k+1 only after attempt k failed or (a loop) completed
  without meeting `repeat_until`;
- the execution closes exactly when it should: completed once every task ended (completed,
  skipped, or failed with a dependent whose rule fires on failures), failed once a task
  failed for good with no such dependent, canceled after a cancel request; otherwise it
  stays open and the simulation can always make progress;
- at the close, the tasks the oracle has completed, failed and skipped are exactly those
  `execution_state` reports so;
- signal tasks share signal names: each completes once its dependencies did and a signal of
  its name arrived (at any time, sent at most twice), with the FIRST such signal's input.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import botocore.session
import botocore.validate
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import pyflow
from pyflow._decider import decide, execution_state

from .conftest import RUN_SUFFIX, Swf, decision_attrs

_MODEL = botocore.session.get_session().get_service_model("swf")
_SHAPE = _MODEL.operation_model("RespondDecisionTaskCompleted").input_shape
_VALIDATOR = botocore.validate.ParamValidator()
_FORBIDDEN = re.compile(r"[:/|\u0000-\u001f\u007f-\u009f]")
_ID_FIELDS = {"activityId", "timerId", "workflowId", "id"}
_CLOSES = {"CompleteWorkflowExecution", "FailWorkflowExecution", "CancelWorkflowExecution"}
KINDS = ("lambda", "activity", "timer", "workflow", "signal")
QUIET = {  # events after which SWF schedules no decision task
    "DecisionTaskCompleted", "LambdaFunctionScheduled", "LambdaFunctionStarted",
    "ActivityTaskScheduled", "ActivityTaskStarted", "ActivityTaskCancelRequested",
    "TimerStarted", "TimerCanceled", "StartChildWorkflowExecutionInitiated",
    "RequestCancelExternalWorkflowExecutionInitiated",
}


def check_shape(value: Any, shape: Any, path: str) -> None:
    """The max-length checks botocore's validator leaves to the server."""
    if shape.type_name == "structure":
        for name, member in shape.members.items():
            if name in value:
                check_shape(value[name], member, f"{path}.{name}")
    elif shape.type_name == "list":
        for i, item in enumerate(value):
            check_shape(item, shape.member, f"{path}[{i}]")
    elif shape.type_name == "string":
        limit = shape.metadata.get("max")
        assert limit is None or len(value) <= limit, f"{path} is {len(value)} > {limit}"


def validate(decisions: list[dict[str, Any]]) -> None:
    params = {"taskToken": "token", "decisions": decisions}
    report = _VALIDATOR.validate(params, _SHAPE)
    assert not report.has_errors(), report.generate_report()
    check_shape(params, _SHAPE, "")
    for decision in decisions:
        for key, value in decision_attrs(decision).items():
            if key in _ID_FIELDS:
                assert not _FORBIDDEN.search(value) and value != "arn", value


# -- random workflows ---------------------------------------------------------------------


NON_RETRYABLE = [(), ("Timeout",), ("UnhandledError", "Canceled"), ("ScheduleFailed",)]
RULES = ["all_success"] * 4 + sorted(r.value for r in pyflow.TriggerRule)
HANDLING = {"all_done", "all_failed", "one_failed", "none_skipped"}
LOOPING = ("lambda", "activity", "workflow")


@dataclass
class Spec:
    kind: str
    deps: list[int]
    retries: int
    delay: int
    signal: str | None = None
    rule: str = "all_success"
    run_if: str = "none"
    """none, yes, no or raise."""
    loop: tuple[int, int, int] | None = None
    """(attempt at which repeat_until says yes, max_iterations, repeat_delay)."""
    policy: tuple[int, tuple[str, ...]] | None = None
    """A RetryPolicy instead of the shorthand: (max_attempts, non_retryable)."""

    @property
    def attempts(self) -> int:
        return self.policy[0] if self.policy else self.retries + 1


@st.composite
def workflows(draw: st.DrawFn, min_tasks: int = 1, max_tasks: int = 40,
              failing: bool = True) -> list[Spec]:
    """Random specs; with `failing` False, no run_if raises and every loop ends in time."""
    n = draw(st.integers(min_tasks, max_tasks))
    specs = []
    for i in range(n):
        # -1 is the start task; earlier tasks by index.
        deps = draw(st.lists(st.integers(-1, i - 1), max_size=3, unique=True)) if i else []
        specs.append(Spec(
            kind=draw(st.sampled_from(KINDS)),
            deps=deps,
            retries=draw(st.integers(0, 2)),
            delay=draw(st.sampled_from([0, 0, 3])),
            signal=draw(st.sampled_from([None, "s0", "s1"])),
            rule=draw(st.sampled_from(RULES)),
            run_if=draw(st.sampled_from(["none"] * 12 + ["yes", "no", "no"]
                                        + (["raise"] if failing else []))),
        ))
        if draw(st.integers(0, 3)) == 0:
            specs[-1].policy = (draw(st.integers(1, 4)),
                                draw(st.sampled_from(NON_RETRYABLE)))
        if specs[-1].kind in LOOPING and draw(st.integers(0, 4)) == 0:
            yes_at = draw(st.integers(1, 4))
            most = draw(st.integers(1, 3)) if failing else 4
            specs[-1].loop = (yes_at, most, draw(st.sampled_from([0, 2])))
    return specs


def attempt_of(output: Any) -> int:
    """The attempt an output came from: the simulation answers with the id it ran under."""
    return int(str(output).removesuffix(RUN_SUFFIX).split("#")[-1])


RUN_IFS: dict[str, Any] = {
    "none": None, "yes": lambda _: True, "no": lambda _: False, "raise": lambda _: 1 / 0,
}


def build(specs: list[Spec]) -> pyflow.Workflow:
    wf = pyflow.Workflow("Random", "1")
    for i, spec in enumerate(specs):
        deps = [wf.start_task if d < 0 else f"T{d}" for d in spec.deps]
        common: dict[str, Any] = {"name": f"T{i}", "depends_on": deps,
                                  "num_retries": spec.retries,
                                  "time_between_retries": spec.delay,
                                  "trigger_rule": spec.rule, "run_if": RUN_IFS[spec.run_if]}
        if spec.policy is not None:
            del common["num_retries"], common["time_between_retries"]
            common["retry"] = pyflow.RetryPolicy(
                max_attempts=spec.policy[0], initial_interval=spec.delay,
                non_retryable=spec.policy[1])
        if spec.loop is not None:
            yes_at, most, pause = spec.loop
            common.update(repeat_until=lambda out, k=yes_at: attempt_of(out) >= k,
                          max_iterations=most, repeat_delay=pause)
        task: pyflow.Task
        if spec.kind == "lambda":
            task = pyflow.LambdaTask(lambda_function="f", **common)
        elif spec.kind == "activity":
            task = pyflow.ActivityTask(activity_type="a", activity_version="1", **common)
        elif spec.kind == "timer":
            task = pyflow.TimerTask(duration=5, **common)
        elif spec.kind == "workflow":
            task = pyflow.WorkflowTask(workflow_name="Child", workflow_version="1", **common)
        else:
            task = pyflow.SignalTask(signal_name=spec.signal, **common)
        wf.add(task)
    return wf.validate()


# -- the oracle -----------------------------------------------------------------------------


@dataclass
class Oracle:
    """What SWF knows (which attempts were started and how they ended), and from it, by the
    trigger-rule table alone, what each task is: pending, ready (its rule fired and run_if
    said yes), completed, failed or skipped."""

    wf: pyflow.Workflow
    specs: list[Spec]
    state: dict[str, str] = field(default_factory=lambda: {"start": "completed"})
    failures: dict[str, int] = field(default_factory=dict)
    iterations: dict[str, int] = field(default_factory=dict)
    started: set[tuple[str, int]] = field(default_factory=set)
    last_attempt: dict[str, int] = field(default_factory=dict)
    attempt_open: set[str] = field(default_factory=set)
    signals: dict[str, list[str]] = field(default_factory=dict)
    """The inputs of the signals sent, by signal name."""
    cancel_requested: bool = False

    def spec(self, name: str) -> Spec:
        return self.specs[int(name[1:])]

    def rule_says(self, task: pyflow.Task) -> str | None:
        """'fire', 'skip' or None (wait), from how the dependencies ended."""
        ends = [self.state.get(d.name, "pending") for d in task.dependencies if d.name != "start"]
        if not ends:
            return "fire"
        ended = [e for e in ends if e in ("completed", "failed", "skipped")]
        every = len(ended) == len(ends)
        ok, bad, gone = (ended.count(x) for x in ("completed", "failed", "skipped"))
        rule = task.trigger_rule
        table = {
            "all_success": (bad + gone > 0, ok == len(ends)),
            "all_failed": (ok + gone > 0, bad == len(ends)),
            "all_done": (False, every),
            "one_success": (every and ok == 0, ok > 0),
            "one_failed": (every and bad == 0, bad > 0),
            "none_failed": (bad > 0, every),
            "none_skipped": (gone > 0, every),
        }
        skip, fire = table[rule]
        return "skip" if skip else ("fire" if fire else None)

    def refresh(self) -> None:
        """Apply the rules and run_if until nothing changes; signal tasks complete once
        ready and a signal of their name arrived."""
        changed = True
        while changed:
            changed = False
            for task in self.wf.tasks:
                now = self.state.get(task.name, "pending")
                if now == "pending":
                    said = self.rule_says(task)
                    if said == "skip":
                        self.state[task.name] = "skipped"
                    elif said == "fire":
                        run_if = self.spec(task.name).run_if
                        self.state[task.name] = {"no": "skipped", "raise": "failed"}.get(
                            run_if, "ready")
                    changed = changed or said is not None
                elif (now == "ready" and isinstance(task, pyflow.SignalTask)
                        and task.signal_name in self.signals):
                    self.state[task.name] = "completed"
                    changed = True

    def handled(self, name: str) -> bool:
        return any(t.trigger_rule in HANDLING for t in self.wf.tasks
                   if name in {d.name for d in t.dependencies})

    def check_signal_outputs(self, events: list[dict[str, Any]]) -> None:
        """Every completed signal task has the input of the first signal of its name; every
        task the oracle ended, execution_state shows ended the same way."""
        tasks = execution_state(self.wf, events).tasks  # type: ignore[arg-type]
        for task in self.wf.tasks:
            if isinstance(task, pyflow.SignalTask) and tasks[task.name].state == "completed":
                first = self.signals[task.signal_name][0]
                assert tasks[task.name].output == first, (task.name, self.signals)
            mine = self.state.get(task.name, "pending")
            if mine in ("completed", "failed", "skipped"):
                assert tasks[task.name].state == mine, (task.name, mine, tasks[task.name])

    def failed_for_good(self) -> bool:
        return any(s == "failed" and not self.handled(n) for n, s in self.state.items())

    def all_ended(self) -> bool:
        return all(self.state.get(t.name) in ("completed", "failed", "skipped")
                   for t in self.wf.tasks)

    def check_start(self, task: pyflow.Task, attempt: int) -> None:
        assert self.state.get(task.name) == "ready", (task.name, self.state.get(task.name))
        assert (task.name, attempt) not in self.started, (task.name, attempt)
        assert task.name not in self.attempt_open, task.name
        assert attempt == self.last_attempt.get(task.name, 0) + 1
        self.started.add((task.name, attempt))
        self.last_attempt[task.name] = attempt
        self.attempt_open.add(task.name)
        self.iterations.setdefault(task.name, 1)

    def attempt_ended(self, name: str, ok: bool, *, counted: bool = True,
                      output: Any = None, names: tuple[str, ...] = ()) -> None:
        self.attempt_open.discard(name)
        spec = self.spec(name)
        if ok:
            if spec.loop is None or attempt_of(output) >= spec.loop[0]:
                self.state[name] = "completed"
            elif self.iterations.setdefault(name, 1) >= spec.loop[1]:
                self.state[name] = "failed"
            else:
                self.iterations[name] += 1
                self.failures[name] = 0
        elif counted:
            self.failures[name] = self.failures.get(name, 0) + 1
            barred = spec.policy is not None and set(names) & set(spec.policy[1])
            if self.failures[name] >= spec.attempts or barred:
                self.state[name] = "failed"


def check_decisions(wf: pyflow.Workflow, oracle: Oracle, decisions: list[dict[str, Any]]) -> None:
    validate(decisions)
    assert len(decisions) <= 100
    kinds = [d["decisionType"] for d in decisions]
    assert all(k not in _CLOSES for k in kinds[:-1])
    close = kinds[-1] if kinds and kinds[-1] in _CLOSES else None
    oracle.refresh()
    if oracle.cancel_requested:
        assert close == "CancelWorkflowExecution", kinds
    elif oracle.failed_for_good():
        assert close == "FailWorkflowExecution", kinds
    elif oracle.all_ended():
        assert close == "CompleteWorkflowExecution", kinds
    else:
        assert close is None, (kinds, decisions[-1])
        for decision in decisions:
            control = json.loads(decision_attrs(decision).get("control", "{}"))
            if "task" in control and "timer" not in control:
                oracle.check_start(wf[control["task"]], control["attempt"])


# -- the simulation -------------------------------------------------------------------------


def happenings(swf: Swf, oracle: Oracle, wf: pyflow.Workflow) -> list[tuple[str, str]]:
    options: list[tuple[str, str]] = []
    options += [("lambda", i) for i in swf.lambdas]
    options += [("activity", i) for i in swf.activities]
    options += [("timer", i) for i in swf.timers]
    options += [("child", i) for i in swf.children]
    names = {t.signal_name for t in wf.tasks if isinstance(t, pyflow.SignalTask)}
    # Each name is signaled at most twice: the second signal must change nothing.
    options += [("signal", n) for n in sorted(names) if len(oracle.signals.get(n, ())) < 2]
    return options


def task_of(ident: str) -> str:
    """The task an id names: `T3#1`, or `order-17#T3#1#<run hash>` for a child workflow."""
    return ident.removesuffix(RUN_SUFFIX).split("#")[-2]


def happen(swf: Swf, oracle: Oracle, what: tuple[str, str], outcome: int) -> None:
    """Make one thing happen; `outcome` 0-6 picks success (mostly) or a kind of failure."""
    kind, ident = what
    ok = outcome < 4
    if kind == "signal":
        sent = oracle.signals.setdefault(ident, [])
        sent.append(f"signal {ident} #{len(sent) + 1}")
        swf.signal(ident, json.dumps(sent[-1]))
        return
    if kind == "timer":
        swf.timer_fired(ident)
        if not ident.endswith(("#retry", "#repeat", "#wake")):
            oracle.attempt_ended(task_of(ident), True)
        return
    name = task_of(ident)
    if kind == "lambda":
        lambda_failures = [swf.lambda_failed, swf.lambda_timed_out, swf.start_lambda_failed]
        if ok:
            swf.lambda_completed(ident, ident)
        else:
            lambda_failures[outcome - 4](ident)
    elif kind == "activity":
        if ok:
            swf.activity_completed(ident, ident)
        elif outcome == 4:
            swf.activity_failed(ident)
        elif outcome == 5:
            swf.activity_timed_out(ident, "SCHEDULE_TO_START")
        else:
            swf.activity_canceled(ident)
    else:
        closes = ["ChildWorkflowExecutionFailed", "ChildWorkflowExecutionTimedOut",
                  "ChildWorkflowExecutionTerminated"]
        if ok:
            swf.child_closed(ident, "ChildWorkflowExecutionCompleted", result=json.dumps(ident))
        else:
            swf.child_closed(ident, closes[outcome - 4])
    oracle.attempt_ended(name, ok, output=ident,
                         names=() if ok else FAILURE_NAMES[kind][outcome - 4])


# The error names each simulated failure carries (see the README's table).
FAILURE_NAMES = {
    "lambda": [("UnhandledError",), ("Timeout",), ("ScheduleFailed", "ASSUME_ROLE_FAILED")],
    "activity": [("ValueError",), ("Timeout",), ("Canceled",)],
    "child": [("ChildWorkflowFailed",), ("Timeout",), ("Terminated",)],
}

REJECTIONS = {
    "ScheduleLambdaFunction": ("id", "ID_ALREADY_IN_USE", "LAMBDA_FUNCTION_CREATION_RATE_EXCEEDED"),
    "ScheduleActivityTask": ("activityId", "ACTIVITY_TYPE_DEPRECATED",
                             "ACTIVITY_CREATION_RATE_EXCEEDED"),
    "StartChildWorkflowExecution": ("workflowId", "WORKFLOW_TYPE_DEPRECATED",
                                    "CHILD_CREATION_RATE_EXCEEDED"),
    "StartTimer": ("timerId", "TIMER_ID_ALREADY_IN_USE", "TIMER_CREATION_RATE_EXCEEDED"),
}


def reject_some(data: st.DataObject, decisions: list[dict[str, Any]]) -> dict[str, str]:
    """SWF refusing some decisions: for good (a counted failure) or for a rate limit."""
    reject: dict[str, str] = {}
    for decision in decisions:
        entry = REJECTIONS.get(decision["decisionType"])
        if entry and 40 <= data.draw(st.integers(0, 99), label="reject") < 45:
            cause = entry[1] if data.draw(st.booleans(), label="throttle") else entry[2]
            reject[decision_attrs(decision)[entry[0]]] = cause
    return reject


def rejected(oracle: Oracle, reject: dict[str, str]) -> None:
    for ident, cause in reject.items():
        if ident.endswith(("#retry", "#repeat", "#wake")):
            continue  # the decider goes ahead without the wait / gets woken by the event
        name = task_of(ident)
        oracle.attempt_ended(name, False, counted=not cause.endswith("_RATE_EXCEEDED"),
                             names=("ScheduleFailed", cause))


def respond(data: st.DataObject, swf: Swf, oracle: Oracle, decisions: list[dict[str, Any]],
            rare: bool) -> bool:
    """Apply the decisions as SWF would; True if the close decision was rejected (a signal
    raced it), so the next decision must close again."""
    reject = reject_some(data, decisions) if rare else {}
    close = decisions[-1]["decisionType"] if decisions else None
    race = (rare and close in _CLOSES
            and 40 <= data.draw(st.integers(0, 99), label="close race") < 60)
    swf.respond(decisions[:-1] if race else decisions, reject=reject)
    rejected(oracle, reject)
    if race:
        swf.add(f"{close}Failed", cause="UNHANDLED_DECISION",
                decisionTaskCompletedEventId=len(swf.events))
        swf.signal("noise")
        swf.decision_task()
    return race


Decider = Any
"""A function with `decide`'s signature: the incremental tests pass one that also checks
the decider loop's way of deciding against `decide` itself."""


def run(data: st.DataObject, specs: list[Spec], *, failure_weight: int,
        decider: Decider = decide) -> None:
    wf = build(specs)
    swf = Swf('"input"')
    oracle = Oracle(wf, specs)
    for _ in range(2000):
        decisions: list[dict[str, Any]] = decider(wf, swf.events, execution=swf.execution)
        check_decisions(wf, oracle, decisions)
        mark = len(swf.events)
        if respond(data, swf, oracle, decisions, rare=bool(failure_weight)):
            event("a close decision was rejected and decided again")
            continue
        if swf.closed:
            event(f"{swf.closed} after {len(swf.events) // 100 * 100}+ events")
            for what in ("skipped", "failed"):
                if what in oracle.state.values():
                    event(f"some task {what}")
            if any(n > 1 for n in oracle.iterations.values()):
                event("some task ran more than one iteration")
            oracle.check_signal_outputs(swf.events)
            return
        options = happenings(swf, oracle, wf)
        picks = data.draw(st.lists(st.integers(0, max(len(options) - 1, 0)), min_size=1,
                                   max_size=4), label="picks") if options else []
        for pick in sorted(set(picks), reverse=True):
            outcome = 0
            # Hypothesis favours 0 and the maximum, so rare things sit in the middle.
            if failure_weight and 40 <= data.draw(st.integers(0, 99), label="fate") < 52:
                outcome = data.draw(st.integers(4, 6), label="failure kind")
            happen(swf, oracle, options[pick], outcome)
        if failure_weight and 45 <= data.draw(st.integers(0, 99), label="cancel") < 47:
            swf.cancel_request()
            oracle.cancel_requested = True
        if not any(e["eventType"] not in QUIET for e in swf.events[mark:]):
            raise AssertionError(f"stuck: nothing will wake the decider; last {decisions}")
        swf.decision_task()
    raise AssertionError("the execution did not close in 2000 decisions")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), specs=workflows())
def test_random_workflows_under_random_events_keep_every_property(
    data: st.DataObject, specs: list[Spec]
) -> None:
    run(data, specs, failure_weight=1)


@pytest.mark.slow
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(data=st.data(), specs=workflows(min_tasks=100, max_tasks=300, failing=False))
def test_large_random_workflows_complete(data: st.DataObject, specs: list[Spec]) -> None:
    run(data, specs, failure_weight=0)
