"""List and count operations with their filters, history paging, pending task counts."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.support.swf import DOMAIN, complete, fail

ALL = {"oldestDate": 0}


@pytest.fixture
def mixed(env):
    """Three open executions (one tagged) and two closed ones (completed, failed)."""
    env.register_workflow("other")
    env.start("open-a", tagList=["blue"])
    env.start("open-b")
    env.start("open-c", workflow="other")
    for workflow_id, close in (("done", complete("1")), ("broken", fail("x"))):
        env.start(workflow_id)
        task = env.poll()
        while task["workflowExecution"]["workflowId"] != workflow_id:
            env.decide(task)
            task = env.poll()
        env.decide(task, close)
    return env


def _ids(response) -> list[str]:
    return [i["execution"]["workflowId"] for i in response["executionInfos"]]


def test_open_executions_are_listed_newest_first(mixed) -> None:
    listed = mixed.client.list_open_workflow_executions(domain=DOMAIN, startTimeFilter=ALL)
    assert set(_ids(listed)) == {"open-a", "open-b", "open-c"}
    stamps = [i["startTimestamp"] for i in listed["executionInfos"]]
    assert stamps == sorted(stamps, reverse=True)


@pytest.mark.parametrize("filters, expected", [
    ({"tagFilter": {"tag": "blue"}}, {"open-a"}),
    ({"typeFilter": {"name": "other"}}, {"open-c"}),
    ({"typeFilter": {"name": "wf", "version": "1"}}, {"open-a", "open-b"}),
    ({"executionFilter": {"workflowId": "open-b"}}, {"open-b"}),
])
def test_open_filters_select_executions(mixed, filters, expected) -> None:
    listed = mixed.client.list_open_workflow_executions(domain=DOMAIN, startTimeFilter=ALL,
                                                        **filters)
    assert set(_ids(listed)) == expected
    count = mixed.client.count_open_workflow_executions(domain=DOMAIN, startTimeFilter=ALL,
                                                        **filters)
    assert count["count"] == len(expected) and count["truncated"] is False


def test_closed_executions_filter_by_close_status(mixed) -> None:
    failed = mixed.client.list_closed_workflow_executions(
        domain=DOMAIN, closeTimeFilter=ALL, closeStatusFilter={"status": "FAILED"})
    assert _ids(failed) == ["broken"]
    assert failed["executionInfos"][0]["closeStatus"] == "FAILED"
    assert mixed.client.count_closed_workflow_executions(
        domain=DOMAIN, startTimeFilter=ALL)["count"] == 2


def test_start_time_filter_excludes_older_executions(mixed) -> None:
    future = mixed.engine.now() + 3600
    listed = mixed.client.list_open_workflow_executions(domain=DOMAIN,
                                                        startTimeFilter={"oldestDate": future})
    assert listed["executionInfos"] == []


def test_filters_that_exclude_each_other_are_rejected(mixed) -> None:
    with pytest.raises(ClientError) as info:
        mixed.client.list_open_workflow_executions(
            domain=DOMAIN, startTimeFilter=ALL, tagFilter={"tag": "blue"},
            executionFilter={"workflowId": "x"})
    assert info.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError):
        mixed.client.list_closed_workflow_executions(domain=DOMAIN)


def test_list_pages_through_executions(mixed) -> None:
    paginator = mixed.client.get_paginator("list_open_workflow_executions")
    pages = list(paginator.paginate(domain=DOMAIN, startTimeFilter=ALL, maximumPageSize=2))
    assert [len(p["executionInfos"]) for p in pages] == [2, 1]


def test_history_pages_and_reverse_order(env) -> None:
    env.start()
    for i in range(4):
        env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName=f"s{i}")
    execution = {"workflowId": "w1", "runId": env.run_id("w1")}
    first = env.client.get_workflow_execution_history(domain=DOMAIN, execution=execution,
                                                      maximumPageSize=4, reverseOrder=True)
    assert [e["eventId"] for e in first["events"]] == [6, 5, 4, 3]
    rest = env.client.get_workflow_execution_history(
        domain=DOMAIN, execution=execution, maximumPageSize=4, reverseOrder=True,
        nextPageToken=first["nextPageToken"])
    assert [e["eventId"] for e in rest["events"]] == [2, 1]
    assert "nextPageToken" not in rest


def test_a_page_token_from_another_request_is_rejected(env) -> None:
    env.start()
    for i in range(3):
        env.client.signal_workflow_execution(domain=DOMAIN, workflowId="w1", signalName=f"s{i}")
    execution = {"workflowId": "w1", "runId": env.run_id("w1")}
    first = env.client.get_workflow_execution_history(domain=DOMAIN, execution=execution,
                                                      maximumPageSize=2)
    with pytest.raises(ClientError) as info:
        env.client.get_workflow_execution_history(domain=DOMAIN, execution=execution,
                                                  reverseOrder=True,
                                                  nextPageToken=first["nextPageToken"])
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_pending_task_counts(env) -> None:
    env.start("a")
    env.start("b")
    assert env.client.count_pending_decision_tasks(
        domain=DOMAIN, taskList={"name": "decider"})["count"] == 2
    assert env.client.count_pending_decision_tasks(
        domain=DOMAIN, taskList={"name": "unused"})["count"] == 0
