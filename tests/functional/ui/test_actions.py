"""Signal, cancel, terminate and start from the page, and the CSRF and Host defences."""

from __future__ import annotations

import json
import socket

from starlette.testclient import TestClient

from pyflow.ui import create_app
from pyflow.ui._security import allowed_hosts

from .conftest import Site


def test_a_signal_from_the_form_completes_the_waiting_execution(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    response = site.act(workflow_id, run_id, "signal", signal_name="Approved", input='"go"')
    assert response.status_code == 303
    assert response.headers["location"] == site.url(workflow_id, run_id) + "?done=signal"
    outcome = site.env.wait(workflow_id, run_id)
    assert outcome.status == "COMPLETED"
    assert outcome.result == "GO"


def test_a_signal_whose_input_is_not_json_is_refused(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    response = site.act(workflow_id, run_id, "signal", signal_name="Approved", input="{nope")
    assert response.status_code == 400
    assert "not valid JSON" in response.text
    assert f'id="back" href="{site.url(workflow_id, run_id)}"' in response.text
    assert site.env.client.describe(workflow_id, run_id).status == "OPEN"


def test_request_cancel_closes_the_execution_as_canceled(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    response = site.act(workflow_id, run_id, "cancel")
    assert response.status_code == 303
    assert site.env.wait(workflow_id, run_id).status == "CANCELED"


def test_terminate_needs_the_confirmation_and_records_the_reason(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    unconfirmed = site.act(workflow_id, run_id, "terminate", reason="stuck")
    assert unconfirmed.status_code == 400
    assert site.env.client.describe(workflow_id, run_id).status == "OPEN"
    done = site.act(workflow_id, run_id, "terminate", reason="stuck", confirm="yes")
    assert done.status_code == 303
    outcome = site.env.wait(workflow_id, run_id)
    assert (outcome.status, outcome.reason) == ("TERMINATED", "stuck")


def test_start_runs_a_registered_type_with_the_json_input(site: Site) -> None:
    form = site.http.get(f"/domains/{site.domain}/start").text
    choice = json.dumps(["Upper", "1"]).replace('"', "&#34;")
    assert f'<option value="{choice}">Upper 1</option>' in form
    response = site.http.post(
        f"/domains/{site.domain}/start",
        data={"csrf": site.token(f"/domains/{site.domain}/start"),
              "type": json.dumps(["Upper", "1"]), "input": '"hi"', "workflow_id": "from-ui",
              "tags": "ui, demo"},
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith(
        f"/domains/{site.domain}/executions/from-ui/"
    )
    assert site.env.wait("from-ui").result == "HI"
    listed = site.env.client.list_executions(workflow_id="from-ui")
    assert listed[0].get("tagList") == ["ui", "demo"]


def test_a_post_without_the_token_is_refused_and_changes_nothing(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    for token in ("", "guessed"):
        response = site.act(workflow_id, run_id, "terminate", confirm="yes", csrf=token)
        assert response.status_code == 403
        assert "CSRF" in response.text
    assert site.env.client.describe(workflow_id, run_id).status == "OPEN"


def test_a_post_from_another_origin_is_refused_even_with_a_token(site: Site) -> None:
    workflow_id, run_id = site.start("wait")
    token = site.token(site.url(workflow_id, run_id))
    response = site.http.post(
        site.url(workflow_id, run_id, "cancel"), data={"csrf": token},
        headers={"origin": "http://attacker.example"},
    )
    assert response.status_code == 403
    assert site.env.client.describe(workflow_id, run_id).status == "OPEN"


def test_a_request_for_another_host_name_is_refused(site: Site) -> None:
    response = site.http.get(f"/domains/{site.domain}/executions",
                             headers={"host": "rebound.attacker.example"})
    assert response.status_code == 400
    assert "ok-" not in response.text


def test_pages_allow_scripts_from_this_server_only(site: Site) -> None:
    response = site.http.get(f"/domains/{site.domain}/executions")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script src=\"/static/live.js\"></script>" in response.text
    assert site.http.get("/static/live.js").status_code == 200


def test_loopback_and_wildcard_servers_answer_to_the_names_a_browser_uses() -> None:
    assert {"127.0.0.1", "localhost", "[::1]"} <= set(allowed_hosts("127.0.0.1"))
    assert allowed_hosts("192.0.2.7") == ["192.0.2.7"]
    assert socket.gethostname().lower() in allowed_hosts("0.0.0.0")


def test_an_ipv6_loopback_host_header_is_accepted(site: Site) -> None:
    app = create_app(site.env.client.swf, domain=site.domain, host="::1")
    with TestClient(app, base_url="http://[::1]:8766") as http:
        assert http.get(f"/domains/{site.domain}/executions").status_code == 200
