from __future__ import annotations

import logging
from typing import Any

import pytest

import pyflow
import pyflow.local
from handlers import strings


def test_string_handlers_transform_as_the_example_needs() -> None:
    assert strings.upcase("World", None) == "WORLD"
    assert strings.reverse("WORLD", None) == "DLROW"
    assert strings.concat(["Hello", " ", "DLROW"], None) == "Hello DLROW"


@pytest.mark.parametrize(
    ("handler", "event", "message"),
    [
        (strings.upcase, 42, "string-upcase expects a string, got int"),
        (strings.reverse, ["a"], "string-reverse expects a string, got list"),
        (strings.concat, "abc", "string-concat expects a list of strings, got str"),
        (strings.concat, ["a", 1], "string-concat expects a list of strings"),
    ],
)
def test_string_handlers_reject_wrong_input_types(handler: Any, event: Any, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        handler(event, None)


def test_every_record_about_an_execution_carries_its_ids(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wf = pyflow.Workflow("Logged", "1")
    wf.add(pyflow.LambdaTask(name="Up", lambda_function="string-upcase",
                             depends_on=[wf.start_task]))
    with caplog.at_level(logging.DEBUG, logger="pyflow"):
        outcome = pyflow.local.run(wf, "x", lambdas=strings.LAMBDAS, workflow_id="logged-1")
    about = [
        r for r in caplog.records
        if r.name in ("pyflow.decider", "pyflow.worker") or "logged-1" in r.getMessage()
    ]
    assert about, "expected records about the execution"
    for record in about:
        assert getattr(record, "workflow_id", None) == "logged-1", record.getMessage()
        assert getattr(record, "run_id", None) in (outcome.run_id, "?")
    assert any(getattr(r, "run_id", None) == outcome.run_id for r in about)
