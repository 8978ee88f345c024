import pytest
from hypothesis import given
from hypothesis import strategies as st

import pyflow
from pyflow._workflow._payload import TRUNCATION_MARKER, decode, encode, truncate


def test_plain_string_input_is_not_json() -> None:
    assert decode("World") == "World"
    assert decode('"World"') == "World"
    assert decode('{"a": 1}') == {"a": 1}
    assert decode(None) is None


@given(st.text(), st.integers(min_value=0, max_value=200))
def test_truncate_never_exceeds_the_limit(text: str, limit: int) -> None:
    out = truncate(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
    elif limit >= len(TRUNCATION_MARKER):
        assert out.endswith(TRUNCATION_MARKER)


def test_encode_is_compact() -> None:
    assert encode({"a": [1, "é"]}) == '{"a":[1,"é"]}'


def _deep(levels: int) -> list[object]:
    value: list[object] = []
    for _ in range(levels):
        value = [value]
    return value


def test_a_param_nested_deeper_than_python_can_encode_is_a_definition_error() -> None:
    with pytest.raises(pyflow.DefinitionError, match="nested too deeply to encode"):
        pyflow.LambdaTask(name="Deep", lambda_function="f", param=_deep(100_000))


def test_lone_surrogates_are_refused_with_the_character_named() -> None:
    with pytest.raises(pyflow.DefinitionError, match=r"lone surrogate \(\\ud800\)"):
        pyflow.LambdaTask(name="Odd", lambda_function="f", param="a\ud800b")
    with pytest.raises(ValueError, match="lone surrogate"):
        encode({"text": "\udfff"})


def test_a_start_input_with_a_lone_surrogate_is_an_argument_error() -> None:
    from pyflow._client._executions import _encode_arg

    with pytest.raises(pyflow.ArgumentTypeError, match="workflow input must be a JSON value.*"
                       "lone surrogate"):
        _encode_arg("\ud83d", "workflow input", None)
