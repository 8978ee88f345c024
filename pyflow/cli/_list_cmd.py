"""`pyflow list`: executions newest first, as `Client.list_executions` finds them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from .._client import _listing
from . import _render as r
from ._options import aws_options, json_option, options
from ._values import parse_since

CLOSE_STATUSES = _listing.CLOSE_STATUSES


def _status(info: Any) -> str:
    return str(info.get("closeStatus") or info.get("executionStatus", "OPEN"))


@click.command("list", short_help="List executions, newest first.")
@click.option(
    "--status",
    type=click.Choice(["all", "open", "closed", *CLOSE_STATUSES], case_sensitive=False),
    default="all",
    show_default=True,
    help="Open, closed, or one close status.",
)
@click.option("--type", "type_name", metavar="NAME", help="Workflow type name.")
@click.option("--type-version", metavar="VERSION", help="Workflow type version (with --type).")
@click.option("--tag", help="Only executions started with this tag.")
@click.option("--workflow-id", help="Only runs of this workflow id.")
@click.option("--since", metavar="TIME", help="Started at or after: 2h, 7d, or ISO time.")
@click.option("--until", metavar="TIME", help="Started at or before: 2h, 7d, or ISO time.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many."
)
@json_option
@aws_options
def list_command(
    status: str,
    type_name: str | None,
    type_version: str | None,
    tag: str | None,
    workflow_id: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """List executions, newest first (open and closed unless --status says)."""
    if type_version and not type_name:
        raise click.UsageError("--type-version needs --type (the workflow type's name)")
    upper = status.upper()
    infos = options().pyflow().list_executions(
        status=upper if upper in CLOSE_STATUSES else status.lower(),
        workflow_type=type_name,
        type_version=type_version,
        tag=tag,
        workflow_id=workflow_id,
        since=parse_since(since) if since else None,
        until=parse_since(until) if until else None,
        limit=limit,
    )
    if as_json:
        r.echo_json(infos)
        return
    if not infos:
        click.echo(f"no executions match in domain {options().domain!r}")
        return
    rows = [_list_row(i) for i in infos]
    r.table(["WORKFLOW ID", "TYPE", "STATUS", "STARTED (UTC)", "DURATION", "TAGS"], rows,
            style_column=2)


def _list_row(info: Any) -> list[str]:
    end = info.get("closeTimestamp") or (None if info.get("closeStatus") else datetime.now(UTC))
    return [
        info["execution"]["workflowId"],
        f"{info['workflowType']['name']} {info['workflowType']['version']}",
        _status(info),
        r.when(info["startTimestamp"]),
        r.duration(r.between(info["startTimestamp"], end)),
        ",".join(info.get("tagList", [])),
    ]



COMMANDS = [list_command]
