"""Writing the durable engine's changes: after each call, timer round or Lambda outcome, the
executions it changed (with their new events) and the registry go to disk in one
transaction, before any answer leaves; and closed executions past retention are purged.
"""

from __future__ import annotations

import time

from ._core import Core
from ._model import Execution
from ._snapshot import domain_state, execution_state
from ._store import ExecutionRow, Store

SWEEP_SECONDS = 60.0
"""How often (real seconds, while calls come in) closed executions are checked against their
domain's retention period; the first commit after a start checks at once."""
MIN_RETENTION = 3600.0
"""SWF keeps no history for a retention period of NONE or 0 days; here such executions
stay an hour after closing, so whoever waits on an outcome can still read it."""


def retention_seconds(retention: str) -> float:
    days = 0 if retention == "NONE" else int(retention)
    return max(days * 86_400.0, MIN_RETENTION)


class Durable:
    """The commit hook of a `Core` backed by a `Store`."""

    def __init__(self, core: Core, store: Store) -> None:
        self.core = core
        self.store = store
        self.closed = False
        self._next_sweep = 0.0
        self._saved_clock = 0.0

    def commit(self, sync: bool = True) -> None:
        """Write what changed since the last commit (called with the engine lock held).

        `sync=False` skips the flush to the disk itself: the write survives the process
        being killed, not a power cut. Only for notes whose loss is harmless."""
        core = self.core
        if self.closed:
            return
        purged = self._sweep()
        # A virtual clock moved by `advance` alone must resume where it stood after a restart.
        clock_moved = core.clock.virtual and core.now() != self._saved_clock
        if not core.dirty and not core.registry_changed and not purged and not clock_moved:
            return
        dirty = [ex for ex in core.dirty if ex.run_id not in purged]
        domains = ([domain_state(d) for d in core.domains.values()]
                   if core.registry_changed else None)
        self._saved_clock = core.now()
        self.store.commit(domains, [_row(ex) for ex in dirty], purged, self._saved_clock,
                          sync=sync)
        for ex in dirty:
            ex.saved_events = len(ex.events)
        core.dirty.clear()
        core.registry_changed = False

    def _sweep(self) -> list[str]:
        """Forget closed executions older than their domain's retention; their run ids."""
        if time.monotonic() < self._next_sweep:
            return []
        self._next_sweep = time.monotonic() + SWEEP_SECONDS
        now, purged = self.core.now(), list[str]()
        for dom in self.core.domains.values():
            keep = retention_seconds(dom.retention)
            expired = {ex.run_id for ex in dom.executions if _expired(ex, now, keep)}
            if expired:
                dom.executions = [ex for ex in dom.executions if ex.run_id not in expired]
                purged.extend(expired)
        return purged

    def close(self) -> None:
        self.closed = True
        self.store.close()


def _expired(ex: Execution, now: float, keep: float) -> bool:
    return ex.close_ts is not None and ex.close_ts + keep <= now


def _row(ex: Execution) -> ExecutionRow:
    return ExecutionRow(run_id=ex.run_id, domain=ex.domain.name, workflow_id=ex.workflow_id,
                        is_open=ex.is_open, close_ts=ex.close_ts, state=execution_state(ex),
                        new_events=ex.events[ex.saved_events:],
                        first_new_event=ex.saved_events + 1)
