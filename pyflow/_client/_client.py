"""`pyflow.Client`: one boto3 SWF client and one domain, and everything done to executions.

The seam is this object, as in httpx: create it once (it builds its boto3 client with the one
factory unless handed one) and pass it around instead of a loose `client=`/`domain=` pair. The
module-level functions (`pyflow.start_workflow`, ...) build one per call from their arguments
and delegate here, so there is one implementation of each operation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._exceptions import ArgumentTypeError
from .._payloads import PayloadStore, resolve_events
from .._workflow._definition import Workflow
from .._workflow._tokens import decode_token
from . import _executions, _listing, _outcome, _pages
from ._outcome import Outcome
from ._pages import ExecutionPage
from ._session import Session, rebind

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import HistoryEventTypeDef


class Client(Session):
    """Everything pyflow does to SWF executions, against one domain.

    `swf` is a boto3 SWF client (AWS, moto, or `pyflow.local.LocalSWF().client()`); without
    one, the process's shared client for the current AWS environment is used (it honours
    AWS_ENDPOINT_URL_SWF, and a loopback endpoint needs no AWS region or credentials).
    `domain` defaults to PYFLOW_DOMAIN, else 'pyflow'. `payload_store`
    (`pyflow.S3PayloadStore`, ...) holds start and signal inputs longer than its threshold,
    and resolves the references in what is read back (results, histories, outcomes).
    """

    # -- operating executions -------------------------------------------------------------

    def start(
        self,
        workflow: Workflow | str,
        *,
        version: str | None = None,
        input: Any = None,
        workflow_id: str | None = None,
        task_list: str | None = None,
        lambda_role: str | None = None,
        tags: Sequence[str] | None = None,
        execution_timeout: int | None = None,
    ) -> str:
        """Start an execution of `workflow` (a definition, or a type name with `version`) and
        return its workflow id; see `pyflow.start_workflow`."""
        if isinstance(workflow, Workflow):
            name, version = workflow.name, version or workflow.version
        elif isinstance(workflow, str) and isinstance(version, str):
            name = workflow
        else:
            raise ArgumentTypeError(
                "start() takes a pyflow.Workflow, or a workflow type name and version=, "
                f"not {workflow!r} with version {version!r}"
            )
        return _executions.start(
            self.swf,
            self.domain,
            workflow_name=name,
            workflow_version=version,
            task_list=task_list,
            lambda_role=lambda_role,
            input=input,
            workflow_id=workflow_id,
            tags=tags,
            execution_timeout=execution_timeout,
            payload_store=self.payload_store,
        )

    def signal(
        self, workflow_id: str, signal_name: str, input: Any = None, *, run_id: str | None = None
    ) -> None:
        """Send a signal to an open execution (its current run unless `run_id`)."""
        _executions.signal(
            self.swf,
            self.domain,
            workflow_id=workflow_id,
            signal_name=signal_name,
            input=input,
            run_id=run_id,
            payload_store=self.payload_store,
        )

    def complete_signal(self, token: str, input: Any = None) -> None:
        """Send the signal a SignalTask's notifier was given `token` for (to the domain the
        token names, which may differ from this client's)."""
        target = decode_token(token)
        as_client(self, target.domain).signal(target.workflow_id, target.signal_name, input)

    def cancel(self, workflow_id: str, *, run_id: str | None = None) -> None:
        """Ask an open execution to cancel: its decider cancels open work, then closes it."""
        _executions.cancel(self.swf, self.domain, workflow_id=workflow_id, run_id=run_id)

    def terminate(
        self,
        workflow_id: str,
        *,
        run_id: str | None = None,
        reason: str | None = None,
        details: str | None = None,
        child_policy: str | None = None,
    ) -> None:
        """Close an open execution at once, with no decider involved."""
        _executions.terminate(
            self.swf,
            self.domain,
            workflow_id=workflow_id,
            run_id=run_id,
            reason=reason,
            details=details,
            child_policy=child_policy,
        )

    # -- reading executions ---------------------------------------------------------------

    def latest_run_id(self, workflow_id: str) -> str:
        """The open run with this workflow id, else the most recently started closed one."""
        return _outcome.latest_run_id(self.swf, self.domain, workflow_id)

    def history(
        self, workflow_id: str, run_id: str | None = None
    ) -> list[HistoryEventTypeDef]:
        """Every event of the run (the latest one unless `run_id`), oldest first, with
        offloaded payloads read back from the payload store."""
        run = run_id or self.latest_run_id(workflow_id)
        events = _outcome.read_history(self.swf, self.domain, workflow_id, run)
        return resolve_events(events, self.payload_store, where="this pyflow.Client")

    def describe_execution(
        self, workflow_id: str, run_id: str | None = None, *, workflow: Workflow | None = None
    ) -> Outcome:
        """The execution as its history shows it now (status 'OPEN' while it runs), each
        task's state in `tasks`; see `pyflow.describe_execution`."""
        return _outcome.get_outcome(
            self.swf, self.domain, workflow_id, run_id, workflow, self.payload_store
        )

    describe = describe_execution
    """The name `describe_execution` had first; kept so existing callers work."""

    def wait_for_outcome(
        self,
        workflow_id: str,
        run_id: str | None = None,
        *,
        workflow: Workflow | None = None,
        timeout: float | None = None,
    ) -> Outcome:
        """Wait until the execution closes and return its outcome (`OutcomeTimeoutError`
        after `timeout` seconds)."""
        return _outcome.wait_for_outcome(
            self.swf, self.domain, workflow_id, run_id, workflow, timeout, self.payload_store
        )

    def list_executions(
        self,
        *,
        status: str = "all",
        workflow_type: str | None = None,
        type_version: str | None = None,
        tag: str | None = None,
        workflow_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int | None = 100,
        page_token: str | None = None,
    ) -> ExecutionPage:
        """Up to `limit` executions (None: every one), newest first, open and closed unless
        `status` says ('open', 'closed' or a close status), filtered by any mix of type, tag,
        workflow id and start time; see `pyflow.list_executions` for paging."""
        flt = _listing.ExecutionFilter(
            status=status,
            workflow_type=workflow_type,
            type_version=type_version,
            tag=tag,
            workflow_id=workflow_id,
            since=since,
            until=until,
        )
        return _pages.list_page(self.swf, self.domain, flt, size=limit, token=page_token)


def as_client(
    client: Session | SWFClient | None,
    domain: str | None,
    payload_store: PayloadStore | None = None,
) -> Client:
    """The `Client` for a call that was given a `pyflow.Client`, a boto3 client or neither;
    `payload_store`, when given, replaces the store a `pyflow.Client` carries."""
    return rebind(client, domain, payload_store, Client)
