"""`@pyflow.activity`: a Python function declared as an SWF activity type."""

# The declaration is pure data (type name, version, task list, timeouts) so a workflow can
# schedule the activity without importing any worker machinery; the worker loop lives in the
# runtime.

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._exceptions import DefinitionError, DefinitionTypeError
from ._names import check_swf_name


def _check_timeout(value: int | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise DefinitionError(
            f"{what} must be a positive whole number of seconds, or None for no limit; "
            f"not {value!r}"
        )
    return value


@dataclass(frozen=True, kw_only=True)
class Activity:
    """An activity function with its SWF type and the defaults registered for it."""

    func: Callable[..., Any]
    """The function a worker calls with the task's decoded JSON input."""
    name: str
    """The SWF activity type name."""
    version: str
    """The SWF activity type version."""
    task_list: str
    """The task list workers poll and the type's default task list."""
    schedule_to_start_timeout: int | None = None
    """Seconds a task may wait for a worker; None means no limit."""
    start_to_close_timeout: int | None = 300
    """Seconds a worker may take once it has the task."""
    schedule_to_close_timeout: int | None = None
    """Seconds from scheduling to completion, queueing included; None means no limit."""
    heartbeat_timeout: int | None = None
    """Seconds allowed between heartbeats; None means heartbeats are not required."""
    description: str | None = None
    """Shown in the SWF console for the type."""

    def __post_init__(self) -> None:
        check_swf_name(self.name, "activity name")
        check_swf_name(self.version, f"activity {self.name!r} version", max_length=64)
        check_swf_name(self.task_list, f"activity {self.name!r} task list")
        if not callable(self.func):
            raise DefinitionTypeError(
                f"activity {self.name!r}: {self.func!r} is not callable; "
                "@pyflow.activity(...) decorates a function"
            )
        for attr in (
            "schedule_to_start_timeout",
            "start_to_close_timeout",
            "schedule_to_close_timeout",
            "heartbeat_timeout",
        ):
            _check_timeout(getattr(self, attr), f"activity {self.name!r} {attr}")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.func(*args, **kwargs)


def activity(
    *,
    name: str | None = None,
    version: str = "1.0",
    task_list: str,
    schedule_to_start_timeout: int | None = None,
    start_to_close_timeout: int | None = 300,
    schedule_to_close_timeout: int | None = None,
    heartbeat_timeout: int | None = None,
    description: str | None = None,
) -> Callable[[Callable[..., Any]], Activity]:
    """Declare a function as an SWF activity type (the name defaults to the function's)."""

    def wrap(func: Callable[..., Any]) -> Activity:
        return Activity(
            func=func,
            name=name or func.__name__,
            version=version,
            task_list=task_list,
            schedule_to_start_timeout=schedule_to_start_timeout,
            start_to_close_timeout=start_to_close_timeout,
            schedule_to_close_timeout=schedule_to_close_timeout,
            heartbeat_timeout=heartbeat_timeout,
            description=description or (func.__doc__ or "").strip().split("\n")[0] or None,
        )

    return wrap
