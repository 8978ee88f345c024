"""The background thread that fires due timers and timeouts, and moves virtual time.

Virtual-time rule: the clock jumps to the next due item only when nothing else can make
progress, that is when no Lambda handler is running and no decision or activity task is
open (scheduled or started), or when the open ones have made no progress (poll, heartbeat,
response) for `idle_grace` real seconds, in which case their workers are presumed stuck or
absent, as a heartbeat or start-to-close timeout presumes. Each jump starts a new grace
period, so while a task is stuck time moves one due item per `idle_grace`. The clock jumps
only if some timer or task timeout is pending: an execution's own start-to-close timeout
never pulls it forward by itself (an execution waiting for a signal stays open until the
signal comes, or until `LocalSWF.advance`), but fires when the clock passes it anyway.
"""

from __future__ import annotations

import logging
import threading
import time

from ._core import Core
from ._lambda import LambdaRunner

log = logging.getLogger("pyflow.local")
CONFIRM_SECONDS = 0.05
"""After `idle_grace` runs out the clock waits this much longer, and jumps only if nothing
moved meanwhile: a pause of the whole process (a garbage collection, a busy machine) must
not count as idle time against a decider or worker that was paused too."""


class Ticker(threading.Thread):
    def __init__(self, core: Core, lambdas: LambdaRunner) -> None:
        super().__init__(name="pyflow-local-clock", daemon=True)
        self.core = core
        self.lambdas = lambdas
        self._armed: float | None = None

    def run(self) -> None:
        core = self.core
        with core.cond:
            while not core.closed:
                self.fire_due()
                lambda_deadline = self.lambdas.expire()
                if core.clock.virtual and self.can_jump():
                    at = core.dues.next_time()
                    if at is not None:
                        core.clock.set(at)
                        core.touch()  # open tasks get a fresh grace period after each jump
                        continue
                wait = self._wait(lambda_deadline)
                core.cond.wait(wait)

    def fire_due(self) -> None:
        core = self.core
        while (due := core.dues.pop_due(core.now())) is not None:
            try:
                due.fire()
            except Exception:  # a bug must not stop the clock for every execution
                log.exception("pyflow.local: a timer or timeout callback failed")

    def can_jump(self) -> bool:
        core = self.core
        if core.running_lambdas or not core.dues.driving:
            return False
        if not core.open_tasks:
            return True
        now = time.monotonic()
        if now < core.last_touch + core.idle_grace:
            return False
        if self._armed is None or self._armed < core.last_touch:
            self._armed = now
            return False
        return now >= self._armed + CONFIRM_SECONDS

    def _grace_deadline(self) -> float:
        armed, last_touch = self._armed, self.core.last_touch
        if armed is not None and armed >= last_touch:
            return armed + CONFIRM_SECONDS
        return last_touch + self.core.idle_grace

    def _wait(self, lambda_deadline: float | None) -> float | None:
        core, now = self.core, time.monotonic()
        waits = [] if lambda_deadline is None else [lambda_deadline - now]
        at = core.dues.next_time()
        if at is not None:
            if not core.clock.virtual:
                waits.append(at - core.now())
            elif not core.running_lambdas and core.open_tasks and core.dues.driving:
                waits.append(self._grace_deadline() - now)
        return max(0.0, min(waits)) if waits else None
