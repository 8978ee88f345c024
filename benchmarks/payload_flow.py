"""A 1 MB payload passed through five Lambda tasks on `pyflow.local`, through its payload store.

`python benchmarks/payload_flow.py [--size CHARS] [--tasks N]` runs a chain of N tasks (default
5), the first making a string of the given size (default 1,000,000 characters) and each next
one changing it, prints the wall time, the bytes the store wrote and the reads it made, and
checks that the result came back whole.
"""

from __future__ import annotations

import argparse
import time

import pyflow
from pyflow.testing import LocalEnvironment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=5)
    args = parser.parse_args()
    wf = pyflow.Workflow("BenchPayload", "1")
    before: pyflow.Task = wf.start_task
    for i in range(args.tasks):
        before = wf.add(pyflow.LambdaTask(name=f"Step{i}", lambda_function="make" if i == 0
                                          else "rotate", depends_on=[before]))
    lambdas = {
        "make": lambda n, c: ("abcdefghij" * (n // 10 + 1))[:n],
        "rotate": lambda s, c: s[1:] + s[0],
    }
    with LocalEnvironment(wf, lambdas=lambdas) as env:
        store = env.engine.payload_store
        started = time.perf_counter()
        workflow_id = env.start(wf, args.size)
        outcome = env.wait(workflow_id, workflow=wf, timeout=600)
        seconds = time.perf_counter() - started
    assert outcome.status == "COMPLETED", outcome.reason
    assert isinstance(outcome.result, str) and len(outcome.result) == args.size
    print(f"payload                {args.size:>12,} characters through {args.tasks} tasks")
    print(f"wall time              {seconds:>12.3f} s")
    stats = store.stats
    print(f"bytes stored           {stats.bytes_written:>12,} in {stats.writes} objects")
    print(f"objects read back      {store.stats.reads:>12,}")


if __name__ == "__main__":
    main()
