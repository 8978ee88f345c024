"""The engine's in-memory records: domains, types, executions and their open work.

Plain mutable dataclasses; every access happens under the engine lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._clock import Due

JSON = dict[str, Any]


@dataclass(eq=False)
class TypeRec:
    """A registered workflow or activity type with its default configuration."""

    name: str
    version: str
    description: str | None
    config: JSON
    creation: float
    status: str = "REGISTERED"
    deprecation: float | None = None


@dataclass(eq=False)
class Domain:
    name: str
    description: str | None
    retention: str
    arn: str
    tags: list[JSON] = field(default_factory=list)
    status: str = "REGISTERED"
    workflow_types: dict[tuple[str, str], TypeRec] = field(default_factory=dict)
    activity_types: dict[tuple[str, str], TypeRec] = field(default_factory=dict)
    executions: list[Execution] = field(default_factory=list)
    open_by_id: dict[str, Execution] = field(default_factory=dict)


@dataclass(eq=False)
class ActivityRec:
    """An open activity task (scheduled or started)."""

    execution: Execution
    activity_id: str
    activity_type: JSON
    input: str | None
    task_list: str
    priority: int
    timeouts: dict[str, str | None]
    scheduled_id: int
    started_id: int = 0
    token: str | None = None
    delivered: bool = False
    """The poll answer that handed the task out reached the poller's connection (see
    `_restore`: a task handed out but not delivered when the engine died goes to the next
    poller)."""
    reoffered: bool = False
    """Started before a restart, not delivered, and waiting on its task list again."""
    cancel_requested_id: int | None = None
    heartbeat_details: str | None = None
    dues: dict[str, Due] = field(default_factory=dict)


@dataclass(eq=False)
class LambdaRec:
    """A Lambda task between LambdaFunctionScheduled and its closing event."""

    execution: Execution
    lambda_id: str
    name: str
    input: str | None
    timeout: int
    scheduled_id: int
    started_id: int = 0
    state: str = "scheduled"  # scheduled | running | closed
    real_deadline: float = 0.0
    request_id: str = ""


@dataclass(eq=False)
class TimerRec:
    timer_id: str
    started_id: int
    due: Due | None


@dataclass(eq=False)
class ChildRec:
    """A child execution as its parent sees it."""

    workflow_id: str
    workflow_type: JSON
    initiated_id: int
    started_id: int = 0
    execution: Execution | None = None


@dataclass(eq=False)
class Execution:
    domain: Domain
    workflow_id: str
    run_id: str
    workflow_type: JSON
    task_list: str
    task_priority: str | None
    execution_timeout: str
    task_timeout: str
    child_policy: str
    lambda_role: str | None
    tags: list[str]
    input: str | None
    start_ts: float
    parent: tuple[Execution, int] | None = None
    close_ts: float | None = None
    close_status: str | None = None
    cancel_requested: bool = False
    events: list[JSON] = field(default_factory=list)
    # decision task state: at most one scheduled or started at a time
    dt_scheduled: int | None = None
    dt_started: int | None = None
    dt_token: str | None = None
    dt_delivered: bool = False
    dt_reoffered: bool = False
    """As `ActivityRec.delivered` and `ActivityRec.reoffered`, for the decision task."""
    dt_due: Due | None = None
    dt_pending: bool = False
    dt_applying: bool = False
    dt_batch_trigger: bool = False
    prev_started: int = 0
    decision_list_override: str | None = None
    override_timeout: str | None = None
    latest_context: str | None = None
    latest_activity_ts: float | None = None
    execution_due: Due | None = None
    activities: dict[str, ActivityRec] = field(default_factory=dict)
    lambdas: dict[str, LambdaRec] = field(default_factory=dict)
    timers: dict[str, TimerRec] = field(default_factory=dict)
    children: dict[int, ChildRec] = field(default_factory=dict)
    saved_events: int = 0
    """How many of `events` the durable engine has written (the rest are new)."""

    @property
    def is_open(self) -> bool:
        return self.close_status is None

    @property
    def ref(self) -> JSON:
        """`WorkflowExecution{workflowId, runId}` as the API spells it."""
        return {"workflowId": self.workflow_id, "runId": self.run_id}

    @property
    def decision_task_list(self) -> str:
        return self.decision_list_override or self.task_list
