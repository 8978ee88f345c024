"""`pyflow.Client` from a shell with no AWS configuration at all, against `pyflow local serve`:
the Python API needs no region and no credentials for a loopback endpoint, as the CLI."""

from __future__ import annotations

import json
import subprocess
import textwrap

from tests.support.processes import PYTHON, ROOT, bare_env

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
    result = subprocess.run(
        [str(PYTHON), "-c", SCRIPT], cwd=ROOT, env=bare_env(AWS_ENDPOINT_URL_SWF=server),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])
    assert seen["domain"] == "pyflow"
    assert (seen["status"], seen["result"]) == ("COMPLETED", "Hello DLROW")
    assert seen["tasks"]["Concat"] == "completed"
    assert seen["listed"] == ["client-1", "client-2"]
    assert seen["terminated"] == ["TERMINATED", "enough"]
    assert seen["history"] > 10
