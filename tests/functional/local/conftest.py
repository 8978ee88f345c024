"""Fixtures for the embedded engine's tests: an engine on virtual time and `env`, a small
driver with the registrations most tests need (see tests/support/swf.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pyflow.local import LocalSWF
from tests.support.swf import Env, check_engine_fidelity, output_problems


@pytest.fixture
def engine() -> Iterator[LocalSWF]:
    """A virtual-time engine whose every response and event is checked against botocore's
    SWF model (names, required members, types) when the test ends."""
    # No payload store: these tests drive the engine as SWF itself, limits included.
    with LocalSWF(virtual_time=True, poll_timeout=2.0, idle_grace=0.6,
                  payload_store=None) as swf:
        problems: list[str] = []
        handle = swf.handle

        def checked(operation: str, params: dict[str, Any]) -> dict[str, Any]:
            result = handle(operation, params)
            problems.extend(output_problems(operation, result))
            return result

        swf.handle = checked  # type: ignore[method-assign]
        yield swf
        assert not problems, "responses outside the model:\n" + "\n".join(problems[:20])
        check_engine_fidelity(swf)


@pytest.fixture
def env(engine: LocalSWF) -> Env:
    return Env(engine)
