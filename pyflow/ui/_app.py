"""The Starlette application: routes, static files, and how errors become pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .._exceptions import (
    InvalidArgumentError,
    PyflowError,
    UnknownDomainError,
    UnknownExecutionError,
    UnknownTypeError,
)
from .._payloads import PayloadStore
from .._workflow._definition import Workflow
from . import _actions, _pages
from ._context import HERE, Ui, execution_url, ui_of
from ._security import CsrfError, allowed_hosts, middleware

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

RUN = "/{workflow_id}/{run_id:path}"
STATUS = {
    CsrfError: 403,
    UnknownExecutionError: 404,
    UnknownDomainError: 404,
    UnknownTypeError: 400,
    InvalidArgumentError: 400,
}


def create_app(
    swf: SWFClient,
    *,
    domain: str,
    workflows: Iterable[Workflow] = (),
    host: str = "127.0.0.1",
    hosts: Iterable[str] = (),
    payload_store: PayloadStore | None = None,
) -> Starlette:
    """The UI against `swf`, opening on `domain`; `workflows` are the definitions that draw
    tasks not started yet. It answers only requests addressed to `host` (and the loopback
    names when that is a loopback address) or to one of `hosts`. `payload_store` shows
    offloaded payloads and offloads large inputs the UI sends."""
    routes = [
        Route("/", _pages.home),
        Route("/domains/{domain}/executions", _pages.executions),
        Route("/domains/{domain}/start", _pages.start_form, methods=["GET"]),
        Route("/domains/{domain}/start", _actions.start, methods=["POST"]),
        Route("/domains/{domain}/executions/{workflow_id}", _pages.latest),
        Route("/domains/{domain}/executions" + RUN, _pages.execution),
        Route("/domains/{domain}/live" + RUN, _pages.live),
        Route("/domains/{domain}/history" + RUN, _pages.history),
        Route("/domains/{domain}/signal" + RUN, _actions.signal, methods=["POST"]),
        Route("/domains/{domain}/cancel" + RUN, _actions.cancel, methods=["POST"]),
        Route("/domains/{domain}/terminate" + RUN, _actions.terminate, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware([*allowed_hosts(host), *hosts]),
        exception_handlers={PyflowError: _error_page},
    )
    app.state.ui = Ui.create(swf, domain, workflows, payload_store)
    return app


def _error_page(request: Request, exc: Exception) -> Response:
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 502)
    if request.url.path.startswith("/domains/") and "/live/" in request.url.path:
        return JSONResponse({"error": str(exc)}, status_code=status)
    params = request.path_params
    domain = params.get("domain", ui_of(request).domain)
    back = None
    if "workflow_id" in params and "run_id" in params:
        back = execution_url(domain, params["workflow_id"], params["run_id"])
    return ui_of(request).render(
        request, "error.html", status=status, message=str(exc), domain=domain, back=back
    )
