"""`pyflow signal --token`: the arguments it refuses, before any SWF call."""

from __future__ import annotations

from collections.abc import Callable

from click.testing import Result

from pyflow._workflow._tokens import encode_token


def test_a_token_that_pyflow_did_not_make_is_refused(invoke: Callable[..., Result]) -> None:
    result = invoke("signal", "--token", "abc", "--endpoint-url", "http://127.0.0.1:9")
    assert result.exit_code != 0
    assert "'abc' is not a pyflow signal token" in result.stderr


def test_a_token_and_an_execution_together_are_refused(invoke: Callable[..., Result]) -> None:
    token = encode_token("d", "w", "s")
    result = invoke("signal", "w", "s", "--token", token, "--endpoint-url", "http://127.0.0.1:9")
    assert result.exit_code != 0
    assert "give either --token or WORKFLOW_ID SIGNAL_NAME, not both" in result.stderr


def test_neither_a_token_nor_an_execution_is_refused(invoke: Callable[..., Result]) -> None:
    result = invoke("signal", "--endpoint-url", "http://127.0.0.1:9")
    assert result.exit_code != 0
    assert "give WORKFLOW_ID and SIGNAL_NAME, or --token TOKEN" in result.stderr
