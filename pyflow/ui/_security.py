"""The defences of a server that can start and stop executions: Host check, CSRF token, CSP.

Loopback alone does not stop a web page in the user's browser from reaching the server: a
cross-site form can POST to it, and DNS rebinding lets another site's script read it. The
Host check refuses requests addressed to any name but the server's own (rebinding), and every
state-changing POST must carry a token that only pages served here contain (cross-site forms
cannot read it). The Content-Security-Policy allows scripts and styles from this server only,
a second wall behind the escaping of everything SWF returns.
"""

from __future__ import annotations

import hmac
import secrets
import socket

from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .._exceptions import PyflowError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


class CsrfError(PyflowError):
    """A state-changing request without this server's token: refused."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def check_form(form: FormData, token: str) -> None:
    """Refuse a POST whose form lacks the page token."""
    given = form.get("csrf")
    if not isinstance(given, str) or not hmac.compare_digest(given, token):
        raise CsrfError(
            "this request did not come from a page of this server (missing or wrong CSRF "
            "token); reload the page and try again"
        )


def check_origin(request: Request) -> None:
    """Refuse a POST a browser says comes from another site (a second check to the token)."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if origin and origin != "null" and origin.split("://", 1)[-1] != host:
        raise CsrfError(f"cross-site request from {origin!r} refused")


class SecurityHeaders:
    """Adds the headers above to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.encode(), value.encode())
                    for name, value in HEADERS.items()
                    if name.encode() not in present
                ]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def middleware(hosts: list[str]) -> list[Middleware]:
    """The middleware of the app: headers on everything, then the Host check."""
    return [
        Middleware(SecurityHeaders),
        Middleware(TrustedHostMiddleware, allowed_hosts=hosts),
    ]


def allowed_hosts(host: str) -> list[str]:
    """The Host names a server bound to `host` answers to: its own address, the loopback
    names when bound to loopback, and this machine's names too when bound to every interface
    (a browser elsewhere addresses it by one of them)."""
    names = [host]
    if host in WILDCARDS:
        names += [socket.gethostname(), socket.getfqdn()]
    if host in LOOPBACK_NAMES or host.startswith("127.") or host in WILDCARDS:
        names += LOOPBACK_NAMES
    # A Host header writes an IPv6 address in brackets ([::1]:8766).
    bracketed = (f"[{name}]" if ":" in name else name for name in names)
    return list(dict.fromkeys(name.lower() for name in bracketed if name))
