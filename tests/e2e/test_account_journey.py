"""The account menu in the header at a desktop's 1366 px and a phone's 390 px: the user's name and
role, 修改密码 and 放大文字, with nothing wider than the window (normal and large text)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
NAV_FITS = "(() => { const n = document.querySelector('nav.app-navbar'); return n.scrollWidth <= n.clientWidth; })()"


def assert_fits(page):
    assert page.evaluate(FITS), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate(NAV_FITS)


def test_account_menu_at_desktop_width_with_large_text(page, live_server, login, shoot, office_staff):
    office_staff.first_name = "欧阳晓明"
    office_staff.save()
    page.set_viewport_size({"width": 1366, "height": 768})
    login("office")
    menu = page.get_by_test_id("account-menu")
    expect(menu).to_have_text("欧阳晓明 · 党建工作人员")
    assert_fits(page)
    menu.click()
    expect(page.get_by_test_id("password-change-link")).to_be_visible()
    shoot("account-01-menu-1366")
    assert_fits(page)

    page.get_by_test_id("text-size").click()
    expect(page.locator("html")).to_have_class("text-large")
    assert_fits(page)
    shoot("account-02-large-text-1366")
    page.get_by_test_id("account-menu").click()
    expect(page.get_by_test_id("text-size")).to_have_text("恢复标准文字")
    page.get_by_test_id("text-size").click()
    expect(page.locator("html")).not_to_have_class("text-large")


def test_account_menu_and_password_change_on_a_phone(page, live_server, login, shoot, office_staff):
    page.set_viewport_size({"width": 390, "height": 844})
    login("office")
    assert_fits(page)
    page.locator(".navbar-toggler").click()
    expect(page.locator(".navbar-collapse.show")).to_be_visible()
    expect(page.locator(".navbar-collapse.collapsing")).to_have_count(0)
    menu = page.get_by_test_id("account-menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_test_id("text-size")).to_be_visible()
    assert_fits(page)
    shoot("account-03-menu-390")

    page.get_by_test_id("text-size").click()
    expect(page.locator("html")).to_have_class("text-large")
    page.locator(".navbar-toggler").click()
    # The collapsed menu opens with an animation: open the account menu once it has finished.
    expect(page.locator(".navbar-collapse.show")).to_be_visible()
    expect(page.locator(".navbar-collapse.collapsing")).to_have_count(0)
    page.get_by_test_id("account-menu").click()
    expect(page.get_by_test_id("password-change-link")).to_be_visible()
    assert_fits(page)
    shoot("account-04-large-text-menu-390")
    page.get_by_test_id("password-change-link").click()
    expect(page.locator("h1")).to_have_text("修改密码")
    page.fill("#id_old_password", "x")
    page.fill("#id_new_password1", "1234567")
    page.fill("#id_new_password2", "1234567")
    page.get_by_test_id("password-save").click()
    error = page.locator("[data-field-error=new_password2]")
    expect(error.first).to_have_text("密码太短：至少需要 10 个字符。")
    expect(error).to_have_count(3)
    assert_fits(page)
    shoot("account-05-password-refused-390")
