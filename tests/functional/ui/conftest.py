"""An embedded engine with deciders, and the UI app against it through Starlette's TestClient.

The workflows are the ones a reviewer tries: one that completes, one that fails, one waiting
for a signal, and a parent running a child workflow.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

import pyflow
from pyflow.testing import LocalEnvironment
from pyflow.ui import create_app
from pyflow.ui._context import execution_url


def boom(event: Any, context: Any) -> Any:
    raise ValueError("the disk is full")


def upper(event: Any, context: Any) -> Any:
    return str(event).upper()


_TICKS: Counter[str] = Counter()


def tick(event: Any, context: Any) -> int:
    """How many times it was called with this event: a loop's body that ends on the third."""
    _TICKS[str(event)] += 1
    return _TICKS[str(event)]


def definitions() -> dict[str, pyflow.Workflow]:
    ok = pyflow.Workflow("Upper", version="1")
    ok.add(pyflow.LambdaTask(name="Up", lambda_function="upper", depends_on=[ok.start_task]))
    bad = pyflow.Workflow("Broken", version="1")
    bad.add(pyflow.LambdaTask(name="Boom", lambda_function="boom", depends_on=[bad.start_task]))
    wait = pyflow.Workflow("Approval", version="1")
    gate = wait.add(pyflow.SignalTask(name="Gate", signal_name="Approved",
                                      depends_on=[wait.start_task]))
    wait.add(pyflow.LambdaTask(name="After", lambda_function="upper", depends_on=[gate]))
    parent = pyflow.Workflow("Parent", version="1")
    parent.add(pyflow.WorkflowTask(name="Kid", workflow=ok, depends_on=[parent.start_task]))
    loop = pyflow.Workflow("Loop", version="1")
    counted = loop.add(pyflow.LambdaTask(name="Count", lambda_function="tick",
                                         depends_on=[loop.start_task],
                                         repeat_until=lambda n: n >= 3, max_iterations=5))
    loop.add(pyflow.LambdaTask(name="Never", lambda_function="upper", depends_on=[counted],
                               run_if=lambda n: False))
    return {"ok": ok, "bad": bad, "wait": wait, "parent": parent, "loop": loop}


class Site:
    """The engine, its workflows, and a browser-less client of the UI."""

    def __init__(self, env: LocalEnvironment, http: TestClient, flows: dict[str, Any]) -> None:
        self.env, self.http, self.flows = env, http, flows
        self.domain = env.client.domain

    def start(self, key: str, input: Any = None, **kw: Any) -> tuple[str, str]:
        workflow_id = self.env.start(self.flows[key], input, **kw)
        return workflow_id, self.env.run_id(workflow_id)

    def finish(self, key: str, input: Any = None, **kw: Any) -> tuple[str, str]:
        workflow_id, run_id = self.start(key, input, **kw)
        self.env.wait(workflow_id, run_id)
        return workflow_id, run_id

    def url(self, workflow_id: str, run_id: str, part: str = "executions") -> str:
        return execution_url(self.domain, workflow_id, run_id, part)

    def act(self, workflow_id: str, run_id: str, action: str, **data: str) -> Any:
        """POST `action` with the token of the execution's page (unless `csrf` is given)."""
        data.setdefault("csrf", self.token(self.url(workflow_id, run_id)))
        return self.http.post(self.url(workflow_id, run_id, action), data=data)

    def token(self, path: str) -> str:
        html = self.http.get(path).text
        marker = 'name="csrf" value="'
        start = html.index(marker) + len(marker)
        return html[start:html.index('"', start)]


@pytest.fixture
def site() -> Iterator[Site]:
    flows = definitions()
    # Real time: executions started one after another then have distinct start times.
    lambdas = {"upper": upper, "boom": boom, "tick": tick}
    with LocalEnvironment(list(flows.values()), lambdas=lambdas, virtual_time=False) as env:
        app = create_app(env.client.swf, domain=env.client.domain, workflows=flows.values(),
                         hosts=["testserver"])
        with TestClient(app, follow_redirects=False) as http:
            yield Site(env, http, flows)
