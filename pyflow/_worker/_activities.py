"""The activity worker: poll an activity task list, run the declared function, report back.

The contract with SWF (and so with workers and deciders in any language) is JSON:
the task's `input` is JSON text (non-JSON text is passed as a plain string); the function's
return value is sent JSON-encoded as the `result`; an exception is reported with
RespondActivityTaskFailed, `reason` = the exception's type name (at most 256 characters) and
`details` = its message and traceback (at most 32,768 characters). With a payload store, an
input that is a payload reference (see `pyflow._payloads._reference`) is read from the store
first, and a result longer than the store's threshold is written there and sent as one.
"""

from __future__ import annotations

import inspect
import json
import traceback
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from .._client._faults import fault_code
from .._client._session import as_session
from .._exceptions import ActivityCanceledError, PyflowError
from .._logging import ExecutionLogger, for_execution, worker_log
from .._payloads import PayloadStore, offload, resolve
from .._workflow._activity import Activity
from .._workflow._catalog import TypeKey, activity_map
from .._workflow._names import check_swf_name
from .._workflow._payload import MAX_DATA, MAX_REASON, decode, encode, truncate
from ._decider import default_identity
from ._loop import Backoff, PollInterrupted, StopControl, run_loop
from ._pool import check_concurrency, run_pool
from ._retry import persist

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import ActivityTaskTypeDef

    from .._client._client import Client

MAX_HEARTBEAT_DETAILS = 2048
UNKNOWN_ACTIVITY_REASON = "UnknownActivityType"


class ActivityContext:
    """The activity task being run, for the function that runs it: ids, and `heartbeat()`."""

    def __init__(self, client: SWFClient, task: ActivityTaskTypeDef, domain: str) -> None:
        self._client = client
        self.domain = domain
        """The execution's domain: with `workflow_id` and `run_id`, what signals it back."""
        self.task_token: str = task["taskToken"]
        self.activity_id: str = task["activityId"]
        self.activity_name: str = task["activityType"]["name"]
        self.activity_version: str = task["activityType"]["version"]
        self.workflow_id: str = task["workflowExecution"]["workflowId"]
        self.run_id: str = task["workflowExecution"]["runId"]
        self.cancel_requested = False
        """True once a heartbeat has been answered with a cancellation request."""

    def heartbeat(self, details: Any = None) -> None:
        """Tell SWF the activity is alive (required within its heartbeat timeout, if it has
        one) and raise ActivityCanceledError if the workflow asked to cancel it.

        `details` (a string, or any JSON value) is kept by SWF and shown if the activity
        times out; at most 2,048 characters are sent.
        """
        text = details if isinstance(details, str) or details is None else _json_text(details)
        args: dict[str, Any] = {"taskToken": self.task_token}
        if text is not None:
            args["details"] = truncate(text, MAX_HEARTBEAT_DETAILS)
        try:
            status = self._client.record_activity_task_heartbeat(**args)
        except ClientError as exc:
            if fault_code(exc) == "UnknownResourceFault":
                # The task timed out or its execution closed: nobody will take the result.
                self.cancel_requested = True
                raise ActivityCanceledError(
                    f"activity {self.activity_id!r} is no longer open (timed out, or its "
                    "workflow closed)"
                ) from exc
            worker_log.warning("heartbeat for %r failed: %s", self.activity_id, exc)
            return
        if status.get("cancelRequested"):
            self.cancel_requested = True
            raise ActivityCanceledError(f"cancellation of activity {self.activity_id!r} requested")


_current: ContextVar[ActivityContext | None] = ContextVar("pyflow_activity", default=None)


def activity_context() -> ActivityContext:
    """The activity task the calling code is running in (from inside an activity function)."""
    context = _current.get()
    if context is None:
        raise PyflowError(
            "pyflow.activity_context() is only available inside an activity function run by "
            "pyflow.poll_for_activities"
        )
    return context


def poll_for_activities(
    activities: Activity | Iterable[Activity],
    *,
    domain: str,
    task_list: str,
    num_iterations: int | None = None,
    identity: str | None = None,
    client: Client | SWFClient | None = None,
    should_stop: Callable[[], bool] | None = None,
    concurrency: int = 1,
    payload_store: PayloadStore | None = None,
) -> None:
    """Run `@pyflow.activity` functions for the tasks on `task_list`.

    One iteration is one PollForActivityTask (a long poll of up to 60 s). With
    `concurrency=N`, N pollers on threads run up to N activities at once, each with its own
    poll, heartbeats and cancellation (and `num_iterations` polls each); identities get a
    '#<n>' suffix. SIGINT/SIGTERM finish the activities in hand, then stop; `should_stop()` is
    checked before every poll. A task of an activity type not given here is failed with
    reason 'UnknownActivityType' (it cannot be handed back). `payload_store` reads inputs
    and holds results beyond SWF's 32,768 characters (see `poll_for_executions`); by
    default, the store of `client` when that is a `pyflow.Client`.
    """
    check_swf_name(domain, "domain")
    check_swf_name(task_list, "task_list")
    check_concurrency(concurrency)
    served = activity_map(activities)
    # A pyflow.Client carries its store: workers made from it read and write the same one.
    given = as_session(client, domain, payload_store)
    swf, store = given.swf, given.payload_store
    name = identity or default_identity()

    def make(number: int) -> Callable[[StopControl], bool]:
        who = name if concurrency == 1 else f"{name}#{number}"[:256]
        worker = _Worker(
            activities=served, domain=domain, task_list=task_list, identity=who, client=swf,
            payload_store=store,
        )
        return worker.iterate

    if concurrency == 1:
        run_loop(make(1), num_iterations=num_iterations, should_stop=should_stop)
    else:
        run_pool(make, concurrency, num_iterations=num_iterations, should_stop=should_stop)


class _Worker:
    def __init__(
        self,
        *,
        activities: dict[TypeKey, Activity],
        domain: str,
        task_list: str,
        identity: str,
        client: SWFClient,
        payload_store: PayloadStore | None = None,
    ) -> None:
        self.activities = activities
        self.payload_store = payload_store
        self.domain = domain
        self.task_list = task_list
        self.identity = identity
        self.client = client
        self.backoff = Backoff()

    def iterate(self, control: StopControl) -> bool:
        control.polling = True
        try:
            task = self.client.poll_for_activity_task(
                domain=self.domain, taskList={"name": self.task_list}, identity=self.identity
            )
        except PollInterrupted:
            return False
        except (ClientError, BotoCoreError) as exc:
            self._poll_failed(exc, control)
            return True
        finally:
            control.polling = False
        self.backoff.reset(worker_log, f"task list {self.task_list!r}")
        if task.get("taskToken"):
            self._run(task)
        return True

    def _poll_failed(self, exc: BaseException, control: StopControl) -> None:
        self.backoff.after_failed_poll(
            exc, control, domain=self.domain, what=f"activity task list {self.task_list!r}",
            log=worker_log,
        )

    def _run(self, task: ActivityTaskTypeDef) -> None:
        log = for_execution(worker_log, task["workflowExecution"])
        kind = task["activityType"]
        activity = self.activities.get((kind["name"], kind["version"]))
        if activity is None:
            served = ", ".join(f"{n} {v}" for n, v in self.activities) or "nothing"
            message = (
                f"activity type {kind['name']} {kind['version']} has no function in the "
                f"worker polling task list {self.task_list!r} (it serves {served})"
            )
            log.error("%s; failing the task", message)
            self._respond(log, "failed", task, reason=UNKNOWN_ACTIVITY_REASON, details=message)
            return
        log.info("running activity %s (%s)", activity.name, task["activityId"])
        context = ActivityContext(self.client, task, self.domain)
        token = _current.set(context)
        try:
            self._execute(activity, task, log)
        finally:
            _current.reset(token)

    def _execute(self, activity: Activity, task: ActivityTaskTypeDef, log: ExecutionLogger) -> None:
        try:
            store = self.payload_store
            given = task.get("input")
            if given is not None:
                given = resolve(given, store, where=f"activity {activity.name!r}")
            result = _call(activity, decode(given))
            limit = MAX_DATA if store is None else None
            text = encode(result, what=f"activity {activity.name!r} result", limit=limit)
            text = offload(text, store)
        except ActivityCanceledError as exc:
            log.info("activity %s canceled", task["activityId"])
            self._respond(log, "canceled", task, details=str(exc))
        except Exception as exc:  # user code: every error becomes a task failure
            log.info("activity %s failed: %s: %s", task["activityId"], type(exc).__name__, exc)
            reason, details = failure_payload(exc)
            self._respond(log, "failed", task, reason=reason, details=details)
        else:
            log.info("activity %s completed", task["activityId"])
            self._respond(log, "completed", task, result=text)

    def _respond(
        self, log: ExecutionLogger, outcome: str, task: ActivityTaskTypeDef, **fields: str
    ) -> None:
        call: Callable[..., Any]
        if outcome == "completed":
            call = self.client.respond_activity_task_completed
        elif outcome == "failed":
            call = self.client.respond_activity_task_failed
        else:
            call = self.client.respond_activity_task_canceled
        try:
            persist(lambda: call(taskToken=task["taskToken"], **fields))
        except (ClientError, BotoCoreError) as exc:
            if fault_code(exc) == "UnknownResourceFault":
                log.warning(
                    "could not report activity %s %s: the task is no longer open (timed "
                    "out, canceled, or the workflow closed)",
                    task["activityId"],
                    outcome,
                )
            else:
                log.error(
                    "could not report activity %s %s: %s", task["activityId"], outcome, exc
                )


def failure_payload(exc: BaseException) -> tuple[str, str]:
    """(reason, details) for RespondActivityTaskFailed, within SWF's limits."""
    reason = truncate(type(exc).__name__, MAX_REASON)
    message = f"{type(exc).__name__}: {exc}\n\n{''.join(traceback.format_exception(exc))}"
    return reason, truncate(message, MAX_DATA)


def _call(activity: Activity, value: Any) -> Any:
    """Call with the input, or with nothing if the function takes no positional argument."""
    if _takes_no_argument(activity.func):
        return activity.func()
    return activity.func(value)


def _takes_no_argument(func: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
        inspect.Parameter.VAR_POSITIONAL,
    )
    return not any(p.kind in positional for p in params)


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)
