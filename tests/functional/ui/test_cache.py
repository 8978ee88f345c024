"""Histories are read once, then topped up from their end, and closed ones never again."""

from __future__ import annotations

from typing import Any

import pytest

from pyflow._client._outcome import read_history
from pyflow.ui._cache import HistoryCache

from .conftest import Site


class Counting:
    """An SWF client that records each history request it forwards."""

    def __init__(self, swf: Any) -> None:
        self.swf = swf
        self.requests: list[dict[str, Any]] = []

    def get_workflow_execution_history(self, **args: Any) -> Any:
        self.requests.append(args)
        return self.swf.get_workflow_execution_history(**args)


@pytest.fixture
def counting(site: Site) -> Counting:
    return Counting(site.env.client.swf)


def test_an_unchanged_open_history_costs_one_small_backwards_page(
    site: Site, counting: Counting
) -> None:
    workflow_id, run_id = site.start("wait")
    cache = HistoryCache(counting)  # type: ignore[arg-type]
    first = cache.events(site.domain, workflow_id, run_id)
    counting.requests.clear()
    again = cache.events(site.domain, workflow_id, run_id)
    assert [e["eventId"] for e in again][: len(first)] == [e["eventId"] for e in first]
    assert len(counting.requests) == 1
    assert counting.requests[0]["reverseOrder"] is True
    assert counting.requests[0]["maximumPageSize"] <= 100


def test_a_refresh_adds_exactly_the_new_events(site: Site, counting: Counting) -> None:
    workflow_id, run_id = site.start("wait")
    cache = HistoryCache(counting)  # type: ignore[arg-type]
    before = cache.events(site.domain, workflow_id, run_id)
    site.env.client.signal(workflow_id, "Approved", {"ok": True}, run_id=run_id)
    site.env.wait(workflow_id, run_id)
    after = cache.events(site.domain, workflow_id, run_id)
    full = read_history(site.env.client.swf, site.domain, workflow_id, run_id)
    assert len(after) > len(before)
    assert after == full


def test_a_closed_history_is_not_read_again(site: Site, counting: Counting) -> None:
    workflow_id, run_id = site.finish("ok", "x")
    cache = HistoryCache(counting)  # type: ignore[arg-type]
    cache.events(site.domain, workflow_id, run_id)
    counting.requests.clear()
    cache.events(site.domain, workflow_id, run_id)
    assert counting.requests == []
