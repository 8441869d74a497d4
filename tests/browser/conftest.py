"""Real Chromium (Debian's package) driven by Playwright against Django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

# Playwright runs its own event loop in this thread; Django must allow ORM calls from the
# test body all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is not installed: make test installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server, migrated_data):
    context = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    browser_page = context.new_page()
    yield browser_page
    context.close()
