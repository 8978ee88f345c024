"""`pyflow.local.run`: one execution end to end, in-process, on a fresh embedded engine.

The same runtime code as on AWS (registration, decider loop, activity workers, start, outcome)
runs in threads against a private `LocalSWF`; Lambda tasks call Python handlers. With virtual
time, timers and retry delays take no real time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._client._executions import signal_workflow, start_workflow
from .._client._outcome import (
    Outcome,
    get_outcome,
    latest_run_id,
    read_history,
    wait_closed,
)
from .._client._register import ensure_domain_registered, ensure_workflow_registered
from .._decider import execution_state
from .._exceptions import OutcomeTimeoutError, PyflowError
from .._worker._activities import poll_for_activities
from .._worker._decider import poll_for_executions
from .._workflow._activity import Activity
from .._workflow._catalog import activity_map, decider_task_lists, workflow_closure
from .._workflow._definition import Workflow
from .._workflow._tasks import ActivityTask, LambdaTask, WorkflowTask

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

    from .._decider import TaskState
    from ..local._engine import LocalSWF

LOCAL_DOMAIN = "pyflow-local"
LOCAL_TASK_LIST = "pyflow-decisions"
LOCAL_LAMBDA_ROLE = "arn:aws:iam::000000000000:role/pyflow-local"
"""Any role ARN lets the engine run Lambda tasks (SWF refuses them without one)."""
WORKERS_PER_TASK_LIST = 4
"""Activity worker threads per task list, so parallel activities run in parallel."""


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
) -> RunOutcome:
    """Run one execution of `workflow` with `input` on a private embedded engine.

    `lambdas` maps Lambda function names to `handler(event, context)`; `activities` are the
    `@pyflow.activity` functions its ActivityTasks name; pyflow child workflows are served too.
    Returns when the execution closes; raises OutcomeTimeoutError if it is still open after
    `timeout` real seconds (a SignalTask nobody signals keeps it open: virtual time does not
    skip to the execution timeout). `signals` ({signal name: input}) are sent right after the
    start; each completes every SignalTask of that name once its dependencies are done.
    `on_task(task_state)` is called from this thread each time a top-level task is seen in a
    new state (for progress displays).
    """
    from ..local._engine import LocalSWF

    workflows = workflow_closure(workflow)
    served = activity_map(activities or [])
    _check_runnable(list(workflows.values()), dict(lambdas or {}), served)
    with LocalSWF(virtual_time=virtual_time) as engine:
        for name, handler in (lambdas or {}).items():
            engine.add_lambda(name, handler)
        client = engine.client()
        ensure_domain_registered(LOCAL_DOMAIN, retention_days=1, client=client)
        ensure_workflow_registered(
            workflow,
            domain=LOCAL_DOMAIN,
            task_list=LOCAL_TASK_LIST,
            lambda_role=LOCAL_LAMBDA_ROLE,
            client=client,
        )
        pollers = _Pollers(engine)
        try:
            pollers.start_deciders(list(workflows.values()))
            pollers.start_workers(list(served.values()), list(workflows.values()))
            started_id = start_workflow(
                domain=LOCAL_DOMAIN,
                workflow_name=workflow.name,
                workflow_version=workflow.version,
                lambda_role=LOCAL_LAMBDA_ROLE,
                input=input,
                workflow_id=workflow_id,
                client=client,
            )
            run_id = latest_run_id(client, LOCAL_DOMAIN, started_id)
            for signal_name, signal_input in (signals or {}).items():
                signal_workflow(
                    domain=LOCAL_DOMAIN, workflow_id=started_id, signal_name=signal_name,
                    input=signal_input, run_id=run_id, client=client,
                )
            progress = _Progress(client, workflow, started_id, run_id, on_task)
            _wait(client, started_id, run_id, timeout, pollers, progress, workflow)
            outcome = get_outcome(
                domain=LOCAL_DOMAIN,
                workflow_id=started_id,
                run_id=run_id,
                workflow=workflow,
                client=client,
            )
            progress.report(outcome.tasks)
        finally:
            pollers.stop()
    return RunOutcome(**{f: getattr(outcome, f) for f in Outcome.__dataclass_fields__})


def _wait(
    client: SWFClient,
    workflow_id: str,
    run_id: str,
    timeout: float,
    pollers: _Pollers,
    progress: _Progress,
    workflow: Workflow,
) -> None:
    def on_poll() -> None:
        pollers.raise_failure()
        progress.poll()

    try:
        wait_closed(
            client, LOCAL_DOMAIN, workflow_id, run_id, timeout=timeout,
            min_interval=0.002, max_interval=0.05, on_poll=on_poll,
        )
    except OutcomeTimeoutError:
        partial = get_outcome(
            domain=LOCAL_DOMAIN, workflow_id=workflow_id, run_id=run_id, workflow=workflow,
            client=client,
        )
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


class _Pollers:
    """The decider and worker threads of one local run, and their failures."""

    def __init__(self, engine: LocalSWF) -> None:
        self.engine = engine
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.failures: list[BaseException] = []

    def _spawn(self, name: str, target: Callable[[SWFClient], Any]) -> None:
        client = self.engine.client()  # one client per thread, created on this thread

        def guarded() -> None:
            try:
                target(client)
            except BaseException as exc:  # reported to the waiting thread
                self.failures.append(exc)

        thread = threading.Thread(target=guarded, name=name, daemon=True)
        self.threads.append(thread)
        thread.start()

    def start_deciders(self, workflows: list[Workflow]) -> None:
        for task_list in decider_task_lists(workflows, LOCAL_TASK_LIST):
            self._spawn(
                f"pyflow-decider-{task_list}",
                lambda c, tl=task_list: poll_for_executions(  # type: ignore[misc]
                    workflows, domain=LOCAL_DOMAIN, task_list=tl, client=c,
                    should_stop=self.stopping.is_set,
                ),
            )

    def start_workers(self, activities: list[Activity], workflows: list[Workflow]) -> None:
        if not activities:
            return
        lists = {a.task_list for a in activities}
        for wf in workflows:
            lists.update(
                t.task_list for t in wf.tasks if isinstance(t, ActivityTask) and t.task_list
            )
        for task_list in sorted(lists):
            for number in range(WORKERS_PER_TASK_LIST):
                self._spawn(
                    f"pyflow-worker-{task_list}-{number}",
                    lambda c, tl=task_list: poll_for_activities(  # type: ignore[misc]
                        activities, domain=LOCAL_DOMAIN, task_list=tl, client=c,
                        should_stop=self.stopping.is_set,
                    ),
                )

    def raise_failure(self) -> None:
        if self.failures:
            raise PyflowError(
                f"a local poll loop failed: {self.failures[0]!r}"
            ) from self.failures[0]

    def stop(self) -> None:
        """Stop the loops; closing the engine makes their pending polls return at once."""
        self.stopping.set()
        self.engine.close()
        for thread in self.threads:
            thread.join(timeout=10)


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

    def poll(self) -> None:
        if self.on_task is None:
            return
        events = read_history(self.client, LOCAL_DOMAIN, self.workflow_id, self.run_id)
        state = execution_state(
            self.workflow,
            events,
            execution={"workflowId": self.workflow_id, "runId": self.run_id},
        )
        self.report(state.tasks)

    def report(self, tasks: Mapping[str, TaskState]) -> None:
        if self.on_task is None:
            return
        for name, task in tasks.items():
            key = (task.state, task.attempts)
            if self.seen.get(name) != key and task.state != "waiting":
                self.seen[name] = key
                self.on_task(task)
