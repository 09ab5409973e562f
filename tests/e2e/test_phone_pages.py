"""Every page a leader uses, on a phone (390×844): nothing is wider than the window, and the working
tables are stacked cards. The secretary, a member of her team and a leader without a seat each walk
every page of their menu and the pages they open from it (their lists, a task with its progress form
and photo upload, an organisation, a person, the search). Screenshots of each page: look at them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities import services
from responsibilities.models import ListKind, ResponsibilityList, TeamRole
from tests.conftest import make_user
from tests.responsibilities.list_factories import add_member, add_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
TASK = "组织开展党风廉政建设专题教育并形成书面总结报告"


@pytest.fixture
def team(tree, superuser, secretary):
    """The own city's team (secretary 王书记, member 赵委员 with an account) and this year's lists,
    each with a task; one of the secretary's is overdue so that 预警提醒 has a row."""
    member_user = make_user("member", tree["own"], "leader", superuser)
    add_member(tree["own"], superuser, role=TeamRole.MEMBER, name="赵委员", user=member_user)
    make_user("viewer", tree["own"], "leader", superuser)
    year = timezone.localdate().year
    services.lists_generate(organisation=tree["own"], year=year, by=superuser)
    lists = {rl.kind: rl for rl in ResponsibilityList.objects.filter(organisation=tree["own"], year=year)}
    add_task(lists[ListKind.COMMITTEE], superuser, title=f"{TASK}（本级）")
    add_task(lists[ListKind.SECRETARY], superuser, title=TASK, deadline=timezone.localdate() - timedelta(days=3))
    add_task(lists[ListKind.MEMBER], superuser, title=f"{TASK}（分管）")
    return lists


def fits(page, name, shoot):
    shoot(f"phone-{name}")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{name}: {page.url} is {width[0]} px wide in a {width[1]} px window"


def slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.split("//", 1)[-1].split("/", 1)[-1].lower()).strip("-") or "home"


def walk(page, live_server, login, shoot, username):
    login(username)
    urls = page.locator(".app-menu .dropdown-item").evaluate_all("links => links.map(l => l.href)")
    urls = [url for url in urls if "/admin/" not in url]
    assert urls
    # The pages opened from the menu's pages: the first link to a list, a task, an organisation, a person.
    page.goto(f"{live_server.url}/")
    opened = []
    for start, pattern in (
        ("/my/checklist/", r"/lists/\d+/$"),
        ("/my/checklist/", r"/tasks/\d+/$"),
        ("/orgs/", r"/orgs/\d+/$"),
        ("/people/", r"/people/\d+/$"),
    ):
        page.goto(f"{live_server.url}{start}")
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(l => l.href)")
        found = next((href for href in hrefs if re.search(pattern, href)), None)
        if found:
            opened.append(found)
    extra = ["/messages/", "/messages/preferences/", "/accounts/password/", "/search/?q=%E4%B8%93%E9%A2%98"]
    for url in [*urls, *opened, *(f"{live_server.url}{path}" for path in extra)]:
        response = page.goto(url)
        assert response.status == 200, url
        fits(page, f"{username}-{slug(url)}", shoot)
    return opened


def test_the_secretary_member_and_leader_pages_fit_a_phone(page, live_server, login, shoot, team):
    page.set_viewport_size(PHONE)
    opened = walk(page, live_server, login, shoot, "secretary")
    assert any("/tasks/" in url for url in opened) and any("/lists/" in url for url in opened)
    page.context.clear_cookies()
    walk(page, live_server, login, shoot, "member")
    page.context.clear_cookies()
    walk(page, live_server, login, shoot, "viewer")


def test_the_checklist_is_cards_and_a_task_takes_a_photo_on_a_phone(page, live_server, login, shoot, team):
    page.set_viewport_size(PHONE)
    login("secretary")
    page.goto(f"{live_server.url}/my/checklist/")
    row = page.get_by_test_id("checklist-table").locator("tbody tr", has_text=TASK).first
    # A card: the task's cell spans the card's width, not one character a line.
    cell = row.locator("td").nth(1)
    card = row.bounding_box()
    assert cell.bounding_box()["width"] > 0.9 * card["width"] - 30
    assert card["width"] > 300
    expect(page.get_by_test_id("checklist-table").locator("thead")).to_have_css("position", "absolute")
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"任务"'
    shoot("phone-cards-checklist")

    row.get_by_role("link", name=TASK).click()
    form = page.get_by_test_id("evidence-form")
    picker = form.locator("input[type=file][name=file]").first
    expect(picker).to_have_attribute("accept", re.compile(r"^image/\*,\.pdf,"))
    expect(form).to_contain_text(
        "可上传 PDF、图片（JPG、PNG）、Word 或 Excel 文件，单个文件不超过 10.0 MB；手机上可直接拍照。"
    )
    camera = page.get_by_test_id("evidence-camera")
    expect(camera).to_be_visible()
    expect(camera).to_have_attribute("capture", "environment")
    expect(page.get_by_test_id("progress-camera")).to_be_visible()
    progress = page.get_by_test_id("progress-form")
    box = progress.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate(FITS)
    shoot("phone-task-progress-and-photo")

    # The photo goes up like any other file.
    camera.set_input_files(
        files=[{"name": "现场照片.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 64}]
    )
    form.get_by_role("button", name="上传").click()
    shoot("phone-task-photo-uploaded")
    expect(page.get_by_test_id("evidence-list")).to_contain_text("现场照片.png")
    shoot("phone-task-photo-uploaded")


def test_a_desktop_keeps_the_tables_and_hides_the_camera(page, live_server, login, shoot, team):
    page.set_viewport_size({"width": 1366, "height": 768})
    login("secretary")
    page.goto(f"{live_server.url}/my/checklist/")
    expect(page.get_by_test_id("checklist-table").locator("thead")).to_be_visible()
    page.get_by_test_id("checklist-table").get_by_role("link", name=TASK).click()
    expect(page.get_by_test_id("evidence-camera")).to_be_hidden()
    shoot("desktop-task-1366")
