"""`pyflow.Client` against the embedded engine in-process: every operation through one object,
and the module-level functions delegating to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

import pyflow
from pyflow.local import LocalSWF

WAIT = pyflow.Workflow("Waits", "1")
WAIT.add(pyflow.SignalTask(name="Go", depends_on=[WAIT.start_task]))


@pytest.fixture
def client() -> Iterator[pyflow.Client]:
    with LocalSWF() as engine:
        client = pyflow.Client(engine.client(), domain="client-tests")
        client.register_domain(retention_days=1)
        client.register(WAIT)
        yield client


def test_start_signal_and_outcome_through_one_client(client: pyflow.Client) -> None:
    wid = client.start(WAIT, input={"n": 1}, workflow_id="w-1", tags=["blue"])
    stats = pyflow.poll_for_executions(WAIT, domain=client.domain, client=client,
                                       num_iterations=1)
    assert stats.decision_tasks == 1
    client.signal(wid, "Go", {"ok": True})
    pyflow.poll_for_executions(WAIT, domain=client.domain, client=client, num_iterations=1)
    outcome = client.wait_for_outcome(wid, workflow=WAIT, timeout=5)
    assert (outcome.status, outcome.result) == ("COMPLETED", {"ok": True})
    assert client.history(wid)[0]["eventType"] == "WorkflowExecutionStarted"


def test_module_functions_take_a_pyflow_client(client: pyflow.Client) -> None:
    wid = pyflow.start_workflow(domain=client.domain, workflow_name="Waits",
                                workflow_version="1", client=client)
    pyflow.cancel_workflow(domain=client.domain, workflow_id=wid, client=client)
    pyflow.poll_for_executions(WAIT, domain=client.domain, client=client, num_iterations=1)
    outcome = pyflow.get_outcome(domain=client.domain, workflow_id=wid, client=client)
    assert outcome.status == "CANCELED"


def test_terminate_closes_at_once_with_the_reason(client: pyflow.Client) -> None:
    wid = client.start(WAIT, workflow_id="w-term")
    client.terminate(wid, reason="stuck", details="by a test", child_policy="abandon")
    outcome = client.describe(wid)
    assert (outcome.status, outcome.reason, outcome.details) == ("TERMINATED", "stuck",
                                                                 "by a test")
    with pytest.raises(pyflow.UnknownExecutionError, match="no open execution") as caught:
        client.terminate(wid)
    assert "pyflow.list_executions(domain='client-tests', status='open')" in str(caught.value)


def test_terminate_refuses_an_unknown_child_policy(client: pyflow.Client) -> None:
    with pytest.raises(pyflow.InvalidArgumentError, match="child_policy must be one of"):
        client.terminate("whatever", child_policy="DROP")


def test_list_executions_combines_filters_swf_takes_one_at_a_time(
    client: pyflow.Client,
) -> None:
    client.start(WAIT, workflow_id="a", tags=["red"])
    client.start(WAIT, workflow_id="b", tags=["blue"])
    client.start(WAIT, workflow_id="c", tags=["red"])
    client.terminate("c")
    ids = lambda infos: sorted(i["execution"]["workflowId"] for i in infos)  # noqa: E731
    assert ids(client.list_executions()) == ["a", "b", "c"]
    assert ids(client.list_executions(status="open", tag="red")) == ["a"]
    assert ids(client.list_executions(status="TERMINATED", tag="red")) == ["c"]
    assert ids(client.list_executions(workflow_type="Waits", type_version="1", tag="blue")) == [
        "b"
    ]
    later = datetime.now(UTC) + timedelta(days=1)
    assert client.list_executions(since=later) == []
    newest_first = [i["execution"]["workflowId"] for i in client.list_executions()]
    assert newest_first == ["c", "b", "a"]
    assert len(client.list_executions(limit=2)) == 2


def test_list_executions_pages_by_token_open_and_closed_merged(client: pyflow.Client) -> None:
    for name in ("p1", "p2", "p3", "p4", "p5"):
        client.start(WAIT, workflow_id=name)
    client.terminate("p2")
    client.terminate("p4")
    first = client.list_executions(limit=2)
    assert [i["execution"]["workflowId"] for i in first] == ["p5", "p4"]
    assert first.next_page_token is not None
    # A later page may ask for another number: the token counts in its own SWF page size.
    rest = client.list_executions(limit=10, page_token=first.next_page_token)
    assert [i["execution"]["workflowId"] for i in rest] == ["p3", "p2", "p1"]
    assert rest.next_page_token is None
    closed = client.list_executions(status="closed", limit=1)
    after = client.list_executions(status="closed", limit=1, page_token=closed.next_page_token)
    assert [closed[0]["execution"]["workflowId"], after[0]["execution"]["workflowId"]] == [
        "p4", "p2"]
    assert after.next_page_token is None
    everything = client.list_executions(limit=None)
    assert (len(everything), everything.next_page_token) == (5, None)


def test_list_executions_rejects_bad_filters(client: pyflow.Client) -> None:
    with pytest.raises(pyflow.InvalidArgumentError, match="status must be"):
        client.list_executions(status="sleeping")
    with pytest.raises(pyflow.InvalidArgumentError, match="type_version needs workflow_type"):
        client.list_executions(type_version="1")
    with pytest.raises(pyflow.InvalidArgumentError, match="limit"):
        client.list_executions(limit=0)
    with pytest.raises(pyflow.InvalidArgumentError, match="page token 'nope' is not one"):
        client.list_executions(page_token="nope")


def test_a_domain_given_with_a_client_wins(client: pyflow.Client) -> None:
    with pytest.raises(pyflow.UnknownDomainError, match="'elsewhere' does not exist"):
        pyflow.start_workflow(domain="elsewhere", workflow_name="Waits", workflow_version="1",
                              client=client)


def test_negative_iterations_and_timeouts_are_errors(client: pyflow.Client) -> None:
    with pytest.raises(pyflow.InvalidArgumentError, match="num_iterations"):
        pyflow.poll_for_executions(WAIT, domain=client.domain, client=client, num_iterations=-1)
    with pytest.raises(pyflow.InvalidArgumentError, match="timeout"):
        client.wait_for_outcome("w", timeout=-1)
