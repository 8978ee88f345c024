"""The engine's clock (wall time or virtual time) and its queue of due work.

A virtual clock either stands still or flows at the real-time rate: it flows while a worker,
decider or Lambda handler holds a task (their time is real), and while it stands still the
engine may jump it to the next due item, so idle timers and timeouts take no real time
(see `_ticker` for the rule).
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Clock:
    """Seconds since the epoch: `time.time()`, or a virtual value that `set` moves forward
    and that follows real time (monotonic, so wall-clock steps do not leak in) between
    `flow(True)` and `flow(False)`.

    `pin` holds the reading still until `unpin`, so that what one request records (a
    TimerStarted event and the timer's due time, say) happens at one instant even while the
    clock flows: a 3600 s timer then fires exactly 3600 s after it started.
    """

    def __init__(self, virtual: bool) -> None:
        self.virtual = virtual
        self._base = time.time()
        self._since: float | None = None
        """`time.monotonic()` when the virtual clock started to flow, None while it stands."""
        self._pinned: float | None = None

    @property
    def flowing(self) -> bool:
        return self._since is not None

    @property
    def pinned(self) -> bool:
        return self._pinned is not None

    def now(self) -> float:
        return self._pinned if self._pinned is not None else self._reading()

    def _reading(self) -> float:
        if not self.virtual:
            return time.time()
        if self._since is None:
            return self._base
        return self._base + (time.monotonic() - self._since)

    def pin(self) -> None:
        self._pinned = self._reading()

    def unpin(self) -> None:
        self._pinned = None

    def set(self, value: float) -> None:
        """Jump forward to `value` (never backward)."""
        current = self._reading()
        if value <= current:
            return
        if self._since is None:
            self._base = value
        else:
            self._base += value - current
        if self._pinned is not None:
            self._pinned = max(self._pinned, value)

    def flow(self, on: bool) -> None:
        """Let virtual time follow real time (`on`), or freeze it where it is now."""
        if on and self._since is None:
            self._since = time.monotonic()
        elif not on and self._since is not None:
            self._base, self._since = self._reading(), None


@dataclass(eq=False)
class Due:
    """A callback to run once the clock reaches `at`."""

    at: float
    fire: Callable[[], None]
    cancelled: bool = False
    driving: set[Due] | None = None

    def cancel(self) -> None:
        self.cancelled = True
        if self.driving is not None:
            self.driving.discard(self)


@dataclass
class DueQueue:
    """A heap of `Due` items ordered by time, then by insertion (lazy cancellation)."""

    _heap: list[tuple[float, int, Due]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    driving: set[Due] = field(default_factory=set)
    """Live items that may pull virtual time forward (all but execution timeouts)."""

    def add(self, at: float, fire: Callable[[], None], *, drives_clock: bool = True) -> Due:
        due = Due(at, fire, driving=self.driving if drives_clock else None)
        if drives_clock:
            self.driving.add(due)
        heapq.heappush(self._heap, (at, next(self._seq), due))
        return due

    def next_time(self) -> float | None:
        """The time of the earliest live item, dropping cancelled ones on the way."""
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> Due | None:
        """Remove and return the earliest live item due at or before `now`."""
        at = self.next_time()
        if at is None or at > now:
            return None
        due = heapq.heappop(self._heap)[2]
        due.cancel()
        return due


def cancel(due: Due | None) -> None:
    if due is not None:
        due.cancel()


def duration(value: str | None) -> int | None:
    """Seconds from an SWF duration string; None for 'NONE' or unset (no limit)."""
    if value is None or value == "NONE":
        return None
    return int(value)
