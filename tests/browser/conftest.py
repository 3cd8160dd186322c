"""Browser tests: Playwright's Python package driving Debian's chromium.

Playwright cannot download its own browsers here, so it launches the system chromium. Where
chromium is missing these tests skip with the reason, except when VETTED_REQUIRE_BROWSER is
set (CI sets it), where a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def missing(reason: str):
    """A tool these tests need is not installed: skip, saying which, or fail in CI."""
    if os.environ.get("VETTED_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, from its npm package (`make test` installs it with npm ci)."""
    if not AXE.exists():
        missing(f"{AXE} is missing: run `make test`, which installs axe-core with npm")
    return AXE.read_text()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        missing(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (each its own cookies: one per person), all
    closed after the test: `editor = new_page()`."""
    contexts = []

    def open_page():
        context = browser.new_context()
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
