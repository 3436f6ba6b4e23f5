"""Playwright (sync API) against pytest-django's live server, with the system's Chromium."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test itself are safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits up to 15 s for the page (Playwright's default: 5 s): on two cores shared with the
    # other test worker and PostgreSQL, a form's answer has taken longer; a passing test waits no longer.
    expect.set_options(timeout=15_000)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def shots() -> Path | None:
    """Where to save screenshots of the main pages (MOTCUA_SHOTS_DIR), or None."""
    directory = os.environ.get("MOTCUA_SHOTS_DIR")
    if not directory:
        return None
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    return path
