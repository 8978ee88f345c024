"""The machinery of `compare_simpleflow.py`: the counting server, process groups and their
CPU time, the observer client, and simpleflow's own virtualenv.

Every process the benchmark starts gets its own session, so that its CPU time can be read
with all it forks (simpleflow forks a child per decision and per activity) and it can be
stopped with all it forks, by its process group id.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import bench_venv
import boto3
from botocore.config import Config
from counted_server import CALLS_PATH, OBSERVER

HERE = Path(__file__).resolve().parent
SIMPLEFLOW = "simpleflow==0.36.0"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
               "AWS_DEFAULT_REGION": "us-east-1"}
"""Placeholders: neither server checks them, but simpleflow's boto3 wants some."""
_TICKS = os.sysconf("SC_CLK_TCK")
Call = tuple[float, str, bool | None, float | None]
"""Arrival, operation, whether a poll brought nothing, answer (None: still waiting)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the processes in group `pgid`, with those of their
    children that have ended and been waited for, read from /proc."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # ended while we looked
            continue
        fields = text.rpartition(")")[2].split()  # the name in parentheses may hold spaces
        if int(fields[2]) == pgid:  # field 5, pgrp
            ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return ticks / _TICKS


class Group:
    """A command in its own session, logging to `log`."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(args, cwd=HERE, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)

    def cpu(self) -> float:
        return group_cpu(self.proc.pid)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, grace: float = 3.0) -> None:
        """SIGTERM to the group, then SIGKILL to what is left after `grace` seconds (a
        simpleflow poller finishes its long poll before it stops)."""
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass
        self.proc.wait()

    def tail(self, lines: int = 12) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def environment(url: str, **extra: str) -> dict[str, str]:
    """A shell's environment without its AWS configuration, pointed at `url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYFLOW_"))}
    env.update(CREDENTIALS, AWS_ENDPOINT_URL_SWF=url, AWS_EC2_METADATA_DISABLED="true",
               AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null", **extra)
    return env


class Server:
    """`counted_server.py` on a free loopback port: `pyflow local serve` or moto_server."""

    def __init__(self, kind: str, workdir: Path) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        options = ["--port", str(port), "--host", "127.0.0.1"]  # both servers' spelling
        path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH", ""), str(HERE)) if p)
        self.group = Group([sys.executable, str(HERE / "counted_server.py"), kind, *options],
                           environment(self.url, PYTHONPATH=path), workdir / f"{kind}.log")
        deadline = time.monotonic() + 30
        while True:
            try:
                self.calls()
                return
            except OSError:
                if not self.group.alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"the {kind} server did not start:\n"
                                       + self.group.tail()) from None
                time.sleep(0.05)

    def calls(self) -> list[Call]:
        """Every call recorded so far (see counted_server.py)."""
        with urllib.request.urlopen(self.url + CALLS_PATH, timeout=10) as answer:
            return [tuple(call) for call in json.load(answer)]

    def wait_for_pollers(self, timeout: float, *groups: Group) -> None:
        """Until both a decision and an activity poll have come in: the processes are up."""
        deadline = time.monotonic() + timeout
        while {"PollForDecisionTask", "PollForActivityTask"} - {c[1] for c in self.calls()}:
            for group in groups:
                if not group.alive():
                    raise RuntimeError(f"{group.log.stem} stopped:\n{group.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError("the decider and worker did not poll within "
                                   f"{timeout:.0f} s:\n" + "\n".join(g.tail() for g in groups))
            time.sleep(0.05)


def observer(url: str) -> Any:
    """The benchmark's own client: its User-Agent keeps its calls out of the counts."""
    return boto3.client("swf", endpoint_url=url, region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
                        aws_access_key_id="bench", aws_secret_access_key="bench",
                        config=Config(user_agent_extra=OBSERVER, retries={"max_attempts": 2}))


def wait_closed(swf: Any, domain: str, execution: dict[str, str], timeout: float,
                alive: Callable[[], bool]) -> list[dict[str, Any]]:
    """The execution's history once it has closed (every page, oldest first)."""
    deadline = time.monotonic() + timeout
    while swf.describe_workflow_execution(domain=domain, execution=execution)[
            "executionInfo"]["executionStatus"] == "OPEN":
        if time.monotonic() > deadline or not alive():
            raise RuntimeError(f"{execution['workflowId']} still open after "
                               f"{timeout:.0f} s (or a process stopped)")
        time.sleep(0.05)
    pages = swf.get_paginator("get_workflow_execution_history").paginate(
        domain=domain, execution=execution)
    events: list[dict[str, Any]] = pages.build_full_result()["events"]
    return events


def simpleflow_venv(venv: Path) -> Path:
    """simpleflow's `simpleflow` command in `venv`, created and installed from PyPI the
    first time (kept out of the project's dependencies: only this benchmark uses it)."""
    python, command = venv / "bin" / "python", venv / "bin" / "simpleflow"
    check = [str(python), "-c", "import importlib.metadata as m; print(m.version('simpleflow'))"]
    wanted = SIMPLEFLOW.split("==")[1]
    if python.exists():
        found = subprocess.run(check, capture_output=True, text=True).stdout.strip()
        if found == wanted and command.exists():
            return command
    bench_venv.build(venv, sys.executable, [SIMPLEFLOW], SIMPLEFLOW)
    return command


def default_venv() -> Path:
    return bench_venv.cache_root() / SIMPLEFLOW.replace("==", "-")
