"""`pyflow local serve`: the embedded SWF engine over HTTP for the AWS CLI, SDKs and pyflow."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from .._client import DEFAULT_DECIDER_TASK_LIST, Client
from .._client._factory import is_loopback
from .._exceptions import PayloadStoreError
from .._loading import module_handlers
from .._payloads import LocalPayloadStore
from ..local import LocalSWF
from ..local._engine import DEFAULT_PAYLOADS
from ..local._server import serve as start_server
from ..local._store import StoreError
from ._errors import CliError
from ._loading import import_module, lambda_handlers, load_object, load_workflows
from ._options import DEFAULT_DOMAIN
from ._ui_cmd import DEFAULT_UI_PORT, start_ui, warn_if_exposed
from ._values import parse_mapping

DEFAULT_PORT = 8765
LOCAL_LAMBDA_ROLE = "arn:aws:iam::000000000000:role/pyflow-local"
"""Registered as the default Lambda role of --register types: the engine only checks that an
execution has one, as SWF does, so executions started without --lambda-role can run Lambdas."""


def module_lambdas(name: str) -> dict[str, Callable[..., Any]]:
    """The handlers module `name` offers (see `pyflow._loading.module_handlers`)."""
    return module_handlers(import_module(name))


def _lambdas(
    modules: tuple[str, ...], maps: tuple[str, ...], workflows: list[Any]
) -> dict[str, Callable[..., Any]]:
    handlers: dict[str, Callable[..., Any]] = {}
    for module in modules:
        handlers.update(module_lambdas(module))
    if modules:
        # Workflows named with --register also get the suffix convention `pyflow run` uses.
        for workflow in workflows:
            try:
                handlers.update(lambda_handlers(workflow, modules, {}))
            except CliError:
                pass
    for text in maps:
        name, target = parse_mapping(text, option="--lambda")
        handler = load_object(target)
        if not callable(handler):
            raise CliError(f"--lambda {text}: {target!r} is not callable")
        handlers[name] = handler
    return handlers


@click.group(short_help="The embedded SWF engine (no AWS account needed).")
def local() -> None:
    """The embedded SWF engine (no AWS account needed)."""


@local.command(short_help="Serve the local engine over HTTP.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="Port (0 picks a free one).")
@click.option("--domain", "domains", multiple=True, default=[DEFAULT_DOMAIN], show_default=True,
              help="Domain to create at start (repeatable).")
@click.option("--register", "registers", multiple=True, metavar="TARGET",
              help="Also register the workflow types in TARGET (module, package or MODULE:ATTR; "
                   "repeatable).")
@click.option("--lambda", "lambda_maps", multiple=True, metavar="NAME=MODULE:FUNCTION",
              help="Serve Lambda function NAME with this Python handler (repeatable).")
@click.option("--lambdas", "lambda_modules", multiple=True, metavar="MODULE",
              help="Serve the handlers in MODULE (its LAMBDAS dict, else its functions).")
@click.option("--virtual-time", is_flag=True,
              help="Jump the clock to the next timer or timeout whenever no task is held "
                   "(for tests and demos).")
@click.option("--poll-timeout", type=click.FloatRange(0.1, 60), default=20.0, show_default=True,
              help="Longest a poll waits for a task, in seconds (SWF waits 60; 20 stays under "
                   "the AWS CLI's 60-second read timeout).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the URL and what is served as one JSON line.")
@click.option("--db", "db", metavar="FILE", default=None,
              help="Keep everything in this SQLite file, so a restarted server carries on "
                   "(default: in memory).")
@click.option("--ui", "ui_port", is_flag=False, flag_value=DEFAULT_UI_PORT, default=None,
              type=click.IntRange(0, 65535), metavar="[PORT]",
              help=f"Also serve the web UI for the first domain (port {DEFAULT_UI_PORT} "
                   "unless given; needs the 'ui' extra).")
@click.option("--payload-dir", metavar="DIR", envvar="PYFLOW_PAYLOAD_DIR", show_envvar=True,
              default=None,
              help="Keep payloads over 32,000 characters in this directory, for the served "
                   "Lambda handlers and the UI; give deciders and workers the same --payload-dir "
                   "(default: beside --db, else none: an oversize payload fails its task).")
def serve(
    host: str,
    port: int,
    domains: tuple[str, ...],
    registers: tuple[str, ...],
    lambda_maps: tuple[str, ...],
    lambda_modules: tuple[str, ...],
    virtual_time: bool,
    poll_timeout: float,
    as_json: bool,
    db: str | None,
    ui_port: int | None,
    payload_dir: str | None,
) -> None:
    """Serve SWF's API over HTTP until Ctrl-C, on the loopback interface by default.

    Any SWF client works against it: pyflow commands, the AWS CLI, boto3 and other SDKs,
    with --endpoint-url or AWS_ENDPOINT_URL_SWF. pyflow commands need no AWS credentials or
    region for a loopback endpoint (other SDKs want placeholder ones).

    \b
      pyflow local serve --lambdas handlers.strings --register workflows
      # then, in other shells:
      export AWS_ENDPOINT_URL_SWF=http://127.0.0.1:8765
      pyflow decider workflows
      pyflow start workflows.string_transformer:workflow --input World --wait
    """
    workflows = _workflows(registers)
    handlers = _lambdas(lambda_modules, lambda_maps, workflows)
    engine = _engine(virtual_time, poll_timeout, db, payload_dir)
    for name, handler in handlers.items():
        engine.add_lambda(name, handler)
    engine.set_missing_lambda_hint(
        "`pyflow local serve` has no handler for it: map it with --lambdas MODULE or "
        "--lambda NAME=MODULE:FUNCTION"
    )
    _prepare(engine, domains, workflows)
    try:
        server = start_server(engine, host=host, port=port)
    except OSError as exc:
        raise CliError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            "pick another --port (0 chooses a free one)",
        ) from exc
    ui = None
    if ui_port is not None:
        ui = start_ui(engine.client(), domain=domains[0], host=host, port=ui_port,
                      workflows=workflows, payload_store=engine.payload_store)
    served = Served(server.url, domains, handlers, workflows, ui.url if ui else None,
                    _directory(engine.payload_store))
    _announce(served, host, as_json)
    _wait_for_stop()
    click.echo("stopping", err=True)
    if ui is not None:
        ui.shutdown()
    server.shutdown()
    engine.close()


def _engine(
    virtual_time: bool, poll_timeout: float, db: str | None, payload_dir: str | None
) -> LocalSWF:
    try:
        return LocalSWF(virtual_time=virtual_time, poll_timeout=poll_timeout, path=db,
                        payload_store=_payload_store(payload_dir, db))
    except StoreError as exc:
        raise CliError(str(exc), exc.hint) from exc
    except PayloadStoreError as exc:
        raise CliError(str(exc), "pass a --payload-dir this user may write") from exc


def _payload_store(payload_dir: str | None, db: str | None) -> Any:
    """A directory the other processes can share; an in-memory store would hide payloads
    from the deciders and workers that reach this engine over HTTP."""
    if payload_dir:
        return LocalPayloadStore(payload_dir)
    return DEFAULT_PAYLOADS if db else None


def _directory(store: Any) -> str | None:
    directory = getattr(store, "directory", None)
    return None if directory is None else str(directory)


@dataclass(frozen=True)
class Served:
    """What `serve` announces."""

    url: str
    domains: tuple[str, ...]
    handlers: dict[str, Any]
    workflows: list[Any]
    ui_url: str | None
    payload_dir: str | None


def _workflows(targets: tuple[str, ...]) -> list[Any]:
    """The workflows of every --register TARGET, each type once."""
    found: dict[tuple[str, str], Any] = {}
    for target in targets:
        for workflow in load_workflows(target):
            found.setdefault((workflow.name, workflow.version), workflow)
    return list(found.values())


def _prepare(engine: LocalSWF, domains: tuple[str, ...], workflows: list[Any]) -> None:
    for domain in domains:
        client = Client(engine.client(), domain=domain)
        client.register_domain()
        for workflow in workflows:
            client.register(
                workflow,
                task_list=workflow.task_list or DEFAULT_DECIDER_TASK_LIST,
                lambda_role=LOCAL_LAMBDA_ROLE,
            )


def _announce(served: Served, host: str, as_json: bool) -> None:
    url, ui_url = served.url, served.ui_url
    if as_json:
        data = {
            "url": url,
            "domains": list(served.domains),
            "workflowTypes": [{"name": w.name, "version": w.version} for w in served.workflows],
            "lambdaFunctions": sorted(served.handlers),
            "payloadDir": served.payload_dir,
        }
        click.echo(json.dumps(data if ui_url is None else {**data, "ui": ui_url}))
    else:
        _announce_text(served)
        if ui_url is not None:
            click.echo(f"  web UI: {ui_url}")
    if not is_loopback(url):
        click.echo(
            f"Warning: listening on {host} without authentication; anyone who can reach it "
            "can run your Lambda handlers",
            err=True,
        )
        if ui_url is not None:
            warn_if_exposed(ui_url, host)
    click.echo("Ctrl-C stops.", err=True)


def _announce_text(served: Served) -> None:
    click.echo(f"pyflow local SWF engine listening on {served.url}")
    click.echo(f"  export AWS_ENDPOINT_URL_SWF={served.url}")
    click.echo(f"  domains: {', '.join(served.domains)}")
    if served.workflows:
        names = ", ".join(f"{w.name} {w.version}" for w in served.workflows)
        click.echo(f"  workflow types: {names}")
    click.echo(f"  Lambda functions: {', '.join(sorted(served.handlers)) or 'none'}")
    if served.payload_dir is not None:
        click.echo(f"  payloads: export PYFLOW_PAYLOAD_DIR={served.payload_dir}")


def _wait_for_stop() -> None:
    stop = threading.Event()

    def on_signal(_signum: int, _frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGTERM, on_signal)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)


COMMANDS = [local]
