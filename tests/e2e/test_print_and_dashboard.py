"""The 驾驶舱 at 1366 and 390 px, and the A4 prints rendered to PDF (page.pdf), turned into PNG pages
with pdftoppm (look at them under test-artifacts/screenshots/print-*): a list (dates whole, no column
clipped, page numbers, a personal list's title naming the person and role), the roll-up with its
chart, the new 考核结果通报 and the 驾驶舱 itself; no button in any of them."""

import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services as assessment_services
from assessments.models import LeaderResult, Result
from responsibilities.models import ListKind, ResponsibilityList, Role, TaskStatus
from responsibilities.services import problems as problem_services
from tests.accountability.factories import decide, file_case
from tests.assessments.conftest import scheme_fields
from tests.conftest import make_user
from tests.e2e.conftest import SCREENSHOTS, menu_link
from tests.responsibilities.factories import PersonFactory, make_organisation
from tests.responsibilities.list_factories import add_member, add_task, committee_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
# The printable width of A4 with the stylesheet's 15 mm margins, in CSS pixels (96 per inch).
A4_WIDTH = round((210 - 30) / 25.4 * 96)
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
LONG_TASK = "组织开展党风廉政建设专题教育，围绕“以案促改”召开专题民主生活会并形成书面总结报告报上级党委备案"
LONG_STANDARD = (
    "会议有方案、有记录、有整改清单；班子成员逐一对照检查，相互批评意见不少于三条；整改措施明确到人、到时限。"
)


@pytest.fixture
def world(tree, superuser, office_staff):
    """The own city (测试市委) with its county and an organ below, lists with tasks this year and last,
    two problems, an annual scheme's results and a decided case."""
    year = timezone.localdate().year
    today = timezone.localdate()
    city, county = tree["own"], tree["child"]
    organ = make_organisation(parent=city, name="市直机关工委", code="P-C-J")
    member = add_member(city, superuser, name="赵委员")
    member.post = "市委常委、组织部部长"
    member.save()
    city_list = committee_list(city, superuser)
    for number in range(1, 16):
        for index in range(2):
            deadline = date(year, 1 + (number + index) % 12, 10)
            finished = index == 0 and number % 3 != 0 and deadline <= today
            add_task(
                city_list,
                superuser,
                number=number,
                title=LONG_TASK if number == 1 else f"第 {number} 项的具体任务（{index + 1}）",
                standard=LONG_STANDARD if number == 1 else "有记录",
                deadline=deadline,
                status=TaskStatus.DONE if finished else TaskStatus.NOT_STARTED,
                completed_on=deadline if finished else None,
            )
    member_list = ResponsibilityList.objects.get(organisation=city, year=year, kind=ListKind.MEMBER)
    add_task(member_list, superuser, number=1, title=LONG_TASK, standard=LONG_STANDARD, deadline=date(year, 12, 31))
    county_list = committee_list(county, superuser)
    add_task(county_list, superuser, number=2, deadline=today - timedelta(days=40))
    add_task(county_list, superuser, number=3, deadline=today + timedelta(days=3), status=TaskStatus.IN_PROGRESS)
    last_year = committee_list(city, superuser, year=year - 1)
    add_task(
        last_year, superuser, number=1, deadline=date(year - 1, 3, 10), status="done", completed_on=date(year - 1, 3, 9)
    )
    for title in ("“三会一课”记录不全", "谈心谈话不到位"):
        problem_services.problem_record(
            organisation=county,
            found_by=city,
            source="tour",
            title=title,
            description="巡察发现。",
            deadline=today + timedelta(days=30),
            by=superuser,
        )
    scheme = assessment_services.scheme_create(
        assessor=city, targets=[county, organ], by=superuser, **scheme_fields(name=f"{year} 年度党建工作考核")
    )
    results = ((county, "93.5", "1.5", "好", 1), (organ, "86", "0", "较好", 2))
    for organisation, composite, bonus, grade, rank in results:
        Result.objects.create(
            scheme=scheme,
            organisation=organisation,
            composite=D(composite),
            bonus=D(bonus),
            grade_label=grade,
            rank=rank,
        )
        LeaderResult.objects.create(
            scheme=scheme,
            organisation=organisation,
            person=PersonFactory(home_organisation=organisation, name=f"{organisation.name[:2]}书记"),
            score=D(composite) - 1,
            grade_label=grade,
            rank=rank,
        )
    decide(file_case(county, superuser, person=PersonFactory(home_organisation=county)), superuser, today, "降职")
    make_user("discipline", city, Role.INSPECTOR, superuser, department="discipline")
    return {"city": city, "scheme": scheme, "member_list": member_list, "city_list": city_list}


def fits(page, name, shoot):
    shoot(name)
    assert page.evaluate(FITS), f"{name}: {page.evaluate('document.documentElement.scrollWidth')} px wide"


def render_pdf(page, name) -> tuple[str, int]:
    """The page as the browser prints it (A4), its text, and how many pages; PNG pages to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = SCREENSHOTS / f"print-{name}.pdf"
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1000})
    page.wait_for_timeout(200)  # the charts redraw at the paper's width
    page.pdf(path=str(pdf), format="A4", prefer_css_page_size=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(SCREENSHOTS / f"print-{name}")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    return text, pages


def numbered(text: str, number: int, pages: int) -> bool:
    """The page's number at its foot, as the print stylesheet writes it ("2 / 5")."""
    return re.search(rf"(?m)^\s*{number}\s*/\s*{pages}\s*$", text) is not None


def nothing_clipped_and_no_buttons(page):
    """Under print media: no visible button or control, every date on one line, no cell cut off."""
    assert page.locator(".btn:visible, button:visible, select:visible, input:visible").count() == 0
    broken = page.evaluate(
        "[...document.querySelectorAll('.print-date')].filter(e => e.getClientRects().length > 1)"
        ".map(e => e.textContent)"
    )
    assert broken == []
    clipped = page.evaluate(
        "[...document.querySelectorAll('main td, main th')].filter(c => c.scrollWidth > c.clientWidth + 1)"
        ".map(c => c.textContent.trim().slice(0, 20))"
    )
    assert clipped == []
    wider = page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)"
        ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
    )
    assert wider == [] and page.evaluate(FITS)


def test_the_dashboard_at_1366_and_390_and_on_a4(page, live_server, login, shoot, world):
    login("discipline")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/")
    menu_link(page, "驾驶舱").click()
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("测试市委")
    keys = ["levels", "committee-items", "personal-items", "months", "colours", "problems", "grades", "cases"]
    for key in keys:
        expect(page.get_by_test_id(f"dashboard-{key}")).to_be_visible()
    # Every chart is drawn (Chart.js gives each canvas its size).
    assert page.locator("canvas[data-dashboard-chart]").count() == len(keys)
    assert page.evaluate("Object.keys(Chart.instances).length") == len(keys)
    expect(page.get_by_test_id("dashboard-cases-table")).to_contain_text("降职")
    expect(page.get_by_test_id("dashboard-grades-table")).to_contain_text("较好")
    expect(page.get_by_test_id("dashboard-levels-table").locator("tbody tr").last).to_contain_text("全辖区合计")
    fits(page, "dashboard-1366", shoot)
    page.set_viewport_size(PHONE)
    page.reload()
    fits(page, "dashboard-390", shoot)
    for key in ("levels", "committee-items"):  # a phone's screenful, to look at closely
        page.get_by_test_id(f"dashboard-{key}").scroll_into_view_if_needed()
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-390-{key}.png"))
    page.set_viewport_size(DESKTOP)
    page.reload()
    text, pages = render_pdf(page, "dashboard")
    nothing_clipped_and_no_buttons(page)
    assert "问责方式分布" in text and "考核等次分布" in text
    assert numbered(text, 1, pages) and pages >= 2


def test_a_personal_list_prints_on_a4_with_its_person_and_role(page, live_server, login, shoot, world):
    login("office")
    url = reverse("responsibilities:list_print", args=[world["member_list"].pk])
    page.goto(f"{live_server.url}{url}")
    expect(page.get_by_test_id("print-title")).to_have_text(
        f"测试市委 赵委员（班子其他成员）{world['member_list'].year} 年从严治党责任清单"
    )
    text, pages = render_pdf(page, "personal-list")
    nothing_clipped_and_no_buttons(page)
    assert "返回清单" not in text
    assert numbered(text, 1, pages)
    # The committee list runs over several pages, each numbered, its header repeated.
    page.emulate_media(media="screen")
    page.goto(f"{live_server.url}{reverse('responsibilities:list_print', args=[world['city_list'].pk])}")
    text, pages = render_pdf(page, "committee-list")
    nothing_clipped_and_no_buttons(page)
    assert pages >= 2
    assert numbered(text, 2, pages)
    assert text.count("完成时限") == pages


def test_the_rollup_prints_with_its_chart_and_the_results_as_a_notice(page, live_server, login, shoot, world):
    login("office")
    page.goto(f"{live_server.url}{world['city'].get_absolute_url()}")
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_test_id("dashboard-link")).to_have_attribute("href", re.compile(r"/dashboard/\?year=\d{4}$"))
    render_pdf(page, "rollup")
    chart = page.locator("canvas[data-chart-source]")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert page.locator(".btn:visible, button:visible").count() == 0
    page.emulate_media(media="screen")
    page.context.clear_cookies()
    login("root")
    page.goto(f"{live_server.url}{reverse('assessments:results', args=[world['scheme'].pk])}")
    page.get_by_test_id("print-results-link").click()
    sheet = page.get_by_test_id("print-sheet")
    expect(sheet.locator("h1")).to_have_text(f"测试市委关于 {world['scheme'].year} 年度考核结果的通报")
    rows = page.get_by_test_id("print-results").locator("tbody tr")
    expect(rows.nth(0)).to_have_text("1测试县委93.5+1.5好")
    expect(rows.nth(1)).to_have_text("2市直机关工委86—较好")
    text, pages = render_pdf(page, "results-notice")
    nothing_clipped_and_no_buttons(page)
    assert pages == 1 and numbered(text, 1, 1)
    assert "好 1 个，较好 1 个。" in text.replace("\n", "")
