"""考核结果 and 预警提醒 as working tables in the browser: sorting by a header and filtering at
1366 px, and on a phone (390 px) the tables as stacked cards with nothing wider than the window.
Screenshots under test-artifacts/screenshots/ (tables-results-*, tables-warning-*): look at them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from responsibilities.models import Department, Role
from tests.assessments.conftest import add_indicator, inspect, scheme_fields
from tests.conftest import make_user
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import add_task, committee_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def tables(tree, superuser, office_staff):
    inspectors = {
        dept: make_user(f"insp-{dept}", tree["own"], Role.INSPECTOR, superuser, department=dept)
        for dept in (Department.ORGANISATION, Department.DISCIPLINE)
    }
    targets = [
        tree["child"],
        make_organisation(parent=tree["own"], name="市直机关工委", code="P-C-J"),
        make_organisation(parent=tree["own"], name="市教育局党委", code="P-C-E"),
    ]
    scheme = assessment_services.scheme_create(
        assessor=tree["own"], targets=targets, by=superuser, **scheme_fields(name="2026 年度党建考核")
    )
    add_indicator(scheme, "organisation", inspectors["organisation"], "组织生活会", 30)
    add_indicator(scheme, "discipline", inspectors["discipline"], "警示教育", 20)
    for target, points in zip(targets, ([2], [], [2, 2, 2, 2]), strict=True):
        inspect(scheme, target, "organisation", inspectors["organisation"], confirm_by=office_staff)
        inspect(
            scheme,
            target,
            "discipline",
            inspectors["discipline"],
            deductions_by_indicator={"警示教育": points},
            confirm_by=office_staff,
        )
    assessment_services.results_compute(scheme=scheme, by=office_staff)
    today = timezone.localdate()
    listed = committee_list(tree["child"], superuser)
    add_task(listed, superuser, deadline=today - timedelta(days=3), title="组织开展党风廉政建设专题教育并形成书面总结")
    add_task(listed, superuser, number=2, deadline=today - timedelta(days=45), title="开展警示教育")
    bureau = committee_list(targets[1], superuser)
    add_task(bureau, superuser, deadline=today - timedelta(days=10), title="落实谈心谈话制度")
    if today.month == 1 and today.day < 20:
        pytest.skip("needs overdue deadlines in this year's lists")
    return scheme


def test_results_and_warning_tables_sort_and_filter_at_1366(page, live_server, login, shoot, tables):
    page.set_viewport_size(DESKTOP)
    login("office")
    page.goto(f"{live_server.url}/assessments/{tables.pk}/results/")
    page.get_by_role("link", name="综合得分（含加分）").click()
    page.wait_for_url("**sort=composite**")
    rows = page.locator("[data-testid=team-results] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("市教育局党委")
    page.locator("select[name=grade]").select_option(label="好")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**grade=good**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("市直机关工委")
    shoot("tables-results-1366")
    assert page.evaluate(FITS)
    page.goto(f"{live_server.url}/accountability/early-warning/")
    tasks = page.locator("[data-testid=overdue-task-table] tbody tr")
    expect(tasks).to_have_count(3)
    page.locator("select[name=warning]").select_option(label="红色预警")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**warning=red**")
    expect(tasks).to_have_count(1)
    expect(tasks.first).to_contain_text("开展警示教育")
    shoot("tables-warning-1366")
    assert page.evaluate(FITS)


@pytest.mark.parametrize(("path", "table"), [("results", "team-results"), ("early-warning", "overdue-task-table")])
def test_results_and_warning_tables_are_cards_on_a_phone(page, live_server, login, shoot, tables, path, table):
    page.set_viewport_size(PHONE)
    login("office")
    url = (
        f"{live_server.url}/assessments/{tables.pk}/results/"
        if path == "results"
        else (f"{live_server.url}/accountability/early-warning/")
    )
    page.goto(url)
    cell = page.locator(f"[data-testid={table}] tbody tr td").first
    expect(cell).to_be_visible()
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    shoot(f"tables-{path}-390")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(FITS), f"{url} is {width[0]} px wide in a {width[1]} px window"
