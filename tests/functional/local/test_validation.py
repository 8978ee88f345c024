"""Server-side validation with SWF's fault names, for what botocore does not check itself."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from pyflow.local import LocalSWF, SWFFault
from tests.support.swf import DOMAIN, complete, decision


def _code(info: pytest.ExceptionInfo[ClientError]) -> str:
    return str(info.value.response["Error"]["Code"])


def test_oversize_input_is_rejected(env) -> None:
    with pytest.raises(ClientError) as info:
        env.start(input="x" * 32_769)
    assert _code(info) == "ValidationException"
    assert "32768" in info.value.response["Error"]["Message"]


def test_oversize_result_in_a_decision_is_rejected_before_anything_is_recorded(env) -> None:
    env.start()
    task = env.poll()
    with pytest.raises(ClientError) as info:
        env.decide(task, complete("x" * 40_000))
    assert _code(info) == "ValidationException"
    env.decide(task, complete("ok"))  # the task is still open
    assert env.status() == "COMPLETED"


@pytest.mark.parametrize("workflow_id", ["a:b", "a|b", "tab\there", "arn"])
def test_forbidden_workflow_ids_are_rejected(env, workflow_id: str) -> None:
    with pytest.raises(ClientError) as info:
        env.start(workflow_id)
    assert _code(info) == "ValidationException"


def test_reason_longer_than_256_is_rejected(env) -> None:
    env.start()
    with pytest.raises(ClientError) as info:
        env.decide(env.poll(), decision("FailWorkflowExecution", reason="r" * 300))
    assert _code(info) == "ValidationException"


def test_bad_duration_is_rejected(env) -> None:
    env.start()
    with pytest.raises(ClientError) as info:
        env.decide(env.poll(), decision("StartTimer", timerId="t", startToFireTimeout="1.5"))
    assert _code(info) == "ValidationException"


def test_decision_without_its_attributes_is_rejected(env) -> None:
    env.start()
    with pytest.raises(ClientError) as info:
        env.decide(env.poll(), {"decisionType": "StartTimer"})
    assert "startTimerDecisionAttributes" in info.value.response["Error"]["Message"]


def test_unknown_task_token_is_unknown_resource(env) -> None:
    with pytest.raises(env.client.exceptions.UnknownResourceFault):
        env.client.respond_decision_task_completed(taskToken="forged")


def test_direct_handle_validates_required_members() -> None:
    with LocalSWF() as engine:
        with pytest.raises(SWFFault) as info:
            engine.handle("RegisterDomain", {"name": "d"})
        assert info.value.code == "ValidationException"
        assert "workflowExecutionRetentionPeriodInDays" in info.value.message
        status, body = engine.handle_json("NoSuchOperation", b"{}")
        assert status == 400 and b"UnknownOperationException" in body
        status, body = engine.handle_json("ListDomains", b"not json")
        assert status == 400 and b"SerializationException" in body


def test_deprecated_workflow_type_cannot_start(env) -> None:
    env.client.deprecate_workflow_type(domain=DOMAIN, workflowType={"name": "wf", "version": "1"})
    with pytest.raises(env.client.exceptions.TypeDeprecatedFault):
        env.start()
