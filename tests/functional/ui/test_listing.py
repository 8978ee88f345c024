"""The executions list: open and closed newest first, every filter, and paging like SWF's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from pyflow._client._listing import ExecutionFilter
from pyflow._client._pages import list_page

from .conftest import Site

ROW = re.compile(r'<a class="wid" href="[^"]*">([^<]*)</a>')


def ids(html: str) -> list[str]:
    return ROW.findall(html)


def listed(site: Site, **query: Any) -> list[str]:
    response = site.http.get(f"/domains/{site.domain}/executions", params=query)
    assert response.status_code == 200
    return ids(response.text)


@pytest.fixture
def mixed(site: Site) -> Site:
    """ok-1 (completed), bad-1 (failed), wait-1 (open, tagged), ok-2 (completed), oldest first."""
    site.finish("ok", "a", workflow_id="ok-1")
    site.finish("bad", None, workflow_id="bad-1")
    site.env.client.start("Approval", version="1", workflow_id="wait-1", tags=["review"],
                          lambda_role="arn:aws:iam::000000000000:role/x")
    site.finish("ok", "b", workflow_id="ok-2")
    return site


def test_open_and_closed_executions_are_listed_together_newest_first(mixed: Site) -> None:
    assert listed(mixed) == ["ok-2", "wait-1", "bad-1", "ok-1"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("open", ["wait-1"]), ("closed", ["ok-2", "bad-1", "ok-1"]), ("FAILED", ["bad-1"]),
     ("COMPLETED", ["ok-2", "ok-1"])],
)
def test_status_filter_keeps_only_that_status(
    mixed: Site, status: str, expected: list[str]
) -> None:
    assert listed(mixed, status=status) == expected


def test_type_filter_keeps_only_that_type(mixed: Site) -> None:
    assert listed(mixed, type="Upper") == ["ok-2", "ok-1"]


def test_tag_filter_keeps_only_tagged_executions(mixed: Site) -> None:
    assert listed(mixed, tag="review") == ["wait-1"]


def test_prefix_filter_matches_the_start_of_workflow_ids(mixed: Site) -> None:
    assert listed(mixed, prefix="ok-") == ["ok-2", "ok-1"]
    assert listed(mixed, prefix="k-") == []


def test_time_window_filters_by_start_time(mixed: Site) -> None:
    assert listed(mixed, window="1h") == ["ok-2", "wait-1", "bad-1", "ok-1"]
    assert listed(mixed, until="2000-01-01T00:00") == []
    assert listed(mixed, since="2999-01-01T00:00") == []


def test_filters_combine(mixed: Site) -> None:
    assert listed(mixed, status="closed", type="Upper", prefix="ok-1") == ["ok-1"]


def test_paging_shows_every_execution_once_in_order(mixed: Site) -> None:
    mixed.finish("ok", "c", workflow_id="ok-3")
    seen: list[str] = []
    url: str | None = f"/domains/{mixed.domain}/executions?size=2"
    pages = 0
    while url:
        html = mixed.http.get(url).text
        seen += ids(html)
        found = re.search(r'id="next-page" href="([^"]*)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        pages += 1
    assert seen == ["ok-3", "ok-2", "wait-1", "bad-1", "ok-1"]
    assert pages == 3


def test_paging_merges_open_and_closed_across_swf_pages(mixed: Site) -> None:
    flt = ExecutionFilter()
    first = list_page(mixed.env.client.swf, mixed.domain, flt, size=1)
    second = list_page(mixed.env.client.swf, mixed.domain, flt, size=2, token=first.next_page_token)
    third = list_page(mixed.env.client.swf, mixed.domain, flt, size=2, token=second.next_page_token)
    names = [i["execution"]["workflowId"] for p in (first, second, third) for i in p]
    assert names == ["ok-2", "wait-1", "bad-1", "ok-1"]
    assert third.next_page_token is None


def test_a_page_token_not_made_here_is_refused(site: Site) -> None:
    response = site.http.get(f"/domains/{site.domain}/executions", params={"page": "bm9wZQ"})
    assert response.status_code == 400
    assert "page token" in response.text


def test_listing_reads_no_history_and_describes_no_execution(
    mixed: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    swf = mixed.env.client.swf
    calls: list[str] = []
    for name in ("describe_workflow_execution", "get_workflow_execution_history"):
        original = getattr(swf, name)
        monkeypatch.setattr(swf, name, lambda *a, _n=name, _o=original, **k: (
            calls.append(_n), _o(*a, **k))[1])
    assert len(listed(mixed)) == 4
    assert calls == []


def test_the_page_size_shown_is_the_one_used(site: Site) -> None:
    html = site.http.get(f"/domains/{site.domain}/executions").text
    assert "<option selected>50</option>" in html
    html = site.http.get(f"/domains/{site.domain}/executions", params={"size": 25}).text
    assert "<option selected>25</option>" in html
