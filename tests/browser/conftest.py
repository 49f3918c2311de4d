"""Browser tests: Debian's chromium through Playwright, against the app served on 127.0.0.1,
at a phone's 390×844, with every request that leaves 127.0.0.1 aborted."""

import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844},
            "is_mobile": True, "has_touch": True, "locale": "nl-NL"}


def _bodies_read_at_once(app):
    """WSGI middleware: read and close each response body before the server writes it.

    Werkzeug's development server skips ``close()`` on the body when the browser drops the
    connection (it does when a page is left while, say, the favicon still loads), leaving a
    static file open; the ResourceWarning then fails a random test. Production servers close
    bodies themselves, so only the test server needs this.
    """

    def buffered(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return buffered


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test app served from a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, _bodies_read_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def _only_local(route):
    if route.request.url.startswith("http://127.0.0.1:"):
        route.continue_()
    else:
        route.abort()


def watched(page):
    page.context.route("**/*", _only_local)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


@pytest.fixture
def phone(page, live_server):
    """A page that may only reach the live server, and that collects console errors."""
    return watched(page)


@pytest.fixture
def second_phone(browser, browser_context_args, live_server):
    """Another person's phone: its own context, so its own cookies."""
    context = browser.new_context(**browser_context_args)
    yield watched(context.new_page())
    context.close()


def log_in(page: Page, base: str, email: str) -> None:
    """Log in through the form, as a person would, and wait for the welcome."""
    page.goto(base + "/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("status").first).to_contain_text("Welkom")


def fill_first_need(page: Page, kind: str, description: str, quantity: int, unit: str) -> None:
    """Fill the first need row of the listing form."""
    need = page.locator(".resource-row").first
    need.get_by_label("Soort").select_option(kind)
    need.get_by_label("Wat precies").fill(description)
    need.get_by_label("Hoeveel").fill(str(quantity))
    need.get_by_label("Eenheid").fill(unit)


# Every visible control has a name and every image an alt attribute (alt="" for decoration).
UNLABELLED = """() => {
  const problems = [];
  const visible = (el) => el.offsetParent !== null || el.getClientRects().length > 0;
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push('img without alt: ' + img.src);
  }
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
    if (el.type === 'hidden' || !visible(el)) continue;
    const labelled = (el.labels && el.labels.length) || el.getAttribute('aria-label')
      || el.getAttribute('aria-labelledby') || el.title
      || (['BUTTON', 'A'].includes(el.tagName) && el.textContent.trim())
      || (['submit', 'button', 'reset'].includes(el.type) && el.value);
    if (!labelled) problems.push(el.tagName + ' without a name: ' + el.outerHTML.slice(0, 120));
  }
  return problems;
}"""


def local_errors(page: Page) -> list[str]:
    # Map tiles come from outside and are blocked here on purpose; everything else must load.
    return [e for e in page.console_errors if "ERR_FAILED" not in e]
