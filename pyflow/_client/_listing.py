"""Which executions a listing keeps, and the SWF list calls it makes: the filters SWF cannot
combine applied here (`_pages` merges the calls' pages newest first).

SWF's list calls take one of workflow id, tag, type or close status per call and split open
from closed executions; users ask for any mix. The most selective filter goes to SWF and the
rest is checked on each result, so every combination works, across pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from .._exceptions import InvalidArgumentError
from ._faults import fault_code, swf_error, unknown_domain

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient
    from mypy_boto3_swf.type_defs import (
        WorkflowExecutionInfosTypeDef,
        WorkflowExecutionInfoTypeDef,
    )

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CLOSE_STATUSES = ("COMPLETED", "FAILED", "CANCELED", "TERMINATED", "TIMED_OUT", "CONTINUED_AS_NEW")


@dataclass(frozen=True, kw_only=True)
class ExecutionFilter:
    """What `Client.list_executions` keeps; every field left as None matches everything."""

    status: str = "all"
    """'all', 'open', 'closed', or one close status ('COMPLETED', 'FAILED', ...)."""
    workflow_type: str | None = None
    type_version: str | None = None
    """Only with `workflow_type`."""
    tag: str | None = None
    workflow_id: str | None = None
    since: datetime | None = None
    """Started at or after (timezone-aware; naive times are taken as UTC)."""
    until: datetime | None = None
    """Started at or before."""

    def __post_init__(self) -> None:
        status = self.status if self.status in CLOSE_STATUSES else self.status.lower()
        if status not in ("all", "open", "closed", *CLOSE_STATUSES):
            raise InvalidArgumentError(
                f"status must be 'all', 'open', 'closed' or one of {', '.join(CLOSE_STATUSES)}, "
                f"not {self.status!r}"
            )
        object.__setattr__(self, "status", status)
        if self.type_version is not None and self.workflow_type is None:
            raise InvalidArgumentError("type_version needs workflow_type (the type's name)")

    @property
    def close_status(self) -> str | None:
        return self.status if self.status in CLOSE_STATUSES else None

    def matches(self, info: WorkflowExecutionInfoTypeDef) -> bool:
        started = utc(info["startTimestamp"])
        return (
            self.workflow_id in (None, info["execution"]["workflowId"])
            and self.workflow_type in (None, info["workflowType"]["name"])
            and self.type_version in (None, info["workflowType"]["version"])
            and (self.tag is None or self.tag in info.get("tagList", []))
            and (self.close_status is None or info.get("closeStatus") == self.close_status)
            and (self.until is None or started <= utc(self.until))
            and started >= utc(self.since or EPOCH)
        )

    def request(self, *, closed: bool) -> dict[str, Any]:
        """The arguments of one SWF list call: the time window and the most selective filter
        (SWF takes one per call)."""
        window: dict[str, Any] = {"oldestDate": self.since or EPOCH}
        if self.until is not None:
            window["latestDate"] = self.until
        args: dict[str, Any] = {"startTimeFilter": window}
        if self.workflow_id:
            args["executionFilter"] = {"workflowId": self.workflow_id}
        elif self.tag:
            args["tagFilter"] = {"tag": self.tag}
        elif self.workflow_type:
            type_filter = {"name": self.workflow_type}
            if self.type_version:
                type_filter["version"] = self.type_version
            args["typeFilter"] = type_filter
        elif closed and self.close_status:
            args["closeStatusFilter"] = {"status": self.close_status}
        return args


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def list_call(
    swf: SWFClient, args: dict[str, Any], *, closed: bool
) -> WorkflowExecutionInfosTypeDef:
    """One page of SWF's open or closed executions list, its faults as pyflow errors."""
    call = swf.list_closed_workflow_executions if closed else swf.list_open_workflow_executions
    try:
        return call(**args)
    except ClientError as exc:
        domain = args.get("domain")
        if fault_code(exc) == "UnknownResourceFault":
            raise unknown_domain(str(domain)) from exc
        raise swf_error(exc, f"listing executions in domain {domain!r}") from exc
