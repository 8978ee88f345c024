"""The connection every pyflow process holds to SWF: one boto3 client, one domain, one payload
store, and the registrations a poller makes before it polls.

The pollers (decider, activity worker, the decider Lambda) need this and nothing else;
`pyflow.Client` adds what is done to executions (start, signal, list, read outcomes). Keeping
the two apart is what keeps those modules out of the decider Lambda's cold start.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TypeVar

from .._payloads import PayloadStore
from .._workflow._activity import Activity
from .._workflow._definition import Workflow
from . import _register
from ._factory import default_client

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

DEFAULT_DOMAIN = "pyflow"
"""The domain when none is given and PYFLOW_DOMAIN is unset: the CDK stack's and the CLI's."""

S = TypeVar("S", bound="Session")


class Session:
    """One boto3 SWF client, one domain and one payload store (see `pyflow.Client`)."""

    def __init__(
        self,
        swf: SWFClient | None = None,
        *,
        domain: str | None = None,
        payload_store: PayloadStore | None = None,
    ) -> None:
        self.swf: SWFClient = default_client() if swf is None else swf
        self.domain: str = domain or os.environ.get("PYFLOW_DOMAIN") or DEFAULT_DOMAIN
        self.payload_store = payload_store

    def __repr__(self) -> str:
        return f"pyflow.{type(self).__name__}(domain={self.domain!r}, endpoint={self.endpoint!r})"

    @property
    def endpoint(self) -> str:
        """The URL requests go to, for messages."""
        return str(self.swf.meta.endpoint_url)

    # -- registration ---------------------------------------------------------------------

    def register_domain(self, *, retention_days: int = 30) -> None:
        """Register the domain unless it exists; a deprecated domain is an error."""
        _register.register_domain(self.swf, self.domain, retention_days=retention_days)

    def register(
        self,
        workflow: Workflow,
        *,
        task_list: str | None = None,
        lambda_role: str | None = None,
    ) -> None:
        """Register the workflow's type, its pyflow children's and its activity types
        (idempotent); see `pyflow.ensure_workflow_registered`."""
        _register.register_workflow(
            self.swf, self.domain, workflow, task_list=task_list, lambda_role=lambda_role
        )

    def register_activity(self, activity: Activity) -> None:
        """Register one `@pyflow.activity` type (idempotent)."""
        _register.register_activity(self.swf, self.domain, activity)



def rebind(
    client: Session | SWFClient | None,
    domain: str | None,
    payload_store: PayloadStore | None,
    kind: type[S],
) -> S:
    """The `kind` of session for a call that was given a session, a boto3 client or neither;
    `domain` and `payload_store`, when given, replace the session's own."""
    if isinstance(client, Session):
        store = payload_store if payload_store is not None else client.payload_store
        domain = domain or client.domain
        if isinstance(client, kind) and domain == client.domain and store is client.payload_store:
            return client
        return kind(client.swf, domain=domain, payload_store=store)
    return kind(client, domain=domain, payload_store=payload_store)


def as_session(
    client: Session | SWFClient | None,
    domain: str | None,
    payload_store: PayloadStore | None = None,
) -> Session:
    """What a poller holds, from a `pyflow.Client`, a boto3 client or neither."""
    return rebind(client, domain, payload_store, Session)
