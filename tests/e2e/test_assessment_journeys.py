"""Assessment (考核评价) in the browser: an 组织 inspector scores the county beside its list evidence and
submits; office staff confirm and compute the results; the masses vote with single-use codes; an
inspector cannot score another department's inspection."""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Deduction, IndicatorScore, Inspection, InspectionKind, InspectionStatus, Result
from responsibilities import services as list_services
from responsibilities.models import Department, ListKind, Role, TemplateItem
from tests.conftest import make_user
from tests.e2e.conftest import menu_link
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import add_task, committee_list, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

SCHEME_NAME = "测试市 年度基层党建工作考核"
MEETINGS = "按期召开民主生活会和组织生活会"  # 组织, list item 5, the county has a task and evidence there
BRANCHES = "党支部标准化规范化建设达标"  # 组织, list item 8, no task
STUDY = "理论学习中心组集体学习"  # 宣传: never on the 组织 inspector's page
TASK_TITLE = "召开年度民主生活会"
EVIDENCE_NAME = "民主生活会会议纪要.pdf"
REASON = "会前谈心谈话未覆盖全部班子成员"


def nav_link(page, name):
    return menu_link(page, name)


def select_option_containing(page, select, text):
    """Choose the option of a select whose label contains ``text`` (labels carry indentation and codes)."""
    labels = page.locator(f"{select} option").all_inner_texts()
    page.select_option(select, label=next(label for label in labels if text in label))


def committee_items(*numbers):
    return TemplateItem.objects.filter(template__effective_from_year=2016, kind=ListKind.COMMITTEE, number__in=numbers)


def organisation_inspector(tree, superuser):
    return make_user("zuzhi", tree["own"], Role.INSPECTOR, superuser, department=Department.ORGANISATION)


def office(tree, superuser):
    return make_user("office", tree["own"], Role.OFFICE_STAFF, superuser)


def build_scheme(tree, superuser):
    """The city's scheme for this year over the county and a district: 30/50/20, one 好 among two,
    two 组织 indicators on committee-list items 5 and 8, one 宣传 indicator; the county's committee list
    with a task under item 5 and a PDF as its evidence."""
    year = timezone.localdate().year
    district = make_organisation(parent=tree["own"], name="测试区委", code="P-C-D")
    scheme = services.scheme_create(
        assessor=tree["own"],
        targets=[tree["child"], district],
        by=superuser,
        name=SCHEME_NAME,
        year=year,
        kind="annual",
        party_building_weight=Decimal(25),
        weight_routine=Decimal(30),
        weight_annual=Decimal(50),
        weight_mass=Decimal(20),
        team_top_quota=Decimal(50),
        leader_top_quota=Decimal(50),
        secretary_org_weight=Decimal(70),
    )

    def indicator(department, title, items, standard):
        return services.indicator_save(
            scheme=scheme,
            department=department,
            by=superuser,
            title=title,
            max_score=Decimal(15),
            quantity=Decimal(2),
            unit="次",
            deadline=date(year, 12, 31),
            standard=standard,
            requirement="",
            deduction_per_shortfall=Decimal(2),
            bonus_cap=Decimal(2),
            list_items=committee_items(*items),
        )

    meetings = indicator(Department.ORGANISATION, MEETINGS, [5], "会前谈心谈话全覆盖，会后 15 日内报送整改方案")
    branches = indicator(Department.ORGANISATION, BRANCHES, [8], "按《党支部工作条例》逐项验收")
    study = indicator(Department.PROPAGANDA, STUDY, [3], "每月一次，每次有主题、有研讨发言")
    county_list = committee_list(tree["child"], superuser, year=year)
    task = add_task(county_list, superuser, number=5, title=TASK_TITLE, quantity=1)
    list_services.evidence_upload(task=task, uploaded=pdf(EVIDENCE_NAME), by=superuser)
    return {"scheme": scheme, "district": district, "meetings": meetings, "branches": branches, "study": study}


def scored_and_submitted(built, tree, inspector):
    """The 组织 year-end inspection of the county, scored 13 + 16 = 29 of 30 and submitted (services)."""
    inspection = services.inspection_start(
        scheme=built["scheme"],
        organisation=tree["child"],
        kind=InspectionKind.ANNUAL,
        department=Department.ORGANISATION,
        by=inspector,
    )
    inspection = services.score_record(
        inspection=inspection,
        version=inspection.version,
        indicator=built["meetings"],
        deductions=[(Decimal(2), REASON)],
        by=inspector,
    ).inspection
    inspection = services.score_record(
        inspection=inspection,
        version=inspection.version,
        indicator=built["branches"],
        deductions=[],
        bonus=Decimal(1),
        by=inspector,
    ).inspection
    return services.inspection_submit(inspection=inspection, version=inspection.version, by=inspector)


def score_input(section, pk, name):
    return section.locator(f"input[name='i{pk}-{name}']")


# ---- 1. The 组织 inspector scores the county beside its evidence and submits -----------------------


def test_inspector_scores_beside_the_evidence_and_submits(page, live_server, login, shoot, tree, superuser):
    built = build_scheme(tree, superuser)
    organisation_inspector(tree, superuser)
    meetings, branches = built["meetings"].pk, built["branches"].pk

    login("zuzhi")
    nav_link(page, "考核方案").click()
    expect(page.locator("h1")).to_have_text("考核方案")
    shoot("asm-01-scheme-list")
    page.get_by_test_id("scheme-table").get_by_role("link", name=SCHEME_NAME).click()
    expect(page.locator("h1")).to_have_text(SCHEME_NAME)
    shoot("asm-02-scheme")

    page.get_by_test_id("start-inspection").click()
    expect(page.locator("h1")).to_have_text("开始检查考核")
    # Only the inspector's own department is offered.
    expect(page.locator("#id_department option")).to_have_text(["组织"])
    select_option_containing(page, "#id_organisation", "测试县委")
    page.select_option("#id_department", label="组织")
    page.select_option("#id_kind", label="年终考核")
    expect(page.locator("#id_day")).to_have_value(timezone.localdate().isoformat())
    shoot("asm-03-start-inspection")
    page.locator("main").get_by_role("button", name="开始", exact=True).click()

    expect(page.locator(".alert-success")).to_contain_text("已开始检查考核，请逐项评分。")
    expect(page.locator("h1")).to_have_text("测试县委 · 年终考核")
    expect(page.get_by_test_id("inspection-status")).to_have_text("草稿")
    first = page.get_by_test_id(f"indicator-{meetings}")
    second = page.get_by_test_id(f"indicator-{branches}")
    beside = first.get_by_test_id("evidence-beside")
    expect(beside).to_contain_text(TASK_TITLE)
    expect(beside.get_by_role("link", name=re.compile(re.escape(EVIDENCE_NAME)))).to_be_visible()
    expect(second.get_by_test_id("evidence-beside")).to_contain_text("该组织在相关责任事项下没有任务。")
    # Other departments' indicators are not on the 组织 department's page.
    expect(page.locator("main section.card")).to_have_count(2)
    expect(page.locator("main")).not_to_contain_text(STUDY)
    shoot("asm-04-scoring-page")

    # One deduction with its reason.
    score_input(first, meetings, "points_0").fill("2")
    score_input(first, meetings, "reason_0").fill(REASON)
    first.get_by_test_id(f"save-score-{meetings}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已保存“{MEETINGS}”的得分。")
    first = page.get_by_test_id(f"indicator-{meetings}")
    expect(first.locator(".card-header")).to_contain_text("得分 13 / 15")
    expect(page.get_by_test_id("inspection-total")).to_have_text("13 / 30")
    expect(score_input(first, meetings, "points_0")).to_have_value("2")
    expect(score_input(first, meetings, "reason_0")).to_have_value(REASON)
    shoot("asm-05-first-scored")

    # A bonus above the cap (2) is refused at the bonus field; nothing changes.
    first.locator(f"#id_i{meetings}-bonus").fill("5")
    first.get_by_test_id(f"save-score-{meetings}").click()
    first = page.get_by_test_id(f"indicator-{meetings}")
    error = first.locator("[data-field-error=bonus]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("加分不能超过上限 2")
    expect(first.locator(f"#id_i{meetings}-bonus")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(first.locator(".card-header")).to_contain_text("得分 13 / 15")
    expect(page.get_by_test_id("inspection-total")).to_have_text("13 / 30")
    shoot("asm-06-bonus-over-cap")
    score = IndicatorScore.objects.get(indicator_id=meetings)
    assert (score.score, score.bonus) == (Decimal(13), Decimal(0))
    assert list(Deduction.objects.values_list("points", "reason", "withdrawn")) == [(Decimal(2), REASON, False)]

    # A deduction without a reason is refused at the reason.
    second = page.get_by_test_id(f"indicator-{branches}")
    score_input(second, branches, "points_0").fill("1")
    second.get_by_test_id(f"save-score-{branches}").click()
    second = page.get_by_test_id(f"indicator-{branches}")
    reason = score_input(second, branches, "reason_0")
    expect(reason).to_have_class(re.compile(r"\bis-invalid\b"))
    reason_error = second.locator(f"input[name='i{branches}-reason_0'] ~ .invalid-feedback")
    expect(reason_error).to_be_visible()
    expect(reason_error).to_have_text("每项扣分都要写明理由。")
    expect(second.locator(".card-header")).to_contain_text("未评分")
    shoot("asm-07-deduction-without-reason")
    assert not IndicatorScore.objects.filter(indicator_id=branches).exists()

    # The second indicator: no deduction, a bonus within the cap.
    score_input(second, branches, "points_0").fill("")
    second.locator(f"#id_i{branches}-bonus").fill("1")
    second.locator(f"#id_i{branches}-note").fill("标准化建设经验在全市推广")
    second.get_by_test_id(f"save-score-{branches}").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已保存“{BRANCHES}”的得分。")
    branches_header = page.get_by_test_id(f"indicator-{branches}").locator(".card-header")
    expect(branches_header).to_contain_text("得分 15 / 15 ＋ 加分 1")
    expect(page.get_by_test_id(f"indicator-{meetings}").locator(".card-header")).to_contain_text("得分 13 / 15")
    expect(page.get_by_test_id("inspection-total")).to_have_text("28 / 30")
    expect(page.get_by_test_id("inspection-bonus")).to_have_text("＋ 加分 1，含加分合计 29")
    shoot("asm-08-both-scored")

    page.get_by_test_id("submit-inspection").click()
    expect(page.locator(".alert-success")).to_contain_text("已提交，等待确认。")
    expect(page.get_by_test_id("inspection-status")).to_have_text("已提交")
    # The scoring forms are gone; the deductions are shown read-only.
    expect(page.locator("main form[action*='/scores/']")).to_have_count(0)
    expect(page.locator("main [data-testid^=save-score-]")).to_have_count(0)
    expect(page.get_by_test_id("submit-inspection")).to_have_count(0)
    expect(page.get_by_test_id("confirm-inspection")).to_have_count(0)
    expect(page.get_by_test_id(f"indicator-{meetings}")).to_contain_text(f"-2：{REASON}")
    expect(page.get_by_test_id(f"indicator-{branches}")).to_contain_text("+1 加分")
    shoot("asm-09-submitted")
    inspection = Inspection.objects.get()
    assert (inspection.status, inspection.department) == (InspectionStatus.SUBMITTED, Department.ORGANISATION)


# ---- 2. Office staff confirm the inspection and compute the results -----------------------------


def test_office_staff_confirm_and_compute_results(page, live_server, login, shoot, tree, superuser):
    built = build_scheme(tree, superuser)
    inspection = scored_and_submitted(built, tree, organisation_inspector(tree, superuser))
    office_user = office(tree, superuser)
    # The 宣传 department's year-end assessment of the county is done too (15 of 15), so that the
    # county's result can be graded: a result waits for every department's year-end assessment.
    propaganda = make_user("xuanchuan", tree["own"], Role.INSPECTOR, superuser, department=Department.PROPAGANDA)
    study = services.inspection_start(
        scheme=built["scheme"],
        organisation=tree["child"],
        kind=InspectionKind.ANNUAL,
        department=Department.PROPAGANDA,
        by=propaganda,
    )
    study = services.score_record(
        inspection=study, version=study.version, indicator=built["study"], deductions=[], by=propaganda
    ).inspection
    study = services.inspection_submit(inspection=study, version=study.version, by=propaganda)
    services.inspection_confirm(inspection=study, version=study.version, by=office_user)

    login("office")
    nav_link(page, "考核方案").click()
    page.get_by_test_id("scheme-table").get_by_role("link", name=SCHEME_NAME).click()
    row = page.get_by_test_id("inspections").locator("tbody tr", has_text="测试县委").filter(has_text="组织")
    expect(row).to_contain_text("已提交")
    expect(row).to_contain_text("29")
    row.get_by_role("link", name="测试县委").click()

    expect(page.get_by_test_id("inspection-status")).to_have_text("已提交")
    expect(page.locator("main form[action*='/scores/']")).to_have_count(0)
    shoot("asm-10-submitted-seen-by-office")
    page.get_by_test_id("confirm-inspection").click()
    expect(page.locator(".alert-success")).to_contain_text("已确认，记录已锁定。")
    expect(page.get_by_test_id("inspection-status")).to_have_text("已确认")
    expect(page.locator("main")).to_contain_text("已确认的记录已锁定，不能再修改。")
    expect(page.get_by_test_id("confirm-inspection")).to_have_count(0)
    shoot("asm-11-confirmed")
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.CONFIRMED

    page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=SCHEME_NAME).click()
    page.locator("main").get_by_role("link", name="考核结果", exact=True).click()
    expect(page.locator("h1")).to_have_text(f"考核结果 · {SCHEME_NAME}")
    expect(page.get_by_test_id("team-results")).to_contain_text("还没有计算结果：点击“重新计算”。")
    shoot("asm-12-results-empty")

    page.get_by_test_id("compute-results").click()
    expect(page.locator(".alert-success")).to_contain_text("已开始在后台重新计算考核结果")
    # Tests run the queued job when the request commits; the page shows how the last run ended.
    expect(page.get_by_test_id("results-job")).to_contain_text("已完成 · 已重新计算 2 个组织和 0 名书记的考核结果。")
    county = page.get_by_test_id("team-results").locator("tbody tr", has_text="测试县委")
    # The year-end inspections of both departments: (28 + 15) / (30 + 15) → 95.56 out of 100, and the
    # bonus point 1 / 45 → 2.22 on top: 97.78 with it, the weights of the missing routine and mass
    # parts shared out; 好 (≥ 90), within the quota of one among two.
    expect(county.locator("td").nth(0)).to_have_text("1")
    expect(county.locator("td").nth(3)).to_have_text("95.56")
    expect(county.locator("td").nth(5)).to_have_text("+2.22")
    expect(county.locator("td").nth(6)).to_have_text("97.78")
    expect(county.locator("td").nth(8)).to_have_text("好")
    district = page.get_by_test_id("team-results").locator("tbody tr", has_text="测试区委")
    expect(district.locator("td").nth(0)).to_have_text("—")
    expect(district.locator("td").nth(6)).to_have_text("—")
    shoot("asm-13-results-computed")
    result = Result.objects.get(organisation=tree["child"])
    assert (result.rank, result.composite, result.grade_label) == (1, Decimal("97.78"), "好")

    county.get_by_role("link", name="测试县委").click()
    expect(page.locator("h1")).to_have_text("测试县委")
    expect(page.get_by_test_id("composite")).to_have_text("97.78")
    expect(page.locator("main")).to_contain_text("第 1 名")
    breakdown = page.get_by_test_id(f"breakdown-{inspection.pk}")
    breakdown.locator("summary").click()
    expect(breakdown.get_by_text(f"-2：{REASON}")).to_be_visible()
    expect(breakdown).to_contain_text("+1 加分")
    shoot("asm-14-result-breakdown")


# ---- 3. The masses vote with single-use codes -----------------------------------------------------


def test_mass_evaluation_with_single_use_codes(page, browser, live_server, login, shoot, tree, superuser):
    build_scheme(tree, superuser)
    office(tree, superuser)
    today = timezone.localdate()
    questions = ["落实全面从严治党主体责任情况", "作风建设和党风廉政建设情况"]

    login("office")
    nav_link(page, "考核方案").click()
    page.get_by_test_id("scheme-table").get_by_role("link", name=SCHEME_NAME).click()
    page.locator("main").get_by_role("link", name="组织民主测评", exact=True).click()
    expect(page.locator("h1")).to_have_text("组织民主测评")
    select_option_containing(page, "#id_organisation", "测试县委")
    page.select_option("#id_subject", label="领导班子")
    page.fill("#id_questions", "\n".join(questions))
    page.fill("#id_issued", "3")
    page.fill("#id_quorum_percent", "60")
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=7)).isoformat())
    shoot("asm-20-round-form")
    page.locator("main").get_by_role("button", name="生成票码").click()

    expect(page.locator(".alert-success")).to_contain_text("已生成 3 个票码，请打印票签发放。")
    round_url = page.url
    expect(page.get_by_test_id("turnout")).to_have_text("0 / 3")
    shoot("asm-21-round-created")
    page.locator("main").get_by_role("link", name="打印票签").click()
    slips = page.get_by_test_id("slips")
    expect(slips.locator(".slip-code")).to_have_count(3)
    expect(slips.locator(".slip").first).to_contain_text(f"{live_server.url}/ballot/")
    shoot("asm-22-slips")
    code = slips.locator(".slip-code").first.inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{10}", code), code
    page.get_by_test_id("destroy-codes").click()  # printed: from now on nobody can read the codes again
    expect(page.locator(".alert-success")).to_contain_text("票码已销毁")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    try:
        voter = context.new_page()

        def snap(name):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            voter.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

        def enter(text):
            voter.goto(f"{live_server.url}/ballot/")
            expect(voter.locator("h1")).to_have_text("民主测评投票")
            voter.fill("#id_code", text)
            voter.get_by_role("button", name="下一步").click()

        enter(code.lower())  # codes are typed as printed, or in lower case
        form = voter.get_by_test_id("ballot-form")
        expect(form.locator("fieldset")).to_have_count(2)
        expect(voter.locator("h1")).to_contain_text("测试县委")
        snap("asm-23-ballot-form")
        form.locator("fieldset", has_text=questions[0]).get_by_label("好", exact=True).check()
        form.locator("fieldset", has_text=questions[1]).get_by_label("较好", exact=True).check()
        form.get_by_role("button", name="提交").click()
        expect(voter.get_by_test_id("ballot-done")).to_have_text("投票成功，感谢您的参与。")
        snap("asm-24-ballot-done")

        enter(code)
        refusal = voter.locator("[data-field-error=code]")
        expect(refusal).to_have_text("该票码已经使用过，每张票只能投一次。")
        expect(voter.get_by_test_id("ballot-form")).to_have_count(0)
        snap("asm-25-code-used")

        enter("ZZZZZZZZZZ")
        expect(refusal).to_have_text("票码无效，请核对票上的票码。")
        snap("asm-26-code-unknown")
    finally:
        context.close()

    page.goto(round_url)
    expect(page.get_by_test_id("turnout")).to_have_text("1 / 3")
    expect(page.get_by_test_id("quorum-not-met")).to_have_text("未达到 60% 的有效参与率，不计入结果")
    expect(page.get_by_test_id("counts-hidden")).to_be_visible()  # no counts while the round runs
    expect(page.get_by_test_id("distribution")).to_have_count(0)
    expect(page.locator("main").get_by_role("link", name="打印票签")).to_have_count(0)
    shoot("asm-27-round-turnout")
    page.get_by_test_id("close-round").click()
    expect(page.get_by_test_id("too-few-ballots")).to_have_text("有效票数不足，不显示结果")  # 1 < 5
    expect(page.get_by_test_id("distribution")).to_have_count(0)
    shoot("asm-28-round-closed-too-few")


# ---- 4. Refusal: the 组织 inspector cannot score the 宣传 department's inspection ------------------


def test_inspector_cannot_score_another_departments_inspection(page, live_server, login, shoot, tree, superuser):
    built = build_scheme(tree, superuser)
    organisation_inspector(tree, superuser)
    propaganda = make_user("xuanchuan", tree["own"], Role.INSPECTOR, superuser, department=Department.PROPAGANDA)
    inspection = services.inspection_start(
        scheme=built["scheme"],
        organisation=tree["child"],
        kind=InspectionKind.ANNUAL,
        department=Department.PROPAGANDA,
        by=propaganda,
    )

    login("zuzhi")
    page.goto(f"{live_server.url}{inspection.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("测试县委 · 年终考核")
    expect(page.locator("main")).to_contain_text("宣传部门")
    expect(page.get_by_test_id(f"indicator-{built['study'].pk}")).to_be_visible()
    expect(page.locator("main form[action*='/scores/']")).to_have_count(0)
    expect(page.locator("main [data-testid^=save-score-]")).to_have_count(0)
    expect(page.get_by_test_id("submit-inspection")).to_have_count(0)
    shoot("asm-30-other-department-read-only")

    # A score posted by hand is refused, and nothing is saved.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    url = reverse("assessments:score_record", args=[inspection.pk, built["study"].pk])
    response = page.request.post(
        f"{live_server.url}{url}",
        form={
            "csrfmiddlewaretoken": token,
            f"i{built['study'].pk}-version": str(inspection.version),
            f"i{built['study'].pk}-bonus": "0",
            f"i{built['study'].pk}-points_0": "15",
            f"i{built['study'].pk}-reason_0": "越权评分",
        },
        max_redirects=0,
    )
    assert response.status == 403, response.status
    assert not IndicatorScore.objects.exists()
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.DRAFT

    page.reload()
    expect(page.get_by_test_id(f"indicator-{built['study'].pk}").locator(".card-header")).to_contain_text("未评分")
    expect(page.get_by_test_id("inspection-total")).to_have_text("0 / 15")
    shoot("asm-31-after-refused-post")
