"""`pyflow.Client` from a shell with no AWS configuration at all, against `pyflow local serve`:
the Python API needs no region and no credentials for a loopback endpoint, as the CLI, and
the module-level functions terminate, list (filtered, paged) and describe executions there."""

from __future__ import annotations

import json
import subprocess
import textwrap
from typing import Any

from tests.support.processes import PYTHON, ROOT, bare_env


def run_script(script: str, server: str) -> Any:
    """What `script`, run by Python in a shell that only knows the server, prints last as JSON."""
    result = subprocess.run(
        [str(PYTHON), "-c", script], cwd=ROOT, env=bare_env(AWS_ENDPOINT_URL_SWF=server),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


SCRIPT = textwrap.dedent(
    """
    import json, threading
    import pyflow
    from workflows.string_transformer import workflow

    client = pyflow.Client()              # AWS_ENDPOINT_URL_SWF only: no region, no keys
    client.register_domain()
    client.register(workflow, lambda_role="arn:aws:iam::000000000000:role/local")
    done = threading.Event()
    decider = threading.Thread(target=pyflow.poll_for_executions, args=(workflow,),
                               kwargs={"domain": client.domain, "client": client,
                                       "should_stop": done.is_set})
    decider.start()
    try:
        wid = client.start(workflow, input="World", workflow_id="client-1")
        outcome = client.wait_for_outcome(wid, workflow=workflow, timeout=60)
        waiting = client.start("StringTransformer", version="1.0", input="x",
                               workflow_id="client-2")
        client.terminate(waiting, reason="enough")
        listed = client.list_executions(status="closed", workflow_type="StringTransformer")
        stopped = client.describe("client-2")
    finally:
        done.set()
        decider.join()
    print(json.dumps({
        "domain": client.domain,
        "status": outcome.status,
        "result": outcome.result,
        "tasks": {name: t.state for name, t in outcome.tasks.items()},
        "listed": sorted(i["execution"]["workflowId"] for i in listed),
        "terminated": [stopped.status, stopped.reason],
        "history": len(client.history("client-1")),
    }))
    """
)


def test_client_runs_a_workflow_against_local_serve_with_no_aws_configuration(
    server: str,
) -> None:
    seen = run_script(SCRIPT, server)
    assert seen["domain"] == "pyflow"
    assert (seen["status"], seen["result"]) == ("COMPLETED", "Hello DLROW")
    assert seen["tasks"]["Concat"] == "completed"
    assert seen["listed"] == ["client-1", "client-2"]
    assert seen["terminated"] == ["TERMINATED", "enough"]
    assert seen["history"] > 10


API_SCRIPT = textwrap.dedent(
    """
    import json
    from datetime import UTC, datetime, timedelta
    import pyflow

    D = "pyflow"                          # module functions, default client: no AWS config
    for n in range(4):
        pyflow.start_workflow(domain=D, workflow_name="StringTransformer",
                              workflow_version="1.0", input="x", workflow_id=f"api-{n}",
                              tags=["other" if n == 3 else "api"])
    pyflow.terminate_workflow(domain=D, workflow_id="api-1", reason="not needed")
    pages, token = [], None
    while True:
        page = pyflow.list_executions(domain=D, tag="api", limit=2, page_token=token,
                                      since=datetime.now(UTC) - timedelta(hours=1))
        pages.append([info["execution"]["workflowId"] for info in page])
        token = page.next_page_token
        if token is None:
            break
    ids = lambda infos: [info["execution"]["workflowId"] for info in infos]
    stopped = pyflow.describe_execution(domain=D, workflow_id="api-1")
    try:
        pyflow.terminate_workflow(domain=D, workflow_id="api-1")
        again = "terminated twice"
    except pyflow.UnknownExecutionError as exc:
        again = str(exc)
    print(json.dumps({
        "pages": pages,
        "terminated": ids(pyflow.list_executions(domain=D, status="TERMINATED")),
        "open_api": ids(pyflow.list_executions(domain=D, status="open", tag="api")),
        "other": ids(pyflow.list_executions(domain=D, workflow_type="StringTransformer",
                                            tag="other", limit=None)),
        "stopped": [stopped.status, stopped.reason],
        "again": again,
    }))
    """
)


def test_module_functions_terminate_and_page_through_executions_on_local_serve(
    server: str,
) -> None:
    seen = run_script(API_SCRIPT, server)
    # Virtual time stands still while nothing runs, so the three start at one instant and
    # newest first says nothing about their order: each is on exactly one page.
    assert [len(page) for page in seen["pages"]] == [2, 1]
    assert sorted(sum(seen["pages"], [])) == ["api-0", "api-1", "api-2"]
    assert seen["terminated"] == ["api-1"]
    assert sorted(seen["open_api"]) == ["api-0", "api-2"]
    assert seen["other"] == ["api-3"]
    assert seen["stopped"] == ["TERMINATED", "not needed"]
    assert "no open execution with workflow id 'api-1'" in seen["again"]
