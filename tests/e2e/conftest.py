"""Browser journeys in Debian's headless Chromium, driven by Playwright against live_server.

Under CI=true a missing Chromium fails the run; elsewhere the journeys are skipped with the reason.
Screenshots land in test-artifacts/screenshots/ (ignored by git): look at them.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}: CI must run the browser journeys")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def shoot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return take


@pytest.fixture
def login(page, live_server):
    def log_in(username: str, password: str = "x") -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.locator("main").get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")

    return log_in


def menu_link(page, name):
    """A page's link in the header menu, ready to click: the phone's panel and the link's dropdown
    group are opened first. A link the user's roles do not open is returned as is (count 0)."""
    menu = page.locator("nav.navbar .app-menu .dropdown-menu")
    # A link inside a closed dropdown is hidden, and roles leave hidden elements out unless asked.
    link = menu.get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.count() or link.is_visible():
        return link
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and not page.locator("#main-nav.show").count():
        toggler.click()
        page.locator("#main-nav.show").wait_for()
        page.locator("#main-nav.collapsing").wait_for(state="detached")
    # ``has`` looks inside each group, so its locator must not start again from the page's nav.
    named = page.get_by_role("link", name=name, exact=True, include_hidden=True)
    page.locator("nav.navbar .app-menu li.dropdown", has=named).locator(".dropdown-toggle").click()
    link.wait_for(state="visible")
    return link


def pick(page, select: str, text: str, typed: str | None = None) -> None:
    """Choose in a searchable picker (Tom Select over ``select``, e.g. "#id_person"): type (``typed``,
    else ``text``), wait for the server's matches, click the one containing ``text``."""
    wrapper = page.locator(f"{select} + .ts-wrapper")
    wrapper.locator(".ts-control").click()
    wrapper.locator(".ts-control input").fill(typed or text)
    option = page.locator(f"{select}-ts-dropdown .option", has_text=text).first
    option.click()
    expect(page.locator(select)).not_to_have_value("")
    # Leave the picker (closed, unfocused) as a user moving on to the next field would.
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement && document.activeElement.blur()")
