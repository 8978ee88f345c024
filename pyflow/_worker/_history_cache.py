"""What the decider loop remembers between decision tasks: per run, the history pass's state
at its last decision, and how to read only the events after it.

SWF histories only grow, so a state built from events 1..k stays right for any later task
of the run, whoever decided the tasks in between: a task needs only events k+1.. . The
loop polls newest first (`reverseOrder`) with a page size fitted to how many events recent
tasks brought, and stops paging once it reaches event k+1. Without a state (a new run, a
restarted process, a cold Lambda, a run this process never saw or evicted) it reads the
whole history and gets the same decisions: the state only saves work.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._decider._history import History
from .._workflow._definition import Workflow

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef

CACHED_RUNS = 256
"""Runs whose state one process keeps; the least recently decided is dropped first."""
MAX_PAGE = 1000
"""SWF's largest page: full reads use it, so they take as few calls as possible."""
_FIRST_PAGE = 100
"""The first poll's page size before any task has shown how many events tasks bring."""
_RECENT = 16
"""How many recent tasks' new-event counts size the first page."""
_FOLLOW_UP_PAGES = 2
"""Further poll pages worth reading at the small size before switching to full pages."""
_CALL_COST = 75
"""One more page's round trip, in events parsed (measured: ~1.5 ms against ~20 µs an event)."""


@dataclass
class Kept:
    """The state of one run after the events up to `last_event_id`, before planning."""

    workflow: Workflow
    history: History
    last_event_id: int


class HistoryCache:
    """A bounded LRU of `Kept` states by (domain, workflowId, runId), safe across threads.

    `take` removes the entry it returns, so a state is only ever folded by one loop at a
    time (SWF hands a run's decision task to one decider at a time, but a second loop of the
    same process could get the next task while the first still holds the state)."""

    def __init__(self, size: int = CACHED_RUNS) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, str, str], Kept] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: tuple[str, str, str], workflow: Workflow) -> Kept | None:
        with self._lock:
            kept = self._entries.pop(key, None)
        return kept if kept is not None and kept.workflow is workflow else None

    def put(self, key: tuple[str, str, str], kept: Kept) -> None:
        with self._lock:
            self._entries[key] = kept
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


SHARED = HistoryCache()
"""The process's cache: every decider loop of the process (and every invocation of a warm
Lambda) uses it."""


class PageSizer:
    """Chooses the first poll's page size: the one that would have cost least over the recent
    tasks, each either fitting the first page or paying `read_back`'s further pages. A size
    just above the largest would make one burst (a decision scheduling a hundred tasks) cost
    every following small task a page mostly of events already seen."""

    def __init__(self) -> None:
        self._recent: deque[int] = deque(maxlen=_RECENT)

    def size(self) -> int:
        if not self._recent:
            return _FIRST_PAGE
        recent = tuple(self._recent)
        candidates = sorted({min(MAX_PAGE, n + max(8, n // 4)) for n in recent})
        return min(candidates, key=lambda size: sum(read_cost(size, n) for n in recent))

    def saw(self, new_events: int) -> None:
        """A task brought `new_events` (a cold read of a long history says nothing here)."""
        if new_events <= MAX_PAGE:
            self._recent.append(new_events)


def read_cost(size: int, new_events: int) -> int:
    """Events parsed, with each further call counted as `_CALL_COST` events, to read
    `new_events` starting with a first page of `size` (as `read_back` pages)."""
    if new_events <= size:
        return size
    remaining = new_events - size
    if size >= MAX_PAGE or remaining <= _FOLLOW_UP_PAGES * size:
        pages = -(-remaining // size)
        return size * (1 + pages) + _CALL_COST * pages
    pages = -(-remaining // MAX_PAGE)
    return size + MAX_PAGE * pages + _CALL_COST * pages


@dataclass
class Read:
    """What reading one decision task's history gave."""

    events: list[HistoryEventTypeDef]
    """The events to fold, oldest first: those after the kept state, or all of them."""
    top: int
    """The newest event id read (the task's DecisionTaskStarted)."""
    pages: int
    events_read: int


Fetch = Callable[..., Any]


def read_back(
    first: Any,
    *,
    since: int,
    poll_page: Fetch,
    history_page: Fetch,
    page_size: int,
) -> Read | None:
    """The events after `since` (0: all), from a newest-first first page and what follows.

    `poll_page(token)` gets the task's next poll page (same page size); `history_page(token,
    reverse)` a GetWorkflowExecutionHistory page of MAX_PAGE events, used when the poll's
    pages are small and more than a few of them remain. None if the pages do not join up
    into ids since+1..top (an engine that pages differently): the caller then reads
    everything afresh."""
    pages, read = 1, len(first.get("events", ()))
    by_id: dict[int, HistoryEventTypeDef] = {}
    _add(by_id, first.get("events", ()))
    if not by_id:
        return None
    top = max(by_id)
    oldest = min(by_id)
    token = first.get("nextPageToken")
    # Full poll pages are as few calls as any; small ones only while a few of them suffice.
    while token and oldest > since + 1 and (
        page_size >= MAX_PAGE or (oldest - since - 1) <= _FOLLOW_UP_PAGES * page_size
    ):
        page = poll_page(token)
        pages, read = pages + 1, read + len(page.get("events", ()))
        oldest = min(oldest, _add(by_id, page.get("events", ())))
        token = page.get("nextPageToken")
    if oldest > since + 1 and token:
        # Many events remain: full pages of the history read them in the fewest calls, from
        # the first event when all are needed, else newest first down to the kept state.
        forward, token, gap = since == 0, None, oldest
        while True:
            page = history_page(token, not forward)
            events = page.get("events", ())
            pages, read = pages + 1, read + len(events)
            oldest = min(oldest, _add(by_id, events, top=top))
            token = page.get("nextPageToken")
            reached = forward and any(e.get("eventId", 0) >= gap - 1 for e in events)
            if not token or reached or (not forward and oldest <= since + 1):
                break
    wanted = range(since + 1, top + 1)
    if any(i not in by_id for i in wanted):
        return None
    return Read([by_id[i] for i in wanted], top, pages, read)


def _add(by_id: dict[int, Any], events: Sequence[Any], top: int | None = None) -> int:
    """Index `events` by id (ignoring any newer than `top`: they came after the task was
    polled); the oldest id among them."""
    oldest = top if top is not None else 1 << 62
    for event in events:
        number = event.get("eventId")
        if isinstance(number, int) and (top is None or number <= top):
            by_id[number] = event
            oldest = min(oldest, number)
    return oldest
