"""benchmarks/compare_simpleflow.py: its pyflow side runs end to end on `pyflow local serve`
(a few activities, no simpleflow virtualenv), and its verdict holds every pair to the target.
The full comparison is not run here: it installs simpleflow from PyPI."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from types import ModuleType

import pytest

from tests.support.processes import PYTHON, ROOT, bare_env

pytestmark = pytest.mark.timeout(180)
SCRIPT = ROOT / "benchmarks" / "compare_simpleflow.py"


def test_the_pyflow_side_runs_alone_with_calls_counted_by_the_server() -> None:
    done = subprocess.run(
        [str(PYTHON), str(SCRIPT), "--only", "pyflow", "--activities", "5", "--pairs", "1",
         "--concurrency", "2", "--timeout", "60"],
        cwd=ROOT, env=bare_env(), capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = {match[1]: match[0] for line in done.stdout.splitlines()
            if (match := re.match(r"\s+1 (pyflow(?: --concurrency 2)?) .*", line))}
    assert set(rows) == {"pyflow", "pyflow --concurrency 2"}
    for row in rows.values():
        assert "RA 5" in row and "RD " in row  # every activity answered, the server counted it
    assert "target not judged" in done.stdout


@pytest.fixture
def table(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))  # as for a script run from there
    for name in ("compare_table", "compare_harness", "counted_server"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import compare_table

    return compare_table


def _run(table: ModuleType, label: str, wall: float) -> object:
    return table.Run(label, wall, 1.0, 1.0, 1.0, 10, Counter(), Counter())


def test_the_target_must_hold_in_every_pair(table: ModuleType,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    runs = [(1, _run(table, "simpleflow", 10.0)), (1, _run(table, "pyflow", 2.0)),
            (2, _run(table, "simpleflow", 7.8)), (2, _run(table, "pyflow", 2.0))]
    assert table.verdict(runs, "local", 4.0, judged=True) == 1
    assert "got 5.00x, 3.90x: MISSED" in capsys.readouterr().out
    assert table.verdict(runs, "moto", 4.0, judged=True) == 0  # figures only, no target
    assert "no target" in capsys.readouterr().out
    runs[2] = (2, _run(table, "simpleflow", 8.0))
    assert table.verdict(runs, "local", 4.0, judged=True) == 0
    assert "got 5.00x, 4.00x: MET" in capsys.readouterr().out
