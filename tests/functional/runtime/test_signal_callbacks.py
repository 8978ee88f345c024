"""A SignalTask's notifier hands out a callback; someone else, knowing only that, signals the
execution and it completes (embedded engine, real boto3 clients)."""

from __future__ import annotations

import queue
import threading
from typing import Any

import pytest

import pyflow
import pyflow.local
from pyflow.local import LocalSWF

pytestmark = pytest.mark.timeout(60)

approval = pyflow.Workflow("CallbackApproval", "1")
approval.add(pyflow.SignalTask(name="Approve", signal_name="Approved", notify="ask-approver",
                               timeout=600, param="order-7", depends_on=[approval.start_task]))
approval.add(pyflow.LambdaTask(name="Ship", lambda_function="ship", depends_on=["Approve"]))


def test_an_outside_thread_signals_with_only_the_token_it_was_given() -> None:
    callbacks: queue.Queue[dict[str, Any]] = queue.Queue()
    with LocalSWF(virtual_time=False, poll_timeout=0.2) as engine:
        engine.add_lambda("ask-approver", lambda event, context: callbacks.put(event))
        engine.add_lambda("ship", lambda event, context: f"shipped: {event}")
        client = pyflow.Client(engine.client(), domain="callbacks")
        client.register_domain()
        client.register(approval, lambda_role="arn:aws:iam::123456789012:role/swf-lambda")
        stop = threading.Event()
        decider = threading.Thread(target=pyflow.poll_for_executions, args=(approval,),
                                   kwargs={"domain": "callbacks", "client": client,
                                           "should_stop": stop.is_set})
        decider.start()
        try:
            workflow_id = client.start(approval, input="x", workflow_id="cb-1")
            callback = callbacks.get(timeout=30)
            assert (callback["domain"], callback["workflow_id"], callback["signal_name"]) == (
                "callbacks", workflow_id, "Approved")
            assert callback["input"] == {"param": "order-7", "inputs": {"start": "x"}}

            def approver() -> None:  # its own boto3 client, and nothing but the token
                pyflow.complete_signal(callback["token"], input="approved by Ana",
                                       client=engine.client())

            outsider = threading.Thread(target=approver)
            outsider.start()
            outsider.join()
            outcome = client.wait_for_outcome(workflow_id, workflow=approval, timeout=30)
        finally:
            stop.set()
            decider.join()
    assert (outcome.status, outcome.result) == ("COMPLETED", "shipped: approved by Ana")
    assert outcome.tasks["Approve"].output == "approved by Ana"


def test_a_signal_task_that_times_out_fails_on_virtual_time() -> None:
    wf = pyflow.Workflow("Deadline", "1")
    wf.add(pyflow.SignalTask(name="Go", timeout=3600, depends_on=[wf.start_task]))
    outcome = pyflow.local.run(wf, input="x")
    assert outcome.status == "FAILED"
    assert outcome.reason == (
        "task 'Go' failed after 1 attempt: no signal 'Go' arrived within 3600 s")
