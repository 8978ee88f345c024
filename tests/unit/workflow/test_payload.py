from hypothesis import given
from hypothesis import strategies as st

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
