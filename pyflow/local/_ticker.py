"""The background thread that fires due timers and timeouts, and moves virtual time.

Virtual-time rule. Virtual time never runs ahead of a task someone is working on: while a
decision or activity task is started and not yet answered (completed, failed, canceled or
timed out), or a Lambda handler is running, the virtual clock flows at the real-time rate,
so a slow worker or a person typing AWS CLI commands gets the real seconds its timeouts
allow, and a hung worker still hits its heartbeat or start-to-close timeout after that many
real seconds, as on SWF. When nothing is held the clock stands still and jumps straight to
the next due timer or timeout, so idle waits of any length take no real time.

Tasks scheduled on a task list but not yet taken do not stop a jump, but while one waits
the jump is put off until nothing has happened for `idle_grace` real seconds: a poller
usually takes such a task at once, and the clock must not leap past its schedule-to-start
timeout in the instant between a response and the next poll. With no task waiting (a
decider that answered with StartTimer, say) the jump is immediate.

The clock jumps only if some timer or task timeout is pending: an execution's own
start-to-close timeout never pulls it forward by itself (an execution waiting for a signal
stays open until the signal comes, or until `LocalSWF.advance`), but fires when the clock
passes it anyway.
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
not count as quiet time against a poller that was paused too."""


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
                self.commit()
                if core.clock.virtual and self.can_jump():
                    at = core.dues.next_time()
                    if at is not None:
                        core.clock.set(at)
                        continue
                core.cond.wait(self._wait(lambda_deadline))

    def fire_due(self) -> None:
        core = self.core
        with core.instant():
            while (due := core.dues.pop_due(core.now())) is not None:
                try:
                    due.fire()
                except Exception:  # a bug must not stop the clock for every execution
                    log.exception("pyflow.local: a timer or timeout callback failed")

    def commit(self) -> None:
        try:
            self.core.commit()
        except Exception:  # a full disk must not stop the clock; the next commit retries
            log.exception("pyflow.local: writing the engine's state failed")

    def can_jump(self) -> bool:
        core = self.core
        if core.held or not core.dues.driving:
            return False
        if not core.waiting:
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
            if not core.clock.virtual or core.clock.flowing:
                waits.append(at - core.now())
            elif not core.held and core.waiting and core.dues.driving:
                waits.append(self._grace_deadline() - now)
        return max(0.0, min(waits)) if waits else None
