"""Lambda tasks: handler outcomes become SWF's Lambda events, as live SWF records them."""

from __future__ import annotations

import json
import threading

from tests.support.swf import attrs, lambda_


def _closing_event(env, lambda_id: str = "l1") -> dict:
    task = env.poll()
    closing = [e for e in task["events"] if e["eventType"].startswith(("LambdaFunctionC",
               "LambdaFunctionF", "LambdaFunctionT", "StartLambda"))]
    assert closing, [e["eventType"] for e in task["events"]]
    return closing[-1]


def test_no_lambda_role_gives_start_lambda_function_failed(env) -> None:
    env.engine.add_lambda("fn", lambda event, context: 1)
    env.client.start_workflow_execution(
        domain="test-domain", workflowId="w1", workflowType={"name": "wf", "version": "1"})
    env.decide(env.poll(), lambda_("l1", "fn", "x"))
    types = env.types()
    assert types[4:7] == ["LambdaFunctionScheduled", "StartLambdaFunctionFailed",
                          "DecisionTaskScheduled"]
    assert "LambdaFunctionStarted" not in types
    failed = attrs(env.history()[5])
    assert failed == {"scheduledEventId": 5, "cause": "ASSUME_ROLE_FAILED",
                      "message": "No IAM role is attached to the current workflow execution."}


def test_type_default_lambda_role_is_used_when_start_omits_it(env) -> None:
    env.register_workflow("roled", defaultLambdaRole="arn:aws:iam::1:role/default")
    env.engine.add_lambda("fn", lambda event, context: event)
    env.client.start_workflow_execution(domain="test-domain", workflowId="w1",
                                        workflowType={"name": "roled", "version": "1"})
    assert attrs(env.history()[0])["lambdaRole"] == "arn:aws:iam::1:role/default"
    env.decide(env.poll(), lambda_("l1", "fn", 7))
    assert attrs(_closing_event(env))["result"] == "7"


def test_handler_exception_gives_unhandled_error_with_lambda_payload(env) -> None:
    def broken(event, context):
        raise ValueError("Lambda failed")

    env.engine.add_lambda("fn", broken)
    env.start()
    env.decide(env.poll(), lambda_("l1", "fn", "x"))
    event = _closing_event(env)
    assert event["eventType"] == "LambdaFunctionFailed"
    failed = attrs(event)
    assert failed["reason"] == "UnhandledError"
    payload = json.loads(failed["details"])
    assert payload["errorType"] == "ValueError"
    assert payload["errorMessage"] == "Lambda failed"
    assert any("broken" in line for line in payload["stackTrace"])


def test_unknown_function_name_fails_to_start_with_a_clear_message(env) -> None:
    env.start()
    env.decide(env.poll(), lambda_("l1", "no-such-function", "x"))
    event = _closing_event(env)
    assert event["eventType"] == "StartLambdaFunctionFailed"
    assert "no-such-function" in attrs(event)["message"]
    assert "add_lambda" in attrs(event)["message"]


def test_oversize_result_fails_the_lambda_task_with_a_clear_reason(env) -> None:
    env.engine.add_lambda("big", lambda event, context: "x" * 40_000)
    env.start()
    env.decide(env.poll(), lambda_("l1", "big", None))
    failed = attrs(_closing_event(env))
    assert failed["reason"].startswith("ResultTooLarge")
    assert "32768" in failed["reason"]


def test_unserialisable_result_fails_like_lambda_marshalling(env) -> None:
    env.engine.add_lambda("obj", lambda event, context: object())
    env.start()
    env.decide(env.poll(), lambda_("l1", "obj", None))
    failed = attrs(_closing_event(env))
    assert failed["reason"] == "UnhandledError"
    assert json.loads(failed["details"])["errorType"] == "Runtime.MarshalError"


def test_overrunning_handler_times_out(env) -> None:
    release = threading.Event()

    def slow(event, context):
        release.wait(10)
        return "late"

    env.engine.add_lambda("slow", slow)
    env.start()
    try:
        env.decide(env.poll(), lambda_("l1", "slow", None, startToCloseTimeout="1"))
        event = _closing_event(env)
    finally:
        release.set()
    assert event["eventType"] == "LambdaFunctionTimedOut"
    assert attrs(event)["timeoutType"] == "START_TO_CLOSE"


def test_handler_gets_a_lambda_like_context(env) -> None:
    seen = {}

    def spy(event, context):
        seen.update(vars(context))
        seen["remaining"] = context.get_remaining_time_in_millis()
        return None

    env.engine.add_lambda("spy", spy)
    env.start()
    env.decide(env.poll(), lambda_("l1", "arn:aws:lambda:us-east-1:123456789012:function:spy",
                                   {"a": 1}))
    assert attrs(_closing_event(env))["result"] == "null"
    assert seen["function_name"] == "spy"
    assert seen["invoked_function_arn"].endswith(":function:spy")
    assert seen["aws_request_id"] and seen["memory_limit_in_mb"] == 128
    assert 0 < seen["remaining"] <= 900_000


def test_lambda_id_in_use_fails_the_schedule_decision(env) -> None:
    release = threading.Event()
    env.engine.add_lambda("wait", lambda event, context: release.wait(5))
    env.start()
    try:
        env.decide(env.poll(), lambda_("l1", "wait", None), lambda_("l1", "wait", None))
        events = env.history()
        failed = [e for e in events if e["eventType"] == "ScheduleLambdaFunctionFailed"]
        assert attrs(failed[0])["cause"] == "ID_ALREADY_IN_USE"
    finally:
        release.set()


def test_many_lambdas_complete_in_one_fan_out(env) -> None:
    env.engine.add_lambda("echo", lambda event, context: event)
    env.start()
    env.decide(env.poll(), *[lambda_(f"l{i}", "echo", i) for i in range(50)])
    done: list = []
    while len(done) < 50:
        task = env.poll()
        done = [e for e in task["events"] if e["eventType"] == "LambdaFunctionCompleted"]
        env.decide(task)
    assert sorted(json.loads(attrs(e)["result"]) for e in done) == list(range(50))


def test_input_that_is_not_json_fails_like_a_lambda_invocation(env) -> None:
    env.engine.add_lambda("fn", lambda event, context: event)
    env.start()
    env.decide(env.poll(), {"decisionType": "ScheduleLambdaFunction",
                            "scheduleLambdaFunctionDecisionAttributes": {
                                "id": "l1", "name": "fn", "input": "not json"}})
    failed = attrs(_closing_event(env))
    assert failed["reason"] == "InvalidRequestContentException"


def test_a_handler_that_exits_fails_its_task_and_the_engine_keeps_serving(env) -> None:
    def leaves(event, context):
        if event == "exit":
            raise SystemExit(3)
        raise KeyboardInterrupt

    env.engine.add_lambda("fn", leaves)
    env.engine.add_lambda("ok", lambda event, context: "still here")
    env.start()
    env.decide(env.poll(), lambda_("l1", "fn", "exit"), lambda_("l2", "fn", "interrupt"))
    task = env.poll()
    while sum(e["eventType"] == "LambdaFunctionFailed" for e in task["events"]) < 2:
        env.decide(task)  # the two may close in different decision tasks
        task = env.poll()
    failed = [attrs(e) for e in task["events"] if e["eventType"] == "LambdaFunctionFailed"]
    assert {f["reason"] for f in failed} == {"Runtime.ExitError"}
    messages = " | ".join(json.loads(f["details"])["errorMessage"] for f in failed)
    assert "SystemExit (3)" in messages and "KeyboardInterrupt (KeyboardInterrupt)" in messages
    env.decide(task, lambda_("l3", "ok", "x"))
    assert attrs(_closing_event(env))["result"] == '"still here"'


def test_an_unknown_function_is_told_what_the_engine_has_and_how_to_add_one(env) -> None:
    env.engine.add_lambda("string-upcase", lambda event, context: event)
    env.engine.set_missing_lambda_hint("map it with --lambdas MODULE")
    env.start()
    env.decide(env.poll(), lambda_("l1", "string-upcsae", "x"))
    message = attrs(_closing_event(env))["message"]
    assert "function:string-upcsae" in message
    assert "map it with --lambdas MODULE" in message
    assert "the functions it has are string-upcase" in message
