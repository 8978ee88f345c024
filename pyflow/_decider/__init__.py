"""The decider: a pure, deterministic function from (workflow, SWF history) to SWF decisions.

No I/O, no clock, no randomness: the same history always gives the same decisions, so any
number of stateless deciders can take turns on one execution. `_ids` documents the ids
pyflow gives SWF; `_history` the single pass over events (its per-kind handlers in
`_lambda_events`, `_activity_events`, `_timer_events`, `_child_events`, their shared state in
`_pass`, and `_discovery` the tasks it finds when the definition is not at hand); `_decide`
the precedence of close, failure and scheduling; `_schedule` each task kind's decision;
`_close` the close decisions; `_state` the read-only view every reader of history uses.
"""

from ._decide import decide
from ._records import TaskError
from ._state import ExecutionState, TaskState, execution_state

__all__ = ["ExecutionState", "TaskError", "TaskState", "decide", "execution_state"]
