"""`pyflow graph`: Mermaid and DOT text from the model alone (no SWF)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from click.testing import Result

import pyflow
from pyflow.cli._graph import dot, mermaid

FLOW = """
import pyflow

@pyflow.activity(name="resize", version="2", task_list="images")
def resize(event):
    return event

workflow = pyflow.Workflow("Flow", version="1.0")
up = workflow.add(pyflow.LambdaTask(name="Up", lambda_function="string-upcase",
                                    depends_on=[workflow.start_task]))
act = workflow.add(pyflow.ActivityTask(name="Resize", activity=resize, depends_on=[up]))
ok = workflow.add(pyflow.SignalTask(name="Approve", signal_name="Approved"))
nap = workflow.add(pyflow.TimerTask(name="Nap", duration=5, depends_on=[act, ok]))
"""


@dataclass
class State:
    state: str
    attempts: int = 1


def _workflow() -> pyflow.Workflow:
    wf = pyflow.Workflow("Quote\"Flow", version="1.0")
    a = wf.add(
        pyflow.LambdaTask(name='say "hi" <b>', lambda_function="f", depends_on=[wf.start_task])
    )
    wf.add(pyflow.TimerTask(name="Wait", duration=30, depends_on=[a]))
    wf.add(pyflow.WorkflowTask(name="Child", workflow_name="Other", workflow_version="3",
                               depends_on=[a]))
    return wf


def test_mermaid_has_one_node_per_task_and_one_edge_per_dependency() -> None:
    text = mermaid(_workflow())
    assert "flowchart TD" in text
    nodes = re.findall(r"^    (t\d+)[\[\(\{>]", text, flags=re.M)
    assert nodes == ["t0", "t1", "t2", "t3"]
    assert re.findall(r"^    (t\d) --> (t\d)$", text, flags=re.M) == [
        ("t0", "t1"), ("t1", "t2"), ("t1", "t3")
    ]


def test_mermaid_labels_name_the_task_type_and_escape_markup() -> None:
    text = mermaid(_workflow())
    assert "lambda f" in text and "timer 30s" in text and "workflow Other 3" in text
    assert 'say #quot;hi#quot; #lt;b#gt;' in text
    # every label is one quoted string: no raw quote inside a node definition
    for line in text.splitlines():
        if re.match(r"^    t\d+[\[\(\{>]", line):
            assert line.count('"') == 2, line
    assert 'title: "Quote\\"Flow 1.0"' in text


def test_mermaid_colours_tasks_by_state() -> None:
    wf = _workflow()
    states = {"start": State("completed"), 'say "hi" <b>': State("failed", attempts=3),
              "Wait": State("running")}
    text = mermaid(wf, states)
    assert "classDef failed fill:#ffcdd2" in text
    assert "class t1 failed" in text
    assert "class t0 completed" in text
    assert "class t2 running" in text
    assert "class t3 waiting" in text  # no state yet
    assert "failed, 3 attempts" in text


def test_dot_is_a_digraph_with_edges_and_state_fill() -> None:
    wf = _workflow()
    text = dot(wf, {"Wait": State("completed")})
    assert text.startswith('digraph "Quote\\"Flow 1.0" {')
    assert "t0 -> t1;" in text and "t1 -> t2;" in text and "t1 -> t3;" in text
    assert re.search(r't2 \[label="Wait\\ntimer 30s\\n\(completed\)".*fillcolor="#c8e6c9"', text)
    assert 'label="say \\"hi\\" <b>\\nlambda f\\n(waiting)"' in text
    assert text.rstrip().endswith("}")


def test_graph_command_prints_mermaid_for_module_attribute(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("flows_graph", FLOW)
    result = invoke("graph", "flows_graph:workflow")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("---\ntitle: \"Flow 1.0\"\n---\nflowchart TD\n")
    assert "activity resize 2" in result.stdout
    assert "signal Approved" in result.stdout
    assert "classDef" not in result.stdout  # no execution, no colours


def test_graph_command_writes_dot_to_a_file(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str], tmp_path: object
) -> None:
    user_module("flows_graph2", FLOW)
    out = f"{tmp_path}/flow.dot"
    result = invoke("graph", "flows_graph2", "--format", "dot", "-o", out)
    assert result.exit_code == 0, result.output
    text = open(out, encoding="utf-8").read()
    assert "shape=hexagon" in text and "t3 -> t4;" in text


def test_graph_of_a_missing_module_is_one_clear_error(invoke: Callable[..., Result]) -> None:
    result = invoke("graph", "no_such_module_xyz:workflow")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: no module named 'no_such_module_xyz'",
        "Hint: run pyflow from the directory that holds the module, or add it to PYTHONPATH",
    ]


def test_graph_of_an_attribute_that_is_not_a_workflow(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    user_module("flows_graph3", FLOW)
    result = invoke("graph", "flows_graph3:resize")
    assert result.exit_code == 1
    assert "Error: 'flows_graph3:resize' is not a pyflow.Workflow (it is Activity)" in result.stderr
    result = invoke("graph", "flows_graph3:nothing")
    assert "has no attribute 'nothing'" in result.stderr


def test_graph_json_lists_tasks_with_dependencies(
    invoke: Callable[..., Result], user_module: Callable[[str, str], str]
) -> None:
    import json

    user_module("flows_graph4", FLOW)
    result = invoke("graph", "flows_graph4:workflow", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "Flow"
    assert [(t["name"], t["dependsOn"]) for t in data["tasks"]] == [
        ("start", []), ("Up", ["start"]), ("Resize", ["Up"]), ("Approve", []),
        ("Nap", ["Resize", "Approve"]),
    ]


def test_mermaid_title_keeps_angle_brackets_visible() -> None:
    wf = pyflow.Workflow('Weird "names" <v>', version="1.0")
    text = mermaid(wf)
    assert 'title: "Weird \\"names\\" ‹v› 1.0"' in text
    assert "<v>" not in text
