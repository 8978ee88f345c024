"""The pages that only read: the executions list, an execution, its live fragment, the start form.

Handlers are plain functions: Starlette runs them in its thread pool, so a slow SWF call holds
one worker thread, never the event loop.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from .._client._faults import swf_error
from .._client._listing import CLOSE_STATUSES, ExecutionFilter
from .._client._pages import list_page
from .._decider._events import CLOSE_STATUS
from .._exceptions import InvalidArgumentError
from ._context import Ui, execution_url, ui_of
from ._execution import ExecutionView, build
from ._gantt import timeline

WINDOWS = {"1h": timedelta(hours=1), "24h": timedelta(days=1), "7d": timedelta(days=7),
           "30d": timedelta(days=30)}
STATUSES = ("all", "open", "closed", *CLOSE_STATUSES)
PAGE_SIZES = (25, 50, 100)
LIVE_SECTIONS = ("summary", "dag", "tasks", "timeline", "history")
HISTORY_TAIL = 200
"""Events the execution page lists (the newest): the whole history has a page of its own, so
a refresh of an execution with thousands of events stays small."""


def home(request: Request) -> Response:
    return RedirectResponse(f"/domains/{ui_of(request).domain}/executions", status_code=303)


def _moment(text: str, what: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidArgumentError(f"{what} must be a date and time like 2026-01-31T13:45") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _filters(query: Any) -> tuple[ExecutionFilter, dict[str, str]]:
    """The list's filter from the query string, and the values to show back in the form."""
    form = {key: str(query.get(key, "")).strip() for key in
            ("status", "type", "tag", "prefix", "window", "since", "until", "size")}
    since = _moment(form["since"], "since")
    if form["window"] in WINDOWS:
        since = datetime.now(UTC) - WINDOWS[form["window"]]
    flt = ExecutionFilter(
        status=form["status"] or "all",
        workflow_type=form["type"] or None,
        tag=form["tag"] or None,
        since=since,
        until=_moment(form["until"], "until"),
    )
    return flt, form


def executions(request: Request) -> Response:
    ui, domain = ui_of(request), request.path_params["domain"]
    flt, form = _filters(request.query_params)
    size = int(form["size"]) if form["size"].isdigit() else PAGE_SIZES[1]
    size = min(max(size, 1), 1000)
    page = list_page(
        ui.swf, domain, flt, prefix=form["prefix"], size=size,
        token=request.query_params.get("page") or None,
    )
    more = None
    if page.next_page_token:
        more = request.url.include_query_params(page=page.next_page_token)
    return ui.render(
        request, "executions.html", domain=domain, executions=page, form=form,
        statuses=STATUSES, windows=WINDOWS, sizes=PAGE_SIZES, size=size, next_url=more,
        first_url=request.url.remove_query_params("page") if "page" in request.query_params
        else None,
        types=_type_names(ui, domain),
    )


def _type_names(ui: Ui, domain: str) -> list[str]:
    """Registered type names, for the filter's suggestions; none when SWF will not say (a
    role allowed to list executions but not types still gets its list)."""
    try:
        return sorted({name for name, _ in _types(ui, domain)})
    except ClientError:
        return []


def _types(ui: Ui, domain: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    args: dict[str, Any] = {"domain": domain, "registrationStatus": "REGISTERED"}
    while True:
        try:
            page = ui.swf.list_workflow_types(**args)
        except ClientError as exc:
            raise swf_error(exc, f"listing the workflow types of domain {domain!r}") from exc
        found += [(t["workflowType"]["name"], t["workflowType"]["version"])
                  for t in page["typeInfos"]]
        if not page.get("nextPageToken"):
            return found
        args["nextPageToken"] = page["nextPageToken"]


def latest(request: Request) -> Response:
    ui, params = ui_of(request), request.path_params
    run_id = ui.client(params["domain"]).latest_run_id(params["workflow_id"])
    return RedirectResponse(
        execution_url(params["domain"], params["workflow_id"], run_id), status_code=303
    )


def _events(request: Request) -> list[Any]:
    params = request.path_params
    return ui_of(request).cache.events(params["domain"], params["workflow_id"], params["run_id"])


def view_of(request: Request, events: list[Any] | None = None) -> ExecutionView:
    events = _events(request) if events is None else events
    params, definition = request.path_params, ui_of(request).definition_of(events)
    return build(params["workflow_id"], params["run_id"], events, definition)


def _sections(ui: Ui, request: Request, view: ExecutionView) -> dict[str, str]:
    template = ui.templates.get_template("_live.html")
    values = {"request": request, "view": view, "domain": request.path_params["domain"],
              "gantt": timeline(view), "csrf": ui.token, "history_limit": HISTORY_TAIL}
    module = template.make_module(values)
    return {name: str(getattr(module, name)()) for name in LIVE_SECTIONS}


def execution(request: Request) -> Response:
    ui = ui_of(request)
    view = view_of(request)
    return ui.render(
        request, "execution.html", view=view, domain=request.path_params["domain"],
        sections=_sections(ui, request, view), notice=request.query_params.get("done", ""),
    )


def live(request: Request) -> Response:
    """The changing parts of an execution page, re-rendered only when the history grew (an
    unchanged one is not even read again past its newest events)."""
    ui = ui_of(request)
    events = _events(request)
    data: dict[str, Any] = {
        "events": len(events),
        "open": not events or events[-1]["eventType"] not in CLOSE_STATUS,
    }
    if request.query_params.get("known", "") != str(len(events)):
        data["sections"] = _sections(ui, request, view_of(request, events))
    return JSONResponse(data, headers={"cache-control": "no-store"})


def history(request: Request) -> Response:
    """Every event of a run, on a page that does not refresh."""
    view = view_of(request)
    return ui_of(request).render(request, "history.html", view=view,
                                 domain=request.path_params["domain"], history_limit=None)


def start_form(request: Request) -> Response:
    ui, domain = ui_of(request), request.path_params["domain"]
    return ui.render(request, "start.html", domain=domain, types=_types(ui, domain))
