"""The ids pyflow gives SWF, chosen so that history alone says which task and attempt an
event belongs to.

Attempts are numbered from 1. For a task named ``N`` (at most 200 characters, so every id
stays within SWF's 256):

=====================  ==========================  ===========================================
what                   SWF id                      example
=====================  ==========================  ===========================================
Lambda function        Lambda ``id`` ``N#k``         ``UpperCaser#1``
activity               ``activityId`` ``N#k``        ``resize#2``
TimerTask              ``timerId`` ``N#k``           ``Sleep#1``
retry back-off timer   ``timerId`` ``N#k#retry``     ``resize#2#retry`` (waits before attempt 2)
repeat delay timer     ``timerId`` ``N#k#repeat``    ``poll#4#repeat`` (waits before attempt 4,
                                                   the first of the next iteration)
signal task deadline   ``timerId`` ``N#k#timeout``   ``Approve#1#timeout`` (during attempt 1)
signal task notifier   Lambda ``id`` or ``activityId``  ``Approve#1#notify`` (hands out its token)
                       ``N#k#notify``
wake-up timer          ``timerId`` ``j#wake``        ``1#wake`` (j counts wake-ups from 1)
child workflow         ``workflowId`` ``P#N#k#h``    ``order-17#Ship#1#3f2a9c01``
=====================  ==========================  ===========================================

Attempts are counted over all iterations of a repeating task, so every attempt of every
iteration has its own id. Task ids always end in ``#<digits>``, retry timers in ``#retry``,
repeat timers in ``#repeat`` and wake-up timers in ``#wake``, so they never collide and an
id parses back without knowing the workflow: strip the suffix, then split at the last ``#``.

A child workflow id must be unique in the whole domain among OPEN executions, so it starts
with the parent's workflowId ``P`` and ends with ``h``, the first 8 hex digits of the sha256 of
the parent's runId. The run hash matters when ``P`` is reused after the parent closed while
a child of the old run is still open (child policy ABANDON, or REQUEST_CANCEL with a child
slow to stop): without it the new run's child would clash with the old one and fail with
WORKFLOW_ALREADY_RUNNING. It is a hash because runIds may hold ``+`` and ``/``, which SWF
does not allow in ids. When ``P#N#k#h`` would exceed 256 characters, it becomes
``<first 200 characters of P>#<sha256 of P#N, 24 hex>#k#h``. When the decider is not told the
execution, ``P`` is ``pyflow-<sha256 of the WorkflowExecutionStarted event, 20 hex>``; when
it is told no runId, ``#h`` is left out (``P#N#k``, the form before run hashes, which
`parse_child_id` still reads).

Every scheduling decision also carries ``control``, a JSON object ``{"task": N, "attempt": k}``
(plus ``"timer": "retry"``, ``"repeat"`` or ``"wake"`` for those timers). SWF echoes it into
the scheduling event (and into ``StartChildWorkflowExecutionFailed``), so correlation never
depends on parsing ids, which matters for hashed child ids; the failure events that carry no control
(``ScheduleActivityTaskFailed``, ``ScheduleLambdaFunctionFailed``, ``StartTimerFailed``) carry
an id that parses.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Final, Literal

ID_MAX: Final = 256
RETRY_SUFFIX: Final = "#retry"
REPEAT_SUFFIX: Final = "#repeat"
WAKE_SUFFIX: Final = "#wake"
RUN_HASH_LENGTH: Final = 8

FAILED_MARKER: Final = "pyflow.task-failed"
"""The marker pyflow records when a task fails while the decider builds its input (its
transform_input raised, its input is too large): details {"task", "reason", "details"}."""
TIMEOUT_SUFFIX: Final = "#timeout"
NOTIFY_SUFFIX: Final = "#notify"
TimerRole = Literal["task", "retry", "repeat", "timeout", "notify", "wake"]
"""What an id names: a task's attempt, the timers around it (a retry or repeat wait before it,
a signal task's deadline during it), a signal task's notifier call, or a wake-up."""
_WAITS: Final = {
    RETRY_SUFFIX: "retry",
    REPEAT_SUFFIX: "repeat",
    TIMEOUT_SUFFIX: "timeout",
    NOTIFY_SUFFIX: "notify",
}


@dataclass(frozen=True, slots=True)
class Ref:
    """What an id or control refers to: a task attempt, a retry or repeat wait, or a
    wake-up."""

    role: TimerRole
    task: str
    attempt: int


def task_id(name: str, attempt: int) -> str:
    """The Lambda id, activityId or timerId of one attempt of a task."""
    return f"{name}#{attempt}"


def part_id(name: str, attempt: int, role: TimerRole = "retry") -> str:
    """The timer that waits before `attempt` (the next one) of a task: a retry back-off, or
    the delay before a repeating task's next iteration; or (`role` 'timeout') a signal
    task's deadline during `attempt`, and ('notify') the id of its notifier call."""
    suffix = next(k for k, v in _WAITS.items() if v == role)
    return f"{name}#{attempt}{suffix}"


def wake_timer_id(number: int) -> str:
    return f"{number}{WAKE_SUFFIX}"


def control(name: str, attempt: int, role: TimerRole = "task") -> str:
    value: dict[str, Any] = {"task": name, "attempt": attempt}
    if role == "notify":
        value["part"] = role  # not a timer: the Lambda or activity that hands out a token
    elif role != "task":
        value["timer"] = role
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def wake_control(number: int) -> str:
    return json.dumps({"timer": "wake", "attempt": number}, separators=(",", ":"))


def parse_id(value: object) -> Ref | None:
    """The task attempt, retry or repeat wait, or wake-up an id names, or None if pyflow
    never makes it."""
    if not isinstance(value, str):
        return None
    role: TimerRole = "task"
    if value.endswith(WAKE_SUFFIX):
        number = value[: -len(WAKE_SUFFIX)]
        return Ref("wake", "", int(number)) if _is_count(number) else None
    for suffix, wait in _WAITS.items():
        if value.endswith(suffix):
            role, value = wait, value[: -len(suffix)]  # type: ignore[assignment]
            break
    name, sep, attempt = value.rpartition("#")
    if not sep or not name or not _is_count(attempt):
        return None
    return Ref(role, name, int(attempt))


def parse_control(value: object) -> Ref | None:
    """The reference a `control` string carries, or None if it is not pyflow's."""
    if not isinstance(value, str) or not value.startswith("{"):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    attempt = data.get("attempt")
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        return None
    timer = data.get("timer", "task")
    if timer == "wake":
        return Ref("wake", "", attempt)
    task = data.get("task")
    if data.get("part") == "notify":
        timer = "notify"
    if timer not in ("task", "retry", "repeat", "timeout", "notify"):
        return None
    if not isinstance(task, str) or not task:
        return None
    return Ref(timer, task, attempt)


def run_hash(run_id: str) -> str:
    """A short stand-in for a runId that is safe in an SWF id."""
    return hashlib.sha256(run_id.encode()).hexdigest()[:RUN_HASH_LENGTH]


def child_workflow_id(
    parent_id: str, name: str, attempt: int, run_id: str | None = None
) -> str:
    """A workflowId unique in the domain for one attempt of a child workflow task of one run
    of the parent."""
    suffix = f"#{run_hash(run_id)}" if run_id else ""
    plain = f"{parent_id}#{name}#{attempt}{suffix}"
    if len(plain) <= ID_MAX:
        return plain
    digest = hashlib.sha256(f"{parent_id}#{name}".encode()).hexdigest()[:24]
    return f"{parent_id[:200].rstrip()}#{digest}#{attempt}{suffix}"


def parse_child_id(
    workflow_id: object, parent_id: str | None, run_id: str | None = None
) -> Ref | None:
    """The task attempt a child workflowId of this parent names, or None (a hashed long id
    does not parse: the `control` of the scheduling event says which task it is)."""
    if not isinstance(workflow_id, str) or not parent_id:
        return None
    prefix = f"{parent_id}#"
    if not workflow_id.startswith(prefix):
        return None
    rest = workflow_id[len(prefix):]
    suffix = f"#{run_hash(run_id)}" if run_id else ""
    if suffix and rest.endswith(suffix):
        rest = rest[: -len(suffix)]
    ref = parse_id(rest)
    return ref if ref is not None and ref.role == "task" else None


def fallback_parent_id(started_event: object) -> str:
    """A stand-in for the parent's workflowId, derived from its first history event."""
    text = json.dumps(started_event, sort_keys=True, default=str)
    return "pyflow-" + hashlib.sha256(text.encode()).hexdigest()[:20]


def _is_count(text: str) -> bool:
    return text.isascii() and text.isdigit() and not text.startswith("0")
