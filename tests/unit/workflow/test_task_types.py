"""ActivityTask and WorkflowTask name what they schedule the same two ways and reject the same
mistakes."""

from collections.abc import Callable
from typing import Any

import pytest

import pyflow
from pyflow._exceptions import DefinitionTypeError


@pyflow.activity(name="resize", version="2", task_list="images")
def resize(image: Any) -> Any:
    return image


CHILD = pyflow.Workflow("Child", "3", task_list="child-decider")

# Each kind as (build(**options), its object, its name keyword, its version keyword).
KINDS: dict[str, tuple[Callable[..., Any], object, str, str]] = {
    "activity": (
        lambda **kw: pyflow.ActivityTask(name="T", **kw),
        resize,
        "activity_type",
        "activity_version",
    ),
    "workflow": (
        lambda **kw: pyflow.WorkflowTask(name="T", **kw),
        CHILD,
        "workflow_name",
        "workflow_version",
    ),
}


@pytest.mark.parametrize("kind", KINDS)
def test_activity_and_type_name_together_is_an_error_for_both_task_kinds(kind: str) -> None:
    build, declared, name_kw, version_kw = KINDS[kind]
    with pytest.raises(pyflow.DefinitionError, match=f"task 'T': give either {kind}= or"):
        build(**{kind: declared, name_kw: "Other"})
    with pytest.raises(pyflow.DefinitionError, match=f"{name_kw}/{version_kw}, not both"):
        build(**{kind: declared, version_kw: "9"})


@pytest.mark.parametrize("kind", KINDS)
def test_neither_object_nor_name_and_version_is_an_error_for_both_task_kinds(kind: str) -> None:
    build, _, name_kw, version_kw = KINDS[kind]
    with pytest.raises(pyflow.DefinitionError, match=f"needs {kind}= or both {name_kw}= and"):
        build()
    with pytest.raises(pyflow.DefinitionError, match=f"needs {kind}="):
        build(**{name_kw: "Only-the-name"})


@pytest.mark.parametrize("kind", KINDS)
def test_wrong_object_is_a_definition_type_error_for_both_task_kinds(kind: str) -> None:
    build = KINDS[kind][0]
    with pytest.raises(DefinitionTypeError, match=f"task 'T': {kind} must be"):
        build(**{kind: len})
    with pytest.raises(TypeError):
        build(**{kind: "not-an-object"})


@pytest.mark.parametrize("kind", KINDS)
def test_object_gives_name_version_and_task_list_unless_overridden(kind: str) -> None:
    build, declared, name_kw, version_kw = KINDS[kind]
    task = build(**{kind: declared})
    expected = {"activity": ("resize", "2", "images"), "workflow": ("Child", "3", "child-decider")}
    assert (getattr(task, name_kw), getattr(task, version_kw), task.task_list) == (
        expected[kind]
    )
    assert build(**{kind: declared, "task_list": "elsewhere"}).task_list == "elsewhere"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("field", ["name", "version", "task_list"])
def test_names_given_by_keyword_are_checked_for_both_task_kinds(kind: str, field: str) -> None:
    build, _, name_kw, version_kw = KINDS[kind]
    options = {name_kw: "N", version_kw: "1", "task_list": "L"}
    keyword = {"name": name_kw, "version": version_kw, "task_list": "task_list"}[field]
    options[keyword] = "bad:name"
    with pytest.raises(pyflow.InvalidNameError, match=f"task 'T': {keyword} 'bad:name'"):
        build(**options)
