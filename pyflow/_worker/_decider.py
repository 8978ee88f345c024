"""The decider loop: poll a decision task, read its new history, ask the pure decider what
to do, answer. The loop keeps, per run, the history pass's state at its last decision (see
`_history_cache`) only to read and fold less; it is never needed: a task whose run it has
no state for reads the whole history and gets the same decisions. So any number of these
loops (threads, processes, Lambda invocations) can serve one task list, and a loop killed
between two iterations loses nothing: SWF holds the state.
"""

from __future__ import annotations

import os
import socket
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

from .._client._faults import fault_code
from .._client._register import DEFAULT_DECIDER_TASK_LIST
from .._client._session import as_session
from .._decider._decide import resume
from .._exceptions import PayloadStoreError
from .._logging import ExecutionLogger, decider_log, for_execution
from .._payloads import DeciderPayloads, PayloadStore
from .._workflow._catalog import TypeKey, workflow_closure
from .._workflow._definition import Workflow
from .._workflow._names import check_swf_name
from .._workflow._payload import MAX_DATA, MAX_REASON, truncate
from ._history_cache import (
    MAX_PAGE,
    SHARED,
    Fetch,
    HistoryCache,
    Kept,
    PageSizer,
    read_back,
)
from ._loop import Backoff, PollInterrupted, StopControl, run_loop
from ._retry import persist

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import (
        DecisionTaskTypeDef,
        DecisionTypeDef,
        HistoryEventTypeDef,
    )

    from .._client._client import Client

DECIDER_ERROR_REASON = "pyflow decider error"


@dataclass
class DeciderStats:
    """What one run of `poll_for_executions` did."""

    decision_tasks: int = 0
    """Decision tasks received (non-empty polls)."""
    decisions: int = 0
    """Decisions sent back, over all tasks."""
    errors: int = 0
    """Failed polls or responses, decider errors, and tasks of types this loop does not serve."""
    history_pages: int = 0
    """History pages read for decision tasks: one per task plus one per follow-up (a
    `nextPageToken` poll, or a GetWorkflowExecutionHistory page when a long history must
    be read whole); empty polls read none."""
    empty_polls: int = 0
    """Polls that returned no task (normal when there is no work)."""
    cache_hits: int = 0
    """Decision tasks decided from the state kept at this process's last decision of the
    run: only the events after it were read and folded."""
    cache_misses: int = 0
    """Decision tasks whose whole history was read (a run new to this process, evicted,
    or whose state the last decision could not keep)."""
    events_read: int = 0
    """History events received for decision tasks, over all pages."""


def default_identity() -> str:
    return f"pyflow@{socket.gethostname()}:{os.getpid()}"[:256]


def poll_for_executions(
    workflows: Workflow | Iterable[Workflow],
    *,
    domain: str,
    task_list: str = DEFAULT_DECIDER_TASK_LIST,
    num_iterations: int | None = None,
    identity: str | None = None,
    client: Client | SWFClient | None = None,
    should_stop: Callable[[], bool] | None = None,
    payload_store: PayloadStore | None = None,
) -> DeciderStats:
    """Decide executions of `workflows` (and their pyflow children) on `task_list`.

    `task_list` defaults to DEFAULT_DECIDER_TASK_LIST ('pyflow-decider'), the default task
    list `ensure_workflow_registered` gives workflow types that name none; a workflow with its
    own `Workflow.task_list` is decided by a loop polling that list.

    One iteration is one PollForDecisionTask (a long poll of up to 60 s); `num_iterations=None`
    runs until SIGINT/SIGTERM (which finish the decision in hand) or until `should_stop()`,
    checked before every poll, returns True. A decision task of a type not served here is left
    untouched: SWF times it out after its decision timeout and schedules it again, so a decider
    that serves the type picks it up (run one decider per task list with all its types).

    `payload_store` (`pyflow.S3PayloadStore`, ...) holds inputs and results longer than its
    threshold; without one, a task input or workflow result over SWF's 32,768 characters
    fails the task or the execution. By default, the store of `client` when that is a
    `pyflow.Client`.
    """
    check_swf_name(domain, "domain")
    check_swf_name(task_list, "task_list")
    # A pyflow.Client carries its store: the decider reads and writes the same one.
    given = as_session(client, domain, payload_store)
    loop = _DeciderLoop(
        catalog=workflow_closure(workflows),
        domain=domain,
        task_list=task_list,
        identity=identity or default_identity(),
        client=given.swf,
        payloads=DeciderPayloads(given.payload_store),
    )
    run_loop(loop.iterate, num_iterations=num_iterations, should_stop=should_stop)
    return loop.stats


@dataclass
class _Task:
    """A polled decision task and what deciding it needs."""

    task: DecisionTaskTypeDef
    workflow: Workflow | None
    key: tuple[str, str, str]
    kept: Kept | None
    events: list[HistoryEventTypeDef]
    """The events after `kept` (all of them without it), oldest first."""
    top: int


class _DeciderLoop:
    def __init__(
        self,
        *,
        catalog: dict[TypeKey, Workflow],
        domain: str,
        task_list: str,
        identity: str,
        client: SWFClient,
        payloads: DeciderPayloads | None = None,
        cache: HistoryCache = SHARED,
    ) -> None:
        self.catalog = catalog
        self.payloads = payloads or DeciderPayloads(None)
        self.domain = domain
        self.task_list = task_list
        self.identity = identity
        self.client = client
        self.cache = cache
        self.sizer = PageSizer()
        self.stats = DeciderStats()
        self.backoff = Backoff()

    def iterate(self, control: StopControl) -> bool:
        """One poll and, if it brought a task, one decision. False when the loop must stop."""
        control.polling = True
        try:
            task = self._poll()
        except PollInterrupted:
            return False
        except (ClientError, BotoCoreError) as exc:
            self._poll_failed(exc, control)
            return True
        except _Unreadable as exc:
            self.stats.errors += 1
            decider_log.error("%s", exc)
            return True
        finally:
            control.polling = False
        self.backoff.reset(decider_log, f"task list {self.task_list!r}")
        if task is None:
            self.stats.empty_polls += 1
            return True
        self.stats.decision_tasks += 1
        self._handle(task)
        return True

    def _poll(self) -> _Task | None:
        """One decision task with the events it needs, or None after an empty poll."""
        # With no state kept (a cold Lambda, a restarted process) the task misses whatever its
        # run: full pages read it in as few calls as the full read always took.
        size = self.sizer.size() if len(self.cache) else MAX_PAGE
        args: dict[str, Any] = {
            "domain": self.domain,
            "taskList": {"name": self.task_list},
            "identity": self.identity,
            "maximumPageSize": size,
            "reverseOrder": True,
        }
        task = self.client.poll_for_decision_task(**args)
        if not task.get("taskToken"):
            return None  # an empty poll reads no history: not a page
        execution = task["workflowExecution"]
        wf_type = task["workflowType"]
        workflow = self.catalog.get((wf_type["name"], wf_type["version"]))
        key = (self.domain, execution["workflowId"], execution["runId"])
        kept = None if workflow is None else self.cache.take(key, workflow)

        poll_page, history_page = self._later_pages(args, execution)
        since = kept.last_event_id if kept is not None else 0
        read = read_back(
            task, since=since, poll_page=poll_page, history_page=history_page, page_size=size
        )
        if read is None and kept is not None:
            kept, since = None, 0  # the pages did not join up with the state: read it all
            read = read_back(
                task, since=0, poll_page=poll_page, history_page=history_page, page_size=size
            )
        if read is None:
            raise _Unreadable(
                f"the history of run {execution['runId']!r} came with missing events; "
                "leaving the decision task for SWF to time out and schedule again"
            )
        self.stats.history_pages += read.pages
        self.stats.events_read += read.events_read
        if kept is not None:
            self.stats.cache_hits += 1
            self.sizer.saw(read.top - since)
        else:
            self.stats.cache_misses += 1
            self.sizer.saw(read.top)
        return _Task(task, workflow, key, kept, read.events, read.top)

    def _later_pages(self, args: dict[str, Any], execution: Any) -> tuple[Fetch, Fetch]:
        """The task's next poll page and GetWorkflowExecutionHistory page, each tried again
        through throttling beyond botocore's retries, as the respond is: the task is ours
        already, and giving up on a page would wait out its timeout."""

        def poll_page(token: str) -> Any:
            # Later pages come from the same call with the token; the task stays ours.
            return persist(lambda: self.client.poll_for_decision_task(**args, nextPageToken=token))

        def history_page(token: str | None, reverse: bool) -> Any:
            more = {"nextPageToken": token} if token else {}
            return persist(
                lambda: self.client.get_workflow_execution_history(
                    domain=self.domain,
                    execution=execution,
                    maximumPageSize=MAX_PAGE,
                    reverseOrder=reverse,
                    **more,
                )
            )

        return poll_page, history_page

    def _poll_failed(self, exc: BaseException, control: StopControl) -> None:
        self.backoff.after_failed_poll(
            exc,
            control,
            domain=self.domain,
            what=f"task list {self.task_list!r}",
            log=decider_log,
        )
        self.stats.errors += 1

    def _handle(self, polled: _Task) -> None:
        task = polled.task
        execution = task["workflowExecution"]
        log = for_execution(decider_log, execution)
        workflow = polled.workflow
        if workflow is None:
            wf_type = task["workflowType"]
            self.stats.errors += 1
            log.warning(
                "workflow type %s %s is not served by this decider (it serves %s); leaving "
                "the decision task for SWF to time out and hand to a decider that does",
                wf_type["name"],
                wf_type["version"],
                ", ".join(f"{n} {v}" for n, v in self.catalog) or "nothing",
            )
            return
        try:  # the pure decider sees whole payloads; SWF sees references to long ones
            polled.events = self.payloads.resolve(polled.events)
            decisions = self.payloads.offload(self._decide(workflow, polled, log))
        except PayloadStoreError as exc:
            self.stats.errors += 1
            if not exc.missing:  # SWF times the task out and hands it out again
                log.error("leaving the decision task: %s", exc)
                return
            log.error("failing the execution: %s", exc)
            decisions = [fail_decision(exc)]
        self._respond(task, decisions, log)

    def _decide(
        self, workflow: Workflow, polled: _Task, log: ExecutionLogger
    ) -> list[DecisionTypeDef]:
        task = polled.task
        prior = polled.kept.history if polled.kept is not None else None
        try:
            decisions, state = resume(
                prior,
                workflow,
                polled.events,
                execution=task["workflowExecution"],
                domain=self.domain,
                payload_limit=self.payloads.limit,
            )
        except Exception as exc:  # a decider bug must fail one execution, not the loop
            self.stats.errors += 1
            log.exception("deciding failed; failing the execution")
            return [fail_decision(exc)]
        if state is not None:
            self.cache.put(polled.key, Kept(workflow, state, polled.top))
        log.info(
            "decided %d decision(s) on %d new event(s) of %d: %s",
            len(decisions),
            len(polled.events),
            polled.top,
            ", ".join(d["decisionType"] for d in decisions) or "none",
        )
        return decisions

    def _respond(
        self, task: DecisionTaskTypeDef, decisions: list[DecisionTypeDef], log: ExecutionLogger
    ) -> None:
        try:
            self._send(task, decisions)
            return
        except (ParamValidationError, ClientError) as exc:
            if not _rejected_decisions(exc):
                self._respond_failed(exc, log)
                return
            # The decisions themselves were invalid: a decider bug. Fail the execution.
            self.stats.errors += 1
            log.error("SWF rejected the decisions (%s); failing the execution", exc)
            try:
                self._send(task, [fail_decision(exc)])
            except (ClientError, BotoCoreError) as again:
                self._respond_failed(again, log)
        except BotoCoreError as exc:
            self._respond_failed(exc, log)

    def _send(self, task: DecisionTaskTypeDef, decisions: list[DecisionTypeDef]) -> None:
        persist(
            lambda: self.client.respond_decision_task_completed(
                taskToken=task["taskToken"], decisions=decisions
            )
        )
        self.stats.decisions += len(decisions)

    def _respond_failed(self, exc: BaseException, log: ExecutionLogger) -> None:
        self.stats.errors += 1
        if fault_code(exc) == "UnknownResourceFault":
            log.warning("the decision task is gone (timed out, or the execution closed): %s", exc)
        else:
            log.error(
                "answering the decision task failed (%s: %s); SWF will time it out and "
                "schedule it again",
                type(exc).__name__,
                exc,
            )


class _Unreadable(Exception):
    """A decision task whose history pages do not join up; SWF will offer it again."""


def _rejected_decisions(exc: BaseException) -> bool:
    """True if the request itself was invalid (retrying the same decisions cannot help)."""
    if isinstance(exc, ParamValidationError):
        return True
    return fault_code(exc) in {"ValidationException", "SerializationException"}


def fail_decision(exc: BaseException) -> DecisionTypeDef:
    """FailWorkflowExecution naming the error type, with the traceback as details."""
    reason = truncate(f"{DECIDER_ERROR_REASON}: {type(exc).__name__}", MAX_REASON)
    details = truncate("".join(traceback.format_exception(exc)), MAX_DATA)
    return {
        "decisionType": "FailWorkflowExecution",
        "failWorkflowExecutionDecisionAttributes": {"reason": reason, "details": details},
    }
