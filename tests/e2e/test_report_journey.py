"""The annual 主体责任 report in the browser: the city's office drafts it from the year's data (from its
工作台), edits it and submits it → the secretary confirms it (报送) → the province receives it and sees
who below has not reported. At 1366 and 390 px, with screenshots."""

import pytest
from playwright.sync_api import expect

from assessments import rules
from assessments.models import AnnualReport, ReportStatus
from responsibilities.models import Role
from tests.conftest import make_user
from tests.e2e.test_phone_pages import FITS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_annual_report_is_drafted_edited_submitted_confirmed_and_received(
    page, live_server, login, shoot, tree, superuser, office_staff, secretary, width
):
    page.set_viewport_size({"width": width, "height": 900})
    make_user("province_office", tree["parent"], Role.OFFICE_STAFF, superuser)

    # The city's office drafts the report from its 工作台.
    login("office")
    group = page.get_by_test_id("todo-reports_to_draft")
    expect(group).to_contain_text("测试市委")
    shoot(f"report-01-workbench-{width}")
    group.get_by_role("link", name="起草并提交").click()
    page.get_by_test_id("draft-report").click()
    expect(page.locator(".alert-success")).to_contain_text("已根据本年度数据生成报告草稿")
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")
    expect(page.get_by_test_id("report-document")).to_contain_text("一、责任清单制定和落实情况")
    expect(page.get_by_test_id("unfinished")).to_contain_text("3 处")
    assert page.evaluate(FITS), "the report page must fit the screen"
    shoot(f"report-02-drafted-{width}")

    # Submitting with places still to write is refused at the form.
    page.get_by_test_id("move-submitted").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("正文还有 3 处“【请填写】”未填写")
    expect(page.get_by_test_id("report-status")).to_have_text("草稿")

    # The office writes them and submits.
    page.get_by_test_id("edit-report").click()
    body = page.locator("#id_body").input_value()
    for text in ("本年度立案问责1起。", "基层党组织落实“三会一课”不够规范。", "完善整改销号闭环管理。"):
        body = body.replace(rules.REPORT_TO_FILL, text, 1)
    page.fill("#id_body", body)
    shoot(f"report-03-edit-{width}")
    page.get_by_test_id("save-report").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已保存")
    expect(page.get_by_test_id("report-document")).to_contain_text("完善整改销号闭环管理。")
    page.get_by_test_id("move-submitted").click()
    expect(page.get_by_test_id("report-status")).to_have_text("待书记确认")
    page.context.clear_cookies()

    # The secretary confirms it from her 工作台: it goes up to the province.
    login("secretary")
    group = page.get_by_test_id("todo-reports_to_confirm")
    group.get_by_role("link", name="审阅确认").click()
    page.get_by_test_id("move-confirmed").click()
    expect(page.get_by_test_id("report-status")).to_have_text("已报送")
    expect(page.get_by_test_id("confirmed-by")).to_be_visible()
    page.context.clear_cookies()

    # The province receives it, and sees who has not reported.
    login("province_office")
    group = page.get_by_test_id("todo-reports_to_receive")
    expect(group).to_contain_text("测试市委")
    shoot(f"report-04-province-workbench-{width}")
    group.get_by_role("link", name="接收").click()
    pdf = page.request.get(live_server.url + page.get_by_test_id("report-pdf").get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.get_by_test_id("move-received").click()
    expect(page.locator(".alert-success")).to_contain_text("报告已接收")
    expect(page.get_by_test_id("report-status")).to_have_text("已接收")
    expect(page.get_by_test_id("received-by")).to_be_visible()
    shoot(f"report-05-received-{width}")
    report = AnnualReport.objects.get()
    page.goto(f"{live_server.url}/assessments/reports/?year={report.year}")
    expect(page.get_by_test_id("reporting-summary")).to_contain_text("应报 2 个 · 未报送 1 个")
    expect(page.get_by_test_id("reporting-rows")).to_contain_text("兄弟市委")
    assert page.evaluate(FITS), "the reporting page must fit the screen"
    shoot(f"report-06-who-reported-{width}")
    assert report.status == ReportStatus.RECEIVED and report.confirmed_by == secretary
