"""The default boto3 SWF client and small helpers for reading its faults.

Every runtime function takes `client=None` and falls back to `default_client()`. boto3 itself
honours AWS_ENDPOINT_URL_SWF and the usual AWS environment, so the same code reaches AWS, moto
or `pyflow local serve` without a second code path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

POLL_READ_TIMEOUT = 70
"""SWF long polls last up to 60 s; botocore's default read timeout (60 s) would cut them off."""
MAX_ATTEMPTS = 8
"""Attempts per call, first included, for throttling and transient errors (botocore retries)."""

CLIENT_CONFIG = Config(
    read_timeout=POLL_READ_TIMEOUT,
    connect_timeout=10,
    # botocore's standard mode retries throttling (ThrottlingException ...), 5xx and connection
    # errors with capped exponential backoff and jitter, so no call site has its own retry loop.
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
)


def default_client() -> SWFClient:
    """A boto3 SWF client configured for long polls and retries."""
    return boto3.client("swf", config=CLIENT_CONFIG)


def resolve_client(client: SWFClient | None) -> SWFClient:
    return default_client() if client is None else client


def fault_code(exc: BaseException) -> str | None:
    """SWF's fault name ('UnknownResourceFault', 'ThrottlingException', ...) of a ClientError."""
    if isinstance(exc, ClientError):
        error: Any = exc.response.get("Error", {})
        code = error.get("Code")
        return str(code) if code else None
    return None


def fault_message(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        error: Any = exc.response.get("Error", {})
        return str(error.get("Message") or exc)
    return str(exc)
