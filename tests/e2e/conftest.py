"""Browser tests: Playwright driving Debian's Chromium, axe-core on every page visited."""

import os
import shutil

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in the test thread; the live server
# and the test's own database access are still plain synchronous Django.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.path.exists(configured) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    path = _chromium_path()
    if path is None:
        message = "Chromium not found (install Debian's chromium or set CHROMIUM_PATH)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)  # CI never skips
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class AccessiblePage:
    """A Playwright page that checks every page it visits with axe-core."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.external_requests = []
        page.on("request", self._record_request)

    def _record_request(self, request):
        url = request.url
        if not url.startswith((self.base_url, "data:", "blob:", "about:")):
            self.external_requests.append(url)

    def goto(self, path):
        response = self.page.goto(self.base_url + path)
        self.assert_accessible()
        return response

    def assert_accessible(self):
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(self.page)
        assert results.violations_count == 0, results.generate_report()
        assert not self.external_requests, f"requests to other hosts: {self.external_requests}"

    def __getattr__(self, name):
        return getattr(self.page, name)


def _open_page(browser, live_server, **options):
    context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin", **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, AccessiblePage(page, live_server.url)


@pytest.fixture
def browser_page(browser, live_server):
    context, page = _open_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _open_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


@pytest.fixture
def small_phone_page(browser, live_server):
    """A 360 × 740 phone, the smallest common screen."""
    context, page = _open_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()
