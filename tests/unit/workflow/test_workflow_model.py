import pytest

import pyflow
from tests.support.flows import seed


def test_seed_definition_builds() -> None:
    wf = seed().validate()
    assert [t.name for t in wf.tasks] == ["start", "UpperCaser", "Reverser", "Sleep", "Concat"]
    assert wf["Concat"].dependencies == (wf["Sleep"], wf["Reverser"])
    assert [t.name for t in wf.sinks()] == ["Concat"]


def test_add_returns_the_task() -> None:
    wf = pyflow.Workflow("W", "1")
    task = pyflow.SignalTask(name="Approved")
    assert wf.add(task) is task
    assert task.workflow is wf
    assert "Approved" in wf and task in wf
    assert wf.get_task("Approved") is task


def test_unknown_task_lookup_names_workflow_and_task() -> None:
    wf = pyflow.Workflow("W", "1")
    with pytest.raises(KeyError, match="'W' has no task named 'nope'"):
        wf["nope"]


def test_signal_name_defaults_to_task_name() -> None:
    assert pyflow.SignalTask(name="Approved").signal_name == "Approved"
    assert pyflow.SignalTask(name="Wait", signal_name="Go").signal_name == "Go"


def test_start_task_output_is_first_and_produces_output() -> None:
    wf = pyflow.Workflow("W", "1")
    assert wf.tasks == (wf.start_task,)
    assert wf.start_task.kind == "start" and wf.start_task.produces_output


def test_timer_produces_no_output() -> None:
    assert not pyflow.TimerTask(name="t", duration=1).produces_output


def test_activity_task_from_declared_activity() -> None:
    @pyflow.activity(name="resize", version="1.0", task_list="images", heartbeat_timeout=30)
    def resize(image: str) -> str:
        return image

    task = pyflow.ActivityTask(name="Resize", activity=resize)
    assert (task.activity_type, task.activity_version) == ("resize", "1.0")
    assert task.task_list == "images"
    assert resize("x") == "x"
    assert resize.heartbeat_timeout == 30


def test_activity_task_by_type() -> None:
    task = pyflow.ActivityTask(
        name="R", activity_type="resize", activity_version="2", task_list="images"
    )
    assert (task.activity_type, task.activity_version, task.task_list) == ("resize", "2", "images")


def test_workflow_task_by_workflow_or_name() -> None:
    child = pyflow.Workflow("Child", "1.0", task_list="child-decider")
    by_obj = pyflow.WorkflowTask(name="C", workflow=child)
    assert (by_obj.workflow_name, by_obj.workflow_version) == ("Child", "1.0")
    assert by_obj.task_list == "child-decider" and by_obj.child_workflow is child
    by_name = pyflow.WorkflowTask(
        name="D", workflow_name="Other", workflow_version="3", task_list="other-decider"
    )
    assert by_name.child_workflow is None and by_name.workflow_name == "Other"


def test_forward_reference_by_name_resolves_when_added() -> None:
    wf = pyflow.Workflow("W", "1")
    b = wf.add(pyflow.LambdaTask(name="B", lambda_function="f", depends_on=["A"]))
    with pytest.raises(pyflow.DependencyError, match="'A' \\(needed by B\\)"):
        wf.validate()
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", depends_on=[wf.start_task]))
    assert b.dependencies == (a,)
    wf.validate()


def test_output_task_by_name_or_object() -> None:
    wf = pyflow.Workflow("W", "1", output_task="A")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    assert wf.resolved_output_task() is a
    other = pyflow.Workflow("X", "1")
    stranger = other.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    wf.output_task = stranger
    with pytest.raises(pyflow.DependencyError, match="output_task 'A'"):
        wf.validate()
