"""Task constructors take exactly their declared options, so a misspelling fails loudly."""

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any, get_type_hints

import pytest

import pyflow
from pyflow._workflow._tasks import ExecutingTaskOptions, TaskOptions

# Each kind with the options it needs besides the common ones.
KINDS: dict[str, Callable[..., pyflow.Task]] = {
    "lambda": lambda **kw: pyflow.LambdaTask(lambda_function="f", **kw),
    "activity": lambda **kw: pyflow.ActivityTask(activity_type="a", activity_version="1", **kw),
    "workflow": lambda **kw: pyflow.WorkflowTask(workflow_name="w", workflow_version="1", **kw),
    "signal": lambda **kw: pyflow.SignalTask(**kw),
    "timer": lambda **kw: pyflow.TimerTask(duration=5, **kw),
}


@pytest.mark.parametrize("kind", KINDS)
def test_misspelled_option_is_a_type_error(kind: str) -> None:
    with pytest.raises(TypeError, match="got an unexpected keyword argument 'num_retrys'"):
        KINDS[kind](name="A", num_retrys=3)


@pytest.mark.parametrize("kind", KINDS)
def test_missing_name_is_a_type_error(kind: str) -> None:
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'name'"):
        KINDS[kind]()


@pytest.mark.parametrize("kind", KINDS)
def test_common_options_keep_their_defaults_on_every_kind(kind: str) -> None:
    task = KINDS[kind](name="A")
    assert (task.depends_on, task.has_param, task.transform_input) == ((), False, None)
    assert (task.num_retries, task.time_between_retries) == (0, 0)


@pytest.mark.parametrize("kind", KINDS)
def test_common_options_are_validated_on_every_kind(kind: str) -> None:
    with pytest.raises(pyflow.DefinitionError, match="task 'A': num_retries"):
        KINDS[kind](name="A", num_retries=-1)
    task = KINDS[kind](name="A", param={"k": 1}, num_retries=2, time_between_retries=1.5)
    assert (task.param, task.num_retries) == ({"k": 1}, 2)
    assert task.retry == pyflow.RetryPolicy(max_attempts=3, initial_interval=1.5, backoff_rate=1,
                                            max_interval=1.5, jitter="none")


LOOP_OPTIONS = {"repeat_until", "max_iterations", "repeat_delay", "for_each", "max_concurrency"}


def test_task_options_declare_exactly_the_base_constructor_keywords() -> None:
    keywords = set(inspect.signature(pyflow.Task.__init__).parameters) - {"self"}
    assert set(get_type_hints(ExecutingTaskOptions)) == keywords
    assert set(get_type_hints(TaskOptions)) == keywords - LOOP_OPTIONS - {"retry", "pass_context"}
    assert TaskOptions.__required_keys__ == {"name"}


@pytest.mark.parametrize("kind", ["signal", "timer"])
def test_loop_options_on_a_kind_that_cannot_repeat_are_a_definition_error(kind: str) -> None:
    with pytest.raises(pyflow.DefinitionError, match=f"task 'A': a {kind} task cannot repeat"):
        KINDS[kind](name="A", repeat_until=bool, max_iterations=3)


def test_mypy_reports_a_misspelled_option(tmp_path: Path) -> None:
    mypy_api: Any = pytest.importorskip("mypy.api")
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "import pyflow\n\npyflow.LambdaTask(name='a', lambda_function='f', num_retrys=3)\n"
    )
    stdout, _, status = mypy_api.run(
        ["--no-incremental", "--follow-imports=silent", "--no-error-summary", str(snippet)]
    )
    assert status == 1
    assert 'Unexpected keyword argument "num_retrys" for "LambdaTask"' in stdout
