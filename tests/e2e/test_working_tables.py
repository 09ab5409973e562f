"""Working tables and pickers in the browser: sorting by a header, the organisation filter's
searchable picker (Tom Select, loading matches from the server as one types, under the CSP), the
team form's person picker with former cadres hidden until asked for, and the tables as cards on a
phone (390 px, nothing wider than the window). Screenshots under test-artifacts/screenshots/."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities import services
from responsibilities.models import Department, Role, SupervisionOrder, TeamRole
from responsibilities.services import orders as order_services
from responsibilities.services import problems as problem_services
from tests.accountability.factories import file_case
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def records(tree, superuser, office_staff):
    for number in range(12):
        PersonFactory(name=f"王{number:02d}", post="干部", home_organisation=tree["child"])
    PersonFactory(name="甲书记", post="书记", home_organisation=tree["own"])
    former = PersonFactory(name="赵原书记", post="原书记（已调任）", home_organisation=tree["own"])
    seat = services.membership_add(
        organisation=tree["own"], person=former, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    services.membership_end(
        membership=seat, version=seat.version, end_date=date(2025, 6, 30), reason="工作调动", by=superuser
    )
    PersonFactory(name="赵干部", post="组织委员", home_organisation=tree["own"])
    today = timezone.localdate()
    for title in ("“三会一课”记录不全，支部委员会会议记录缺失需要补齐", "党费收缴台账不规范"):
        problem_services.problem_record(
            organisation=tree["child"],
            found_by=tree["own"],
            source="tour",
            title=title,
            description="说明",
            deadline=today + timedelta(days=3),
            by=office_staff,
        )
    order = order_services.order_issue(
        issuer=tree["own"],
        recipients=[tree["child"]],
        title="关于第三季度专题学习进度的督办",
        subject="tasks",
        text="请说明。",
        reply_by=today + timedelta(days=7),
        by=office_staff,
    )
    SupervisionOrder.objects.filter(pk=order.pk).update(reply_by=today - timedelta(days=1))
    zhang = PersonFactory(name="张某某", home_organisation=tree["child"])
    file_case(tree["child"], superuser, person=zhang, facts_date=date(2025, 1, 10))
    make_user("jijian", tree["own"], Role.INSPECTOR, superuser, department=Department.DISCIPLINE)


def watch_console(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_the_roster_sorts_by_a_header_and_filters_through_the_organisation_picker(
    page, live_server, login, shoot, records
):
    errors = watch_console(page)
    page.set_viewport_size(DESKTOP)
    login("office")
    page.goto(f"{live_server.url}/people/")
    page.get_by_role("link", name="姓名").click()
    page.wait_for_url("**sort=name**")
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("姓名 ▲")
    # The organisation filter is a Tom Select: type, the server answers, pick.
    page.locator(".filter-bar .ts-control").first.click()
    page.keyboard.type("县委")
    option = page.locator(".ts-dropdown .option", has_text="测试县委（P-C-K）")
    expect(option).to_be_visible()
    shoot("tables-roster-picker-1366")
    option.click()
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**organisation=**")
    rows = page.locator("[data-testid=people-table] tbody tr")
    expect(rows).to_have_count(13)  # the county's twelve 王 and 张某某, by name
    expect(rows.first).to_contain_text("张某某")
    expect(rows.nth(1)).to_contain_text("王00")
    assert "sort=name" in page.url
    shoot("tables-roster-filtered-1366")
    assert page.evaluate(FITS)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


def test_the_team_form_picks_a_person_as_one_types_and_former_cadres_only_when_asked(
    page, live_server, login, shoot, records, tree
):
    errors = watch_console(page)
    page.set_viewport_size(DESKTOP)
    login("office")
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/team/add/")
    page.locator(".ts-control").first.click()
    page.keyboard.type("赵")
    dropdown = page.locator(".ts-dropdown .option")
    expect(dropdown.filter(has_text="赵干部")).to_be_visible()
    expect(dropdown.filter(has_text="赵原书记")).to_have_count(0)
    shoot("tables-team-picker-1366")
    page.keyboard.press("Escape")
    page.get_by_label("含已离任、调任干部").check()
    page.locator(".ts-control input").first.fill("")
    page.locator(".ts-control input").first.type("赵")
    expect(dropdown.filter(has_text="赵原书记")).to_be_visible()
    dropdown.filter(has_text="赵干部").click()
    assert page.locator("select[name=person]").input_value() != ""
    shoot("tables-team-picker-former-1366")
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors


@pytest.mark.parametrize(
    ("username", "path", "table"),
    [
        ("office", "/people/", "people-table"),
        ("office", "/problems/", "problems"),
        ("office", "/supervision/", "orders"),
        ("jijian", "/accountability/cases/", "case-table"),
        ("office", "/issued/", "issued-table"),
    ],
)
def test_working_tables_are_cards_on_a_phone(page, live_server, login, shoot, records, username, path, table):
    page.set_viewport_size(PHONE)
    login(username)
    page.goto(f"{live_server.url}{path}")
    cell = page.locator(f"[data-testid={table}] tbody tr td").first
    expect(cell).to_be_visible()
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    name = path.strip("/").replace("/", "-")
    shoot(f"phone-table-{name}")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{path} is {width[0]} px wide in a {width[1]} px window"
