"""述责述廉 in the browser: the city opens a 述责述廉 of the county's team → a member submits his report
with a file from his 工作台, his list's completion beside it → another member evaluates it from his
工作台, the author's own evaluation refused at the field → the result on the person's page beside
the eligibility panel. At 1366 and 390 px; the pages must fit a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import HearingEvaluation, HearingReport
from tests.assessments.conftest import scheme_fields
from tests.assessments.hearing_factories import county_team, lists_with_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"


def fits(page):
    assert page.evaluate(FITS), page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_member_reports_another_evaluates_and_the_result_shows_on_his_page(
    page, live_server, login, shoot, tree, superuser, office_staff, inspector, list_template, tmp_path, width
):
    page.set_viewport_size({"width": width, "height": 900})
    quotas = scheme_fields(team_top_quota=100, leader_top_quota=100)
    services.scheme_create(assessor=tree["own"], targets=[tree["child"]], by=superuser, **quotas)
    seats = county_team(tree, superuser)
    lists_with_tasks(tree, superuser, seats)
    report_file = tmp_path / "述责述廉报告.pdf"
    report_file.write_bytes(PDF_BYTES)
    today = timezone.localdate()

    # The city's office opens the county's 述责述廉 in its scheme.
    login("office")
    page.goto(f"{live_server.url}/assessments/hearings/")
    page.get_by_role("button", name="组织述责述廉").click()
    page.select_option("#id_organisation", value=str(tree["child"].pk))
    page.fill("#id_opens_on", str(today - timedelta(days=1)))
    page.fill("#id_closes_on", str(today + timedelta(days=14)))
    shoot(f"hearing-01-open-{width}")
    fits(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已组织述责述廉")
    expect(page.get_by_test_id("hearing-reports")).to_contain_text("未提交")
    page.context.clear_cookies()

    # 赵委员 reports from his 工作台, his list's completion beside the form.
    login("zhao")
    group = page.get_by_test_id("todo-hearing_reports_to_submit")
    expect(group).to_contain_text("测试县委")
    group.get_by_role("link", name="提交报告").click()
    expect(page.get_by_test_id("personal-list")).to_contain_text("已完成 1 / 2 项任务")
    page.fill("#id_text", "一、履行“一岗双责”情况：全年调研指导 6 次。\n二、廉洁自律情况：严守纪律。")
    page.set_input_files("#id_files", str(report_file))
    shoot(f"hearing-02-report-form-{width}")
    fits(page)
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交述责述廉报告")
    expect(page.get_by_test_id("own-report")).to_be_visible()
    expect(page.get_by_test_id("evaluation-form")).to_have_count(0)
    shoot(f"hearing-03-report-{width}")
    fits(page)
    page.context.clear_cookies()

    # 钱委员 evaluates it from his 工作台.
    login("qian")
    group = page.get_by_test_id("todo-hearing_reports_to_evaluate")
    expect(group).to_contain_text("赵委员")
    group.get_by_role("link", name="评议").first.click()
    page.select_option("#id_rating", label="较好")
    page.fill("#id_score", "85")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator('[data-field-error="score"]')).to_have_text("评议等次和评议得分只填一项。")
    shoot(f"hearing-04-refused-{width}")
    page.fill("#id_score", "")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交评议")
    expect(page.get_by_test_id("report-summary").get_by_test_id("hearing-result")).to_have_text("80.00")
    shoot(f"hearing-05-evaluated-{width}")
    fits(page)
    page.context.clear_cookies()

    # The city's office sees the result on the hearing page.
    login("office")
    page.goto(f"{live_server.url}/assessments/hearings/")
    page.get_by_role("link", name="测试县委").click()
    row = page.locator('[data-person="赵委员"]')
    expect(row.get_by_test_id("hearing-result")).to_have_text("80.00")
    expect(row.get_by_test_id("mass-withheld")).to_have_text("未组织群众评议")
    shoot(f"hearing-06-hearing-{width}")
    fits(page)
    page.context.clear_cookies()

    # The 组织 inspector (a case handler, who sees the eligibility panel) reads both on his page.
    login("inspector")
    page.goto(f"{live_server.url}{seats['赵委员'][1].get_absolute_url()}")
    expect(page.get_by_test_id("eligibility-panel")).to_be_visible()
    panel = page.get_by_test_id("hearing-panel")
    expect(panel.get_by_test_id("hearing-result")).to_have_text("80.00")
    panel.scroll_into_view_if_needed()
    shoot(f"hearing-07-person-{width}")
    fits(page)
    report = HearingReport.objects.get()
    assert report.files.get().original_name == "述责述廉报告.pdf"
    assert list(HearingEvaluation.objects.values_list("evaluator__name", "rating")) == [("钱委员", "fairly_good")]
