"""`pyflow.RetryPolicy`: its back-off schedule, its jitter, its error matching, its checks."""

from __future__ import annotations

from typing import Any

import pytest

import pyflow
from pyflow._workflow._retry import shorthand


def test_waits_double_from_the_initial_interval_up_to_the_maximum() -> None:
    policy = pyflow.RetryPolicy(max_attempts=8, initial_interval=2, backoff_rate=2,
                                max_interval=30, jitter="none")
    waits = [policy.delay(k, run="r", task="T", attempt=k + 1) for k in range(1, 7)]
    assert waits == [2, 4, 8, 16, 30, 30]


def test_full_jitter_stays_under_the_ceiling_and_replays_identically() -> None:
    policy = pyflow.RetryPolicy(max_attempts=10, initial_interval=4, backoff_rate=3)
    for failures in range(1, 9):
        ceiling = policy.ceiling(failures)
        first = policy.delay(failures, run="run-1", task="T", attempt=failures + 1)
        again = policy.delay(failures, run="run-1", task="T", attempt=failures + 1)
        assert 0 <= first <= ceiling and first == again
    spread = {policy.delay(3, run=f"run-{i}", task="T", attempt=4) for i in range(50)}
    assert len(spread) > 40  # different runs wait differently (no thundering herd)
    assert max(spread) > policy.ceiling(3) / 2 > min(spread)


def test_a_huge_backoff_is_capped_not_an_overflow() -> None:
    policy = pyflow.RetryPolicy(max_attempts=10_000, backoff_rate=100, jitter="none")
    assert policy.ceiling(5000) == 300


def test_the_shorthand_is_a_fixed_wait_without_jitter() -> None:
    assert shorthand(3, 5) == pyflow.RetryPolicy(
        max_attempts=4, initial_interval=5, backoff_rate=1, max_interval=5, jitter="none")
    task = pyflow.LambdaTask(name="A", lambda_function="f", num_retries=3,
                             time_between_retries=5)
    assert [task.retry.delay(k, run="r", task="A", attempt=k + 1) for k in (1, 2, 3)] == [5] * 3


@pytest.mark.parametrize(
    ("policy", "names", "retried"),
    [
        ({}, ("UnhandledError", "ValueError"), True),
        ({"non_retryable": ["ValueError"]}, ("UnhandledError", "ValueError"), False),
        ({"retry_on": ["Timeout"]}, ("Timeout",), True),
        ({"retry_on": ["Timeout"]}, ("UnhandledError", "KeyError"), False),
        ({"retry_on": ["ScheduleFailed"], "non_retryable": ["ACTIVITY_TYPE_DEPRECATED"]},
         ("ScheduleFailed", "ACTIVITY_TYPE_DEPRECATED"), False),
        ({"retry_on": ["ScheduleFailed"]}, ("ScheduleFailed", "OPEN_ACTIVITIES_LIMIT"), True),
    ],
)
def test_error_names_choose_what_is_retried(
    policy: dict[str, Any], names: tuple[str, ...], retried: bool
) -> None:
    assert pyflow.RetryPolicy(max_attempts=3, **policy).retries(names) is retried


BAD = [
    ({"max_attempts": 0}, "max_attempts must be a whole number >= 1"),
    ({"max_attempts": 2, "backoff_rate": 0.5}, "backoff_rate must be a number from 1"),
    ({"max_attempts": 2, "initial_interval": -1}, "initial_interval must be"),
    ({"max_attempts": 2, "jitter": "half"}, "jitter must be 'none' or 'full'"),
    ({"max_attempts": 2, "retry_on": "Timeout"}, "retry_on must be a list of error names"),
    ({"max_attempts": 2, "non_retryable": [3]}, "non_retryable holds 3"),
]


@pytest.mark.parametrize(("options", "message"), BAD)
def test_a_bad_policy_is_a_definition_error(options: dict[str, Any], message: str) -> None:
    with pytest.raises(pyflow.DefinitionError, match=message):
        pyflow.RetryPolicy(**options)


def test_retry_and_the_shorthand_together_are_refused() -> None:
    with pytest.raises(pyflow.DefinitionError,
                       match="task 'A': give either retry= or num_retries"):
        pyflow.LambdaTask(name="A", lambda_function="f", num_retries=2,
                          retry=pyflow.RetryPolicy(max_attempts=3))
    with pytest.raises(pyflow.DefinitionError, match="retry must be a pyflow.RetryPolicy"):
        pyflow.LambdaTask(name="A", lambda_function="f", retry=3)  # type: ignore[arg-type]


def test_timeout_and_the_option_it_stands_for_are_refused_together() -> None:
    with pytest.raises(pyflow.DefinitionError, match="give either timeout= or start_to_close"):
        pyflow.ActivityTask(name="A", activity_type="a", activity_version="1", timeout=5,
                            start_to_close_timeout=6)
    with pytest.raises(pyflow.DefinitionError, match="give either timeout= or execution_timeout"):
        pyflow.WorkflowTask(name="W", workflow_name="w", workflow_version="1", timeout=5,
                            execution_timeout=6)


def test_a_workflow_waits_a_year_by_default() -> None:
    assert pyflow.Workflow("W", "1").execution_timeout == 31_536_000
