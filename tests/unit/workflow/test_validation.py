"""Every invalid definition raises a pyflow.PyflowError naming the task and the problem."""

import math

import pytest

import pyflow


def lam(name: str, **kw: object) -> pyflow.LambdaTask:
    return pyflow.LambdaTask(name=name, lambda_function="fn", **kw)  # type: ignore[arg-type]


def test_duplicate_task_name() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(lam("A"))
    with pytest.raises(pyflow.DuplicateTaskError, match="workflow 'W', task 'A'.*already used"):
        wf.add(lam("A"))


def test_start_task_name_is_taken() -> None:
    wf = pyflow.Workflow("W", "1")
    with pytest.raises(pyflow.DuplicateTaskError, match="task 'start'"):
        wf.add(lam("start"))


def test_task_added_twice() -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(lam("A"))
    with pytest.raises(pyflow.DuplicateTaskError, match="task 'A'.*already added"):
        wf.add(a)


def test_task_added_to_two_workflows() -> None:
    a = pyflow.Workflow("W", "1").add(lam("A"))
    with pytest.raises(pyflow.DuplicateTaskError, match="task 'A'.*belongs to workflow 'W'"):
        pyflow.Workflow("X", "1").add(a)


def test_dependency_never_added() -> None:
    wf = pyflow.Workflow("W", "1")
    loose = lam("Loose")
    with pytest.raises(pyflow.DependencyError, match="task 'B'.*'Loose' has not been added"):
        wf.add(lam("B", depends_on=[loose]))
    assert "B" not in wf  # a failed add leaves the workflow unchanged


def test_dependency_from_another_workflow() -> None:
    other = pyflow.Workflow("Other", "1")
    theirs = other.add(lam("Theirs"))
    wf = pyflow.Workflow("W", "1")
    with pytest.raises(pyflow.DependencyError, match="task 'B'.*belongs to workflow 'Other'"):
        wf.add(lam("B", depends_on=[theirs]))


def test_other_workflows_start_task() -> None:
    other = pyflow.Workflow("Other", "1")
    wf = pyflow.Workflow("W", "1")
    msg = "task 'B'.*'start' belongs to workflow 'Other'"
    with pytest.raises(pyflow.DependencyError, match=msg):
        wf.add(lam("B", depends_on=[other.start_task]))


def test_self_dependency_is_a_cycle() -> None:
    wf = pyflow.Workflow("W", "1")
    with pytest.raises(pyflow.CycleError, match="task 'A'.*itself"):
        wf.add(lam("A", depends_on=["A"]))


def test_cycle_through_forward_references() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(lam("A", depends_on=["C"]))
    wf.add(lam("B", depends_on=["A"]))
    with pytest.raises(pyflow.CycleError, match="task 'C'.*C -> B -> A -> C"):
        wf.add(lam("C", depends_on=["B"]))
    assert "C" not in wf


def test_param_not_json() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': param .* not JSON"):
        lam("A", param={1, 2})
    with pytest.raises(pyflow.DefinitionError, match="task 'A': param"):
        lam("A", param=math.nan)


def test_transform_input_not_callable() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': transform_input"):
        lam("A", transform_input="upper")


@pytest.mark.parametrize("retries", [-1, 1.5, True, "2"])
def test_bad_retries(retries: object) -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': num_retries"):
        lam("A", num_retries=retries)


@pytest.mark.parametrize("delay", [-1, math.inf, "5", None])
def test_bad_retry_delay(delay: object) -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': time_between_retries"):
        lam("A", time_between_retries=delay)


@pytest.mark.parametrize("duration", [0, -5, 1.5, "30", True, 40_000_000])
def test_bad_timer_duration(duration: object) -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'T': duration"):
        pyflow.TimerTask(name="T", duration=duration)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name",
    ["", "a:b", "a/b", "a|b", "tab\there", "bell\u0007", "del\u007f", "arn", "x" * 201, " lead"],
)
def test_task_names_swf_rejects(name: str) -> None:
    with pytest.raises(pyflow.InvalidNameError, match="task name"):
        lam(name)


@pytest.mark.parametrize("name", ["a:b", "arn", "x" * 257])
def test_workflow_names_swf_rejects(name: str) -> None:
    with pytest.raises(pyflow.InvalidNameError, match="workflow name"):
        pyflow.Workflow(name, "1")


def test_workflow_version_too_long() -> None:
    with pytest.raises(pyflow.InvalidNameError, match="version"):
        pyflow.Workflow("W", "v" * 65)


@pytest.mark.parametrize("fn", ["has space", "dots.not.allowed", "x" * 65, "", "a:b:c", "f/g"])
def test_lambda_names_lambda_rejects(fn: str) -> None:
    with pytest.raises(pyflow.InvalidNameError, match="task 'A': lambda_function"):
        pyflow.LambdaTask(name="A", lambda_function=fn)


@pytest.mark.parametrize("fn", ["string-upcase", "my_fn:prod", "fn:$LATEST", "fn:3"])
def test_lambda_names_accepted(fn: str) -> None:
    assert pyflow.LambdaTask(name="A", lambda_function=fn).lambda_function == fn


def test_signal_name_swf_rejects() -> None:
    with pytest.raises(pyflow.InvalidNameError, match="task 'S': signal_name"):
        pyflow.SignalTask(name="S", signal_name="a|b")


def test_activity_task_needs_a_type() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': an ActivityTask needs"):
        pyflow.ActivityTask(name="A", activity_type="resize")


def test_activity_type_names_checked() -> None:
    with pytest.raises(pyflow.InvalidNameError, match="task 'A': activity_type"):
        pyflow.ActivityTask(name="A", activity_type="re:size", activity_version="1")


def test_workflow_task_needs_a_type() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'C': a WorkflowTask needs"):
        pyflow.WorkflowTask(name="C", workflow_name="Other")


def test_lambda_timeout_range() -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': timeout"):
        pyflow.LambdaTask(name="A", lambda_function="f", timeout=901)


def test_add_rejects_non_tasks() -> None:
    with pytest.raises(pyflow.DefinitionError, match="workflow 'W'"):
        pyflow.Workflow("W", "1").add("A")  # type: ignore[type-var]
