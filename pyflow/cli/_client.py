"""The boto3 SWF client every command uses, built from the common options.

The endpoint comes from --endpoint-url, else AWS_ENDPOINT_URL_SWF / AWS_ENDPOINT_URL (as boto3
reads them), else AWS. Talking to a loopback endpoint (`pyflow local serve`) needs no AWS
account, so missing credentials or region are filled with harmless placeholders there; against
AWS they are reported as errors before any request is made.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlparse

import click

from ._errors import LOCAL_HINT, CliError

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_DOMAIN = "pyflow"
LOCAL_REGION = "us-east-1"
LOCAL_CREDENTIALS = ("pyflow-local", "pyflow-local")
READ_TIMEOUT = 70
"""Above SWF's 60-second long poll, so an empty poll is an answer and not a timeout."""


def is_loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class AwsOptions:
    """The connection options shared by every command that talks to SWF."""

    domain: str = DEFAULT_DOMAIN
    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    _client: SWFClient | None = field(default=None, repr=False)

    @property
    def resolved_endpoint(self) -> str | None:
        return (
            self.endpoint_url
            or os.environ.get("AWS_ENDPOINT_URL_SWF")
            or os.environ.get("AWS_ENDPOINT_URL")
        )

    def where(self) -> str:
        """Where requests go, for messages: the endpoint URL or 'AWS <region>'."""
        return self.resolved_endpoint or f"AWS {self.region or 'default region'}"

    def client(self) -> SWFClient:
        if self._client is None:
            self._client = make_client(self)
        return self._client


def make_client(opts: AwsOptions) -> SWFClient:
    """A boto3 SWF client for `opts`, or a CliError saying what is missing."""
    import boto3
    from botocore.config import Config

    endpoint = opts.resolved_endpoint
    if endpoint is not None and urlparse(endpoint).scheme not in ("http", "https"):
        raise CliError(
            f"endpoint {endpoint!r} is not an http:// or https:// URL",
            "for example --endpoint-url http://127.0.0.1:8765 (what `pyflow local serve` prints)",
        )
    session = boto3.session.Session(profile_name=opts.profile, region_name=opts.region)
    local = endpoint is not None and is_loopback(endpoint)
    region = session.region_name or (LOCAL_REGION if endpoint else None)
    if region is None:
        raise CliError(
            "no AWS region configured",
            "pass --region or set AWS_REGION (or AWS_DEFAULT_REGION); " + LOCAL_HINT,
        )
    key_id = secret = None
    if session.get_credentials() is None:
        if not local:
            raise CliError(
                "no AWS credentials found",
                "configure credentials (AWS_PROFILE, `aws configure`, environment variables); "
                + LOCAL_HINT,
            )
        key_id, secret = LOCAL_CREDENTIALS
    config = Config(
        read_timeout=READ_TIMEOUT,
        connect_timeout=5,
        retries={"mode": "standard", "max_attempts": 3},
    )
    client: SWFClient = session.client(
        "swf",
        region_name=region,
        endpoint_url=endpoint,
        config=config,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
    )
    return client


def _store(field_name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        opts = ctx.ensure_object(AwsOptions)
        if value is not None:
            setattr(opts, field_name, value)
        return value

    return callback


def aws_options(func: F) -> F:
    """Add --domain, --endpoint-url, --region and --profile; read them with `options()`."""
    decorators = [
        click.option(
            "--domain",
            envvar="PYFLOW_DOMAIN",
            show_envvar=True,
            default=DEFAULT_DOMAIN,
            show_default=True,
            expose_value=False,
            callback=_store("domain"),
            help="SWF domain.",
        ),
        click.option(
            "--endpoint-url",
            metavar="URL",
            expose_value=False,
            callback=_store("endpoint_url"),
            help="SWF endpoint, e.g. the URL `pyflow local serve` prints "
            "(default: AWS_ENDPOINT_URL_SWF, else AWS).",
        ),
        click.option(
            "--region",
            expose_value=False,
            callback=_store("region"),
            help="AWS region (default: AWS_REGION / the profile's).",
        ),
        click.option(
            "--profile",
            expose_value=False,
            callback=_store("profile"),
            help="AWS named profile (default: AWS_PROFILE).",
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def options() -> AwsOptions:
    """The AwsOptions of the command being run."""
    return click.get_current_context().ensure_object(AwsOptions)
