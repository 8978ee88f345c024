"""`pyflow.terminate_workflow`, `pyflow.list_executions` and `pyflow.describe_execution` on the
embedded engine in-process: the CLI's terminate, list and describe from Python."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import pyflow
from pyflow.local import LocalSWF

DOMAIN = "module-api"
WAIT = pyflow.Workflow("Waits", "1")
GO = WAIT.add(pyflow.SignalTask(name="Go", depends_on=[WAIT.start_task]))
OTHER = pyflow.Workflow("Other", "2")


@pytest.fixture
def client() -> Iterator[pyflow.Client]:
    with LocalSWF() as engine:
        client = pyflow.Client(engine.client(), domain=DOMAIN)
        client.register_domain(retention_days=1)
        client.register(WAIT)
        client.register(OTHER)
        yield client


def ids(infos: pyflow.ExecutionPage) -> list[str]:
    return [info["execution"]["workflowId"] for info in infos]


def test_terminate_workflow_closes_the_execution_with_reason_and_details(
    client: pyflow.Client,
) -> None:
    wid = client.start(WAIT, workflow_id="stuck")
    pyflow.terminate_workflow(domain=DOMAIN, workflow_id=wid, reason="stuck",
                              details="by hand", child_policy="ABANDON", client=client)
    outcome = pyflow.describe_execution(domain=DOMAIN, workflow_id=wid, client=client)
    assert (outcome.status, outcome.reason, outcome.details) == ("TERMINATED", "stuck",
                                                                 "by hand")


def test_terminate_workflow_names_a_missing_execution_and_where_to_look(
    client: pyflow.Client,
) -> None:
    with pytest.raises(pyflow.UnknownExecutionError) as caught:
        pyflow.terminate_workflow(domain=DOMAIN, workflow_id="ghost", client=client)
    message = str(caught.value)
    assert "cannot terminate it: no open execution with workflow id 'ghost'" in message
    assert "pyflow.list_executions(domain='module-api', status='open')" in message


def test_list_executions_filters_by_status_type_tag_and_start_time(
    client: pyflow.Client,
) -> None:
    client.start(WAIT, workflow_id="w-red", tags=["red"])
    client.start(OTHER, workflow_id="o-red", tags=["red"])
    client.start(WAIT, workflow_id="w-blue", tags=["blue"])
    client.terminate("o-red")

    def listed(**filters: Any) -> list[str]:
        return ids(pyflow.list_executions(domain=DOMAIN, client=client, **filters))

    assert listed() == ["w-blue", "o-red", "w-red"]
    assert listed(status="open") == ["w-blue", "w-red"]
    assert listed(status="closed") == listed(status="TERMINATED") == ["o-red"]
    assert listed(status="COMPLETED") == []
    assert listed(workflow_type="Waits") == ["w-blue", "w-red"]
    assert listed(workflow_type="Other", type_version="1") == []
    assert listed(tag="red") == ["o-red", "w-red"]
    assert listed(tag="red", status="open") == ["w-red"]
    now = datetime.now(UTC)
    assert listed(since=now + timedelta(hours=1)) == []
    assert listed(until=now - timedelta(hours=1)) == []
    assert listed(since=now - timedelta(hours=1), until=now + timedelta(hours=1)) == listed()


def test_list_executions_pages_until_the_token_runs_out(client: pyflow.Client) -> None:
    for n in range(5):
        client.start(WAIT, workflow_id=f"run-{n}", tags=["batch"] if n % 2 == 0 else None)
    seen: list[str] = []
    token: str | None = None
    pages = 0
    while True:
        page = pyflow.list_executions(domain=DOMAIN, tag="batch", limit=2, page_token=token,
                                      client=client)
        seen += ids(page)
        pages += 1
        token = page.next_page_token
        if token is None:
            break
    assert (seen, pages) == (["run-4", "run-2", "run-0"], 2)
    assert ids(pyflow.list_executions(domain=DOMAIN, limit=None, client=client)) == [
        f"run-{n}" for n in (4, 3, 2, 1, 0)
    ]


def test_list_executions_in_a_missing_domain_says_so(client: pyflow.Client) -> None:
    with pytest.raises(pyflow.UnknownDomainError, match="'nowhere' does not exist"):
        pyflow.list_executions(domain="nowhere", client=client)


def test_describe_execution_shows_each_task_open_then_closed(client: pyflow.Client) -> None:
    wid = client.start(WAIT, workflow_id="approval")
    pyflow.poll_for_executions(WAIT, domain=DOMAIN, client=client, num_iterations=1)
    running = pyflow.describe_execution(domain=DOMAIN, workflow_id=wid, workflow=WAIT,
                                        client=client)
    assert running.is_open
    assert {name: task.state for name, task in running.tasks.items()} == {
        "start": "completed", "Go": "running"}
    client.signal(wid, "Go", "yes")
    pyflow.poll_for_executions(WAIT, domain=DOMAIN, client=client, num_iterations=1)
    done = pyflow.describe_execution(domain=DOMAIN, workflow_id=wid, run_id=running.run_id,
                                     client=client)
    assert (done.status, done.result, done.tasks["Go"].state) == ("COMPLETED", "yes",
                                                                  "completed")
    assert client.describe_execution(wid) == client.describe(wid) == done


def test_describe_execution_of_an_unknown_workflow_id_points_to_the_listing(
    client: pyflow.Client,
) -> None:
    with pytest.raises(pyflow.UnknownExecutionError,
                       match=r"no execution with workflow id 'ghost' .*list_executions"):
        pyflow.describe_execution(domain=DOMAIN, workflow_id="ghost", client=client)
