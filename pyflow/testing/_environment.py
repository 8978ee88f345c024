"""`LocalEnvironment`: an embedded engine with everything executions need around it (the domain,
registered types, decider threads for the workflows and their children, activity workers and
Lambda handlers), ready for tests and demos.

The pollers are the real ones (`poll_for_executions`, `poll_for_activities`) on their own boto3
clients, as separate processes would be; a poller that dies is reported to whoever waits for an
outcome instead of leaving the execution to time out.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._client import Client
from .._client._outcome import Outcome, latest_run_id, wait_for_outcome
from .._exceptions import PyflowError
from .._worker import poll_for_activities, poll_for_executions
from .._workflow import Activity, ActivityTask, Workflow
from .._workflow._catalog import activity_map, decider_task_lists, workflow_closure
from ..local import LocalSWF
from ..local._engine import DEFAULT_PAYLOADS

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

LOCAL_DOMAIN = "pyflow-local"
LOCAL_TASK_LIST = "pyflow-decisions"
LOCAL_LAMBDA_ROLE = "arn:aws:iam::000000000000:role/pyflow-local"
"""Any role ARN lets the engine run Lambda tasks (SWF refuses them without one)."""
WORKERS_PER_TASK_LIST = 4
"""Activity worker threads per task list, so parallel activities run in parallel."""


class LocalEnvironment:
    """A private embedded engine serving `workflows`, as a context manager.

        with LocalEnvironment([wf], lambdas={"fn": handler}) as env:
            outcome = env.wait(env.start(wf, "input"), timeout=10)

    `lambdas` maps Lambda function names to `handler(event, context)`; `activities` are
    `@pyflow.activity` functions, run by worker threads on their task lists. Timers run on
    virtual time unless `virtual_time=False`. `client` is a `pyflow.Client` bound to the
    engine, for anything else a test wants to do. `payload_store` is the engine's (see
    `LocalSWF`: in memory by default; None for none), used by the pollers and `client` too.
    """

    def __init__(
        self,
        workflows: Workflow | Iterable[Workflow] = (),
        *,
        lambdas: Mapping[str, Callable[[Any, Any], Any]] | None = None,
        activities: Iterable[Activity] = (),
        virtual_time: bool = True,
        domain: str = LOCAL_DOMAIN,
        payload_store: Any = DEFAULT_PAYLOADS,
    ) -> None:
        self.workflows = list(workflow_closure(workflows).values())
        self.activities = list(activity_map(activities).values())
        self.engine = LocalSWF(virtual_time=virtual_time, payload_store=payload_store)
        for name, handler in (lambdas or {}).items():
            self.engine.add_lambda(name, handler)
        self.client = Client(
            self.engine.client(), domain=domain, payload_store=self.engine.payload_store
        )
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._failures: list[BaseException] = []

    def __enter__(self) -> LocalEnvironment:
        try:
            self.client.register_domain(retention_days=1)
            for workflow in self.workflows:
                self.client.register(
                    workflow, task_list=LOCAL_TASK_LIST, lambda_role=LOCAL_LAMBDA_ROLE
                )
            self._start_deciders()
            self._start_workers()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(
        self, workflow: Workflow, input: Any = None, *, workflow_id: str | None = None
    ) -> str:
        """Start an execution (with a Lambda role, so Lambda tasks can run); its workflow id."""
        return self.client.start(
            workflow, input=input, workflow_id=workflow_id, lambda_role=LOCAL_LAMBDA_ROLE
        )

    def run_id(self, workflow_id: str) -> str:
        return latest_run_id(self.client.swf, self.client.domain, workflow_id)

    def wait(
        self,
        workflow_id: str,
        run_id: str | None = None,
        *,
        workflow: Workflow | None = None,
        timeout: float = 60.0,
        on_poll: Callable[[], None] | None = None,
    ) -> Outcome:
        """Wait for the execution to close (`OutcomeTimeoutError` after `timeout` real seconds)
        and return its outcome; a failed poller is raised at once instead."""
        run = run_id or self.run_id(workflow_id)

        def poll() -> None:
            self.raise_failure()
            if on_poll is not None:
                on_poll()

        return wait_for_outcome(
            self.client.swf, self.client.domain, workflow_id, run, workflow, timeout,
            self.client.payload_store, min_interval=0.002, max_interval=0.05, on_poll=poll,
        )

    def raise_failure(self) -> None:
        """Raise the first failure of a decider or worker thread, if any."""
        if self._failures:
            raise PyflowError(
                f"a local poll loop failed: {self._failures[0]!r}"
            ) from self._failures[0]

    def close(self) -> None:
        """Stop the pollers; closing the engine makes their pending polls return at once."""
        self._stopping.set()
        self.engine.close()
        for thread in self._threads:
            thread.join(timeout=10)

    # -- pollers --------------------------------------------------------------------------

    def _spawn(self, name: str, target: Callable[[SWFClient], Any]) -> None:
        client = self.engine.client()  # one boto3 client per thread, as separate processes

        def guarded() -> None:
            try:
                target(client)
            except BaseException as exc:  # reported to the waiting thread
                self._failures.append(exc)

        thread = threading.Thread(target=guarded, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _start_deciders(self) -> None:
        domain, workflows = self.client.domain, self.workflows
        for task_list in decider_task_lists(workflows, LOCAL_TASK_LIST) if workflows else ():
            self._spawn(
                f"pyflow-decider-{task_list}",
                lambda c, tl=task_list: poll_for_executions(  # type: ignore[misc]
                    workflows, domain=domain, task_list=tl, client=c,
                    should_stop=self._stopping.is_set, payload_store=self.engine.payload_store,
                ),
            )

    def _start_workers(self) -> None:
        if not self.activities:
            return
        domain, activities = self.client.domain, self.activities
        lists = {a.task_list for a in activities}
        for wf in self.workflows:
            lists.update(
                t.task_list for t in wf.tasks if isinstance(t, ActivityTask) and t.task_list
            )
        for task_list in sorted(lists):
            for number in range(WORKERS_PER_TASK_LIST):
                self._spawn(
                    f"pyflow-worker-{task_list}-{number}",
                    lambda c, tl=task_list: poll_for_activities(  # type: ignore[misc]
                        activities, domain=domain, task_list=tl, client=c,
                        should_stop=self._stopping.is_set,
                        payload_store=self.engine.payload_store,
                    ),
                )
