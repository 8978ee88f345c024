"""The decider Lambda's configuration, read from the environment the CDK stack sets."""

from __future__ import annotations

import pytest

import pyflow
from pyflow.aws_lambda import DeciderConfig


def test_config_reads_every_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"PYFLOW_DOMAIN": "d", "PYFLOW_TASK_LIST": "t", "PYFLOW_LAMBDA_ROLE": "r",
                        "PYFLOW_WORKFLOWS": "mine", "PYFLOW_ITERATIONS": "7"}.items():
        monkeypatch.setenv(name, value)
    assert DeciderConfig.from_environment() == DeciderConfig(
        domain="d", task_list="t", lambda_role="r", package="mine", iterations=7
    )


def test_without_iterations_the_deadline_alone_stops_the_decider(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PYFLOW_DOMAIN", "d")
    monkeypatch.setenv("PYFLOW_TASK_LIST", "t")
    monkeypatch.delenv("PYFLOW_ITERATIONS", raising=False)
    assert DeciderConfig.from_environment().iterations is None


def test_missing_settings_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYFLOW_DOMAIN", raising=False)
    monkeypatch.delenv("PYFLOW_TASK_LIST", raising=False)
    with pytest.raises(pyflow.ConfigurationError, match="PYFLOW_DOMAIN, PYFLOW_TASK_LIST"):
        DeciderConfig.from_environment()


@pytest.mark.parametrize("iterations", ["0", "-3", "many"])
def test_iterations_must_be_a_positive_number(
    monkeypatch: pytest.MonkeyPatch, iterations: str
) -> None:
    monkeypatch.setenv("PYFLOW_DOMAIN", "d")
    monkeypatch.setenv("PYFLOW_TASK_LIST", "t")
    monkeypatch.setenv("PYFLOW_ITERATIONS", iterations)
    with pytest.raises(pyflow.ConfigurationError, match="PYFLOW_ITERATIONS"):
        DeciderConfig.from_environment()
