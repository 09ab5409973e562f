"""Rules that organisations adopt, in the browser: an administrator copies the article's rule set,
changes 降职 to three years, publishes it, adopts it for one city from next January after looking at
the what-if; a case decided before that date keeps its two years. Screenshots at 1366 px and 390 px."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accountability.models import Restriction, RuleSet, RuleSetAdoption
from responsibilities import services
from responsibilities.models import Role, TeamRole
from tests.accountability.factories import decide, file_case, to_review
from tests.accountability.test_adoption_rules import expected_end
from tests.conftest import make_user
from tests.e2e.conftest import menu_link
from tests.responsibilities.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def nav_link(page, name):
    return menu_link(page, name)


def test_an_administrator_adopts_a_stricter_copy_for_one_city_from_next_january(
    page, live_server, login, shoot, tree, superuser
):
    today = timezone.localdate()
    next_january = date(today.year + 1, 1, 1)
    make_user("shengguan", tree["parent"], Role.ADMIN, superuser)  # the province's administrator
    secretary = PersonFactory(home_organisation=tree["child"], name="县委书记甲", post="县委书记")
    services.membership_add(
        organisation=tree["child"], person=secretary, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    facts = today - timedelta(days=40)
    decided = decide(file_case(tree["child"], superuser, person=secretary, facts_date=facts), superuser, today, "降职")
    two_years = Restriction.objects.get(decision=decided, kind="no_promotion").ends_on
    assert two_years == expected_end(today, 24)  # the article's two years
    open_case = to_review(file_case(tree["child"], superuser, facts_date=facts), superuser)

    page.set_viewport_size(WIDE)
    login("shengguan")
    nav_link(page, "问责规则").click()
    expect(page.locator("h1")).to_have_text("问责规则版本")
    article_row = page.get_by_test_id("rule-sets").locator("tbody tr", has_text="从严治党问责规则（2016 年研究文章）")
    expect(article_row.get_by_test_id("in-force")).to_contain_text("测试省委及下级 · 2016-09-26 起")
    shoot("rules-01-list-1366")

    article_row.get_by_role("link", name="从严治党问责规则（2016 年研究文章）").click()
    measures = page.get_by_test_id("measures")
    demotion = measures.locator("tr[data-measure=demoted]")
    expect(demotion).to_contain_text("不得提拔（提升职务）（24 个月（2 年））")
    expect(demotion.get_by_test_id("consequence-source").last).to_contain_text("“对受到降职处理的，两年内不得提升职务”")
    shoot("rules-02-article-1366")

    page.get_by_test_id("copy").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "已复制为新草稿：从严治党问责规则（2016 年研究文章）（修订稿）"
    )
    expect(page.get_by_test_id("rule-set-status")).to_have_text("草稿")
    page.get_by_role("link", name="修改降职").click()
    expect(page.locator("h1")).to_have_text("修改问责方式：降职")
    row = (
        page.get_by_test_id("consequence-rows")
        .locator("tbody tr")
        .filter(has=page.locator("option[value=no_promotion]:checked"))
    )
    row.get_by_label("期限（月）").fill("0")
    page.get_by_test_id("save-measure").click()
    expect(page.locator("[data-field-error$=-months]")).to_have_text("期限至少 1 个月；“当年”请留空。")
    shoot("rules-03-zero-months-refused-1366")
    row = (
        page.get_by_test_id("consequence-rows")
        .locator("tbody tr")
        .filter(has=page.locator("option[value=no_promotion]:checked"))
    )
    row.get_by_label("期限（月）").fill("36")
    row.get_by_label("依据").fill("测试市问责实施办法第五条：受到降职处理的，三年内不得提升职务")
    page.get_by_test_id("save-measure").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存问责方式“降职”。")
    expect(page.locator("tr[data-measure=demoted]")).to_contain_text("不得提拔（提升职务）（36 个月（3 年））")
    shoot("rules-04-draft-edited-1366")

    page.get_by_test_id("publish").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布")
    expect(page.get_by_test_id("rule-set-status")).to_have_text("已发布")
    page.get_by_test_id("adopt").click()
    expect(page.locator("h1")).to_have_text("采用“从严治党问责规则（2016 年研究文章）（修订稿）”")
    labels = page.locator("#id_organisation option").all_inner_texts()
    page.select_option("#id_organisation", label=next(label for label in labels if "测试市委（P-C）" in label))
    page.fill("#id_effective_from", next_january.isoformat())
    page.fill("#id_decided_by_body", "中共测试市委常委会")
    page.fill("#id_decided_on", today.isoformat())
    page.fill("#id_document", "《测试市问责实施办法》")
    expect(page.get_by_role("button", name="确认采用")).to_be_disabled()
    page.get_by_role("button", name="预览影响").click()

    what_if = page.get_by_test_id("adoption-what-if")
    expect(what_if).to_contain_text(f"如自 {next_january.isoformat()} 起为测试市委及下级采用：")
    expect(what_if.get_by_test_id("replaced")).to_contain_text(
        "取代该日原应适用的“从严治党问责规则（2016 年研究文章）”（测试省委采用）"
    )
    cases = what_if.get_by_test_id("affected-cases")
    expect(cases.locator("tbody tr")).to_have_count(1)
    expect(cases).to_contain_text(open_case.number)
    expect(cases).not_to_contain_text(decided.case.number)  # decided: keeps its rules
    changed = what_if.get_by_test_id("differences").locator("tr[data-status=changed]")
    expect(changed).to_have_count(1)
    expect(changed.get_by_test_id("change")).to_have_text(
        "不得提拔（提升职务）：24 个月（2 年） → 36 个月（3 年）（+12 个月）"
    )
    expect(changed).to_contain_text("测试市问责实施办法第五条")
    assert not RuleSetAdoption.objects.filter(organisation=tree["own"]).exists()
    shoot("rules-05-what-if-1366")
    page.set_viewport_size(NARROW)
    what_if.scroll_into_view_if_needed()
    shoot("rules-06-what-if-390")
    page.set_viewport_size(WIDE)

    page.get_by_role("button", name="确认采用").click()
    expect(page.locator(".alert-success")).to_contain_text(f"测试市委 自 {next_january.isoformat()} 起采用")
    expect(page.get_by_test_id("adoptions")).to_contain_text("中共测试市委常委会")
    expect(page.get_by_test_id("in-force")).to_contain_text("今天无组织适用")  # from next January only
    shoot("rules-07-adopted-1366")
    stricter = RuleSet.objects.get(status="published", based_on__isnull=False)
    assert RuleSetAdoption.objects.get(organisation=tree["own"]).rule_set == stricter

    # The case decided before next January keeps two years.
    page.goto(f"{live_server.url}{decided.case.get_absolute_url()}")
    promotion = page.get_by_test_id("restrictions").locator("tbody tr", has_text="不得提拔（提升职务）")
    expect(promotion.locator("td").nth(3)).to_have_text(two_years.isoformat())
    expect(page.get_by_test_id("decision-rules")).to_contain_text(
        "从严治党问责规则（2016 年研究文章）（测试省委 2016-09-26 起采用）"
    )
    shoot("rules-08-decided-case-keeps-two-years-1366")
    assert Restriction.objects.get(decision=decided, kind="no_promotion").ends_on == two_years

    page.set_viewport_size(NARROW)
    nav_toggle = page.locator("nav.navbar .navbar-toggler")
    if nav_toggle.is_visible():
        nav_toggle.click()
    nav_link(page, "问责规则").click()
    expect(page.locator("h1")).to_have_text("问责规则版本")
    expect(page.get_by_test_id("rule-sets")).to_contain_text("从严治党问责规则（2016 年研究文章）（修订稿）")
    shoot("rules-09-list-390")
    page.goto(f"{live_server.url}{open_case.get_absolute_url()}")
    expect(page.get_by_test_id("decision-rule-set")).to_contain_text("从严治党问责规则（2016 年研究文章）")
    expect(page.get_by_label("约谈诫勉", exact=True)).to_be_visible()
    expect(page.get_by_label("降职", exact=True)).to_have_count(0)  # a committee: measures for organisations only
    shoot("rules-10-open-case-decision-form-390")
