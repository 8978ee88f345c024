"""How tables look on a terminal (rich) as opposed to the plain lines tests usually see."""

from __future__ import annotations

import pytest

from pyflow.cli import _render as r


def test_terminal_table_keeps_every_column_when_the_last_one_is_long(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(r, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "160")
    rows = [
        ["1", "19:00:00.000", "+0.000s", "WorkflowExecutionStarted", "input=" + "x" * 300],
        ["2", "19:00:00.001", "+0.001s", "DecisionTaskScheduled", "taskList=pyflow-decider"],
    ]
    r.table(["ID", "TIME", "+", "EVENT", "DETAILS"], rows)
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if "EVENT" in line)
    assert header.split() == ["ID", "TIME", "+", "EVENT", "DETAILS"]
    first = next(line for line in lines if "WorkflowExecutionStarted" in line)
    assert first.split()[:4] == ["1", "19:00:00.000", "+0.000s", "WorkflowExecutionStarted"]
    folded = sum(line.replace("Execution", "").count("x") for line in lines)
    assert folded == 300  # folded onto more lines, not cut short


def test_durations_are_never_negative_when_an_engine_clock_runs_ahead() -> None:
    from datetime import UTC, datetime, timedelta

    from pyflow.cli import _render as r

    now = datetime.now(UTC)
    assert r.between(now + timedelta(hours=5), now) == 0.0
    assert r.between(now, now + timedelta(seconds=3)) == 3.0
