"""The decider on fuzzed histories of workflows with trigger rules, run_if and loops: it never
raises, every decision it returns validates against botocore's model, and the state reader
never raises either."""

from __future__ import annotations

import copy
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pyflow
from pyflow._decider import decide, execution_state

from .conftest import Swf
from .test_properties import Oracle, Spec, build, happen, happenings, validate, workflows

JUNK = st.one_of(st.none(), st.integers(-3, 10**6), st.text(max_size=12), st.booleans(),
                 st.just({"name": "x"}), st.just([1]),
                 st.just('{"task": "T0", "attempt": 1}'))


def simulate(data: st.DataObject, wf: pyflow.Workflow, specs: list[Spec]) -> Swf:
    """A history made by the decider and random happenings, left open at a random point."""
    swf = Swf('"input"')
    oracle = Oracle(wf, specs)
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        decisions: Any = decide(wf, swf.events, execution=swf.execution)
        swf.respond(decisions)
        if swf.closed:
            break
        options = happenings(swf, oracle, wf)
        if options:
            pick = data.draw(st.integers(0, len(options) - 1), label="pick")
            happen(swf, oracle, options[pick], data.draw(st.integers(0, 6), label="fate"))
        swf.decision_task()
    return swf


def mutate(data: st.DataObject, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    events = copy.deepcopy(events)
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        if not events:
            break
        i = data.draw(st.integers(0, len(events) - 1), label="at")
        how = data.draw(st.sampled_from(["drop", "repeat", "swap", "junk", "type"]), label="how")
        if how == "drop":
            del events[i]
        elif how == "repeat":
            events.insert(i, copy.deepcopy(events[i]))
        elif how == "swap":
            j = data.draw(st.integers(0, len(events) - 1), label="with")
            events[i], events[j] = events[j], events[i]
        elif how == "type":
            events[i]["eventType"] = data.draw(st.sampled_from(
                ["LambdaFunctionCompleted", "TimerFired", "ActivityTaskFailed", "Bogus",
                 "WorkflowExecutionSignaled", "ChildWorkflowExecutionCompleted"]), label="type")
        else:
            attrs = next((v for k, v in events[i].items() if k.endswith("Attributes")), None)
            if isinstance(attrs, dict) and attrs:
                key = data.draw(st.sampled_from(sorted(attrs)), label="key")
                attrs[key] = data.draw(JUNK, label="value")
    return events


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
"""More for a longer hunt: FUZZ_EXAMPLES=5000 pytest tests/unit/decider/test_fuzzed_histories.py"""


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), specs=workflows(max_tasks=12))
def test_fuzzed_histories_never_make_the_decider_raise(
    data: st.DataObject, specs: list[Spec]
) -> None:
    wf = build(specs)
    swf = simulate(data, wf, specs)
    events = mutate(data, swf.events)
    decisions: Any = decide(wf, events, execution=swf.execution)  # type: ignore[arg-type]
    validate(decisions)
    assert len(decisions) <= 100
    execution_state(wf, events)  # type: ignore[arg-type]
    execution_state(None, events)  # type: ignore[arg-type]
