"""Every error the workflow model raises on purpose is a PyflowError that keeps its builtin base."""

from typing import Any

import pytest

import pyflow
from pyflow._exceptions import DefinitionError, DefinitionTypeError, UnknownTaskError


def test_unknown_task_name_is_a_pyflow_key_error_listing_the_tasks() -> None:
    wf = pyflow.Workflow("W", "1")
    wf.add(pyflow.TimerTask(name="Nap", duration=1))
    with pytest.raises(UnknownTaskError) as caught:
        wf["nope"]
    assert isinstance(caught.value, KeyError) and isinstance(caught.value, pyflow.PyflowError)
    assert str(caught.value) == (
        "workflow 'W' has no task named 'nope'; its tasks are 'start', 'Nap'"
    )


@pytest.mark.parametrize("timeout", [0, -5, 1.5, True, "60"])
def test_bad_activity_timeout_is_a_definition_error(timeout: Any) -> None:
    with pytest.raises(DefinitionError, match="activity 'resize' heartbeat_timeout must be"):
        pyflow.activity(name="resize", task_list="images", heartbeat_timeout=timeout)(len)
    with pytest.raises(ValueError):
        pyflow.activity(name="resize", task_list="images", heartbeat_timeout=timeout)(len)


def test_activity_of_something_not_callable_is_a_definition_type_error() -> None:
    not_a_function: Any = 42
    with pytest.raises(DefinitionTypeError, match="activity 'x': 42 is not callable"):
        pyflow.Activity(func=not_a_function, name="x", version="1", task_list="l")
    with pytest.raises(TypeError):
        pyflow.Activity(func=not_a_function, name="x", version="1", task_list="l")
