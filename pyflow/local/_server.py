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
MAX_REQUEST = 1024 * 1024
"""SWF's own limit on a request body (1 MB); a larger one is refused unread (413)."""
SOCKET_TIMEOUT = 20.0
"""Seconds a connection may take to send a request's headers or body, or sit idle between
requests; a stalled client is dropped instead of holding a thread. A long poll is not a
stall: while it waits the server is not reading from the socket."""
MAX_CONNECTIONS = 256
"""Connections served at once, each on its own thread: room for the long polls of about 200
deciders and workers. One more is answered 503 at once (SDKs retry it) rather than queued."""
_VALIDATION = "com.amazon.coral.validate#ValidationException"


def error_body(error_type: str, message: str) -> bytes:
    """SWF's JSON error shape, which every SDK parses into an error code and message."""
    return json.dumps({"__type": error_type, "message": message}).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT
    # An answer leaves in two writes (headers, then body). With Nagle's algorithm on, the
    # body waits for the client to acknowledge the headers, and a client delays that
    # acknowledgement by up to 40 ms: every call took ~45 ms, even one that does nothing.
    disable_nagle_algorithm = True
    server: _Server

    def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
        length = self._content_length()
        if length is None:
            return
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            body = b""
        if len(body) < length:  # the client stopped sending (or timed out): nothing to answer
            self.close_connection = True
            return
        target = self.headers.get("X-Amz-Target", "")
        if not target.startswith(_PREFIX):
            status, payload = 400, error_body(
                "UnknownOperationException",
                f"X-Amz-Target must be {_PREFIX}<Operation>, not {target!r}",
            )
        else:
            handed: list[str] = []
            status, payload = self.server.engine.handle_json(target[len(_PREFIX):], body,
                                                             handed)
            self._answer(status, payload)
            for token in handed:  # the answer is in the socket's hands now
                self.server.engine.delivered(token)
            return
        self._answer(status, payload)

    def _content_length(self) -> int | None:
        """The body's length, or None after answering a request whose length is unusable."""
        text = self.headers.get("Content-Length")
        problem = None
        if text is None:
            problem = "a request needs a Content-Length header"
        elif not text.strip().isdigit():
            problem = f"Content-Length must be a whole number of bytes, not {text!r}"
        elif int(text) > MAX_REQUEST:
            self.close_connection = True  # the body is left unread
            self._answer(413, error_body(
                "RequestEntityTooLargeException",
                f"the request body is {int(text)} bytes; SWF accepts at most {MAX_REQUEST}",
            ))
            return None
        if problem is not None:
            self.close_connection = True
            self._answer(400, error_body(_VALIDATION, problem))
            return None
        return int(text)  # type: ignore[arg-type]

    def _answer(self, status: int, payload: bytes) -> None:
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
    request_queue_size = 128

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _refuse(self, request: Any) -> None:
        """Answer 503 on a connection beyond MAX_CONNECTIONS without giving it a thread."""
        payload = error_body("ServiceUnavailableException",
                             f"the server is serving {MAX_CONNECTIONS} connections; retry")
        head = (f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: "
                f"application/x-amz-json-1.0\r\nContent-Length: {len(payload)}\r\n"
                "Connection: close\r\n\r\n").encode()
        try:
            request.settimeout(1.0)
            request.sendall(head + payload)
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that goes away mid-request (a killed decider, a timed-out poll) is routine
        # for a long-polling service: only report what is not a dropped connection.
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def __init__(self, address: tuple[str, int], engine: LocalSWF) -> None:
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
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
