"""Task rows read back from a real history without the definition: states and the moments
they changed."""

from __future__ import annotations

import pytest

import pyflow
from pyflow import local
from pyflow._decider import execution_state
from pyflow.cli import _render as r
from pyflow.cli._describe import _Watcher
from pyflow.cli._timeline import rows_from_states


def _fail(event: object, context: object = None) -> None:
    raise RuntimeError("not yet")


def test_watch_lines_carry_the_time_of_each_change_not_the_first_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    wf = pyflow.Workflow("Wobbly", version="1")
    wf.add(pyflow.LambdaTask(name="Wobble", lambda_function="fail", num_retries=1,
                             time_between_retries=100, depends_on=[wf.start_task]))
    history = list(local.run(wf, lambdas={"fail": _fail}).history)  # virtual time
    scheduled = [i for i, e in enumerate(history) if e["eventType"] == "LambdaFunctionScheduled"]
    assert len(scheduled) == 2
    seen = history[: scheduled[1] + 1]  # as seen when attempt 2 began
    [row] = rows_from_states(execution_state(None, seen).tasks)  # type: ignore[arg-type]
    assert (row.state, row.attempts) == ("scheduled", 2)
    assert row.changed_at == history[scheduled[1]]["eventTimestamp"]
    assert (r.between(row.started_at, row.changed_at) or 0) >= 100
    _Watcher(quiet=False).show([row])
    line = capsys.readouterr().err.splitlines()[0]
    assert line.startswith(r.clock(row.changed_at) + "  Wobble")
    assert line.split()[-3:] == ["scheduled", "(attempt", "2)"]
