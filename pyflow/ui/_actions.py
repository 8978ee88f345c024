"""The requests that change executions: signal, request cancel, terminate and start.

Each is a POST that must carry the page's CSRF token and not come from another site; the form
is checked before SWF is called. A refused action shows an error page with the reason, and
a done one redirects to the execution page (POST, then GET, so reloading does not resend it).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from .._exceptions import InvalidArgumentError
from ._context import execution_url, ui_of
from ._security import check_form, check_origin


async def _form(request: Request) -> FormData:
    check_origin(request)
    form = await request.form()
    check_form(form, ui_of(request).token)
    return form


def _json(text: str, what: str) -> Any:
    """A form's JSON field; empty means no input, and text that is not JSON is refused
    (a person may have meant a string, but a typo should not start a workflow)."""
    if not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise InvalidArgumentError(f"{what} is not valid JSON: {exc}") from exc


def _field(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _done(request: Request, what: str) -> Response:
    params = request.path_params
    url = execution_url(params["domain"], params["workflow_id"], params["run_id"])
    return RedirectResponse(f"{url}?done={what}", status_code=303)


async def signal(request: Request) -> Response:
    form = await _form(request)
    params, ui = request.path_params, ui_of(request)
    name = _field(form, "signal_name").strip()
    if not name:
        raise InvalidArgumentError("the signal needs a name")
    value = _json(_field(form, "input"), f"the input of signal {name!r}")
    await run_in_threadpool(
        ui.client(params["domain"]).signal, params["workflow_id"], name, value,
        run_id=params["run_id"],
    )
    return _done(request, "signal")


async def cancel(request: Request) -> Response:
    await _form(request)
    params, ui = request.path_params, ui_of(request)
    await run_in_threadpool(
        ui.client(params["domain"]).cancel, params["workflow_id"], run_id=params["run_id"]
    )
    return _done(request, "cancel")


async def terminate(request: Request) -> Response:
    form = await _form(request)
    if _field(form, "confirm") != "yes":
        raise InvalidArgumentError("terminating needs the confirmation box ticked")
    params, ui = request.path_params, ui_of(request)
    await run_in_threadpool(
        ui.client(params["domain"]).terminate, params["workflow_id"],
        run_id=params["run_id"], reason=_field(form, "reason").strip() or None,
    )
    return _done(request, "terminate")


async def start(request: Request) -> Response:
    form = await _form(request)
    domain, ui = request.path_params["domain"], ui_of(request)
    name, version = _workflow_type(_field(form, "type"))
    value = _json(_field(form, "input"), "the workflow input")
    client = ui.client(domain)
    tags = [tag.strip() for tag in _field(form, "tags").split(",") if tag.strip()]
    workflow_id = await run_in_threadpool(
        lambda: client.start(
            name, version=version, input=value,
            workflow_id=_field(form, "workflow_id").strip() or None,
            task_list=_field(form, "task_list").strip() or None,
            lambda_role=_field(form, "lambda_role").strip() or None,
            tags=tags or None,
        )
    )
    run_id = await run_in_threadpool(client.latest_run_id, workflow_id)
    return RedirectResponse(
        execution_url(domain, workflow_id, run_id) + "?done=start", status_code=303
    )


def _workflow_type(text: str) -> tuple[str, str]:
    """The type a start form chose: its option value is the JSON pair [name, version]."""
    try:
        name, version = json.loads(text)
    except (ValueError, TypeError) as exc:
        raise InvalidArgumentError("choose the workflow type to start") from exc
    if not isinstance(name, str) or not isinstance(version, str):
        raise InvalidArgumentError("choose the workflow type to start")
    return name, version
