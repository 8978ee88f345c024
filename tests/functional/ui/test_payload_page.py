"""Offloaded payloads on the execution page: read from the UI's store, or said where they are."""

from __future__ import annotations

import html as html_module
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import pyflow
from pyflow.testing import LocalEnvironment
from pyflow.ui import create_app
from pyflow.ui._context import execution_url

LONG = 60_000


def workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("BigUpper", version="1")
    wf.add(pyflow.LambdaTask(name="Up", lambda_function="upper", depends_on=[wf.start_task]))
    return wf


@pytest.fixture
def finished(tmp_path: Path) -> Iterator[tuple[LocalEnvironment, str]]:
    wf = workflow()
    lambdas: dict[str, Any] = {"upper": lambda event, context: str(event).upper()}
    with LocalEnvironment(wf, lambdas=lambdas, payload_store=tmp_path / "payloads") as env:
        workflow_id = env.start(wf, "x" * LONG)
        run_id = env.run_id(workflow_id)
        assert env.wait(workflow_id, run_id).status == "COMPLETED"
        yield env, execution_url(env.client.domain, workflow_id, run_id)


def _page(env: LocalEnvironment, url: str, store: Any) -> str:
    app = create_app(
        env.client.swf, domain=env.client.domain, hosts=["testserver"], payload_store=store
    )
    with TestClient(app) as http:
        response = http.get(url)
    assert response.status_code == 200
    return html_module.unescape(response.text)


def test_the_page_reads_offloaded_payloads_from_its_store(
    finished: tuple[LocalEnvironment, str],
) -> None:
    env, url = finished
    page = _page(env, url, env.engine.payload_store)
    result = page.split('id="result"')[1]
    assert result.startswith('><details class="payload"><summary><pre class="payload">"XXXX')
    assert f"show all ({LONG + 2} characters)" in result
    assert '"' + "x" * LONG + '"' in page  # the task's input, whole under "show all"
    assert "offloaded payload" not in page


def test_without_a_store_the_page_says_where_each_payload_is_and_how_to_show_it(
    finished: tuple[LocalEnvironment, str],
) -> None:
    env, url = finished
    page = _page(env, url, None)
    result = page.split('id="result"')[1].split("</dd>")[0]
    assert f"(offloaded payload, {LONG + 2:,} characters at '" in result
    assert "start the UI with --payload-bucket or --payload-dir to show it)" in result
    assert "X" * 100 not in page


def test_a_store_that_lost_the_object_shows_why_instead_of_failing_the_page(
    finished: tuple[LocalEnvironment, str], tmp_path: Path
) -> None:
    env, url = finished
    page = _page(env, url, pyflow.LocalPayloadStore(tmp_path / "empty"))
    result = page.split('id="result"')[1].split("</dd>")[0]
    assert "cannot read it:" in result
    assert "X" * 100 not in page
