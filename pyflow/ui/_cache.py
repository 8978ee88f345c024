"""Histories kept per execution and topped up with only the events added since the last read.

A page left open on a long execution refreshes every few seconds; reading its whole history
each time would cost one call per 1,000 events. SWF can page a history newest first
(`reverseOrder`), so a refresh reads backwards only until it meets an event already held: an
unchanged history costs one small call, and a closed one none at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._client._faults import swf_error
from .._client._outcome import read_history
from .._decider._events import CLOSE_STATUS

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef

TAIL_PAGE = 100
"""Events asked for per backwards page: a refresh of a busy execution rarely adds more."""
MAX_EXECUTIONS = 128
"""Histories kept; the least recently viewed go first."""

Key = tuple[str, str, str]


@dataclass
class _Entry:
    events: list[HistoryEventTypeDef]

    @property
    def closed(self) -> bool:
        return bool(self.events) and self.events[-1].get("eventType") in CLOSE_STATUS


class HistoryCache:
    """The events of each execution viewed, shared by every request of one server."""

    def __init__(self, swf: SWFClient, *, limit: int = MAX_EXECUTIONS) -> None:
        self._swf = swf
        self._limit = limit
        self._entries: OrderedDict[Key, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def events(self, domain: str, workflow_id: str, run_id: str) -> list[HistoryEventTypeDef]:
        """Every event of the run, oldest first, reading only what the cache lacks."""
        key = (domain, workflow_id, run_id)
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            events = read_history(self._swf, domain, workflow_id, run_id)
        elif entry.closed:
            events = entry.events
        else:
            events = entry.events + self._newer(key, len(entry.events))
        with self._lock:
            self._entries[key] = _Entry(events)
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)
        return events

    def _newer(self, key: Key, known: int) -> list[HistoryEventTypeDef]:
        """The events after the first `known` ones (event ids count from 1, one by one)."""
        domain, workflow_id, run_id = key
        args: dict[str, Any] = {
            "domain": domain,
            "execution": {"workflowId": workflow_id, "runId": run_id},
            "maximumPageSize": TAIL_PAGE,
            "reverseOrder": True,
        }
        newer: list[HistoryEventTypeDef] = []
        while True:
            try:
                page = self._swf.get_workflow_execution_history(**args)
            except ClientError as exc:
                raise swf_error(exc, f"reading the history of {workflow_id!r}") from exc
            for event in page["events"]:
                if event["eventId"] <= known:
                    return newer[::-1]
                newer.append(event)
            token = page.get("nextPageToken")
            if not token:
                return newer[::-1]
            args["nextPageToken"] = token
