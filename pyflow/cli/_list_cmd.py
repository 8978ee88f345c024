"""`pyflow list`: executions newest first, with filters SWF cannot combine applied here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from . import _render as r
from ._client import aws_options, options
from ._executions import json_option
from ._values import parse_since

if TYPE_CHECKING:
    from mypy_boto3_swf.type_defs import WorkflowExecutionInfoTypeDef

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CLOSE_STATUSES = ("COMPLETED", "FAILED", "CANCELED", "TERMINATED", "TIMED_OUT", "CONTINUED_AS_NEW")


def _matches(info: WorkflowExecutionInfoTypeDef, flt: dict[str, Any]) -> bool:
    checks = (
        flt["workflow_id"] in (None, info["execution"]["workflowId"]),
        flt["type"] in (None, info["workflowType"]["name"]),
        flt["type_version"] in (None, info["workflowType"]["version"]),
        flt["tag"] is None or flt["tag"] in info.get("tagList", []),
        flt["close_status"] is None or info.get("closeStatus") == flt["close_status"],
        flt["until"] is None or r.utc(info["startTimestamp"]) <= flt["until"],
        r.utc(info["startTimestamp"]) >= flt["since"],
    )
    return all(checks)


def _server_filter(flt: dict[str, Any], closed: bool) -> dict[str, Any]:
    """SWF takes one of these filters per call; the most selective goes to the server."""
    time_filter: dict[str, Any] = {"oldestDate": flt["since"]}
    if flt["until"] is not None:
        time_filter["latestDate"] = flt["until"]
    args: dict[str, Any] = {"startTimeFilter": time_filter}
    if flt["workflow_id"]:
        args["executionFilter"] = {"workflowId": flt["workflow_id"]}
    elif flt["tag"]:
        args["tagFilter"] = {"tag": flt["tag"]}
    elif flt["type"]:
        type_filter = {"name": flt["type"]}
        if flt["type_version"]:
            type_filter["version"] = flt["type_version"]
        args["typeFilter"] = type_filter
    elif closed and flt["close_status"]:
        args["closeStatusFilter"] = {"status": flt["close_status"]}
    return args


def list_executions(flt: dict[str, Any], *, closed: bool, limit: int) -> list[Any]:
    opts = options()
    client = opts.client()
    call = (
        client.list_closed_workflow_executions if closed else client.list_open_workflow_executions
    )
    args: dict[str, Any] = {"domain": opts.domain, "maximumPageSize": min(1000, max(limit, 100))}
    args.update(_server_filter(flt, closed))
    found: list[Any] = []
    while len(found) < limit:
        page = call(**args)
        found.extend(i for i in page["executionInfos"] if _matches(i, flt))
        token = page.get("nextPageToken")
        if not token:
            break
        args["nextPageToken"] = token
    return found[:limit]


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
    status = status.upper()
    flt: dict[str, Any] = {
        "workflow_id": workflow_id,
        "type": type_name,
        "type_version": type_version,
        "tag": tag,
        "close_status": status if status in CLOSE_STATUSES else None,
        "since": parse_since(since) if since else EPOCH,
        "until": parse_since(until) if until else None,
    }
    infos: list[Any] = []
    if status in ("ALL", "OPEN"):
        infos += list_executions(flt, closed=False, limit=limit)
    if status != "OPEN":
        infos += list_executions(flt, closed=True, limit=limit)
    infos.sort(key=lambda i: r.utc(i["startTimestamp"]), reverse=True)
    infos = infos[:limit]
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
