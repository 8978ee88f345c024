"""`python -m pyflow.local serve` in a subprocess, driven over HTTP by a separate boto3
client (and by the AWS CLI when it is installed)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from pyflow.local import LocalSWF
from pyflow.local._server import serve

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
               "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pyflow.local", "serve", "--port", "0", "--virtual-time",
         "--poll-timeout", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("pyflow local SWF engine listening on http://127.0.0.1:"), first
        url = first.split()[-1]
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _client(url: str) -> Any:
    return boto3.client("swf", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="local", aws_secret_access_key="local",
                        config=Config(read_timeout=70, retries={"max_attempts": 0}))


def test_boto3_drives_a_workflow_over_http(server_url: str) -> None:
    client = _client(server_url)
    client.register_domain(name="http", workflowExecutionRetentionPeriodInDays="1")
    client.register_workflow_type(domain="http", name="wf", version="1",
                                  defaultTaskList={"name": "d"}, defaultChildPolicy="TERMINATE",
                                  defaultExecutionStartToCloseTimeout="3600",
                                  defaultTaskStartToCloseTimeout="30")
    run_id = client.start_workflow_execution(domain="http", workflowId="w",
                                             workflowType={"name": "wf", "version": "1"},
                                             input="World")["runId"]
    task = client.poll_for_decision_task(domain="http", taskList={"name": "d"})
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
        {"decisionType": "StartTimer", "startTimerDecisionAttributes": {
            "timerId": "t", "startToFireTimeout": "1800"}}])
    task = client.poll_for_decision_task(domain="http", taskList={"name": "d"})
    assert "TimerFired" in [e["eventType"] for e in task["events"]]
    client.respond_decision_task_completed(taskToken=task["taskToken"], decisions=[
        {"decisionType": "CompleteWorkflowExecution",
         "completeWorkflowExecutionDecisionAttributes": {"result": '"Hello World"'}}])
    info = client.describe_workflow_execution(domain="http",
                                              execution={"workflowId": "w", "runId": run_id})
    assert info["executionInfo"]["closeStatus"] == "COMPLETED"


def test_faults_arrive_as_modeled_exceptions_over_http(server_url: str) -> None:
    client = _client(server_url)
    with pytest.raises(client.exceptions.UnknownResourceFault):
        client.describe_domain(name="does-not-exist")
    client.register_domain(name="twice", workflowExecutionRetentionPeriodInDays="1")
    with pytest.raises(client.exceptions.DomainAlreadyExistsFault):
        client.register_domain(name="twice", workflowExecutionRetentionPeriodInDays="1")


# The dev extra installs the AWS CLI into the virtualenv, next to this interpreter.
AWS_CLI = shutil.which("aws", path=os.path.dirname(sys.executable)) or shutil.which("aws")


def test_aws_cli_works_with_endpoint_url(server_url: str) -> None:
    assert AWS_CLI, "the AWS CLI should be installed by the project's dev extra"
    env = {**os.environ, **CREDENTIALS}
    base = [AWS_CLI, "swf", "--endpoint-url", server_url, "--output", "json"]
    subprocess.run([*base, "register-domain", "--name", "cli",
                    "--workflow-execution-retention-period-in-days", "1"],
                   check=True, env=env, capture_output=True, timeout=60)
    out = subprocess.run([*base, "list-domains", "--registration-status", "REGISTERED"],
                         check=True, env=env, capture_output=True, text=True, timeout=60)
    assert "cli" in [d["name"] for d in json.loads(out.stdout)["domainInfos"]]
    missing = subprocess.run([*base, "describe-domain", "--name", "nope"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "UnknownResourceFault" in missing.stderr


def test_in_process_server_serves_an_existing_engine() -> None:
    with LocalSWF() as engine, serve(engine) as server:
        engine.client().register_domain(name="shared", workflowExecutionRetentionPeriodInDays="1")
        names = [d["name"] for d in _client(server.url).list_domains(
            registrationStatus="REGISTERED")["domainInfos"]]
        assert names == ["shared"]


def test_answers_leave_without_nagles_delay() -> None:
    # Headers and body leave in two writes; with Nagle's algorithm on, the body waited for the
    # client's delayed ACK (~40 ms on Linux), so every call took ~45 ms. The effect is measured
    # by benchmarks/compare_simpleflow.py (a timed unit test would be a flaky one).
    from pyflow.local._server import _Handler

    assert _Handler.disable_nagle_algorithm is True


def test_wrong_target_header_is_a_400_not_a_500(server_url: str) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(server_url, data=b"{}", method="POST",
                                     headers={"X-Amz-Target": "Other.Op"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400


def test_raw_json_protocol_errors_carry_type_in_body_and_header(server_url: str) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        server_url, data=json.dumps({"name": "nope"}).encode(), method="POST",
        headers={"X-Amz-Target": "SimpleWorkflowService.DescribeDomain",
                 "Content-Type": "application/x-amz-json-1.0"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400
    assert info.value.headers["x-amzn-ErrorType"] == "UnknownResourceFault"
    body = json.loads(info.value.read())
    assert body["__type"].endswith("#UnknownResourceFault") and "nope" in body["message"]


def test_python_m_pyflow_local_takes_the_same_options_as_pyflow_local_serve() -> None:
    def options(command: list[str]) -> list[str]:
        text = subprocess.run([*command, "serve", "--help"], capture_output=True, text=True,
                              timeout=60, check=True).stdout
        return sorted(word for word in text.split() if word.startswith("--"))

    module = options([sys.executable, "-m", "pyflow.local"])
    console = options([sys.executable, "-c", "from pyflow.cli import main; main()", "local"])
    assert module == console
    assert {"--lambdas", "--register", "--virtual-time", "--poll-timeout"} <= set(module)
