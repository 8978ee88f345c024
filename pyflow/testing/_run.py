"""`pyflow.local.run`: one execution end to end, in-process, on a fresh embedded engine.

The same runtime code as on AWS (registration, decider loop, activity workers, start, outcome)
runs in threads against a private `LocalSWF`; Lambda tasks call Python handlers. With virtual
time, timers and retry delays take no real time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._client._outcome import Outcome, get_outcome
from .._exceptions import OutcomeTimeoutError, PyflowError
from .._workflow._activity import Activity
from .._workflow._catalog import activity_map, workflow_closure
from .._workflow._definition import Workflow
from .._workflow._tasks import ActivityTask, LambdaTask, WorkflowTask
from ..local._engine import DEFAULT_PAYLOADS
from ._environment import LOCAL_DOMAIN, LocalEnvironment

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

    from .._decider import TaskState


@dataclass(frozen=True)
class RunOutcome(Outcome):
    """The outcome of `pyflow.local.run`: status, result, reason, details, history, tasks."""


def run(
    workflow: Workflow,
    input: Any = None,
    lambdas: Mapping[str, Callable[[Any, Any], Any]] | None = None,
    activities: Iterable[Activity] | None = None,
    virtual_time: bool = True,
    timeout: float = 60.0,
    *,
    on_task: Callable[[TaskState], None] | None = None,
    signals: Mapping[str, Any] | None = None,
    workflow_id: str | None = None,
    payload_store: Any = DEFAULT_PAYLOADS,
) -> RunOutcome:
    """Run one execution of `workflow` with `input` on a private embedded engine.

    `lambdas` maps Lambda function names to `handler(event, context)`; `activities` are the
    `@pyflow.activity` functions its ActivityTasks name; pyflow child workflows are served too.
    Returns when the execution closes; raises OutcomeTimeoutError if it is still open after
    `timeout` real seconds (a SignalTask nobody signals keeps it open: virtual time does not
    skip to the execution timeout). `signals` ({signal name: input}) are sent right after the
    start; each completes every SignalTask of that name once its dependencies are done.
    `on_task(task_state)` is called from this thread each time a top-level task is seen in a
    new state (for progress displays). `payload_store` holds payloads beyond SWF's 32,768
    characters (in memory unless given; None: none, so they fail as on SWF without one).
    """
    workflows = workflow_closure(workflow)
    served = activity_map(activities or [])
    _check_runnable(list(workflows.values()), dict(lambdas or {}), served)
    environment = LocalEnvironment(
        workflow, lambdas=lambdas, activities=served.values(), virtual_time=virtual_time,
        payload_store=payload_store,
    )
    with environment as env:
        started_id = env.start(workflow, input, workflow_id=workflow_id)
        run_id = env.run_id(started_id)
        for signal_name, signal_input in (signals or {}).items():
            env.client.signal(started_id, signal_name, signal_input, run_id=run_id)
        progress = _Progress(env.client.swf, workflow, started_id, run_id, on_task)
        progress.payload_store = env.engine.payload_store
        outcome = _wait(env, workflow, started_id, run_id, timeout, progress)
        progress.report(outcome.tasks)
    return RunOutcome(**{f: getattr(outcome, f) for f in Outcome.__dataclass_fields__})


def _wait(
    env: LocalEnvironment,
    workflow: Workflow,
    workflow_id: str,
    run_id: str,
    timeout: float,
    progress: _Progress,
) -> Outcome:
    """The outcome once the run closes; on a timeout, an error naming the tasks not done."""
    try:
        return env.wait(
            workflow_id, run_id, workflow=workflow, timeout=timeout, on_poll=progress.poll
        )
    except OutcomeTimeoutError:
        partial = env.client.describe(workflow_id, run_id, workflow=workflow)
        waiting = ", ".join(
            f"{t.name} ({t.state})" for t in partial.tasks.values() if t.state != "completed"
        )
        error = OutcomeTimeoutError(
            f"workflow {workflow.name!r} was still open after {timeout} s; tasks not "
            f"completed: {waiting or 'none'}"
        )
        error.outcome = partial  # type: ignore[attr-defined]
        raise error from None


def _check_runnable(
    workflows: list[Workflow],
    lambdas: dict[str, Callable[[Any, Any], Any]],
    activities: dict[tuple[str, str], Activity],
) -> None:
    """Fail fast on what a private engine can never run, instead of waiting for a timeout."""
    problems: list[str] = []
    for wf in workflows:
        for task in wf.tasks:
            where = f"workflow {wf.name!r}, task {task.name!r}"
            if isinstance(task, LambdaTask) and task.lambda_function not in lambdas:
                problems.append(
                    f"{where}: no handler for Lambda function {task.lambda_function!r} "
                    "(pass lambdas={name: handler})"
                )
            key = (getattr(task, "activity_type", ""), getattr(task, "activity_version", ""))
            if isinstance(task, ActivityTask) and key not in activities:
                problems.append(
                    f"{where}: no function for activity type {key[0]!r} version {key[1]!r} "
                    "(pass activities=[...] declared with @pyflow.activity)"
                )
            if isinstance(task, WorkflowTask) and task.child_workflow is None:
                problems.append(
                    f"{where}: child workflow {task.workflow_name!r} is not a pyflow "
                    "workflow, so it cannot run locally (use WorkflowTask(workflow=...))"
                )
    if problems:
        raise PyflowError("cannot run locally:\n  " + "\n  ".join(problems))


class _Progress:
    """Reports top-level task state changes to `on_task`, read from the history."""

    def __init__(
        self,
        client: SWFClient,
        workflow: Workflow,
        workflow_id: str,
        run_id: str,
        on_task: Callable[[TaskState], None] | None,
    ) -> None:
        self.client, self.workflow = client, workflow
        self.workflow_id, self.run_id = workflow_id, run_id
        self.on_task = on_task
        self.seen: dict[str, tuple[str, int]] = {}
        self.payload_store: Any = None
        """The engine's payload store, for reading offloaded payloads back."""

    def poll(self) -> None:
        if self.on_task is None:
            return
        # From the newest run read so far: a run that continued as new leads to the next.
        outcome = get_outcome(
            self.client, LOCAL_DOMAIN, self.workflow_id, self.run_id, self.workflow,
            self.payload_store,
        )
        self.run_id = outcome.run_id
        self.report(outcome.tasks)

    def report(self, tasks: Mapping[str, TaskState]) -> None:
        if self.on_task is None:
            return
        for name, task in tasks.items():
            key = (task.state, task.attempts)
            if self.seen.get(name) != key and task.state != "waiting":
                self.seen[name] = key
                self.on_task(task)
