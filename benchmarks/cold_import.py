"""The decider handler's cold import against boto3's, whole processes side by side.

`python benchmarks/cold_import.py [--runs N]` starts `python -c 'import boto3'` and
`python -c 'import handlers.decider'` alternately (so machine load hits both alike), N times
each, and prints the median wall time of each and their ratio. The target (issue 18): the
handler at most 1.3x boto3, which the Lambda runtime imports anyway; what the handler adds
is what its cold start costs beyond the SDK.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
COMMANDS = {"boto3": "import boto3", "handlers.decider": "import handlers.decider"}


def _environment() -> dict[str, str]:
    """What the decider's function sets, and no bytecode writes that would favour later runs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYFLOW_"))}
    env.update(
        POWERTOOLS_SERVICE_NAME="pyflow-decider",
        POWERTOOLS_METRICS_NAMESPACE="pyflow",
        AWS_DEFAULT_REGION="us-east-1",
    )
    return env


def _once(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default 15)")
    args = parser.parse_args()
    env = _environment()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for code in COMMANDS.values():  # a first, untimed run of each fills the bytecode cache
        _once(code, env)
    for _ in range(args.runs):
        for name, code in COMMANDS.items():
            times[name].append(_once(code, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"python -c 'import {name}': median {median * 1000:.0f} ms "
              f"(min {min(times[name]) * 1000:.0f}, max {max(times[name]) * 1000:.0f}, "
              f"{args.runs} runs)")
    ratio = medians["handlers.decider"] / medians["boto3"]
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"ratio handler/boto3: {ratio:.2f}x ({verdict} the target of at most {TARGET}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
