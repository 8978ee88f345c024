"""What the decider loop and the activity worker share: iteration counting, graceful stop and
backoff after failed polls.

SIGINT/SIGTERM finish the task in hand, then stop.

A signal that arrives while the loop is blocked in a long poll (holding no task) interrupts the
poll at once rather than after up to 60 s. A task SWF handed out in that instant is lost to
this process only: SWF times it out and hands it to another poller. A second signal during a
task aborts at once (KeyboardInterrupt), for the impatient operator.

Handlers are installed only in the main thread (Python allows no other) and restored on exit.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from botocore.exceptions import ParamValidationError

from .._client._faults import fault_code, unknown_domain
from .._exceptions import ArgumentTypeError, InvalidArgumentError

_log = logging.getLogger("pyflow.runtime")
_SIGNALS = (signal.SIGINT, signal.SIGTERM)

ERROR_BACKOFF_MIN = 0.5
ERROR_BACKOFF_MAX = 30.0
"""After botocore's own retries are spent, a failing poll pauses this long (doubling up to the
maximum) rather than spinning, and the loop carries on."""


class PollInterrupted(BaseException):
    """Raised inside a blocked poll by the signal handler; the loop catches it and stops.

    A BaseException so that no `except Exception` in botocore or urllib3 swallows it.
    """


class StopControl:
    """Shared between a loop and its signal handlers: the stop flag and whether the loop is
    idle in a poll (safe to interrupt) or busy with a task (finish it first)."""

    def __init__(self, should_stop: Callable[[], bool] | None = None) -> None:
        self.event = threading.Event()
        self.polling = False
        self._should_stop = should_stop

    def stop_requested(self) -> bool:
        if self.event.is_set():
            return True
        return bool(self._should_stop and self._should_stop())

    def sleep(self, seconds: float) -> None:
        """Back off, waking early (within 0.1 s) when a stop is requested."""
        deadline = time.monotonic() + seconds
        while not self.stop_requested():
            left = deadline - time.monotonic()
            if left <= 0:
                return
            self.event.wait(min(left, 0.1))

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if self.event.is_set() and not self.polling:
            raise KeyboardInterrupt(f"second {name}: aborting the task in hand")
        self.event.set()
        if self.polling:
            _log.info("%s received while polling: stopping", name)
            raise PollInterrupted(name)
        _log.info("%s received: finishing the current task, then stopping", name)


@contextmanager
def stop_on_signals(control: StopControl) -> Iterator[StopControl]:
    if threading.current_thread() is not threading.main_thread():
        yield control
        return
    previous: dict[int, Any] = {}
    try:
        for sig in _SIGNALS:
            previous[sig] = signal.signal(sig, control.on_signal)
        yield control
    finally:
        for signum, handler in previous.items():
            # None means a handler installed from C; the default is the closest we can restore.
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def check_iterations(num_iterations: object) -> None:
    if num_iterations is not None and (
        isinstance(num_iterations, bool) or not isinstance(num_iterations, int)
    ):
        raise ArgumentTypeError(f"num_iterations must be an int or None, not {num_iterations!r}")
    if num_iterations is not None and num_iterations < 0:
        raise InvalidArgumentError(f"num_iterations must be None or >= 0, not {num_iterations}")


def run_loop(
    iterate: Callable[[StopControl], bool],
    *,
    num_iterations: int | None,
    should_stop: Callable[[], bool] | None,
) -> None:
    """Call `iterate` up to `num_iterations` times (forever if None), checking for a stop
    before each call; `iterate` returns False to end the loop."""
    check_iterations(num_iterations)
    control = StopControl(should_stop)
    with stop_on_signals(control):
        repeat(iterate, control, num_iterations)


def repeat(
    iterate: Callable[[StopControl], bool], control: StopControl, num_iterations: int | None
) -> None:
    """The loop itself, once the stop is wired: up to `num_iterations` calls, each after a
    check for a stop."""
    done = 0
    while num_iterations is None or done < num_iterations:
        if control.stop_requested():
            return
        done += 1
        if not iterate(control):
            return


class Backoff:
    """Growing pauses between failed polls, reset by a successful one."""

    def __init__(self) -> None:
        self.delay = ERROR_BACKOFF_MIN
        self.failing = False

    def reset(self, log: logging.Logger | None = None, what: str = "") -> None:
        """After a successful poll; says so once when it follows failed ones, so a log that
        showed the connection lost also shows it back."""
        if self.failing and log is not None:
            log.info("polling %s works again", what)
        self.failing = False
        self.delay = ERROR_BACKOFF_MIN

    def pause(self, control: StopControl) -> None:
        control.sleep(self.delay)
        self.delay = min(self.delay * 2, ERROR_BACKOFF_MAX)

    def after_failed_poll(
        self, exc: BaseException, control: StopControl, *, domain: str, what: str,
        log: logging.Logger,
    ) -> None:
        """Pause before polling again, or raise when polling again cannot help: an unknown
        domain, or arguments botocore rejects."""
        if fault_code(exc) == "UnknownResourceFault":
            raise unknown_domain(domain) from exc
        if isinstance(exc, ParamValidationError):
            raise exc
        self.failing = True
        log.warning(
            "polling %s failed (%s: %s); retrying in %.1f s",
            what, type(exc).__name__, exc, self.delay,
        )
        self.pause(control)
