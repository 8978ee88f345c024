"""The decider Lambda's handler leaves out what deciding does not need (the activity worker,
the module-level client functions, the CLI, the local engine) until something uses it, and
then every name is there as before."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_FOR_DECIDING = [
    "pyflow._worker._activities",
    "pyflow._worker._pool",
    "pyflow._client._functions",
    "pyflow.cli",
    "pyflow.local",
]
LAZY = {
    "pyflow._client": ["Outcome", "ExecutionPage", "get_outcome", "start_workflow"],
    "pyflow._worker": ["poll_for_activities", "activity_context", "ActivityContext"],
}


def _run(code: str) -> object:
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False,
        env={"PATH": "", "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1",
             "AWS_DEFAULT_REGION": "us-east-1",
             "POWERTOOLS_SERVICE_NAME": "test"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_decider_handler_imports_only_what_deciding_needs() -> None:
    loaded = _run("import json, sys, handlers.decider; print(json.dumps(sorted(sys.modules)))")
    assert isinstance(loaded, list)
    assert [name for name in NOT_FOR_DECIDING if name in loaded] == []
    assert "pyflow._worker._decider" in loaded


def test_names_imported_on_first_use_are_all_there() -> None:
    code = (
        "import importlib, json\n"
        f"lazy = {LAZY!r}\n"
        "found = {}\n"
        "for package, names in lazy.items():\n"
        "    module = importlib.import_module(package)\n"
        "    found[package] = [set(names) <= set(dir(module)),\n"
        "                      all(getattr(module, n).__name__ == n for n in names),\n"
        "                      set(module.__all__) <= set(dir(module))]\n"
        "print(json.dumps(found))\n"
    )
    assert _run(code) == {package: [True, True, True] for package in LAZY}
