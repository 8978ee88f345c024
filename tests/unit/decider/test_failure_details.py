"""A failed workflow's details carry the error type, message and traceback users act on."""

from __future__ import annotations

import json
from typing import Any

import pyflow

from .test_failures import failure_of, lambda_wf, step


def test_a_lambda_failure_gives_type_message_and_traceback_as_lambda_reports_them(
    swf: Any,
) -> None:
    wf, h = lambda_wf(), swf('"x"')
    step(wf, h)
    lambda_details = {"errorType": "KeyError", "errorMessage": "'sku'",
                      "stackTrace": ['  File "handler.py", line 3, in handle\n', "    x['sku']\n"]}
    h.lambda_failed("L#1", details=json.dumps(lambda_details))
    reason, details = failure_of(step(wf, h))
    assert reason == "task 'L' failed after 1 attempt: UnhandledError (KeyError: 'sku')"
    error = details["error"]
    assert (error["type"], error["message"]) == ("KeyError", "'sku'")
    assert error["traceback"] == '  File "handler.py", line 3, in handle\n    x[\'sku\']\n'


def test_an_activity_failure_gives_what_the_worker_sent(swf: Any) -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.ActivityTask(name="A", activity_type="a", activity_version="1",
                               depends_on=[wf.start_task]))
    h = swf('"x"')
    step(wf, h)
    sent = ("ValueError: bad size\n\nTraceback (most recent call last):\n  ...\n"
            "ValueError: bad size\n")
    h.activity_failed("A#1", reason="ValueError", details=sent)
    _, details = failure_of(step(wf, h))
    error = details["error"]
    assert (error["type"], error["message"]) == ("ValueError", "bad size")
    assert error["traceback"].startswith("Traceback (most recent call last):")


def test_a_huge_traceback_keeps_its_head_and_tail_within_swfs_limit(swf: Any) -> None:
    wf, h = lambda_wf(), swf('"x"')
    step(wf, h)
    frames = ["first frame\n"] + [f"frame {i}\n" for i in range(20_000)] + ["last frame\n"]
    h.lambda_failed("L#1", details=json.dumps(
        {"errorType": "RecursionError", "errorMessage": "deep", "stackTrace": frames}))
    _, details = failure_of(step(wf, h))  # failure_of checks the 32,768-character limit
    trace = details["error"]["traceback"]
    assert trace.startswith("first frame\n") and trace.endswith("last frame\n")
    assert "[truncated by pyflow]" in trace
