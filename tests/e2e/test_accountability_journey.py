"""Accountability (问责) in the browser: a 纪检 inspector files and decides a case, the person's
eligibility and the screening that follow from it, early warning by office staff, and a refusal."""

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import Case, CaseStatus, Intervention, Restriction
from responsibilities import services
from responsibilities.models import Department, Role, TeamRole
from tests.accountability.factories import decide, file_case
from tests.conftest import make_user
from tests.e2e.conftest import menu_link, pick
from tests.helpers import on_day
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import add_task, committee_list

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Decided on 2025-06-20, under the article's rule set the test province adopted by default: 降职 bars
# promotion for 24 months (eligible again on
# 2027-06-20) and the awards of 2025 (eligible again on 2026-01-01).
DECIDED_ON = date(2025, 6, 20)
PROMOTION_LIFTS = "2027-06-20"
AWARD_LIFTS = "2026-01-01"
# The day the eligibility pages are read: the award bar has lifted, the promotion bar holds.
A_DAY_IN_2026 = date(2026, 3, 1)
FACTS = "对本县某局长违规发放津贴补贴问题，接到举报后既不报告也不处理。"


def discipline_inspector(tree, superuser):
    """The city's 纪检 inspector: handles the cases of the city and below."""
    inspector = make_user("jijian", tree["own"], Role.INSPECTOR, superuser, department=Department.DISCIPLINE)
    inspector.first_name = "纪检员"  # pages name people, never their logins
    inspector.save(update_fields=["first_name"])
    return inspector


def county_secretary(tree, superuser):
    """The county's secretary since 2020."""
    person = PersonFactory(home_organisation=tree["child"], name="县委书记甲", post="县委书记")
    services.membership_add(
        organisation=tree["child"], person=person, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    return person


def select_option_containing(page, select, text):
    """Choose the option of a select whose label contains ``text`` (labels carry indentation and codes)."""
    labels = page.locator(f"{select} option").all_inner_texts()
    page.select_option(select, label=next(label for label in labels if text in label))


def nav_link(page, name):
    return menu_link(page, name)


# ---- 1. A 纪检 inspector files a case, moves it on and decides it --------------------------------


def test_discipline_inspector_files_a_case_and_decides_it(page, live_server, login, shoot, tree, superuser):
    discipline_inspector(tree, superuser)
    secretary = county_secretary(tree, superuser)

    login("jijian")
    nav_link(page, "问责案件").click()
    expect(page.locator("h1")).to_have_text("问责案件")
    expect(page.get_by_test_id("case-table")).to_contain_text("没有可查看的问责案件。")
    shoot("acc-01-case-list-empty")

    page.locator("main").get_by_role("link", name="立案", exact=True).click()
    expect(page.locator("h1")).to_have_text("问责立案")
    # Dates first, the person last: every change asks the server for the attribution (htmx).
    page.fill("#id_facts_date", "2025-03-15")
    page.fill("#id_filed_on", "2025-04-01")
    pick(page, "#id_organisation", "测试县委（P-C-K）", typed="测试县委")
    pick(page, "#id_person", "县委书记甲")
    hint = page.get_by_test_id("attribution-hint")
    expect(hint).to_contain_text("2025-03-15，县委书记甲 在测试县委班子中任书记（2020-01-01 起）")
    expect(hint).to_contain_text("责任主体已据此预填")
    expect(page.locator("#id_subject")).to_have_value("secretary")
    expect(page.locator("#id_subject option:checked")).to_have_text("党委（党组）书记")
    expect(page.locator("#id_responsibility")).to_have_value("individual")
    page.get_by_label("FQ-06 对违规违纪睁一只眼闭一只眼", exact=True).check()
    page.fill("#id_facts", FACTS)
    page.select_option("#id_severity", label="情节较重")
    shoot("acc-02-case-form-with-attribution")
    page.locator("main").get_by_role("button", name="立案", exact=True).click()

    expect(page.locator(".alert-success")).to_contain_text("已立案：WZ-2025-0001。")
    expect(page.locator("h1")).to_have_text("WZ-2025-0001 · 县委书记甲")
    expect(page.get_by_test_id("case-status")).to_have_text("立案")
    main = page.locator("main")
    situation = "FQ-06 对违规违纪睁一只眼闭一只眼"
    for text in ("测试县委", "党委（党组）书记", "个人责任", "2025-03-15", "情节较重", situation, FACTS):
        expect(main).to_contain_text(text)
    expect(main).to_contain_text("2025-04-01 由 纪检员 立案")
    shoot("acc-03-case-filed")

    page.get_by_test_id("case-to-investigating").click()
    expect(page.locator(".alert-success")).to_contain_text("案件状态已更新。")
    expect(page.get_by_test_id("case-status")).to_have_text("调查")
    shoot("acc-04-case-investigating")
    page.get_by_test_id("case-to-reviewing").click()
    expect(page.get_by_test_id("case-status")).to_have_text("审理")
    expect(page.get_by_role("heading", name="作出决定")).to_be_visible()
    shoot("acc-05-case-reviewing")

    page.fill("#id_decided_on", DECIDED_ON.isoformat())
    page.fill("#id_deciding_body", "测试市纪委")
    page.fill("#id_document_number", "测纪问〔2025〕12号")
    page.get_by_label("降职", exact=True).check()
    page.get_by_role("button", name="预览影响").click()
    what_if = page.get_by_test_id("what-if")
    expect(what_if).to_contain_text("如作出此决定，将按“从严治党问责规则（2016 年研究文章）”产生以下影响")
    expect(what_if).to_contain_text("（测试省委 2016-09-26 起采用）")
    expect(what_if.get_by_test_id("what-if-source").last).to_contain_text("“对受到降职处理的，两年内不得提升职务”")
    expect(what_if).to_contain_text(f"降职：不得提拔（提升职务），2025-06-20 起，{PROMOTION_LIFTS} 恢复资格")
    expect(what_if).to_contain_text(
        f"降职：取消当年考核评优和评选各类先进的资格，2025-06-20 起，{AWARD_LIFTS} 恢复资格"
    )
    # The preview keeps what was entered and saves nothing.
    expect(page.locator("#id_decided_on")).to_have_value(DECIDED_ON.isoformat())
    expect(page.get_by_label("降职", exact=True)).to_be_checked()
    expect(page.get_by_test_id("case-status")).to_have_text("审理")
    assert not Restriction.objects.exists()
    shoot("acc-06-what-if")

    page.get_by_role("button", name="确认决定").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录问责决定，影响期已按规则计算。")
    expect(page.get_by_test_id("case-status")).to_have_text("已决定")
    decision = page.get_by_test_id("decision")
    expect(decision).to_contain_text("2025-06-20，测试市纪委决定：")
    expect(decision.locator(".badge", has_text="降职")).to_be_visible()
    expect(decision).to_contain_text(
        "从严治党问责规则（2016 年研究文章） · 测纪问〔2025〕12号（测试省委 2016-09-26 起采用）"
    )
    restrictions = page.get_by_test_id("restrictions")
    promotion = restrictions.locator("tbody tr", has_text="不得提拔（提升职务）")
    expect(promotion.locator("td")).to_have_text(
        ["不得提拔（提升职务）", re.compile("降职"), "2025-06-20", PROMOTION_LIFTS]
    )
    award = restrictions.locator("tbody tr", has_text="取消当年考核评优")
    expect(award.locator("td")).to_have_text(
        ["取消当年考核评优和评选各类先进的资格", re.compile("降职"), "2025-06-20", AWARD_LIFTS]
    )
    expect(page.get_by_role("heading", name="作出决定")).to_have_count(0)
    shoot("acc-07-decision-recorded")
    case = Case.objects.get()
    assert (case.status, case.person_id, case.subject) == (CaseStatus.DECIDED, secretary.pk, "secretary")
    assert sorted(Restriction.objects.values_list("kind", "ends_on")) == [
        ("no_award", date(2026, 1, 1)),
        ("no_promotion", date(2027, 6, 20)),
    ]

    page.get_by_role("link", name="问责决定书（打印）").click()
    document = page.get_by_test_id("decision-document")
    expect(document.locator("h1")).to_have_text("测试市纪委")
    expect(document.locator("h2")).to_have_text("问责决定书")
    for text in (
        "测纪问〔2025〕12号",
        "县委书记甲同志（县委书记）：",
        f"经查，2025年3月15日，{FACTS}",
        "上述行为属于负面清单所列“对违规违纪睁一只眼闭一只眼”情形，情节较重，应承担个人责任（党委（党组）书记）。",
        "根据从严治党问责规则（2016 年研究文章），经研究决定：降职。",
        "不得提拔（提升职务），自2025年6月20日起，至2027年6月20日恢复资格。",
        "取消当年考核评优和评选各类先进的资格，自2025年6月20日起，至2026年1月1日恢复资格。",
        "如对本决定不服，可在收到本决定之日起一个月内向作出决定的机关提出书面申诉。",
    ):
        expect(document).to_contain_text(text)
    expect(document.locator("p.text-end")).to_contain_text("2025年6月20日")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    shoot("acc-08-decision-document")


def test_case_form_shows_the_situations_as_checkboxes(page, live_server, login, shoot, tree, superuser):
    discipline_inspector(tree, superuser)
    login("jijian")
    page.goto(f"{live_server.url}{reverse('accountability:case_create')}")
    box = page.get_by_label("FQ-06 对违规违纪睁一只眼闭一只眼", exact=True)
    box.check()
    shoot("acc-09-situation-checkboxes")
    expect(box).to_have_class(re.compile(r"\bform-check-input\b"), timeout=1_000)
    assert box.bounding_box()["width"] < 30


# ---- 2. The person's eligibility, on today and on a chosen date; screening and its export ---------


@on_day(A_DAY_IN_2026)
def test_decided_case_shows_on_the_persons_eligibility_and_in_the_screening(
    page, live_server, login, shoot, tree, superuser
):
    today = A_DAY_IN_2026
    discipline_inspector(tree, superuser)
    secretary = county_secretary(tree, superuser)
    case = file_case(tree["child"], superuser, person=secretary, facts_date=date(2025, 3, 15))
    decide(case, superuser, DECIDED_ON, "降职")

    login("jijian")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    expect(page.get_by_test_id("case-status")).to_have_text("已决定")
    shoot("acc-10-decided-case")
    page.locator("main dl").get_by_role("link", name="县委书记甲").click()

    expect(page.locator("h1")).to_have_text("县委书记甲")
    panel = page.get_by_test_id("eligibility-panel")
    expect(panel).to_contain_text(f"资格情况（{today.isoformat()}）")
    promotion = panel.locator("[data-kind=no_promotion]")
    expect(promotion.locator(".badge")).to_have_text("不得")
    expect(promotion).to_contain_text("提拔（提升职务）")
    expect(promotion).to_contain_text(f"{PROMOTION_LIFTS} 起恢复；{case.number} 降职（2025-06-20）")
    # The award bar was for 2025 only.
    expect(panel.locator("[data-kind=no_award] .badge")).to_have_text("可以")
    for kind in ("no_post", "no_higher_post", "no_equal_or_higher_post"):
        expect(panel.locator(f"[data-kind={kind}] .badge")).to_have_text("可以")
    shoot("acc-11-person-eligibility")

    panel.get_by_role("link", name="影响期记录与按日期查询").click()
    expect(page.locator("h1")).to_contain_text("县委书记甲 · 问责影响期与资格")
    history = page.get_by_test_id("restriction-history")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(history.locator("tbody tr", has_text="不得提拔")).to_contain_text("影响期内")
    shoot("acc-12-person-record-today")

    page.fill("#id_day", PROMOTION_LIFTS)
    page.locator("main").get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(rf"\?day={PROMOTION_LIFTS}$"))
    expect(page.locator("#id_day")).to_have_value(PROMOTION_LIFTS)
    expect(history.locator("tbody tr", has_text="不得提拔")).to_contain_text("已届满")
    expect(history).not_to_contain_text("影响期内")
    shoot("acc-13-person-record-on-lift-day")

    nav_link(page, "资格筛查").click()
    expect(page.locator("h1")).to_have_text("选拔任用资格筛查")
    select_option_containing(page, "#id_root", "测试市委（P-C）")
    expect(page.locator("#id_day")).to_have_value(today.isoformat())
    page.get_by_test_id("screening-form").get_by_role("button", name="筛查").click()
    table = page.get_by_test_id("screening-table")
    row = table.locator("tbody tr", has_text="县委书记甲")
    expect(row).to_have_count(1)
    for text in ("县委书记", "测试县委", "不得提拔（提升职务）", PROMOTION_LIFTS, f"{case.number} 降职"):
        expect(row).to_contain_text(text)
    shoot("acc-14-screening")

    with page.expect_download() as download_info:
        page.get_by_test_id("screening-export").click()
    download = download_info.value
    assert download.suggested_filename == f"资格筛查-P-C-{today.isoformat()}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == f"测试市委 选拔任用资格筛查（{today.isoformat()}）"
    assert rows[1] == ("姓名", "现任职务", "职务层次", "所在单位", "受限事项", "恢复资格日期", "依据（案件、决定）")
    name, post, _level, unit, what, lifts_on, why = rows[2]
    assert (name, post, unit, what) == ("县委书记甲", "县委书记", "测试县委", "不得提拔（提升职务）")
    assert lifts_on.date() == date(2027, 6, 20)
    assert why == f"{case.number} 降职（2025-06-20）"


def test_person_record_panel_answers_on_the_chosen_date(page, live_server, login, shoot, tree, superuser):
    discipline_inspector(tree, superuser)
    secretary = county_secretary(tree, superuser)
    case = file_case(tree["child"], superuser, person=secretary, facts_date=date(2025, 3, 15))
    decide(case, superuser, DECIDED_ON, "降职")

    login("jijian")
    page.goto(f"{live_server.url}{reverse('accountability:person_record', args=[secretary.pk])}")
    page.fill("#id_day", PROMOTION_LIFTS)
    page.locator("main").get_by_role("button", name="查询").click()
    panel = page.get_by_test_id("eligibility-panel")
    shoot("acc-15-person-record-panel")
    expect(panel).to_contain_text(f"资格情况（{PROMOTION_LIFTS}）", timeout=2_000)
    expect(panel.locator("[data-kind=no_promotion] .badge")).to_have_text("可以", timeout=2_000)
    expect(panel.locator(".badge", has_text="不得")).to_have_count(0)


# ---- 3. Early warning: remind, then escalate to a talk ------------------------------------------


@on_day(date(timezone.localdate().year, 6, 15))
def test_office_staff_reminds_then_talks_to_a_county_with_overdue_tasks(
    page, live_server, login, shoot, tree, superuser
):
    today = timezone.localdate()
    make_user("office", tree["own"], Role.OFFICE_STAFF, superuser)
    county_list = committee_list(tree["child"], superuser, year=today.year)
    add_task(county_list, superuser, number=1, title="县委常委会专题研究党建工作", deadline=date(today.year, 1, 1))
    add_task(county_list, superuser, number=2, title="报送年度党建工作计划", deadline=date(today.year, 1, 1))

    login("office")
    nav_link(page, "预警提醒").click()
    expect(page.locator("h1")).to_have_text("预警提醒：苗头性、倾向性问题")
    row = page.get_by_test_id("warning-row").filter(has_text="测试县委")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("测试县委（党委（党组）清单）")
    expect(row.locator("td").nth(1)).to_have_text("2")
    expect(row).to_have_class(re.compile(r"\btable-warning\b"))
    expect(row).to_contain_text("县委常委会专题研究党建工作")
    expect(row).to_contain_text("报送年度党建工作计划")
    expect(row.get_by_role("combobox", name="方式")).to_have_value("remind")
    expect(row.get_by_role("textbox", name="事由")).to_have_value("责任清单有 2 项任务逾期未完成")
    shoot("acc-20-early-warning")

    row.get_by_test_id("intervene").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录提醒。")
    row = page.get_by_test_id("warning-row").filter(has_text="测试县委")
    expect(row.locator("td").nth(3)).to_have_text(f"提醒（{today:%Y-%m-%d}）")
    expect(row.get_by_role("combobox", name="方式")).to_have_value("criticise")
    shoot("acc-21-reminded")

    row.get_by_role("combobox", name="方式").select_option(label="约谈")
    row.get_by_test_id("intervene").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录约谈。")
    row = page.get_by_test_id("warning-row").filter(has_text="测试县委")
    expect(row.locator("td").nth(3)).to_have_text(f"提醒（{today:%Y-%m-%d}） → 约谈（{today:%Y-%m-%d}）")
    expect(row).to_contain_text("已约谈仍未整改：考虑问责")
    recent = page.get_by_test_id("interventions").locator("tbody tr")
    expect(recent).to_have_count(2)
    talk = recent.filter(has_text="约谈")
    expect(talk.locator("td").nth(0)).to_have_text(today.isoformat())
    expect(talk.locator("td").nth(2)).to_have_text("测试县委")
    expect(talk.locator("td").nth(3)).to_have_text("责任清单有 2 项任务逾期未完成")
    expect(talk.locator("td").nth(4)).to_have_text("未填写姓名的用户")  # names, never logins
    expect(recent.filter(has_text="提醒")).to_have_count(1)
    shoot("acc-22-talk-recorded")
    assert sorted(Intervention.objects.values_list("kind", flat=True)) == ["remind", "talk"]


# ---- 4. Refusal: cases are confidential ------------------------------------------------------------


def test_office_staff_cannot_open_a_case(page, live_server, login, shoot, tree, superuser):
    make_user("office", tree["own"], Role.OFFICE_STAFF, superuser)
    secretary = county_secretary(tree, superuser)
    case = file_case(tree["child"], superuser, person=secretary)

    login("office")
    expect(nav_link(page, "问责案件")).to_have_count(0)
    for path in (case.get_absolute_url(), reverse("accountability:person_record", args=[secretary.pk])):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(page.locator("h1")).to_have_text("页面不存在")
        expect(page.locator("main")).not_to_contain_text(case.number)
        expect(page.locator("main")).not_to_contain_text("县委书记甲")
    shoot("acc-30-case-404")
