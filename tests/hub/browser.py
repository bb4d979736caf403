"""A real browser for the hub tests: Debian's Chromium, headless, driven by Playwright, logged in to the hub."""
import contextlib
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root in a closed network: no sandbox, and no background connections Chromium would wait for.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def logged_in(hub, name):
    """A page of a fresh browser, logged in to the hub as `name` (the dummy authenticator's password)."""
    playwright_api = pytest.importorskip("playwright.sync_api", reason="install the `hub` extra (make test-hub)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", hub.password)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_function("() => !location.pathname.endsWith('/hub/login')")
            yield page
        finally:
            browser.close()
