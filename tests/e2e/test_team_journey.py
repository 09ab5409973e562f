"""Office staff logs in, finds an organisation in the tree, adds a team member and sees the team."""

import pytest
from playwright.sync_api import expect

from responsibilities.models import TeamMembership
from tests.e2e.conftest import menu_link, pick
from tests.responsibilities.factories import PersonFactory, make_organisation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_staff_adds_a_team_member_found_through_the_tree(page, live_server, login, shoot, tree, office_staff):
    PersonFactory(home_organisation=tree["child"], name="陈新委", post="县委常委")
    make_organisation(parent=tree["child"], name="测试县财政局党组")
    login("office")
    expect(page.locator("h1")).to_contain_text("您好")
    shoot("team-01-home")

    menu_link(page, "组织架构").click()
    expect(page.get_by_test_id("org-tree")).to_contain_text("测试市委")
    # The county is one level down and shown open; its own children load when it is expanded.
    expect(page.get_by_test_id("org-tree")).to_contain_text("测试县委")
    expect(page.get_by_test_id("org-tree")).not_to_contain_text("测试县财政局党组")
    county_row = page.locator(".org-row", has=page.get_by_role("link", name="测试县委", exact=True))
    county_row.locator(".tree-toggle").click()
    expect(page.get_by_test_id("org-tree")).to_contain_text("测试县财政局党组")
    shoot("team-02-tree")

    page.get_by_test_id("tree-search").fill("P-C-K")
    page.get_by_role("button", name="查找").click()
    expect(page.get_by_test_id("search-hits")).to_contain_text("测试省委 › 测试市委 ›")
    shoot("team-03-search")
    page.get_by_test_id("search-hits").get_by_role("link", name="测试县委").click()

    expect(page.locator("h1")).to_contain_text("测试县委")
    expect(page.get_by_test_id("team-table")).to_contain_text("这一天没有在任的班子成员")
    page.get_by_role("link", name="添加班子成员").click()
    pick(page, "#id_person", "陈新委")
    page.select_option("#id_role", label="班子其他成员")
    page.fill("#id_areas", "宣传、统战")
    page.fill("#id_start_date", "2025-03-01")
    shoot("team-04-add-member-form")
    page.get_by_role("button", name="添加").click()

    expect(page.locator(".alert-success")).to_contain_text("已添加班子成员")
    team = page.get_by_test_id("team-table")
    expect(team).to_contain_text("陈新委")
    expect(team).to_contain_text("宣传、统战")
    shoot("team-05-team-after-adding")
    assert TeamMembership.objects.filter(organisation=tree["child"], person__name="陈新委").exists()


def test_second_secretary_is_refused_with_the_message_at_the_field(
    page, live_server, login, shoot, tree, office_staff, secretary
):
    PersonFactory(home_organisation=tree["own"], name="刘候选")
    login("office")
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/team/add/")
    pick(page, "#id_person", "刘候选")
    page.select_option("#id_role", label="书记")
    page.fill("#id_start_date", "2025-03-01")
    page.get_by_role("button", name="添加").click()
    expect(page.locator("[data-field-error=role]")).to_contain_text("已有书记：王书记")
    shoot("team-06-second-secretary-refused")
    assert TeamMembership.objects.filter(organisation=tree["own"]).count() == 1
