"""Several activity pollers in one process: each its own poll, heartbeats and cancellation."""

# Signals reach only the main thread, so the main thread owns the stop: it installs the
# handlers and the pollers share its stop flag. A poller in a long poll is not interrupted (a
# task handed to it must be run, not dropped); it sees the stop when the poll returns.

from __future__ import annotations

import threading
from collections.abc import Callable

from .._exceptions import ArgumentTypeError, InvalidArgumentError
from ._loop import StopControl, check_iterations, repeat, stop_on_signals


def check_concurrency(concurrency: object) -> int:
    if isinstance(concurrency, bool) or not isinstance(concurrency, int):
        raise ArgumentTypeError(f"concurrency must be an int, not {concurrency!r}")
    if concurrency < 1:
        raise InvalidArgumentError(f"concurrency must be at least 1, not {concurrency}")
    return concurrency


def run_pool(
    make_iterate: Callable[[int], Callable[[StopControl], bool]],
    concurrency: int,
    *,
    num_iterations: int | None,
    should_stop: Callable[[], bool] | None,
) -> None:
    """Run `concurrency` loops of `make_iterate(i)` on threads until each ends (after
    `num_iterations` polls each, a stop request, or SIGINT/SIGTERM); a poller's error is
    raised here once every poller has stopped."""
    check_iterations(num_iterations)
    control = StopControl(should_stop)
    errors: list[BaseException] = []

    def poller(number: int) -> None:
        own = StopControl(should_stop)
        own.event = control.event  # one stop for all
        try:
            repeat(make_iterate(number), own, num_iterations)
        except BaseException as exc:  # reported by the main thread, after the others stop
            errors.append(exc)
            control.event.set()

    threads = [
        threading.Thread(target=poller, args=(i,), name=f"pyflow-worker-{i}", daemon=True)
        for i in range(1, concurrency + 1)
    ]
    with stop_on_signals(control):
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(0.2)
    if errors:
        raise errors[0]
