"""Payload references in history events are resolved wherever the event keeps its attributes:
under the name SWF gives them, or any one entry named like attributes; events without
references come back as the same object."""

from __future__ import annotations

import json
from typing import Any

import pytest

import pyflow
from pyflow._payloads import resolve_event

BIG = json.dumps({"data": "x" * 40_000})


@pytest.fixture
def store() -> pyflow.LocalPayloadStore:
    return pyflow.LocalPayloadStore()


def _event(kind: str, key: str, **attrs: Any) -> dict[str, Any]:
    return {"eventId": 7, "eventType": kind, key: attrs}


@pytest.mark.parametrize("kind, key", [
    ("ActivityTaskCompleted", "activityTaskCompletedEventAttributes"),
    ("LambdaFunctionCompleted", "lambdaFunctionCompletedEventAttributes"),
    ("ActivityTaskCompleted", "someOtherEventAttributes"),  # not SWF's naming
    ("", "activityTaskCompletedEventAttributes"),
])
def test_a_reference_is_resolved_under_the_attributes_entry(
    store: pyflow.LocalPayloadStore, kind: str, key: str
) -> None:
    event = _event(kind, key, result=store.offload(BIG), scheduledEventId=5)
    for _ in range(2):  # the second time through the learnt attributes name
        resolved = resolve_event(event, store)
        assert resolved[key] == {"result": BIG, "scheduledEventId": 5}
        assert event[key]["result"] != BIG  # the event itself is left as it was


def test_events_without_references_are_returned_unchanged(
    store: pyflow.LocalPayloadStore,
) -> None:
    events = [
        _event("ActivityTaskScheduled", "activityTaskScheduledEventAttributes", input='"x"'),
        _event("WorkflowExecutionSignaled", "workflowExecutionSignaledEventAttributes"),
        {"eventId": 1, "eventType": "Marker"},
        {"eventId": 2},
        _event("TimerFired", "timerFiredEventAttributes", input=None),
    ]
    assert all(resolve_event(event, store) is event for event in events)


def test_a_reference_without_a_store_is_an_error(store: pyflow.LocalPayloadStore) -> None:
    event = _event("ActivityTaskCompleted", "activityTaskCompletedEventAttributes",
                   result=store.offload(BIG))
    with pytest.raises(pyflow.PayloadStoreError, match="no payload store"):
        resolve_event(event, None)
