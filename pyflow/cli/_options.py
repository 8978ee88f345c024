"""The connection options every command shares (--domain, --endpoint-url, --region,
--profile) and the SWF client built from them by the library's one factory; and the payload
store options of the commands that write or read payloads.

The endpoint comes from --endpoint-url, else AWS_ENDPOINT_URL_SWF / AWS_ENDPOINT_URL (as boto3
reads them), else AWS. A loopback endpoint (`pyflow local serve`) needs no AWS account.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from .. import _client
from .._client import Client, swf_client
from .._exceptions import ConfigurationError
from .._payloads import LocalPayloadStore, PayloadStore, S3PayloadStore, store_from_environment
from .._payloads._s3 import DEFAULT_PREFIX
from ._errors import CliError

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

F = TypeVar("F", bound=Callable[..., Any])

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
run_id_option = click.option("--run-id", help="A specific run (default: the current or latest).")

DEFAULT_DOMAIN = _client.DEFAULT_DOMAIN
CONNECT_TIMEOUT = 5
MAX_ATTEMPTS = 3
"""A person waits at the terminal: fail fast on an unreachable endpoint rather than retry
for long (the library's pollers retry more)."""


@dataclass
class AwsOptions:
    """The connection options shared by every command that talks to SWF."""

    domain: str = DEFAULT_DOMAIN
    endpoint_url: str | None = None
    region: str | None = None
    profile: str | None = None
    payload_bucket: str | None = None
    payload_prefix: str | None = None
    payload_dir: str | None = None
    _client: SWFClient | None = field(default=None, repr=False)
    _payloads: list[PayloadStore | None] = field(default_factory=list, repr=False)

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

    def pyflow(self) -> Client:
        """The `pyflow.Client` every command's SWF calls go through."""
        return Client(self.client(), domain=self.domain, payload_store=self.payload_store())

    def payload_store(self) -> PayloadStore | None:
        """The store --payload-bucket or --payload-dir name (else the environment's), made
        once per command so its cache serves every read."""
        if not self._payloads:
            self._payloads.append(self._make_payload_store())
        return self._payloads[0]

    def _make_payload_store(self) -> PayloadStore | None:
        if self.payload_bucket and self.payload_dir:
            raise CliError(
                "--payload-bucket and --payload-dir both name a payload store",
                "give one: the bucket on AWS, the directory for `pyflow local serve`",
            )
        if self.payload_bucket:
            return S3PayloadStore(self.payload_bucket, self.payload_prefix or DEFAULT_PREFIX)
        if self.payload_dir:
            return LocalPayloadStore(self.payload_dir)
        try:
            return store_from_environment()
        except ConfigurationError as exc:
            raise CliError(str(exc), exc.hint) from exc


def make_client(opts: AwsOptions) -> SWFClient:
    """A boto3 SWF client for `opts` from the library's one factory, or a CliError saying
    what is missing."""
    try:
        return swf_client(
            endpoint_url=opts.endpoint_url,
            region=opts.region,
            profile=opts.profile,
            connect_timeout=CONNECT_TIMEOUT,
            max_attempts=MAX_ATTEMPTS,
        )
    except ConfigurationError as exc:
        raise CliError(str(exc), exc.hint) from exc


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


def payload_options(func: F) -> F:
    """Add --payload-bucket, --payload-prefix and --payload-dir: where payloads beyond SWF's
    32,768 characters are kept (read them with `options().payload_store()`)."""
    decorators = [
        click.option(
            "--payload-bucket", metavar="BUCKET", envvar="PYFLOW_PAYLOAD_BUCKET",
            show_envvar=True, expose_value=False, callback=_store("payload_bucket"),
            help="S3 bucket of the payload store (payloads over 32,000 characters).",
        ),
        click.option(
            "--payload-prefix", metavar="PREFIX", envvar="PYFLOW_PAYLOAD_PREFIX",
            show_envvar=True, expose_value=False, callback=_store("payload_prefix"),
            help=f"Key prefix in the payload bucket (default: {DEFAULT_PREFIX}).",
        ),
        click.option(
            "--payload-dir", metavar="DIR", envvar="PYFLOW_PAYLOAD_DIR", show_envvar=True,
            expose_value=False, callback=_store("payload_dir"),
            help="Directory payload store, shared with `pyflow local serve --payload-dir`.",
        ),
    ]
    for decorate in reversed(decorators):
        func = decorate(func)
    return func


def options() -> AwsOptions:
    """The AwsOptions of the command being run."""
    return click.get_current_context().ensure_object(AwsOptions)
