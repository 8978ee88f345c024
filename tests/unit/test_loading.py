"""Finding objects in modules already imported: no files, no import machinery."""

from __future__ import annotations

from types import ModuleType

import pytest

import pyflow
from pyflow._exceptions import LoadError
from pyflow._loading import find_handler, load_object, objects_of


def _module(name: str, **values: object) -> ModuleType:
    module = ModuleType(name)
    vars(module).update(values)
    return module


def _upcase(event: object, context: object = None) -> object:
    return event


def _table_upcase(event: object, context: object = None) -> object:
    return event


def test_a_lambdas_table_wins_over_attributes() -> None:
    module = _module("m", upcase=_upcase, LAMBDAS={"string-upcase": _table_upcase})
    assert find_handler([module], "string-upcase", ["upcase"]) is _table_upcase


def test_the_first_module_with_a_callable_candidate_serves_it() -> None:
    empty = _module("empty", upcase=42)
    serving = _module("serving", upcase=_upcase)
    assert find_handler([empty, serving], "string-upcase", ["string_upcase", "upcase"]) is _upcase


def test_classes_are_not_handlers() -> None:
    module = _module("m", upcase=dict)
    assert find_handler([module], "string-upcase", ["upcase"]) is None


def test_objects_of_a_kind_come_once_each_in_definition_order() -> None:
    first = pyflow.Workflow("First", version="1")
    second = pyflow.Workflow("Second", version="1")
    one = _module("one", b=second, a=first, alias=second, other=3)
    two = _module("two", again=first)
    assert objects_of([one, two], pyflow.Workflow) == [second, first]


def test_a_target_without_an_attribute_is_a_load_error_with_an_example() -> None:
    with pytest.raises(LoadError, match="is not MODULE:ATTRIBUTE") as caught:
        load_object("handlers.strings")
    assert caught.value.hint == "for example handlers.strings:upcase"
    with pytest.raises(LoadError, match="'no such' is not a module name"):
        load_object("no such:thing")
