"""The SWF server of `compare_simpleflow.py`, counting every call it answers: `pyflow local
serve` (its own CLI, unchanged) or moto_server, run in this process with a recorder at the
HTTP entry point. The server sees both libraries' calls alike, so the counts come from
one place whatever each library does in its processes (simpleflow decides and works in
forked children, where a botocore hook would be lost).

    python benchmarks/counted_server.py local --port N [pyflow local serve options]
    python benchmarks/counted_server.py moto --port N

`GET /bench/calls` answers `[[arrival, operation, empty poll, answered], ...]` (times in
seconds since the epoch, the clock the history's timestamps come from; the last two null
while a call waits): every POST whose User-Agent does not carry OBSERVER (the benchmark's own
calls: registering, starting, waiting for the close). A poll is empty when its answer has no
task token.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

OBSERVER = "pyflow-bench-observer"
CALLS_PATH = "/bench/calls"
_PREFIX = "SimpleWorkflowService."
_TOKEN = re.compile(rb'"taskToken"\s*:\s*"[^"]')


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[Any]] = []
        self._local = threading.local()

    def arrived(self, target: str | None, agent: str | None) -> bool:
        """Note a call (unless it is the observer's); False if it is not to be recorded."""
        if not target or OBSERVER in (agent or ""):
            return False
        self._local.call = [time.time(), target.removeprefix(_PREFIX), None, None]
        self.calls.append(self._local.call)  # append is atomic: no lock
        return True

    def answered(self, body: bytes) -> None:
        call = self._local.call
        call[2] = call[1].startswith("PollFor") and _TOKEN.search(body) is None
        call[3] = time.time()

    def dump(self) -> bytes:
        return json.dumps(self.calls).encode()


RECORDER = Recorder()


def serve_local(argv: list[str]) -> None:
    # Each server imports only its own package (moto's import alone takes about a second).
    from pyflow.cli import main
    from pyflow.local import _server

    class Counting(_server._Handler):
        recorded = False

        def do_POST(self) -> None:  # noqa: N802 - the name http.server dispatches to
            self.recorded = RECORDER.arrived(self.headers.get("X-Amz-Target"),
                                             self.headers.get("User-Agent"))
            super().do_POST()

        def _answer(self, status: int, payload: bytes) -> None:
            if self.recorded:
                RECORDER.answered(payload)
            super()._answer(status, payload)

        def do_GET(self) -> None:  # noqa: N802
            if self.path != CALLS_PATH:
                super().do_GET()
                return
            payload = RECORDER.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    _server._Handler = Counting  # type: ignore[misc]  # the server class looks it up when built
    main(["local", "serve", *argv])


def _counted(environ: dict[str, Any], start_response: Callable[..., Any],
             app: Callable[[], Iterable[bytes]]) -> Iterable[bytes]:
    """moto's WSGI application (`app()`), recorded."""
    if environ.get("PATH_INFO") == CALLS_PATH:
        payload = RECORDER.dump()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(payload)))])
        return [payload]
    if not RECORDER.arrived(environ.get("HTTP_X_AMZ_TARGET"), environ.get("HTTP_USER_AGENT")):
        return app()
    body = b"".join(app())
    RECORDER.answered(body)
    return [body]


def serve_moto(argv: list[str]) -> None:
    from moto import server
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication as Dispatcher

    dispatch = Dispatcher.__call__

    def counted(app: Dispatcher, environ: dict[str, Any], start: Callable[..., Any]) -> Any:
        return _counted(environ, start, lambda: dispatch(app, environ, start))

    Dispatcher.__call__ = counted  # type: ignore[method-assign, assignment]
    server.main(argv)


if __name__ == "__main__":
    kind, rest = sys.argv[1], sys.argv[2:]
    {"local": serve_local, "moto": serve_moto}[kind](rest)
