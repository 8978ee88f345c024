"""Crash test of the durable engine: `pyflow local serve --db` is killed with SIGKILL at
random moments while a decider process and a worker process run executions of
`crashflow.workflow`, and restarted each time; every execution must still complete with the
right result.

    python benchmarks/crash_local_serve.py [--executions 50] [--kills 3] [--seed N]

Prints one JSON line (executions completed, kills, seconds, the server's restart times) and
exits 0 only if nothing was lost. Bounded: it gives up after --timeout seconds.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import boto3
import crashflow  # beside this file, which Python puts first on the path of a script
from botocore.config import Config

import pyflow
from pyflow._exceptions import WorkflowAlreadyStartedError

HERE = Path(__file__).resolve().parent


@dataclass
class CrashReport:
    executions: int
    completed: int = 0
    kills: int = 0
    seconds: float = 0.0
    restart_seconds: list[float] = field(default_factory=list)
    """How long each restarted server took to load the database and listen again."""
    wrong: dict[str, str] = field(default_factory=dict)
    """Workflow id -> what it ended with, for every execution that did not complete right."""
    logs: str = ""

    @property
    def ok(self) -> bool:
        return self.completed == self.executions and not self.wrong


def _pyflow() -> list[str]:
    beside = Path(sys.executable).with_name("pyflow")
    found = str(beside) if beside.exists() else shutil.which("pyflow")
    if found is None:
        raise SystemExit("the pyflow console script is not installed (run `make venv`)")
    return [found]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYFLOW_"))}
    path = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)
    env.update(AWS_ENDPOINT_URL_SWF=url, AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null",
               PYTHONPATH=path)
    return env


class Processes:
    """The server, decider and worker, each logging to its own file in `workdir`."""

    def __init__(self, workdir: Path, port: int, server_options: tuple[str, ...] = ()) -> None:
        self.workdir, self.port = workdir, port
        self.server_options = server_options
        self.url = f"http://127.0.0.1:{port}"
        self.env = _environment(self.url)
        self.db = workdir / "engine.db"
        self.server: subprocess.Popen[bytes] | None = None
        self.others: list[subprocess.Popen[bytes]] = []
        self._starts = 0

    def _spawn(self, args: list[str], log_name: str) -> subprocess.Popen[bytes]:
        with open(self.workdir / log_name, "ab") as log:
            return subprocess.Popen(args, cwd=self.workdir, env=self.env, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def start_server(self, timeout: float = 30.0) -> float:
        """Start `pyflow local serve --db` and wait until it listens; the seconds it took."""
        began = time.monotonic()
        self._starts += 1
        log_name = f"server-{self._starts}.log"
        self.server = self._spawn(
            [*_pyflow(), "local", "serve", "--port", str(self.port), "--db", str(self.db),
             "--domain", crashflow.DOMAIN, "--lambdas", "crashflow", "--register",
             "crashflow", "--poll-timeout", "5", *self.server_options], log_name)
        while "listening on" not in (self.workdir / log_name).read_text(errors="replace"):
            if self.server.poll() is not None or time.monotonic() - began > timeout:
                raise RuntimeError("pyflow local serve did not start:\n" + self.tail(log_name))
            time.sleep(0.02)
        return time.monotonic() - began

    def kill_server(self) -> None:
        assert self.server is not None
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=10)

    def start_workers(self) -> None:
        self.others.append(self._spawn([*_pyflow(), "decider", "crashflow", "--domain",
                                        crashflow.DOMAIN], "decider.log"))
        self.others.append(self._spawn([*_pyflow(), "worker", "crashflow", "--domain",
                                        crashflow.DOMAIN], "worker.log"))

    def tail(self, name: str, lines: int = 15) -> str:
        path = self.workdir / name
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        for proc in [*self.others, self.server]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [*self.others, self.server]:
            if proc is not None:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _client(url: str) -> pyflow.Client:
    swf = boto3.client("swf", endpoint_url=url, region_name="us-east-1",
                       aws_access_key_id="local", aws_secret_access_key="local",
                       config=Config(retries={"mode": "standard", "max_attempts": 2},
                                     connect_timeout=2, read_timeout=30))
    return pyflow.Client(swf, domain=crashflow.DOMAIN)


def _retrying(call: Any, deadline: float) -> Any:
    """`call()` until the server answers: it may be down for a restart."""
    while True:
        try:
            return call()
        except WorkflowAlreadyStartedError:
            raise
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _start_all(client: pyflow.Client, ids: list[str], deadline: float) -> None:
    """Start one execution per id, paced so that kills fall among the starts too. A start
    whose answer was lost in a crash is found already open when retried: it counts."""
    for n, workflow_id in enumerate(ids):
        try:
            _retrying(functools.partial(client.start, crashflow.workflow, input=n,
                                        workflow_id=workflow_id), deadline)
        except WorkflowAlreadyStartedError:
            pass
        time.sleep(0.05)


def _collect(client: pyflow.Client, ids: list[str], report: CrashReport,
             deadline: float) -> None:
    pending = dict(enumerate(ids))
    while pending and time.monotonic() < deadline:
        for n, workflow_id in list(pending.items()):
            outcome = _retrying(functools.partial(client.describe, workflow_id,
                                                  workflow=crashflow.workflow), deadline)
            if outcome.status == "OPEN":
                continue
            del pending[n]
            if (outcome.status, outcome.result) == ("COMPLETED", crashflow.expected(n)):
                report.completed += 1
            else:
                report.wrong[workflow_id] = f"{outcome.status}: {outcome.result!r}"
        time.sleep(0.5)
    report.wrong.update({wid: "still open" for wid in pending.values()})


def crash_run(executions: int = 50, kills: int = 3, seed: int | None = None,
              timeout: float = 100.0, workdir: str | None = None,
              gaps: tuple[float, float] = (0.5, 3.0),
              server_options: tuple[str, ...] = ()) -> CrashReport:
    """Run the crash test; the report says what completed and what did not. Each kill comes
    a random number of seconds within `gaps` after the server is up. The database and the
    processes' logs are kept in `workdir` if given (else in a temporary folder)."""
    rng = random.Random(seed)
    report = CrashReport(executions=executions)
    began = time.monotonic()
    deadline = began + timeout
    ids = [f"crash-{n}" for n in range(executions)]
    with tempfile.TemporaryDirectory(prefix="pyflow-crash-") as tmp:
        folder = Path(workdir or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        procs = Processes(folder, _free_port(), server_options)
        try:
            procs.start_server()
            procs.start_workers()
            client = _client(procs.url)
            starter = threading.Thread(target=_start_all, args=(client, ids, deadline))
            starter.start()
            for _ in range(kills):
                time.sleep(rng.uniform(*gaps))
                procs.kill_server()
                report.kills += 1
                report.restart_seconds.append(round(procs.start_server(), 3))
            starter.join()
            _collect(client, ids, report, deadline)
        finally:
            report.seconds = round(time.monotonic() - began, 1)
            if not report.ok:
                report.logs = "\n".join(f"--- {name}\n{procs.tail(name)}" for name in
                                        ("decider.log", "worker.log", "server-1.log",
                                         f"server-{kills + 1}.log"))
            procs.stop()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--executions", type=int, default=50)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--timeout", type=float, default=100.0)
    parser.add_argument("--workdir", help="keep the database and logs in this folder")
    parser.add_argument("--gaps", type=float, nargs=2, default=(0.5, 3.0), metavar=("MIN", "MAX"),
                        help="seconds between a server's start and its kill (default 0.5 3)")
    parser.add_argument("--virtual-time", action="store_true",
                        help="run the server with --virtual-time")
    args = parser.parse_args(argv)
    report = crash_run(args.executions, args.kills, args.seed, args.timeout, args.workdir,
                       tuple(args.gaps), ("--virtual-time",) if args.virtual_time else ())
    summary = {k: v for k, v in asdict(report).items() if k != "logs"}
    print(json.dumps(summary))
    if not report.ok:
        print(report.logs, file=sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
