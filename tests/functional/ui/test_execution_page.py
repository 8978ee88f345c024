"""The execution page: status, result or failure, the coloured DAG, links and live updates."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import quote

from pyflow.ui._context import Ui
from pyflow.ui._execution import build

from .conftest import Site


def node_states(html: str) -> dict[str, str]:
    """Task name -> state of each node the DAG draws."""
    return dict(re.findall(r'<g class="node[^"]*" data-task="([^"]*)" data-state="([^"]*)"', html))


def test_a_completed_execution_shows_its_result_and_green_nodes(site: Site) -> None:
    workflow_id, run_id = site.finish("ok", "abc")
    response = site.http.get(site.url(workflow_id, run_id))
    assert response.status_code == 200
    html = response.text
    assert 'id="status">completed<' in html
    assert "&#34;ABC&#34;" in html.split('id="result"')[1][:200]
    assert node_states(html) == {"start": "completed", "Up": "completed"}
    assert 'id="actions"' not in html  # nothing left to signal, cancel or terminate


def test_the_url_names_domain_workflow_id_and_run_id(site: Site) -> None:
    workflow_id, run_id = site.finish("ok", "abc")
    url = site.url(workflow_id, run_id)
    assert url == f"/domains/{site.domain}/executions/{workflow_id}/{quote(run_id, safe='/')}"
    latest = site.http.get(f"/domains/{site.domain}/executions/{workflow_id}")
    assert latest.status_code == 303
    assert latest.headers["location"] == url


def test_a_failed_execution_says_why(site: Site) -> None:
    workflow_id, run_id = site.finish("bad")
    html = site.http.get(site.url(workflow_id, run_id)).text
    assert 'id="status">failed<' in html
    reason = html.split('id="reason"')[1][:300]
    assert "the disk is full" in reason
    assert node_states(html)["Boom"] == "failed"
    assert 'id="details"' in html


def test_an_open_execution_waits_for_its_signal_and_offers_the_actions(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    html = site.http.get(site.url(workflow_id, run_id)).text
    assert 'id="status">open<' in html
    states = node_states(html)
    assert states["Gate"] == "waiting for signal"
    assert states["After"] == "waiting"  # from the definition: not started yet
    assert '<option value="Approved">' in html
    for form in ("signal-form", "cancel-form", "terminate-form"):
        assert f'id="{form}"' in html


def test_the_live_fragment_is_sent_only_when_the_history_grew(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    live = site.url(workflow_id, run_id, "live")
    first = site.http.get(live).json()
    assert first["open"] is True
    assert 'data-state="waiting for signal"' in first["sections"]["dag"]
    same = site.http.get(live, params={"known": first["events"]}).json()
    assert "sections" not in same
    site.env.client.signal(workflow_id, "Approved", "yes", run_id=run_id)
    site.env.wait(workflow_id, run_id)
    later = site.http.get(live, params={"known": first["events"]}).json()
    assert later["open"] is False
    assert 'data-task="After" data-state="completed"' in later["sections"]["dag"]


def test_parent_and_child_executions_link_to_each_other(site: Site) -> None:
    workflow_id, run_id = site.finish("parent", "kid")
    html = site.http.get(site.url(workflow_id, run_id)).text
    child_href = re.search(r'id="children"><div>Kid: <a href="([^"]*)">', html)
    assert child_href is not None
    child = site.http.get(child_href.group(1).replace("&amp;", "&"))
    assert child.status_code == 200
    assert 'id="status">completed<' in child.text
    parent_link = child.text.split('id="parent"')[1][:400]
    assert f'href="{site.url(workflow_id, run_id)}"' in parent_link


def test_a_hostile_workflow_id_and_input_are_shown_as_text(site: Site) -> None:
    hostile = "evil-<img src=x onerror=alert(1)>\"'&"
    workflow_id, run_id = site.finish("ok", "<script>alert(1)</script>", workflow_id=hostile)
    for path in (site.url(workflow_id, run_id), f"/domains/{site.domain}/executions"):
        html = site.http.get(path).text
        assert "<img src=x" not in html
        assert "<script>alert" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    page = site.http.get(site.url(workflow_id, run_id)).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_unknown_execution_is_a_404_page(site: Site) -> None:
    response = site.http.get(f"/domains/{site.domain}/executions/nobody")
    assert response.status_code == 404
    assert "nobody" in response.text


def test_a_state_the_page_does_not_know_is_drawn_neutral_with_its_name(site: Site) -> None:
    workflow_id, run_id = site.finish("ok", "abc")
    events = site.env.client.history(workflow_id, run_id)
    view = build(workflow_id, run_id, events, site.flows["ok"])
    up = next(t for t in view.tasks if t.name == "Up")
    odd = dataclasses.replace(up, state="paused", label="paused")
    view = dataclasses.replace(view, tasks=[odd if t is up else t for t in view.tasks])
    ui = Ui.create(site.env.client.swf, site.domain)
    module = ui.templates.get_template("_live.html").make_module(
        {"view": view, "domain": site.domain}
    )
    svg = str(module.dag())
    assert 'class="node kind-lambda state-paused" data-task="Up" data-state="paused"' in svg
    assert '<text x="10" y="60" class="n-state">paused' in svg


def test_a_long_history_lists_its_newest_events_and_links_to_all(site: Site) -> None:
    workflow_id, run_id = site.finish("ok", "abc")
    ui = Ui.create(site.env.client.swf, site.domain)
    events = site.env.client.history(workflow_id, run_id)
    view = build(workflow_id, run_id, events, None)
    module = ui.templates.get_template("_live.html").make_module(
        {"view": view, "domain": site.domain, "history_limit": 3}
    )
    table = str(module.history())
    assert table.count("<tr><td class=\"mono\">") == 3
    assert f"The latest 3 of {len(events)} events" in table
    full = site.http.get(site.url(workflow_id, run_id, "history")).text
    assert full.count("<tr><td class=\"mono\">") == len(events)


def test_an_unknown_domain_is_a_404_page(site: Site) -> None:
    response = site.http.get("/domains/nowhere/executions")
    assert response.status_code == 404
    assert "nowhere" in response.text


def test_a_run_that_continued_as_new_links_to_the_next_run(site: Site) -> None:
    workflow_id, run_id = site.finish("ok", "abc")
    events = site.env.client.history(workflow_id, run_id)
    closing = {"eventId": events[-1]["eventId"], "eventTimestamp": events[-1]["eventTimestamp"],
               "eventType": "WorkflowExecutionContinuedAsNew",
               "workflowExecutionContinuedAsNewEventAttributes": {"newExecutionRunId": "r2/x+"}}
    view = build(workflow_id, run_id, [*events[:-1], closing], None)  # type: ignore[list-item]
    ui = Ui.create(site.env.client.swf, site.domain)
    summary = str(ui.templates.get_template("_live.html").make_module(
        {"view": view, "domain": site.domain}).summary())
    assert f'href="/domains/{site.domain}/executions/{workflow_id}/r2/x%2B"' in summary


def test_a_loop_shows_its_iterations_and_a_task_run_if_declined_shows_skipped(site: Site) -> None:
    workflow_id, run_id = site.finish("loop", "loop-1")
    html = site.http.get(site.url(workflow_id, run_id)).text
    states = node_states(html)
    assert states["Count"] == "completed"
    assert states["Never"] == "skipped"
    count_node = html.split('data-task="Count"')[1].split("</g>")[0]
    assert "completed (iteration 3/5)" in count_node
    assert "attempts" not in count_node  # three attempts, one per iteration: none retried
