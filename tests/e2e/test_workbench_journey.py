"""The 工作台 in the browser: office submits a list → the secretary's 工作台 shows it → the secretary
confirms → office is told (a notification). Screenshots at 1366 and 390 px wide."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Notification
from responsibilities import services
from responsibilities.models import ListKind, ListStatus, ResponsibilityList

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}


@pytest.mark.parametrize("width", list(WIDTHS))
def test_office_submits_the_secretary_confirms_from_the_workbench_and_office_is_told(
    page, live_server, login, shoot, tree, superuser, office_staff, secretary, width
):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    year = timezone.localdate().year
    services.lists_generate(organisation=tree["own"], year=year, by=superuser)
    committee = ResponsibilityList.objects.get(organisation=tree["own"], year=year, kind=ListKind.COMMITTEE)

    def open_menu():
        toggler = page.locator(".navbar-toggler")
        if toggler.is_visible():
            toggler.click()
            expect(page.locator("#main-nav.show")).to_have_count(1)  # the collapse has finished
            page.wait_for_timeout(400)

    # Office staff submit the committee list from its page.
    login("office")
    page.goto(f"{live_server.url}{committee.get_absolute_url()}")
    page.get_by_test_id("transition-submitted").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交")
    page.context.clear_cookies()

    # The secretary's 工作台 shows the list to confirm, with the message that told him.
    login("secretary")
    expect(page.locator("h1")).to_contain_text("您好")
    group = page.get_by_test_id("todo-lists_to_confirm")
    expect(group).to_contain_text("待确认的责任清单")
    expect(group).to_contain_text(f"{year} 年")
    open_menu()
    expect(page.get_by_test_id("nav-messages")).to_contain_text("1")
    expect(page.get_by_test_id("nav-workbench")).to_contain_text("1")
    shoot(f"workbench-01-secretary-{width}")

    group.get_by_role("link", name="确认或退回").click()
    expect(page).to_have_url(f"{live_server.url}{committee.get_absolute_url()}")
    page.get_by_test_id("transition-confirmed").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认")
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("todo-lists_to_confirm")).to_have_count(0)
    expect(page.get_by_test_id("done")).to_contain_text("已确认")
    shoot(f"workbench-02-secretary-done-{width}")
    page.context.clear_cookies()

    # Office staff are told: the 工作台 shows the new message, the header its count, and the message
    # opens the list (and is then read).
    login("office")
    news = page.get_by_test_id("unread-messages")
    expect(news).to_contain_text("已由书记确认")
    shoot(f"workbench-03-office-{width}")
    open_menu()
    expect(page.get_by_test_id("nav-messages")).to_contain_text("1")
    shoot(f"workbench-04-office-menu-{width}")
    news.get_by_role("button", name="已由书记确认").click()
    expect(page).to_have_url(f"{live_server.url}{committee.get_absolute_url()}")
    expect(page.get_by_test_id("nav-messages")).not_to_contain_text("1")
    page.goto(f"{live_server.url}/messages/")
    expect(page.locator("main")).to_contain_text("已由书记确认")
    shoot(f"workbench-05-office-messages-{width}")
    assert Notification.objects.filter(recipient=office_staff, event="list_confirmed").count() == 1
    committee.refresh_from_db()
    assert committee.status == ListStatus.CONFIRMED
