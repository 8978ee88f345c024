"""The one place boto3 SWF clients are built: the runtime's, the CLI's and the Lambda handlers'.

Every client gets botocore's standard retry mode (throttling, 5xx and connection errors retried
with capped exponential backoff and jitter, so no call site has a retry loop of its own), a
read timeout above SWF's 60-second long poll and a faster parser of SWF's timestamps (the
same datetimes as botocore's: `_timestamps`). The endpoint is the caller's, else
AWS_ENDPOINT_URL_SWF / AWS_ENDPOINT_URL as boto3 reads them, else AWS. A loopback endpoint
(`pyflow local serve`, moto_server) needs no AWS account: a missing region or missing
credentials are filled with placeholders there, while against AWS they are a clear
`ConfigurationError` before any request is made.
"""

from __future__ import annotations

import ipaddress
import os
import threading
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import boto3
import botocore.session
from botocore.config import Config

from .._exceptions import ConfigurationError
from ._timestamps import parse_timestamp

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

POLL_READ_TIMEOUT = 70
"""SWF long polls last up to 60 s; botocore's default read timeout (60 s) would cut them off."""
MAX_ATTEMPTS = 8
"""Retries per call after the first attempt, for throttling and transient errors (botocore's
`max_attempts` counts retries)."""
LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = ("pyflow-local", "pyflow-local")
LOCAL_HINT = (
    "for the embedded engine, start `pyflow local serve` and set AWS_ENDPOINT_URL_SWF "
    "(--endpoint-url on the command line)"
)

CLIENT_CONFIG = Config(
    read_timeout=POLL_READ_TIMEOUT,
    connect_timeout=10,
    retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
)

_ENVIRONMENT = (
    "AWS_ENDPOINT_URL_SWF",
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
)
_cache: dict[tuple[str | None, ...], SWFClient] = {}
_cache_lock = threading.Lock()


def is_loopback(url: str) -> bool:
    """Whether `url` points at this machine (where only a local engine or moto can be)."""
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_from_environment() -> str | None:
    return os.environ.get("AWS_ENDPOINT_URL_SWF") or os.environ.get("AWS_ENDPOINT_URL") or None


def swf_client(
    *,
    endpoint_url: str | None = None,
    region: str | None = None,
    profile: str | None = None,
    connect_timeout: float = 10,
    max_attempts: int = MAX_ATTEMPTS,
) -> SWFClient:
    """A new boto3 SWF client; `ConfigurationError` says what is missing and how to fix it.

    `connect_timeout` and `max_attempts` are the caller's (the CLI fails fast on an unreachable
    endpoint); the retry mode and the long-poll read timeout are everyone's.
    """
    endpoint = endpoint_url or endpoint_from_environment()
    if endpoint is not None and urlparse(endpoint).scheme not in ("http", "https"):
        raise ConfigurationError(
            f"endpoint {endpoint!r} is not an http:// or https:// URL",
            hint="for example http://127.0.0.1:8765 (what `pyflow local serve` prints)",
        )
    session = _session(profile, region)
    local = endpoint is not None and is_loopback(endpoint)
    # boto3 reads AWS_DEFAULT_REGION; AWS_REGION is what Lambda and most SDKs set.
    region_name = (
        session.region_name or os.environ.get("AWS_REGION") or (LOCAL_REGION if endpoint else None)
    )
    if region_name is None:
        raise ConfigurationError(
            "no AWS region configured",
            hint="set AWS_REGION or AWS_DEFAULT_REGION (--region on the command line); "
            + LOCAL_HINT,
        )
    key_id = secret = None
    if session.get_credentials() is None:
        if not local:
            raise ConfigurationError(
                "no AWS credentials found",
                hint="configure credentials (AWS_PROFILE, `aws configure`, environment "
                "variables); " + LOCAL_HINT,
            )
        key_id, secret = LOCAL_CREDENTIALS
    config = CLIENT_CONFIG.merge(
        Config(connect_timeout=connect_timeout, retries={"mode": "standard",
                                                         "max_attempts": max_attempts})
    )
    client: SWFClient = session.client(
        "swf",
        region_name=region_name,
        endpoint_url=endpoint,
        config=config,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )
    return client


def _session(profile: str | None, region: str | None) -> boto3.session.Session:
    core = botocore.session.get_session()
    # SWF sends a timestamp with every event; botocore's parser was a third of reading them.
    parsers = core.get_component("response_parser_factory")
    parsers.set_parser_defaults(timestamp_parser=parse_timestamp)
    try:
        return boto3.session.Session(
            profile_name=profile, region_name=region, botocore_session=core
        )
    except Exception as exc:  # botocore's ProfileNotFound and friends
        raise ConfigurationError(
            f"cannot use AWS profile {profile!r}: {exc}",
            hint="list profiles with `aws configure list-profiles`",
        ) from exc


def default_client() -> SWFClient:
    """The process's shared SWF client for the current AWS environment.

    Built once per distinct environment (endpoint, region, profile, key) rather than once per
    call: boto3 clients are thread-safe and costly to create, while tests and tools that change
    AWS_ENDPOINT_URL_SWF between calls still get a client for the new endpoint.
    """
    key = tuple(os.environ.get(name) for name in _ENVIRONMENT)
    with _cache_lock:
        client = _cache.get(key)
        if client is None:
            client = _cache[key] = swf_client()
        return client


def resolve_client(client: SWFClient | None) -> SWFClient:
    return default_client() if client is None else client
