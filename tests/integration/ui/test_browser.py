"""The UI in headless Chromium: a node turns green when its task completes, and a signal sent
through the form lets the execution finish, with no reload by the test.

Chromium is Debian's (`make chromium` installs it); playwright drives it without downloading
browsers of its own. A machine without it fails here rather than skipping, so a green run
always means the browser test ran.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .conftest import Served

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
COMPLETED_FILL = "rgb(165, 214, 167)"
"""The stylesheet's fill for a completed node (#a5d6a7)."""


@pytest.fixture
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package) first"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def node_fill(page: Page, task: str) -> str:
    rect = page.locator(f'g.node[data-task="{task}"] rect')
    return str(rect.evaluate("element => getComputedStyle(element).fill"))


def test_the_page_follows_a_running_execution_and_signals_it(
    served: Served, browser: Browser
) -> None:
    served.client.start("UiGated", version="1", workflow_id="watched", input="go")
    run_id = served.client.latest_run_id("watched")
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{served.ui_url}/domains/pyflow/executions/watched/{run_id}")

    slow = page.locator('g.node[data-task="Slow"]')
    expect(slow).to_have_attribute("data-state", "running", timeout=10_000)
    assert node_fill(page, "Slow") != COMPLETED_FILL
    expect(slow).to_have_attribute("data-state", "completed", timeout=20_000)
    assert node_fill(page, "Slow") == COMPLETED_FILL
    expect(page.locator('g.node[data-task="Gate"]')).to_have_attribute(
        "data-state", "waiting for signal"
    )

    form = page.locator("#signal-form")
    expect(form.locator('input[name="signal_name"]')).to_have_value("Approved")
    form.locator('textarea[name="input"]').fill('"approved by a person"')
    form.locator("button").click()

    expect(page.locator("#status")).to_have_text("completed", timeout=20_000)
    expect(page.locator("#result")).to_contain_text("APPROVED BY A PERSON")
    expect(page.locator('g.node[data-task="Finish"]')).to_have_attribute(
        "data-state", "completed"
    )
    assert errors == []
