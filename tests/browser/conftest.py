"""Headless Chromium for the browser smoke tests: Debian's build, never a downloaded one.

Without /usr/bin/chromium the tests skip, so a developer without it can still run the
suite; CI sets GUILDHOUSE_REQUIRE_BROWSER=1 so that a missing browser fails instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Request, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module (in practice per xdist worker), shared by its tests.

    Module rather than session scope on purpose: Playwright's sync API keeps an asyncio
    loop marked as running on the main thread for as long as it is started, which would
    break any later, unrelated test that uses async_to_sync. Tearing it down when the
    module ends confines that to the browser tests.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found; install Debian's chromium package to run browser tests"
        if os.environ.get("GUILDHOUSE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"GUILDHOUSE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    # The test body creates data through the ORM while Playwright's loop counts as
    # running, so Django would raise SynchronousOnlyOperation. Nothing here is truly
    # concurrent with the ORM, which is the case Django documents this switch for.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context per test, so no cookie or session leaks from one role to the next."""
    context = browser.new_context(locale="en", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def browser_errors(page: Page) -> list[str]:
    """Console errors (a CSP violation shows up as one) and failed requests of ``page``.

    A missing stylesheet would make every axe and layout check pass vacuously, so the
    tests assert this list is empty too.
    """
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"script error: {e}"))
    page.on(
        "response",
        lambda r: errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None,
    )

    def failed(request: Request) -> None:
        # A request the browser itself cancels is not a failure of ours: a lookup still
        # loading when the person submits the form or types on (htmx replaces it), or the
        # favicon when the test opens the next page. A file we fail to serve answers 404
        # (above); one the CSP blocks is a console error (above).
        if request.failure != "net::ERR_ABORTED":
            errors.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", failed)
    return errors
