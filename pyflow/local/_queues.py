"""Task lists: per (domain, task list) priority queues of decision or activity tasks.

Entries are removed lazily: a popped entry is handed out only if `valid(item)` still holds,
so cancelling or timing out a task never has to search the queue.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class TaskQueues(Generic[T]):
    def __init__(self) -> None:
        self._lists: dict[tuple[str, str], list[tuple[int, int, T]]] = {}
        self._seq = itertools.count()

    def push(self, domain: str, task_list: str, priority: int, item: T) -> None:
        """Queue `item`; a higher priority is handed out first, FIFO within a priority."""
        heap = self._lists.setdefault((domain, task_list), [])
        heapq.heappush(heap, (-priority, next(self._seq), item))

    def pop(self, domain: str, task_list: str, valid: Callable[[T], bool]) -> T | None:
        heap = self._lists.get((domain, task_list))
        while heap:
            item = heapq.heappop(heap)[2]
            if valid(item):
                return item
        return None

    def count(self, domain: str, task_list: str, valid: Callable[[T], bool]) -> int:
        heap = self._lists.get((domain, task_list), [])
        heap[:] = [entry for entry in heap if valid(entry[2])]
        heapq.heapify(heap)
        return len(heap)
