"""pyflow against simpleflow 0.36 on the same fan-out: `python benchmarks/compare_simpleflow.py`.

    python benchmarks/compare_simpleflow.py [--activities 200] [--pairs 2]
        [--server local|moto] [--concurrency N] [--only pyflow|simpleflow]

Both libraries run one workflow: N independent activities (each returns its input), then
the execution completes with all their results. Each gets one decider process and one
activity-worker process and a fresh server per run, and the runs alternate, simpleflow then
pyflow, pair after pair, so that the load of the machine falls on both alike.

- pyflow: `pyflow decider fanout_pyflow` and `pyflow worker fanout_pyflow` (N
  `ActivityTask`s without dependencies, fanout_pyflow.py).
- simpleflow 0.36.0, in a virtualenv of its own (made under ~/.cache/pyflow-bench from PyPI
  the first time, then reused; --simpleflow-venv puts it elsewhere):
  `simpleflow decider.start --nb-processes 1 fanout_simpleflow.FanOut` and
  `simpleflow worker.start --nb-processes 1` (a `self.submit` per activity, then
  `futures.wait`, as simpleflow's docs write a fan-out, fanout_simpleflow.py), with
  LOG_LEVEL=WARNING so that, as pyflow, it logs no line per task.

The server is `pyflow local serve` (default) or moto_server (--server moto) on 127.0.0.1 and
a free port, run by counted_server.py, which records every call as it arrives: one counter
for both libraries. Both reach it through AWS_ENDPOINT_URL_SWF with placeholder credentials
and region. Types are registered before the start (simpleflow's with the timeouts its
decisions carry), and the benchmark's own calls are not counted.

Per run: the wall time from the WorkflowExecutionStarted event to the close event (the
server's timestamps); the CPU seconds of the decider, the worker and the server between the
start and the close (each a process group with its forked children, read from /proc); the
decision tasks; the SWF calls that arrived in that time, by operation, with the polls that
brought nothing. Per pair: simpleflow's wall time over pyflow's. `--concurrency N` adds a
run per pair of `pyflow worker --concurrency N`, reported apart, outside the target.

Target (issue 18): pyflow at least 4x faster than simpleflow in every pair, against `pyflow
local serve` with one worker process; exit status 1 if missed. Against moto the figures are
printed without a target: moto answers a decision poll with the whole history every time
(it ignores maximumPageSize and reverseOrder), so pyflow's incremental history read cannot
show, and it has no long poll: a poll that finds nothing sleeps one second and comes back
empty, whatever is scheduled meanwhile.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import compare_harness as harness
import fanout_pyflow
from compare_table import Run, print_header, print_row, verdict

import pyflow

DOMAIN = "bench"
TARGET = 4.0
SIMPLEFLOW_TYPE = {"name": "SimpleflowFanOut", "version": "1"}
SIMPLEFLOW_ACTIVITY = {"name": "fanout_simpleflow.echo", "version": "1"}
SIMPLEFLOW_LISTS = ("bench-simpleflow-deciders", "bench-simpleflow-workers")
"""As fanout_simpleflow.py names them (it imports simpleflow, so this process cannot)."""
TIMEOUTS = {"executionStartToCloseTimeout": "3600", "taskStartToCloseTimeout": "300"}


@dataclass(frozen=True)
class Side:
    """How one library is run: its processes, its types and what its execution returns."""

    label: str
    decider: list[str]
    worker: list[str]
    env: dict[str, str]
    workflow_type: dict[str, str]
    task_list: str
    start_input: str
    expected: Any
    register: Callable[[Any], None]

    @property
    def slug(self) -> str:
        return self.label.replace(" --concurrency ", "-c")


def _pyflow_command() -> str:
    beside = Path(sys.executable).with_name("pyflow")
    found = str(beside) if beside.exists() else shutil.which("pyflow")
    if found is None:
        raise SystemExit("the pyflow console script is not installed (run `make venv`)")
    return found


def pyflow_side(activities: int, concurrency: int = 1) -> Side:
    command = [_pyflow_command()]
    worker = [*command, "worker", "fanout_pyflow", "--domain", DOMAIN]
    label = "pyflow"
    if concurrency > 1:
        worker += ["--concurrency", str(concurrency)]
        label += f" --concurrency {concurrency}"
    path = os.pathsep.join(p for p in (os.environ.get("PYTHONPATH", ""), str(harness.HERE)) if p)
    workflow = fanout_pyflow.fan_out(activities)
    return Side(label, [*command, "decider", "fanout_pyflow", "--domain", DOMAIN], worker,
                {"PYTHONPATH": path, "BENCH_ACTIVITIES": str(activities)},
                {"name": workflow.name, "version": workflow.version},
                fanout_pyflow.DECIDER_TASK_LIST, "null",
                {f"a{i:04d}": i for i in range(activities)},
                lambda swf: pyflow.Client(swf, domain=DOMAIN).register(workflow))


def _register_simpleflow(swf: Any) -> None:
    deciders, workers = SIMPLEFLOW_LISTS
    swf.register_workflow_type(domain=DOMAIN, **SIMPLEFLOW_TYPE,
                               defaultTaskList={"name": deciders}, defaultChildPolicy="TERMINATE",
                               defaultExecutionStartToCloseTimeout="3600",
                               defaultTaskStartToCloseTimeout="300")
    swf.register_activity_type(domain=DOMAIN, **SIMPLEFLOW_ACTIVITY,
                               defaultTaskList={"name": workers},
                               **{f"defaultTask{kind}Timeout": "300" for kind in
                                  ("Heartbeat", "ScheduleToClose", "ScheduleToStart",
                                   "StartToClose")})


def simpleflow_side(activities: int, venv: Path) -> Side:
    command = str(harness.simpleflow_venv(venv))
    deciders, workers = SIMPLEFLOW_LISTS
    one = ["--domain", DOMAIN, "--nb-processes", "1", "--task-list"]
    return Side("simpleflow",
                [command, "decider.start", *one, deciders, "fanout_simpleflow.FanOut"],
                [command, "worker.start", *one, workers],
                {"PYTHONPATH": str(harness.HERE), "LOG_LEVEL": "WARNING"},
                SIMPLEFLOW_TYPE, deciders, f'{{"args": [{activities}], "kwargs": {{}}}}',
                list(range(activities)), _register_simpleflow)


def measure(side: Side, server_kind: str, workdir: Path, timeout: float) -> Run:
    """One execution of `side` on a fresh server, with fresh processes."""
    workdir.mkdir(parents=True)
    server = harness.Server(server_kind, workdir)
    groups = [server.group]
    try:
        swf = harness.observer(server.url)
        swf.register_domain(name=DOMAIN, workflowExecutionRetentionPeriodInDays="1")
        side.register(swf)
        env = harness.environment(server.url, **side.env)
        decider = harness.Group(side.decider, env, workdir / "decider.log")
        worker = harness.Group(side.worker, env, workdir / "worker.log")
        groups += [decider, worker]
        server.wait_for_pollers(60, decider, worker)
        before = [g.cpu() for g in (decider, worker, server.group)]
        execution = {"workflowId": f"bench-{side.slug}"}
        execution["runId"] = swf.start_workflow_execution(
            domain=DOMAIN, workflowType=side.workflow_type, taskList={"name": side.task_list},
            input=side.start_input, childPolicy="TERMINATE", **TIMEOUTS,
            **execution)["runId"]
        events = harness.wait_closed(swf, DOMAIN, execution, timeout,
                                     lambda: decider.alive() and worker.alive())
        after = [g.cpu() for g in (decider, worker, server.group)]
        calls = server.calls()
    except RuntimeError as exc:
        raise SystemExit(f"{side.label} on {server_kind}: {exc}\n(logs in {workdir})") from None
    finally:
        for group in reversed(groups):
            group.stop()
    return Run.of(side.label, events, side.expected, before, after, calls)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--activities", type=int, default=200, help="fan-out width (200)")
    parser.add_argument("--pairs", type=int, default=2, help="simpleflow/pyflow pairs (2)")
    parser.add_argument("--server", choices=("local", "moto"), default="local",
                        help="pyflow local serve (default) or moto_server")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="also run pyflow's worker with --concurrency N (reported apart)")
    parser.add_argument("--only", choices=("pyflow", "simpleflow"),
                        help="run one library (no ratio, no target)")
    parser.add_argument("--simpleflow-venv", type=Path, default=harness.default_venv(),
                        help="simpleflow's virtualenv (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds an execution may take before the run fails")
    parser.add_argument("--workdir", type=Path, help="keep the processes' logs here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    sides: list[Side] = []
    if args.only != "pyflow":
        sides.append(simpleflow_side(args.activities, args.simpleflow_venv))
    if args.only != "simpleflow":
        sides.append(pyflow_side(args.activities))
        if args.concurrency > 1:
            sides.append(pyflow_side(args.activities, args.concurrency))
    runs: list[tuple[int, Run]] = []
    with tempfile.TemporaryDirectory(prefix="pyflow-compare-") as tmp:
        workdir = args.workdir or Path(tmp)
        print_header(args.activities, args.server, [side.label for side in sides])
        for pair in range(1, args.pairs + 1):
            for side in sides:
                run = measure(side, args.server, workdir / f"{pair}-{side.slug}", args.timeout)
                runs.append((pair, run))
                print_row(pair, run)
    return verdict(runs, args.server, TARGET, judged=args.only is None)


if __name__ == "__main__":
    sys.exit(main())
