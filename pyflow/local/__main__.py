"""`python -m pyflow.local serve`: run the embedded SWF engine as an HTTP endpoint."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from ._engine import LocalSWF
from ._server import serve_forever


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pyflow.local",
                                     description="pyflow's embedded Amazon SWF engine")
    commands = parser.add_subparsers(dest="command", required=True)
    cmd = commands.add_parser("serve", help="serve SWF's JSON protocol over HTTP")
    cmd.add_argument("--host", default="127.0.0.1",
                     help="address to bind (default: 127.0.0.1, loopback only)")
    cmd.add_argument("--port", type=int, default=8080, help="port (0 picks a free one)")
    cmd.add_argument("--virtual-time", action="store_true",
                     help="skip idle waits: while no task is held by a worker or decider "
                          "the clock jumps to the next timer or timeout; while one is held "
                          "it runs at real speed")
    cmd.add_argument("--poll-timeout", type=float, default=20.0,
                     help="longest a poll waits for a task, in seconds (SWF: 60; the default "
                          "20 stays under the AWS CLI's 60-second read timeout)")
    args = parser.parse_args(argv)
    engine = LocalSWF(virtual_time=args.virtual_time, poll_timeout=args.poll_timeout)

    def ready(url: str) -> None:
        print(url, flush=True)
        print(f"pyflow.local SWF endpoint ready; try: aws swf list-domains "
              f"--registration-status REGISTERED --endpoint-url {url}", file=sys.stderr,
              flush=True)

    signal.signal(signal.SIGTERM, _interrupt)
    try:
        serve_forever(engine, args.host, args.port, on_ready=ready)
    finally:
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
