"""`pyflow ui`: the web UI served with uvicorn, against the SWF the other commands talk to.

The UI is the optional `ui` extra: its modules are imported when it is served, so the rest of
the command line works without it and a missing install is one clear line, as for `cli`.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from .._client._factory import is_loopback
from .._payloads import PayloadStore
from .._workflow._definition import Workflow
from ._describe import workflows_option
from ._errors import CliError
from ._loading import load_workflows
from ._options import aws_options, options, payload_options

if TYPE_CHECKING:
    from mypy_boto3_swf import SWFClient

DEFAULT_UI_PORT = 8766
UI_HINT = "pip install 'pyflow-swf[ui]'"


@dataclass
class UiServer:
    """A UI listening in a thread of this process (beside `pyflow local serve`)."""

    url: str
    server: Any
    thread: threading.Thread

    def shutdown(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        # Listening now, before uvicorn starts, lets the URL be announced and used at once:
        # early connections wait in the backlog instead of being refused.
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise CliError(
            f"the UI cannot listen on {host}:{port}: {exc.strerror or exc}",
            "pick another port (0 chooses a free one)",
        ) from exc
    return sock


def ui_server(
    swf: SWFClient,
    *,
    domain: str,
    host: str,
    port: int,
    workflows: Sequence[Workflow],
    payload_store: PayloadStore | None = None,
) -> tuple[Any, socket.socket, str]:
    """A uvicorn server of the UI, its listening socket and its URL (not running yet)."""
    try:
        import uvicorn

        from ..ui import create_app
    except ImportError as exc:
        raise CliError(
            f"the web UI needs the 'ui' extra ({exc.name} is missing)", UI_HINT
        ) from None
    sock = _listen(host, port)
    app = create_app(
        swf, domain=domain, workflows=workflows, host=host, payload_store=payload_store
    )
    config = uvicorn.Config(app, log_level="warning", access_log=False)
    address, bound = sock.getsockname()[:2]
    shown = f"[{address}]" if ":" in address else address
    return uvicorn.Server(config), sock, f"http://{shown}:{bound}"


def start_ui(
    swf: SWFClient,
    *,
    domain: str,
    host: str,
    port: int,
    workflows: Sequence[Workflow],
    payload_store: PayloadStore | None = None,
) -> UiServer:
    """Serve the UI from a thread until `shutdown()`."""
    server, sock, url = ui_server(
        swf, domain=domain, host=host, port=port, workflows=workflows,
        payload_store=payload_store,
    )
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="pyflow-ui", daemon=True
    )
    thread.start()
    return UiServer(url, server, thread)


def warn_if_exposed(url: str, host: str) -> None:
    if not is_loopback(url):
        click.echo(
            f"Warning: the UI listens on {host} without authentication; anyone who can reach "
            "it can signal, cancel, terminate and start executions",
            err=True,
        )


@click.command(short_help="Serve the web UI for executions.")
@aws_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_UI_PORT,
              show_default=True, help="Port (0 picks a free one).")
@workflows_option
@payload_options
def ui(host: str, port: int, definitions: str | None) -> None:
    """Serve a web app to find, watch, signal, cancel, terminate and start executions.

    It talks to the SWF the other commands do: AWS with the usual profile and region, or
    --endpoint-url / AWS_ENDPOINT_URL_SWF (`pyflow local serve`). With --workflows it draws
    the tasks not started yet and offers the signal names the definitions wait for.

    \b
      pyflow ui --endpoint-url http://127.0.0.1:8765 --workflows workflows
    """
    opts = options()
    workflows = load_workflows(definitions) if definitions else []
    server, sock, url = ui_server(
        opts.client(), domain=opts.domain, host=host, port=port, workflows=workflows,
        payload_store=opts.payload_store(),
    )
    click.echo(f"pyflow UI for {opts.where()} on {url}")
    warn_if_exposed(url, host)
    click.echo("Ctrl-C stops.", err=True)
    server.run(sockets=[sock])


COMMANDS = [ui]
