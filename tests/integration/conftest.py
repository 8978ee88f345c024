"""Integration tests start processes and servers: every one of them is marked `slow`, so
`pytest -m "not slow"` leaves them out."""

from __future__ import annotations

import pytest

from tests.support.processes import server  # noqa: F401  (a fixture)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/integration/" in str(item.path):
            item.add_marker(pytest.mark.slow)
