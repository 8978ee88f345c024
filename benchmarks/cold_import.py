"""The decider handler's cold import against boto3's, whole processes side by side.

`python benchmarks/cold_import.py [--runs N]` starts `python -c 'import boto3'` and
`python -c 'import handlers.decider'` alternately (so machine load hits both alike), N times
each, and prints the median wall time of each and their ratio. The target (issue 18): the
handler at most 1.3x boto3, which the Lambda runtime imports anyway; what the handler adds
is what its cold start costs beyond the SDK.

Bytecode decides much of the figure, so it is set here rather than left to the environment
(PYTHONDONTWRITEBYTECODE, a checkout's `__pycache__`): both commands read compiled modules
from a cache of their own (PYTHONPYCACHEPREFIX, filled by a first, untimed run of each), in
two conditions measured in turn:

- bytecode: every module compiled, as on a development machine after its first run or in a
  layer that ships `.pyc` files;
- pyflow from source: the project's modules (pyflow, the handler) compiled at every start,
  as a layer ships them when no CPython of the runtime's version was at hand to compile it;
  everything else compiled, so this is a lower bound for such a layer, which ships
  Powertools as source too.

Both commands run in a virtualenv of their own (built once under `~/.cache/pyflow-bench/`),
holding only what the Lambda runtime and the Powertools layer hold, at the versions
`infra/sdk-requirements.txt` and `infra/layer-requirements.txt` pin: no development packages
and no editable install, whose path hooks would add to every start. pyflow and the handler are
the checkout's (the commands run in it). `--python` takes another interpreter, e.g. a CPython
nearer the runtime's version.

Wall times on a shared virtual machine move by 10-20 % from run to run, so where valgrind is
installed each command is also run once under callgrind, whose instruction count repeats to
0.1 %: the same ratio without the noise (it leaves out time in the kernel, opening and reading
files, which the wall times include). `--no-instructions` skips it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_venv

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3
PROJECT_PACKAGES = ("pyflow", "handlers")
COMMANDS = {"boto3": "import boto3", "handlers.decider": "import handlers.decider"}
REQUIREMENTS = (ROOT / "infra" / "sdk-requirements.txt", ROOT / "infra" / "layer-requirements.txt")


def _venv(python: str) -> Path:
    """The interpreter of a virtualenv of `python` holding the runtime's packages only,
    created the first time (its name covers the interpreter and the pinned requirements)."""
    tag = subprocess.run(
        [python, "-c", "import sys; print(sys.implementation.cache_tag, sys.version)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    digest = hashlib.sha256(tag.encode())
    for requirements in REQUIREMENTS:
        digest.update(requirements.read_bytes())
    venv = bench_venv.cache_root() / f"cold-import-{tag.split()[0]}-{digest.hexdigest()[:12]}"
    if (venv / "complete").exists():
        return venv / "bin" / "python"
    files = [argument for path in REQUIREMENTS for argument in ("-r", str(path))]
    interpreter = bench_venv.build(venv, python, files, "the runtime's packages")
    (venv / "complete").touch()
    return interpreter


def _environment(cache: Path, *, write: bool = False) -> dict[str, str]:
    """What the decider's function sets, with `cache` as the only bytecode there is (written
    only when `write`)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PYFLOW_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        POWERTOOLS_SERVICE_NAME="pyflow-decider",
        POWERTOOLS_METRICS_NAMESPACE="pyflow",
        AWS_DEFAULT_REGION="us-east-1",
        PYTHONPYCACHEPREFIX=str(cache),
    )
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _once(python: Path, code: str, env: dict[str, str]) -> tuple[float, int]:
    """One run's wall time and the page faults the process took (the kernel's share of an
    import: every mapped and touched page, which instruction counts leave out)."""
    faults = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    start = time.perf_counter()
    subprocess.run([str(python), "-c", code], cwd=ROOT, env=env, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - faults


def _instructions(python: Path, code: str, env: dict[str, str]) -> int:
    """The instructions one run of `code` executes, counted by callgrind."""
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            str(python),
            "-c",
            code,
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        raise RuntimeError(f"callgrind printed no instruction count:\n{run.stderr}")
    return int(found.group(1))


def _caches(python: Path, scratch: Path) -> dict[str, dict[str, str]]:
    """The environments of the two conditions, their caches filled."""
    compiled = scratch / "bytecode"
    for code in COMMANDS.values():
        _once(python, code, _environment(compiled, write=True))
    source = scratch / "source"
    shutil.copytree(compiled, source)
    # The cache mirrors absolute source paths: drop the project's packages from it, and only
    # them (boto3's bytecode stays).
    for package in PROJECT_PACKAGES:
        shutil.rmtree(source.joinpath(*ROOT.parts[1:], package), ignore_errors=True)
    return {"bytecode": _environment(compiled), "pyflow from source": _environment(source)}


def _report(
    condition: str,
    runs: dict[tuple[str, str], list[tuple[float, int]]],
    counts: dict[tuple[str, str], int],
) -> None:
    medians = {}
    for name in COMMANDS:
        times = [seconds for seconds, _ in runs[(condition, name)]]
        faults = statistics.median(f for _, f in runs[(condition, name)])
        medians[name] = statistics.median(times)
        print(
            f"{condition}: python -c 'import {name}': median {medians[name] * 1000:.0f} ms "
            f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {len(times)} runs), "
            f"{faults:.0f} page faults"
        )
    ratio = medians["handlers.decider"] / medians["boto3"]
    verdict = "meets" if ratio <= TARGET else "misses"
    print(
        f"{condition}: ratio handler/boto3: {ratio:.2f}x "
        f"({verdict} the target of at most {TARGET}x)"
    )
    if counts:
        boto3, handler = counts[(condition, "boto3")], counts[(condition, "handlers.decider")]
        verdict = "meets" if handler / boto3 <= TARGET else "misses"
        print(
            f"{condition}: instructions: boto3 {boto3 / 1e6:.0f} M, handler "
            f"{handler / 1e6:.0f} M, ratio {handler / boto3:.2f}x ({verdict} the target)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="runs of each command (default 25)")
    parser.add_argument(
        "--no-instructions",
        action="store_true",
        help="skip the instruction counts (one callgrind run of each command)",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="the interpreter to measure (default: this one); its virtualenv is built once",
    )
    args = parser.parse_args()
    count = not args.no_instructions and shutil.which("valgrind") is not None
    python = _venv(args.python)
    version = subprocess.run([str(python), "-VV"], capture_output=True, text=True, check=True)
    print(f"{version.stdout.strip()} in {python.parent.parent}")
    with tempfile.TemporaryDirectory(prefix="pyflow-cold-import-") as scratch:
        conditions = _caches(python, Path(scratch))
        runs: dict[tuple[str, str], list[tuple[float, int]]] = {
            (c, n): [] for c in conditions for n in COMMANDS
        }
        for _ in range(args.runs):
            for condition, env in conditions.items():
                for name, code in COMMANDS.items():
                    runs[(condition, name)].append(_once(python, code, env))
        counts = (
            {
                (c, n): _instructions(python, code, env)
                for c, env in conditions.items()
                for n, code in COMMANDS.items()
            }
            if count
            else {}
        )
    for condition in conditions:
        _report(condition, runs, counts)
    if not count:
        print("instruction counts left out (valgrind not found, or --no-instructions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
