"""The engine's clock (wall time or virtual time) and its queue of due work.

With virtual time the clock only moves when the engine jumps it to the next due item, so
timers and timeouts of any length take no real time.
"""

from __future__ import annotations

import heapq
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Clock:
    """Seconds since the epoch: `time.time()`, or a virtual value moved by `set`."""

    def __init__(self, virtual: bool) -> None:
        self.virtual = virtual
        self._now = time.time()

    def now(self) -> float:
        return self._now if self.virtual else time.time()

    def set(self, value: float) -> None:
        if value > self._now:
            self._now = value


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
