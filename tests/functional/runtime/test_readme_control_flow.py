"""The README's control-flow example, run as written on the embedded engine."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import pyflow
import pyflow.local

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_workflow() -> pyflow.Workflow:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    (code,) = [b for b in blocks if "Workflow('Orders'" in b]
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    workflow: pyflow.Workflow = namespace["wf"]
    return workflow.validate()


def lambdas(ship_fails: bool = False) -> dict[str, Any]:
    polls: Counter[str] = Counter()

    def track(event: Any, context: Any) -> str:
        polls["parcel"] += 1
        return "DELIVERED" if polls["parcel"] == 3 else "IN_TRANSIT"

    def ship(event: Any, context: Any) -> str:
        if ship_fails:
            raise RuntimeError("no courier")
        return f"shipped {event['inputs']}"

    return {
        "check-order": lambda event, context: event,
        "manual-review": lambda event, context: "reviewed",
        "auto-approve": lambda event, context: "approved",
        "ship": ship,
        "track-parcel": track,
        "page-on-call": lambda event, context: f"paged: {event['error']['reason']}",
        "release-stock": lambda event, context: "released",
    }


@pytest.mark.timeout(60)
def test_the_readme_example_branches_loops_and_cleans_up() -> None:
    outcome = pyflow.local.run(readme_workflow(), input={"total": 20}, lambdas=lambdas())
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == {"Release": "released"}  # Alert, the other sink, was skipped
    states = {name: (t.state, t.iteration) for name, t in outcome.tasks.items()}
    assert states["Review"] == ("skipped", 0)
    assert states["Approve"] == ("completed", 1)
    assert states["Track"] == ("completed", 3)
    assert states["Alert"] == ("skipped", 0)


@pytest.mark.timeout(60)
def test_the_readme_example_pages_on_call_when_shipping_fails() -> None:
    outcome = pyflow.local.run(readme_workflow(), input={"total": 5000},
                               lambdas=lambdas(ship_fails=True))
    assert outcome.status == "COMPLETED", outcome.reason
    assert outcome.result == {
        "Alert": "paged: UnhandledError (RuntimeError: no courier)",
        "Release": "released",
    }
    assert outcome.tasks["Track"].state == "skipped"
    assert outcome.tasks["Review"].state == "completed"
