"""SWF's JSON protocol over HTTP (awsJson1_0), so the AWS CLI and any AWS SDK can drive a
`LocalSWF` with `--endpoint-url` or `AWS_ENDPOINT_URL_SWF`."""

from __future__ import annotations

import json
import logging
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ._engine import LocalSWF
from ._transport import response_headers

log = logging.getLogger("pyflow.local")
_PREFIX = "SimpleWorkflowService."


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        target = self.headers.get("X-Amz-Target", "")
        if not target.startswith(_PREFIX):
            status, payload = 400, json.dumps({
                "__type": "UnknownOperationException",
                "message": f"X-Amz-Target must be {_PREFIX}<Operation>, not {target!r}",
            }).encode()
        else:
            status, payload = self.server.engine.handle_json(target[len(_PREFIX):], body)
        self.send_response(status)
        for name, value in response_headers(status, payload).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:  # noqa: N802
        payload = b'{"service": "pyflow.local SWF", "protocol": "awsJson1_0"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("pyflow.local HTTP: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request (a killed decider, a timed-out poll) is routine
        # for a long-polling service: only report what is not a dropped connection.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            return
        super().handle_error(request, client_address)

    def __init__(self, address: tuple[str, int], engine: LocalSWF) -> None:
        super().__init__(address, _Handler)
        self.engine = engine


class LocalServer:
    """A running HTTP front end for an engine; `shutdown()` stops it (and closes the engine
    if the server created it)."""

    def __init__(self, server: _Server, owns_engine: bool) -> None:
        self._server = server
        self._owns_engine = owns_engine
        self._thread: threading.Thread | None = None
        raw_host, port = server.server_address[:2]
        host = raw_host.decode() if isinstance(raw_host, bytes) else str(raw_host)
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}"
        self.engine = server.engine

    def start(self) -> LocalServer:
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="pyflow-local-http", daemon=True)
        self._thread.start()
        return self

    def shutdown(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        if self._owns_engine:
            self.engine.close()

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()


def _bind(engine: LocalSWF | None, host: str, port: int) -> LocalServer:
    owns = engine is None
    server = _Server((host, port), engine or LocalSWF())
    return LocalServer(server, owns)


def serve(engine: LocalSWF | None = None, host: str = "127.0.0.1", port: int = 0) -> LocalServer:
    """Serve `engine` (a new real-time one if None) on a background thread; port 0 picks a
    free port, see `.url`."""
    return _bind(engine, host, port).start()
