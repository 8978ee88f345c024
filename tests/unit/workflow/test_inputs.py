"""DESIGN.md's input rule and output selection, including the seed example exactly."""

from typing import Any

import pytest

import pyflow
from pyflow._workflow._inputs import assemble_input, build_input, encode_input, workflow_output
from tests.support.flows import seed


def test_seed_inputs() -> None:
    wf = seed()
    outputs: dict[str, Any] = {"start": "World", "UpperCaser": "WORLD", "Reverser": "DLROW",
                               "Sleep": None}
    assert build_input(wf["UpperCaser"], outputs) == "World"
    assert build_input(wf["Reverser"], outputs) == "WORLD"
    assert assemble_input(wf["Concat"], outputs) == {"param": "Hello",
                                                     "inputs": {"Reverser": "DLROW"}}
    assert build_input(wf["Concat"], outputs) == ["Hello", " ", "DLROW"]
    assert encode_input(wf["Concat"], outputs) == '["Hello"," ","DLROW"]'


def test_seed_output_is_single_sink() -> None:
    assert workflow_output(seed(), {"Concat": "Hello DLROW"}) == "Hello DLROW"


def test_param_only() -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", param={"k": 1}))
    assert build_input(t, {}) == {"k": 1}


def test_param_given_as_none_counts_as_a_source() -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", param=None,
                                 depends_on=[wf.start_task]))
    assert build_input(t, {"start": 5}) == {"param": None, "inputs": {"start": 5}}


def test_one_dependency_no_param() -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    b = wf.add(pyflow.LambdaTask(name="B", lambda_function="f", depends_on=[a]))
    assert build_input(b, {"A": [1, 2]}) == [1, 2]


def test_one_dependency_plus_param() -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    b = wf.add(pyflow.LambdaTask(name="B", lambda_function="f", param=3, depends_on=[a]))
    assert build_input(b, {"A": "x"}) == {"param": 3, "inputs": {"A": "x"}}


def test_several_dependencies() -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    b = wf.add(pyflow.SignalTask(name="B"))
    c = wf.add(pyflow.LambdaTask(name="C", lambda_function="f", depends_on=[a, b]))
    assert build_input(c, {"A": 1, "B": None}) == {"inputs": {"A": 1, "B": None}}


def test_only_timer_dependencies_give_none() -> None:
    wf = pyflow.Workflow("W", "1")
    t1 = wf.add(pyflow.TimerTask(name="T1", duration=1))
    t2 = wf.add(pyflow.TimerTask(name="T2", duration=2))
    c = wf.add(pyflow.LambdaTask(name="C", lambda_function="f", depends_on=[t1, t2]))
    assert build_input(c, {"T1": None, "T2": None}) is None


def test_no_dependencies_no_param_gives_none() -> None:
    wf = pyflow.Workflow("W", "1")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    assert build_input(a, {}) is None


def test_transform_input_raising_names_the_task() -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", param=1,
                                 transform_input=lambda v: v["missing"]))
    msg = "task 'A': transform_input raised TypeError"
    with pytest.raises(pyflow.TaskInputError, match=msg) as e:
        build_input(t, {})
    assert e.value.task_name == "A"
    assert e.value.details and "Traceback" in e.value.details


def test_non_json_input_is_a_task_input_error() -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", param=1,
                                 transform_input=lambda v: object()))
    with pytest.raises(pyflow.TaskInputError, match="task 'A': input is not JSON"):
        encode_input(t, {})


def test_oversize_input_is_a_task_input_error() -> None:
    wf = pyflow.Workflow("W", "1")
    t = wf.add(pyflow.LambdaTask(name="A", lambda_function="f", param="x" * 30_000,
                                 transform_input=lambda v: v + "y" * 10_000))
    with pytest.raises(pyflow.TaskInputError, match="task 'A' input is 40002 characters"):
        encode_input(t, {})


def test_output_task_chosen() -> None:
    wf = pyflow.Workflow("W", "1", output_task="A")
    a = wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="f", depends_on=[a]))
    assert workflow_output(wf, {"A": 1, "B": 2}) == 1


def test_several_sinks_give_a_dict_without_timers() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.LambdaTask(name="A", lambda_function="f"))
    wf.add(pyflow.LambdaTask(name="B", lambda_function="f"))
    wf.add(pyflow.TimerTask(name="T", duration=1))
    assert workflow_output(wf, {"A": 1, "B": 2, "T": None}) == {"A": 1, "B": 2}


def test_single_timer_sink_gives_none() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.TimerTask(name="T", duration=1, depends_on=[wf.start_task]))
    assert workflow_output(wf, {"start": 1, "T": None}) is None


def test_empty_workflow_output_is_its_input() -> None:
    wf = pyflow.Workflow("W", "1")
    assert workflow_output(wf, {"start": "in"}) == "in"
