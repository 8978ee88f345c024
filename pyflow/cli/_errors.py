"""Turning every failure into one line a person can act on: a message and a hint.

Commands raise `CliError` for what they detect themselves; `translate` maps the exceptions of
boto3, botocore, pyflow and Python's import machinery to the same shape, so no user ever sees a
traceback unless they ask for one with `--debug`.
"""

from __future__ import annotations

from typing import IO, Any

import click
from botocore import exceptions as bce

from .._exceptions import (
    PyflowError,
    UnknownDomainError,
    UnknownExecutionError,
    UnknownTypeError,
)

LOCAL_HINT = (
    "for the local engine, run `pyflow local serve` and pass --endpoint-url "
    "(or set AWS_ENDPOINT_URL_SWF)"
)


class CliError(click.ClickException):
    """An error shown as `Error: ...` plus an optional `Hint: ...`, exit status 1."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)
        if self.hint:
            click.echo(f"Hint: {self.hint}", err=True)


def _client_error(exc: bce.ClientError) -> CliError:
    error = exc.response.get("Error", {})
    code = error.get("Code", "Error")
    message = error.get("Message", str(exc))
    operation = exc.operation_name
    hints = {
        "UnknownResourceFault": "check the names: `pyflow list` shows executions, "
        "`pyflow register` creates the domain and workflow types",
        "TypeAlreadyExistsFault": "a type's configuration cannot change; register a new version",
        "WorkflowExecutionAlreadyStartedFault": "an open execution already uses this workflow id; "
        "pick another --workflow-id or wait for it to close",
        "DefaultUndefinedFault": "register the workflow type first (`pyflow register`) "
        "or pass the missing setting explicitly",
        "OperationNotPermittedFault": "the AWS identity in use lacks permission for this call",
        "AccessDeniedException": "the AWS identity in use lacks permission for this call",
        "UnrecognizedClientException": "the AWS credentials are not valid for this endpoint",
        "InvalidClientTokenId": "the AWS credentials are not valid for this endpoint",
        "ThrottlingException": "SWF is throttling requests; try again shortly",
    }
    return CliError(f"SWF {operation} failed: {code}: {message}", hints.get(code))


def translate(exc: BaseException) -> CliError | None:
    """The user-facing error for `exc`, or None when it is a bug to report with a traceback."""
    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, bce.NoCredentialsError):
        return CliError(
            "no AWS credentials found",
            "configure credentials (AWS_PROFILE, `aws configure`, environment variables); "
            + LOCAL_HINT,
        )
    if isinstance(exc, bce.NoRegionError):
        return CliError("no AWS region configured", "pass --region or set AWS_REGION")
    if isinstance(exc, bce.ProfileNotFound):
        return CliError(str(exc), "list profiles with `aws configure list-profiles`")
    if isinstance(exc, (bce.EndpointConnectionError, bce.ConnectTimeoutError)):
        return CliError(
            f"cannot reach SWF: {exc}",
            "is `pyflow local serve` running at that address? check --endpoint-url / "
            "AWS_ENDPOINT_URL_SWF, or your network",
        )
    if isinstance(exc, bce.ReadTimeoutError):
        return CliError(f"SWF did not answer in time: {exc}", "try again; check the endpoint")
    if isinstance(exc, bce.ClientError):
        return _client_error(exc)
    if isinstance(exc, bce.ParamValidationError):
        return CliError(f"invalid request: {exc}")
    if isinstance(exc, bce.BotoCoreError):
        return CliError(f"AWS SDK error: {exc}")
    if isinstance(exc, PyflowError):
        return CliError(str(exc), _runtime_hint(exc))
    return None


def _runtime_hint(exc: PyflowError) -> str | None:
    if isinstance(exc, UnknownDomainError):
        return "`pyflow register MODULE` creates the domain and registers the workflow types"
    if isinstance(exc, UnknownTypeError):
        return "`pyflow register MODULE` registers the workflow types"
    if isinstance(exc, UnknownExecutionError):
        return "`pyflow list` shows the executions in the domain (--domain picks another)"
    return None
