"""The user guide's screenshots (docs/使用手册.md): each demo role's daily journey on the demo data, in
the browser, at the width the guide shows it (a desktop's 1366 px or a phone's 390 px).

Every step opens its page as the role would (from the menu's page, following the first link of its
kind), checks that it answered and, on a phone, that nothing is wider than the window, and saves
the screenshot the guide names. `make guide` runs this test with GUIDE_SCREENSHOTS=docs/images/guide
to refresh the guide's pictures; otherwise they land in test-artifacts/guide/ to look at.
``tests/test_user_guide_doc.py`` checks that the guide shows every step and names no missing picture.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings

from demo.loader import load_demo
from tests.conftest import seed_rows

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / os.environ.get("GUIDE_SCREENSHOTS", "test-artifacts/guide")
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}
PASSWORD = "Demo@2026"


@dataclass(frozen=True)
class Step:
    name: str  # the picture: <name>.png
    user: str
    start: str  # the page the role opens first (a menu page)
    follow: tuple = ()  # then on each page the first link whose address matches the next pattern
    phone: bool = False


# The journeys of docs/使用手册.md, in its order.
STEPS = [
    Step("office-workbench", "office", "/"),
    Step("office-dashboard", "office", "/dashboard/"),
    Step("office-organisation", "office", "/orgs/", (r"/orgs/\d+/$",)),
    Step("office-lists", "office", "/orgs/", (r"/orgs/\d+/$", r"/orgs/\d+/lists/$")),
    Step("office-list", "office", "/orgs/", (r"/orgs/\d+/$", r"/orgs/\d+/lists/$", r"/lists/\d+/$")),
    Step("office-early-warning", "office", "/accountability/early-warning/"),
    Step("office-orders", "office", "/supervision/"),
    Step("office-order", "office", "/supervision/", (r"/supervision/\d+/$",)),
    Step("office-problems", "office", "/problems/"),
    Step("office-problem", "office", "/problems/", (r"/problems/\d+/$",)),
    Step("office-people", "office", "/people/"),
    Step("office-report", "office", "/assessments/reports/", (r"/assessments/reports/\d+/$",)),
    Step("secretary-workbench", "secretary", "/", phone=True),
    Step("secretary-checklist", "secretary", "/my/checklist/", phone=True),
    Step("secretary-checklist-desktop", "secretary", "/my/checklist/"),
    Step("secretary-duty", "secretary", "/duty/"),
    Step("member-checklist", "member", "/my/checklist/", phone=True),
    Step("member-task", "member", "/my/checklist/", (r"/tasks/\d+/$",), phone=True),
    Step("member-duty", "member", "/duty/new/", phone=True),
    Step("member-list", "member", "/my/checklist/", (r"/lists/\d+/$",), phone=True),
    Step("member-hearing", "member", "/assessments/hearings/", (r"/assessments/hearings/\d+/$",), phone=True),
    Step("inspector-schemes", "inspector_org", "/assessments/"),
    Step("inspector-scheme", "inspector_org", "/assessments/", (r"/assessments/\d+/$",)),
    Step(
        "inspector-inspection",
        "inspector_org",
        "/assessments/",
        (r"/assessments/\d+/$", r"/assessments/inspections/\d+/$"),
    ),
    Step("discipline-cases", "inspector_discipline", "/accountability/cases/"),
    Step("discipline-case", "inspector_discipline", "/accountability/cases/", (r"/accountability/cases/\d+/$",)),
    Step("discipline-screening", "inspector_discipline", "/accountability/screening/"),
    Step("everyone-search", "office", "/search/?q=%E4%B8%9C%E5%AE%89"),
    Step("everyone-messages", "secretary", "/messages/", phone=True),
]


@pytest.fixture
def demo(settings, tmp_path):
    """The demo as `make run` loads it, with its evidence files in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    seed_rows()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        load_demo()


def log_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")


def open_step(page, base, step: Step) -> str:
    response = page.goto(f"{base}{step.start}")
    assert response.status == 200, step
    for pattern in step.follow:
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(l => l.href)")
        found = next((href for href in hrefs if re.search(pattern, href.split("?")[0].split("#")[0])), None)
        assert found, f"{step.name}: no link like {pattern} on {page.url}"
        response = page.goto(found)
        assert response.status == 200, found
    return page.url


@pytest.mark.usefixtures("demo")
def test_every_journey_of_the_user_guide_opens_and_is_photographed(page, live_server):
    OUT.mkdir(parents=True, exist_ok=True)
    user = None
    for step in STEPS:
        page.set_viewport_size(PHONE if step.phone else DESKTOP)
        if step.user != user:
            log_in(page, live_server.url, step.user)
            user = step.user
        url = open_step(page, live_server.url, step)
        if step.phone:
            widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{step.name}: {url} is {widths[0]} px wide on a phone"
        page.screenshot(path=str(OUT / f"{step.name}.png"), full_page=not step.phone)
