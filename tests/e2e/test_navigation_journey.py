"""The grouped header menu and the header search in the browser: one line at 1024 and 1366 px (in
Chinese and in English), folded behind the toggler at 390 px, opened and followed with the keyboard;
a search from the header lists what the user may see, grouped by kind. Screenshots at each width."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.responsibilities.list_factories import add_member, add_task, committee_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
# Every top-level piece of the bar (brand, menu groups, search, messages, account, language) on one row.
PIECES = ".navbar-brand, .app-menu > li, .header-search, [data-testid=nav-messages], .account-menu, .language-switch"
LABELS = ".app-menu > li > .nav-link, .language-switch button, [data-testid=nav-messages]"
ONE_ROW = f"""(() => {{
  const bar = document.querySelector('nav.app-navbar');
  const middle = (e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2);
  const tops = new Set([...bar.querySelectorAll('{PIECES}')].map(middle));
  const oneLine = [...bar.querySelectorAll('{LABELS}')].every(l => l.getBoundingClientRect().height < 48);
  return tops.size === 1 && oneLine && bar.scrollWidth <= bar.clientWidth;
}})()"""


@pytest.fixture
def long_named_superuser(superuser):
    superuser.first_name = "欧阳晓明"
    superuser.save()
    return superuser


@pytest.mark.parametrize(("width", "language"), [(1024, "zh"), (1366, "zh"), (1366, "en")])
def test_the_grouped_menu_stays_on_one_line(page, live_server, login, shoot, long_named_superuser, width, language):
    page.set_viewport_size({"width": width, "height": 768})
    login("root")
    if language == "en":
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("button", name="简体中文")).to_be_visible()
    groups = page.locator(".app-menu > li > .dropdown-toggle")
    expected = ["工作台", "责任清单", "考核评价", "问责", "基础数据", "系统管理"]
    if language == "en":
        expected = ["Workbench", "Lists", "Assessment", "Accountability", "Reference data", "Administration"]
    expect(groups).to_have_text(expected)
    shoot(f"nav-00-header-{language}-{width}")
    assert page.evaluate(ONE_ROW), f"the header wraps at {width} px ({language})"
    assert page.evaluate(FITS)
    page.get_by_test_id("menu-accountability").click()
    expect(page.locator("#menu-accountability + .dropdown-menu")).to_be_visible()
    shoot(f"nav-01-menu-{language}-{width}")


def test_the_menu_opens_and_follows_with_the_keyboard(page, live_server, login, shoot, tree, superuser):
    make_user("zuzhi", tree["own"], "inspector", superuser, department="organisation")
    page.set_viewport_size({"width": 1366, "height": 768})
    login("zuzhi")
    page.get_by_test_id("menu-accountability").focus()
    page.keyboard.press("Enter")
    menu = page.locator("#menu-accountability + .dropdown-menu")
    expect(menu).to_be_visible()
    expect(page.get_by_test_id("menu-accountability")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="问责案件")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("link", name="资格筛查")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(page.get_by_test_id("menu-accountability")).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("问责案件")
    # The current page's group and entry are marked for screen readers too.
    page.get_by_test_id("menu-accountability").click()
    expect(menu.locator("[aria-current=page]")).to_have_text("问责案件")
    shoot("nav-02-keyboard-current-1366")


def test_a_phone_folds_the_menu_and_searches_from_the_header(page, live_server, login, shoot, tree, superuser):
    committee = committee_list(tree["own"], superuser, year=2026)
    add_task(committee, superuser, title="张明牵头的理论学习")
    add_member(tree["own"], superuser, name="张明远")
    add_member(tree["sibling"], superuser, name="张明")  # a sibling city: never shown to office staff
    make_user("office", tree["own"], "office_staff", superuser)
    page.set_viewport_size({"width": 390, "height": 844})
    login("office")
    expect(page.locator(".app-menu")).to_be_hidden()
    assert page.evaluate(FITS)
    page.locator(".navbar-toggler").click()
    page.locator("#main-nav.show").wait_for()
    page.locator("#main-nav.collapsing").wait_for(state="detached")
    page.get_by_test_id("menu-lists").click()
    expect(page.locator("#menu-lists + .dropdown-menu").get_by_role("link", name="督办")).to_be_visible()
    assert page.evaluate(FITS)
    shoot("nav-03-phone-menu-390")

    box = page.get_by_role("searchbox", name="搜索").first
    box.fill("张明")
    box.press("Enter")
    expect(page.locator("h1")).to_have_text("搜索 · “张明”")
    people = page.get_by_test_id("search-people")
    expect(people.locator(".list-group-item")).to_have_count(1)
    expect(people).to_contain_text("张明远")
    # Two characters look for names, not for task titles (those from three characters on).
    expect(page.get_by_test_id("search-tasks")).to_have_count(0)
    expect(page.get_by_test_id("search-short")).to_be_visible()
    expect(page.get_by_test_id("search-cases")).to_have_count(0)
    assert page.evaluate(FITS)
    shoot("nav-04-search-results-390")
    people.get_by_role("link", name="张明远").click()
    expect(page.locator("h1")).to_contain_text("张明远")

    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server.url}/search/?q=")
    expect(page.locator("[data-field-error=q]")).to_have_text("请输入要搜索的名称、姓名、任务或案件编号。")
    shoot("nav-05-search-empty-1366")
    page.goto(f"{live_server.url}/search/?q=理论学习")
    expect(page.get_by_test_id("search-tasks")).to_contain_text("张明牵头的理论学习")
    shoot("nav-06-search-results-1366")
