"""The decider loop folds only new events into the state it kept at its last decision
(`_decide.resume`). As a property, over the random workflows and histories of
`test_properties`: at every decision point the kept state equals a full replay of the
history so far (so planning, which ran on it, left it as the pass built it), a replay split
at any point equals one over the whole history, and the decisions are `decide`'s.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import pyflow
from pyflow._decider import decide
from pyflow._decider._decide import replay, resume
from pyflow._decider._graph import Graph
from pyflow._decider._history import History
from pyflow._decider._records import TaskRecord
from pyflow._workflow._payload import MAX_DATA

from .conftest import Swf
from .test_properties import Spec, run, workflows


def fingerprint(history: History) -> Any:
    """Everything the pass knows, comparable across two History objects: records by index,
    events by id. `value` is left out: it caches `output` decoded, filled whenever some
    input first needs it."""
    return {name: _plain(value, top=True) for name, value in sorted(vars(history).items())
            if not isinstance(value, Graph)}


def _plain(value: Any, *, top: bool = False) -> Any:
    if isinstance(value, TaskRecord):
        if not top:
            return ("record", value.index)
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if f.name not in ("value", "task")}
    if isinstance(value, Mapping) and "eventId" in value:
        return ("event", value["eventId"])
    if isinstance(value, Mapping):
        return {repr(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | deque):
        if top and value and isinstance(value[0], TaskRecord):
            return [_plain(v, top=True) for v in value]
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(repr(v) for v in value)
    return repr(value) if dataclasses.is_dataclass(value) else value


class Checked:
    """Decides as the decider loop does, keeping the state `resume` returns, and checks it
    against a full replay and the decisions against `decide` at every call."""

    def __init__(self, split: int) -> None:
        self.kept: History | None = None
        self.folded = 0
        self.split = split

    def __call__(self, wf: pyflow.Workflow, events: Sequence[Any], *,
                 execution: Any) -> list[Any]:
        full = decide(wf, events, execution=execution)
        new = events[self.folded:] if self.kept is not None else events
        event("warm" if self.kept is not None else "cold")
        decisions, state = resume(self.kept, wf, new, execution=execution)
        assert decisions == full
        if state is not None:
            assert fingerprint(state) == fingerprint(replay(wf, events, execution))
            cut = self.split % (len(events) + 1)
            halves = replay(wf, events[:cut], execution).replay(events[cut:])
            assert fingerprint(halves) == fingerprint(state)
        self.kept, self.folded = state, len(events)
        return list(decisions)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), specs=workflows(), split=st.integers(0, 10_000))
def test_the_kept_state_is_the_full_replay_at_every_decision(
    data: st.DataObject, specs: list[Spec], split: int
) -> None:
    run(data, specs, failure_weight=1, decider=Checked(split))


def _failing_input() -> pyflow.Workflow:
    wf = pyflow.Workflow("BadInput", "1")
    first = wf.add(pyflow.LambdaTask(name="First", lambda_function="f",
                                     depends_on=[wf.start_task]))
    second = wf.add(pyflow.LambdaTask(name="Second", lambda_function="f", depends_on=[first],
                                      transform_input=lambda value: 1 / 0))
    # A dependent that handles the failure keeps the execution open: a marker records it.
    wf.add(pyflow.LambdaTask(name="Cleanup", lambda_function="f", depends_on=[second],
                             trigger_rule="all_done"))
    wf.add(pyflow.LambdaTask(name="Other", lambda_function="f", depends_on=[wf.start_task]))
    return wf


def test_planning_that_fails_a_task_gives_no_state_to_keep() -> None:
    """An input that cannot be built fails its task while planning: that state is not the
    pass's, so `resume` gives none and the next decision reads the history afresh."""
    wf = _failing_input()
    swf = Swf('"go"')
    decisions, kept = resume(None, wf, swf.events, execution=swf.execution)
    assert kept is not None
    folded = len(swf.events)
    swf.respond(decisions)
    swf.lambda_completed("First#1", "done")
    swf.decision_task()
    before = fingerprint(replay(wf, swf.events, swf.execution))
    decisions, state = resume(kept, wf, swf.events[folded:], execution=swf.execution)
    assert [d["decisionType"] for d in decisions] == ["RecordMarker", "ScheduleLambdaFunction"]
    assert state is None
    assert decisions == decide(wf, swf.events, execution=swf.execution)
    assert fingerprint(replay(wf, swf.events, swf.execution)) == before


@pytest.mark.parametrize("close", ["complete", "cancel"])
def test_a_closing_decision_keeps_no_state(close: str) -> None:
    wf = pyflow.Workflow("Empty", "1")
    swf = Swf('"go"')
    if close == "cancel":
        wf.add(pyflow.TimerTask(name="Nap", duration=60, depends_on=[wf.start_task]))
        swf.cancel_request()
    decisions, state = resume(None, wf, swf.events, execution=swf.execution)
    assert decisions[-1]["decisionType"].endswith("WorkflowExecution")
    assert state is None


def test_a_kept_state_plans_with_the_callers_payload_limit_and_domain() -> None:
    """Decider loops of one process share kept states: a state built by a loop with a payload
    store (no limit) and continued by one without plans as a full replay by the second."""
    wf = pyflow.Workflow("Big", "1")
    firsts = [wf.add(pyflow.LambdaTask(name=f"A{i}", lambda_function="f")) for i in (1, 2)]
    wf.add(pyflow.LambdaTask(name="B", lambda_function="f", depends_on=firsts, pass_context=True))
    swf = Swf('"go"')
    decisions, kept = resume(None, wf, swf.events, execution=swf.execution, domain="one",
                             payload_limit=None)
    assert kept is not None
    folded = len(swf.events)
    swf.respond(decisions)
    for i in (1, 2):
        swf.lambda_completed(f"A{i}#1", "x" * 20_000)
    swf.decision_task()
    new = swf.events[folded:]
    kinds = {}
    for domain, limit in (("two", MAX_DATA), ("one", None)):
        state = kept if limit == MAX_DATA else replay(wf, swf.events[:folded], swf.execution,
                                                      "one", None)
        warm, _ = resume(state, wf, new, execution=swf.execution, domain=domain,
                         payload_limit=limit)
        full = decide(wf, swf.events, execution=swf.execution, domain=domain, payload_limit=limit)
        assert warm == full
        kinds[limit] = [d["decisionType"] for d in full]
    # B's input is over 32 KB: scheduled with a store, the run failed clearly without one.
    assert kinds == {None: ["ScheduleLambdaFunction"], MAX_DATA: ["FailWorkflowExecution"]}
