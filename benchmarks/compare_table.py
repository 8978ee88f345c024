"""What `compare_simpleflow.py` prints: a row per run as it ends, then each pair's ratio and
the target's verdict."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass
from typing import Any

from compare_harness import Call

SHORT = {"PollForDecisionTask": "PD", "RespondDecisionTaskCompleted": "RD",
         "PollForActivityTask": "PA", "RespondActivityTaskCompleted": "RA"}
SERVERS = {"local": "pyflow local serve", "moto": "moto_server"}
_COLUMNS = (f"{'pair':>4} {'library':<22} {'wall s':>7} {'decider CPU s':>13} "
            f"{'ms/decision':>11} {'worker CPU s':>12} {'server CPU s':>12} {'decisions':>9} "
            f"{'SWF calls':>9}  by operation")


@dataclass
class Run:
    label: str
    wall: float
    """Seconds from the WorkflowExecutionStarted event to the close event."""
    decider_cpu: float
    worker_cpu: float
    server_cpu: float
    decisions: int
    """Decision tasks completed."""
    calls: Counter[str]
    """SWF calls by operation under way between the start and the close."""
    empty: Counter[str]
    """Of those, the polls that brought no task."""

    @classmethod
    def of(cls, label: str, events: list[dict[str, Any]], expected: Any, before: list[float],
           after: list[float], calls: list[Call]) -> Run:
        last = events[-1]
        attributes = last.get("workflowExecutionCompletedEventAttributes")
        if attributes is None:
            raise SystemExit(f"{label}: the execution closed with {last['eventType']}")
        if json.loads(attributes.get("result") or "null") != expected:
            raise SystemExit(f"{label}: wrong result {attributes.get('result', '')[:200]!r}")
        began, ended = events[0]["eventTimestamp"].timestamp(), last["eventTimestamp"].timestamp()
        # Calls under way in that time: the polls that were waiting at the start took its
        # first tasks; those that arrive after the close are the next idle ones.
        inside = [call for call in calls if call[0] <= ended and (call[3] or ended) > began]
        decider, worker, server = (a - b for a, b in zip(after, before, strict=True))
        return cls(label, ended - began, decider, worker, server,
                   sum(e["eventType"] == "DecisionTaskCompleted" for e in events),
                   Counter(call[1] for call in inside),
                   # None: still waiting when the calls were read, so it got nothing either
                   Counter(call[1] for call in inside if call[2] is not False))

    def operations(self) -> str:
        parts = []
        for name in sorted(self.calls, key=lambda n: (n not in SHORT, list(SHORT).index(n)
                                                       if n in SHORT else 0, n)):
            empty = f" ({self.empty[name]} empty)" if self.empty[name] else ""
            parts.append(f"{SHORT.get(name, name)} {self.calls[name]}{empty}")
        return ", ".join(parts)


def print_header(activities: int, server: str, labels: list[str]) -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{activities}-activity fan-out, one decider and one worker process each, against "
          f"{SERVERS[server]} on 127.0.0.1 ({os.cpu_count()} cores, load {load} at the start); "
          f"runs in turn: {', '.join(labels)}")
    print("CPU: from the start to the close, forked children included; calls: "
          + ", ".join(f"{short} = {name}" for name, short in SHORT.items()))
    print(_COLUMNS, flush=True)


def print_row(pair: int, run: Run) -> None:
    per_decision = run.decider_cpu * 1000 / run.decisions if run.decisions else 0.0
    print(f"{pair:>4} {run.label:<22} {run.wall:>7.2f} {run.decider_cpu:>13.2f} "
          f"{per_decision:>11.1f} {run.worker_cpu:>12.2f} {run.server_cpu:>12.2f} "
          f"{run.decisions:>9} {sum(run.calls.values()):>9}  {run.operations()}", flush=True)


def _pairs(runs: list[tuple[int, Run]]) -> dict[int, dict[str, Run]]:
    pairs: dict[int, dict[str, Run]] = {}
    for pair, run in runs:
        pairs.setdefault(pair, {})[run.label] = run
    return pairs


def verdict(runs: list[tuple[int, Run]], server: str, target: float, judged: bool) -> int:
    """Print each pair's ratio and the verdict; the exit status (1: target missed)."""
    ratios = []
    for pair, by_label in _pairs(runs).items():
        slow, fast = by_label.get("simpleflow"), by_label.get("pyflow")
        if slow is None or fast is None:
            continue
        ratios.append(slow.wall / fast.wall)
        cpu = (f"{slow.decider_cpu / fast.decider_cpu:.1f}x" if fast.decider_cpu > 0
               else "n/a")
        print(f"pair {pair}: simpleflow {slow.wall:.2f} s / pyflow {fast.wall:.2f} s = "
              f"{ratios[-1]:.2f}x; decider CPU {slow.decider_cpu:.2f} / "
              f"{fast.decider_cpu:.2f} s = {cpu}; SWF calls {sum(slow.calls.values())} / "
              f"{sum(fast.calls.values())}")
        for label, other in by_label.items():
            if label not in ("simpleflow", "pyflow"):
                print(f"pair {pair}: {label} {other.wall:.2f} s, simpleflow / it = "
                      f"{slow.wall / other.wall:.2f}x (reported apart: not the target's "
                      "one worker process)")
    got = ", ".join(f"{r:.2f}x" for r in ratios)
    if not judged or not ratios:
        print("target not judged: only one library ran")
        return 0
    if server != "local":
        print(f"against {SERVERS[server]}, no target (every decision poll brings the whole "
              f"history; an empty poll takes 1 s): simpleflow / pyflow {got}")
        return 0
    met = min(ratios) >= target
    print(f"target: pyflow >= {target:.0f}x faster than simpleflow in every pair, against "
          f"pyflow local serve, one worker process | got {got}: {'MET' if met else 'MISSED'}")
    return 0 if met else 1
