"""`DeciderStats.history_pages` counts history pages read for decision tasks, not polls: an
empty poll reads no history, and a task whose history spans two pages counts two."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import pyflow
from pyflow.local import LocalSWF
from tests.support.harness import DECIDERS, register, start

pytestmark = pytest.mark.timeout(60)
DOMAIN = "pages"
PAGE_SIZE = 1000  # the decider asks PollForDecisionTask for pages of this many events


@pytest.fixture
def engine() -> Iterator[LocalSWF]:
    with LocalSWF(virtual_time=True, poll_timeout=0.2, idle_grace=0.2) as local:
        pyflow.ensure_domain_registered(DOMAIN, client=local.client())
        yield local


def test_empty_polls_read_no_history_pages(engine: LocalSWF) -> None:
    workflow = pyflow.Workflow("Idle", "1")
    client = engine.client()
    register(client, DOMAIN, workflow)
    stats = pyflow.poll_for_executions(
        workflow, domain=DOMAIN, task_list=DECIDERS, num_iterations=5, client=client
    )
    assert (stats.empty_polls, stats.decision_tasks) == (5, 0)
    assert stats.history_pages == 0


def test_a_decision_task_with_a_two_page_history_counts_two_pages(engine: LocalSWF) -> None:
    workflow = pyflow.Workflow("Signalled", "1")
    client = engine.client()
    register(client, DOMAIN, workflow)
    workflow_id = start(client, DOMAIN, workflow)
    # Started + DecisionTaskScheduled + these signals + DecisionTaskStarted > one page.
    for number in range(PAGE_SIZE):
        client.signal_workflow_execution(
            domain=DOMAIN, workflowId=workflow_id, signalName=f"S{number}"
        )
    stats = pyflow.poll_for_executions(
        workflow, domain=DOMAIN, task_list=DECIDERS, num_iterations=3, client=client
    )
    history = pyflow.get_outcome(domain=DOMAIN, workflow_id=workflow_id, client=client).history
    (seen,) = [e["eventId"] for e in history if e["eventType"] == "DecisionTaskStarted"]
    assert PAGE_SIZE < seen <= 2 * PAGE_SIZE  # the decider's task held two pages of events
    assert (stats.decision_tasks, stats.empty_polls) == (1, 2)  # then nothing left to decide
    assert stats.history_pages == 2
