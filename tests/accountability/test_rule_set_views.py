"""The rule-set pages (copy, edit, publish, adopt with its what-if), the decision form's rule set,
不予/免予问责 on the case page and in the counts, and the printed decision of several measures."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accountability import services
from accountability.models import Case, Consequence, Restriction, RuleSet, RuleSetAdoption
from responsibilities import services as org_services
from responsibilities.models import OrganisationKind
from tests.accountability.factories import adopt, article_rules, decide, file_case, rules_2019, to_review
from tests.accountability.test_rule_sets import stricter_copy
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_JANUARY = date(TODAY.year + 1, 1, 1)


def draft_of(user):
    return services.rule_set_copy(rule_set=article_rules(), by=user)


def measure_payload(draft, months="36", version=None, **changes):
    """The measure form of 降职 as the page renders it, with the promotion bar's months changed."""
    demoted = draft.measures.get(code="demoted")
    rows = list(demoted.consequences.order_by("pk"))
    data = {
        "name": "降职",
        "category": "accountability",
        "severity": "9",
        "for_individuals": "on",
        "source": demoted.source,
        "version": str(draft.version if version is None else version),
        "c-TOTAL_FORMS": str(len(rows) + 2),
        "c-INITIAL_FORMS": str(len(rows)),
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "20",
    }
    for index, row in enumerate(rows):
        data |= {
            f"c-{index}-pk": str(row.pk),
            f"c-{index}-kind": row.kind,
            f"c-{index}-months": months
            if row.kind == "no_promotion"
            else ("" if row.months is None else str(row.months)),
            f"c-{index}-source": row.source,
        }
    return data | changes


def measure_url(draft):
    return reverse("accountability:measure_edit", args=[draft.pk, draft.measures.get(code="demoted").pk])


def promotion_months(rule_set):
    return Consequence.objects.get(measure__rule_set=rule_set, measure__code="demoted", kind="no_promotion").months


# ---- Reading --------------------------------------------------------------------------------


def test_the_new_pages_send_anonymous_users_to_login(client, tree, administrator):
    draft = draft_of(administrator)
    for url in [
        reverse("accountability:rule_set_edit", args=[draft.pk]),
        reverse("accountability:measure_create", args=[draft.pk]),
        measure_url(draft),
        reverse("accountability:rule_set_adopt", args=[article_rules().pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_the_list_says_where_each_rule_set_is_in_force_today(client, tree, superuser, leader):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), superuser)
    client.force_login(leader)
    page = client.get(reverse("accountability:rule_set_list")).content.decode()
    assert '测试省委及下级<span class="text-muted">（测试市委自行采用的除外）</span>' in page
    assert "测试市委及下级 · 2020-01-01 起" in page


def test_the_rule_set_page_shows_the_source_of_every_measure_and_consequence(client, tree, leader):
    client.force_login(leader)
    response = client.get(reverse("accountability:rule_set_detail", args=[article_rules().pk]))
    page = response.content.decode()
    assert page.count('data-testid="measure-source"') == 13
    assert page.count('data-testid="consequence-source"') == 8 * 1 + 4 * 2 + 4 + 0  # award bars + the rest
    assert "二、4 坚持动真碰硬：“对受到降职处理的，两年内不得提升职务”" in page
    assert "测试省委及下级" in page and "产品默认（新建顶级组织时采用）" in page
    assert 'data-testid="copy"' not in page and 'data-testid="adopt"' not in page  # leaders only read


def test_a_draft_is_invisible_to_everyone_but_its_administrators(client, tree, administrator, office_staff):
    draft = draft_of(administrator)
    client.force_login(office_staff)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(measure_url(draft)).status_code == 404
    assert draft.name not in client.get(reverse("accountability:rule_set_list")).content.decode()


def test_only_administrators_copy(client, tree, office_staff):
    client.force_login(office_staff)
    response = client.post(reverse("accountability:rule_set_copy", args=[article_rules().pk]))
    assert response.status_code == 403
    assert RuleSet.objects.count() == 2


# ---- Copy, edit, publish ---------------------------------------------------------------------


def test_an_administrator_copies_edits_and_publishes(client, tree, administrator):
    client.force_login(administrator)
    response = client.post(reverse("accountability:rule_set_copy", args=[article_rules().pk]))
    draft = RuleSet.objects.get(status="draft")
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="publish"' in page and "草稿：可以修改问责方式和影响期" in page
    response = client.post(measure_url(draft), measure_payload(draft))
    assert response.status_code == 302
    assert promotion_months(draft) == 36
    draft.refresh_from_db()
    response = client.post(reverse("accountability:rule_set_publish", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == administrator


@pytest.mark.parametrize(
    ("months", "message"),
    [("0", "期限至少 1 个月；“当年”请留空。"), ("-3", "期限至少 1 个月；“当年”请留空。"), ("x", "输入整数")],
)
def test_a_bad_period_is_shown_at_its_field_and_changes_nothing(client, tree, administrator, months, message):
    draft = draft_of(administrator)
    client.force_login(administrator)
    response = client.post(measure_url(draft), measure_payload(draft, months=months))
    assert response.status_code == 400
    page = response.content.decode()
    index = [f.initial.get("kind") for f in response.context["formset"]].index("no_promotion")
    assert f'data-field-error="c-{index}-months">' in page and message in page
    assert promotion_months(draft) == 24 and RuleSet.objects.get(pk=draft.pk).version == draft.version


def test_editing_a_rule_set_that_judged_a_decision_is_refused_on_the_page(
    client, tree, superuser, administrator, county_secretary
):
    decided = decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "降职")
    article = decided.rule_set
    client.force_login(superuser)
    page = client.get(measure_url(article)).content.decode()
    assert "该规则版本已据以作出 1 项问责决定，只读" in page and "<fieldset disabled>" in page
    response = client.post(measure_url(article), measure_payload(article, months="60"))
    assert response.status_code == 400
    assert "该规则版本已据以作出 1 项问责决定，只读；如需改变规则，请复制为新草稿。" in response.content.decode()
    assert promotion_months(article) == 24


def test_a_measure_saved_over_a_newer_version_answers_409_and_keeps_the_input(client, tree, administrator):
    draft = draft_of(administrator)
    stale = measure_payload(draft, months="48")
    services.rule_set_update(
        rule_set=draft,
        version=draft.version,
        name="另一人改名",
        source="",
        effective_from=date(2016, 9, 26),
        by=administrator,
    )
    client.force_login(administrator)
    response = client.post(measure_url(draft), stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'data-testid="edit-conflict"' in page and 'value="48"' in page
    assert promotion_months(draft) == 24


def test_a_new_measure_is_added_to_a_draft(client, tree, administrator):
    draft = draft_of(administrator)
    client.force_login(administrator)
    data = {
        "name": "诫勉谈话",
        "category": "accountability",
        "severity": "2",
        "for_individuals": "on",
        "source": "本市实施办法第四条",
        "version": str(draft.version),
        "c-TOTAL_FORMS": "2",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "20",
        "c-0-kind": "no_award",
        "c-0-months": "",
        "c-0-source": "本市实施办法第九条",
        "c-1-kind": "",
        "c-1-months": "",
    }
    response = client.post(reverse("accountability:measure_create", args=[draft.pk]), data)
    assert response.status_code == 302
    added = draft.measures.get(name="诫勉谈话")
    assert (added.code, added.source) == ("m14", "本市实施办法第四条")
    assert list(added.consequences.values_list("kind", "months", "source")) == [
        ("no_award", None, "本市实施办法第九条")
    ]


# ---- Adopt, with the what-if ---------------------------------------------------------------------


def adoption_payload(organisation, **changes):
    return {
        "organisation": organisation.pk,
        "effective_from": NEXT_JANUARY.isoformat(),
        "decided_by_body": "中共测试市委常委会",
        "decided_on": TODAY.isoformat(),
        "document": "《测试市问责实施办法》",
    } | changes


def test_the_what_if_is_shown_before_the_adoption_is_saved(client, tree, superuser, administrator):
    stricter = stricter_copy(administrator)
    open_case = file_case(tree["child"], superuser)
    client.force_login(administrator)
    url = reverse("accountability:rule_set_adopt", args=[stricter.pk])
    response = client.post(url, adoption_payload(tree["own"], preview="1"))
    page = response.content.decode()
    assert response.status_code == 200 and 'data-testid="adoption-what-if"' in page
    assert open_case.number in page
    assert "不得提拔（提升职务）：24 个月（2 年） → 36 个月（3 年）（+12 个月）" in page
    assert "依据：本市实施办法第五条" in page  # the new consequence's source beside the old one's
    assert not RuleSetAdoption.objects.filter(organisation=tree["own"]).exists()
    response = client.post(url, adoption_payload(tree["own"], confirm="1"))
    assert response.status_code == 302
    adoption = RuleSetAdoption.objects.get(organisation=tree["own"])
    assert (adoption.rule_set, adoption.effective_from, adoption.recorded_by) == (stricter, NEXT_JANUARY, administrator)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"effective_from": "2016-09-25"}, "effective_from", "采用日期不能早于该规则版本的施行日期（2016-09-26）。"),
        ({"effective_until": "2026-01-01"}, "effective_until", "截止日期不能早于起用日期。"),
        ({"decided_by_body": ""}, "decided_by_body", "这个字段是必填项"),
        ({"decided_on": "2099-01-01"}, "decided_on", "决定日期不能晚于今天。"),
        ({"effective_from": "2027-13-01"}, "effective_from", "输入一个有效的日期"),
    ],
)
def test_bad_adoption_input_is_shown_at_its_field_and_saves_nothing(
    client, tree, administrator, changes, field, message
):
    client.force_login(administrator)
    url = reverse("accountability:rule_set_adopt", args=[article_rules().pk])
    for action in ("preview", "confirm"):
        response = client.post(url, adoption_payload(tree["own"], **changes, **{action: "1"}))
        assert response.status_code == 400
        assert any(message in error for error in response.context["form"].errors[field]), response.context[
            "form"
        ].errors
    assert not RuleSetAdoption.objects.filter(organisation=tree["own"]).exists()


def test_an_overlapping_adoption_is_refused_on_the_page(client, tree, administrator):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), administrator, effective_until=date(2030, 12, 31))
    client.force_login(administrator)
    response = client.post(
        reverse("accountability:rule_set_adopt", args=[article_rules().pk]), adoption_payload(tree["own"], confirm="1")
    )
    assert response.status_code == 400
    assert "与本组织已有的采用时间重叠" in response.context["form"].errors["effective_from"][0]
    assert RuleSetAdoption.objects.filter(organisation=tree["own"]).count() == 1


def test_adopting_a_draft_is_refused_on_the_page(client, tree, administrator):
    draft = draft_of(administrator)
    client.force_login(administrator)
    url = reverse("accountability:rule_set_adopt", args=[draft.pk])
    assert "草稿不能采用：请先发布该规则版本。" in client.get(url).content.decode()
    response = client.post(url, adoption_payload(tree["own"], confirm="1"))
    assert response.status_code == 400 and "草稿不能采用" in response.content.decode()
    assert not RuleSetAdoption.objects.filter(rule_set=draft).exists()


def test_an_adoption_outside_the_subtree_is_not_among_the_choices(client, tree, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("accountability:rule_set_adopt", args=[article_rules().pk]),
        adoption_payload(tree["sibling"], confirm="1"),
    )
    assert response.status_code == 400 and "organisation" in response.context["form"].errors
    assert not RuleSetAdoption.objects.filter(organisation=tree["sibling"]).exists()


# ---- Query counts -----------------------------------------------------------------------------


def test_the_rule_set_pages_query_counts_do_not_grow(client, tree, superuser, administrator):
    client.force_login(administrator)
    article = article_rules()
    urls = [reverse("accountability:rule_set_list"), article.get_absolute_url()]
    few = [queries_for(client, url) for url in urls]
    for n in range(12):
        organ = org_services.organisation_create(
            parent=tree["own"], name=f"机关{n}", code=f"P-C-{n}", kind=OrganisationKind.COMMITTEE, by=superuser
        )
        adopt(article if n % 2 else rules_2019(), organ, date(2020, 1, 1), superuser)
        draft_of(administrator)
    assert [queries_for(client, url) for url in urls] == few


def test_the_adoption_what_if_query_count_does_not_grow_with_the_open_cases(client, tree, superuser, administrator):
    client.force_login(administrator)
    url = reverse("accountability:rule_set_adopt", args=[rules_2019().pk])
    file_case(tree["child"], superuser)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url, adoption_payload(tree["own"], preview="1"))
        assert response.status_code == 200
        return len(captured), response.content.decode().count("WZ-")

    few, shown = count()
    for _ in range(20):
        file_case(tree["child"], superuser)
    many, shown_many = count()
    assert (many, shown_many) == (few, shown + 20)


# ---- The decision form, 不予/免予问责, counts and print ---------------------------------------


def test_the_decision_form_names_the_rule_set_and_the_adoption(
    client, tree, superuser, discipline_inspector, county_secretary
):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), superuser)
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    client.force_login(discipline_inspector)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "当前选择适用：问责规则（2019 年党内法规）（测试市委 2020-01-01 起采用）" in page
    by_province = client.get(case.get_absolute_url(), {"deciding_organisation": tree["parent"].pk}).content.decode()
    assert "当前选择适用：从严治党问责规则（2016 年研究文章）（测试省委 2016-09-26 起采用）" in by_province
    assert ">约谈诫勉</label>" in by_province and ">约谈诫勉</label>" not in page


def test_the_decision_what_if_shows_the_sources_and_the_combined_periods(
    client, tree, superuser, discipline_inspector, county_secretary
):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    measures = list(article_rules().measures.filter(name__in=["降职", "警告（党纪）"]).values_list("pk", flat=True))
    client.force_login(discipline_inspector)
    response = client.post(
        reverse("accountability:case_decide", args=[case.pk]),
        {
            "decided_on": "2025-06-20",
            "deciding_body": "市纪委",
            "measures": measures,
            "version": case.version,
            "preview": "1",
        },
    )
    page = response.content.decode()
    assert page.count('data-testid="what-if-source"') == 3
    assert "依据：《中国共产党纪律处分条例》：受到警告处分的，一年内不得在党内提升职务" in page
    assert "合并执行（同一种影响按最长的期限）" in page and "不得提拔（提升职务） 2027-06-20" in page
    assert not Restriction.objects.exists()


def test_exemption_without_a_ground_is_refused_at_the_field(client, tree, superuser, discipline_inspector):
    case = services.case_transition(
        case=file_case(tree["child"], superuser), version=1, target="investigating", by=superuser
    )
    client.force_login(discipline_inspector)
    response = client.post(
        reverse("accountability:case_exempt", args=[case.pk]),
        {"exemption": "exempted", "ground": "", "note": "", "version": case.version},
    )
    assert response.status_code == 400
    assert set(response.context["exemption_form"].errors) == {"ground", "note", "confirmed"}
    case.refresh_from_db()
    assert (case.status, case.exemption) == ("investigating", "")


def test_an_exemption_is_an_outcome_shown_on_the_case_counted_and_printed(
    client, tree, superuser, discipline_inspector, county_secretary
):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    decide(
        file_case(tree["child"], superuser, person=county_secretary),
        superuser,
        date(2025, 6, 20),
        "降职",
        "警告（党纪）",
    )
    decide(file_case(tree["child"], superuser), superuser, date(2025, 6, 20), "通报批评")
    file_case(tree["child"], superuser)
    client.force_login(discipline_inspector)
    response = client.post(
        reverse("accountability:case_exempt", args=[case.pk]),
        {
            "exemption": "exempted",
            "ground": "objected",
            "note": "会议记录载明其明确反对。",
            "confirmed": "on",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="exemption">免予问责' in page and "在集体决策中对错误决策提出明确反对意见或者保留意见" in page
    listed = client.get(reverse("accountability:case_list")).content.decode()
    for outcome, n in {
        "decided": 2,
        "about_people": 1,
        "about_organisations": 1,
        "combined": 1,
        "exempted": 1,
        "not_held": 0,
        "open": 1,
    }.items():
        assert f'data-outcome="{outcome}">{n}<' in listed, outcome
    printed = client.get(reverse("accountability:decision_print", args=[case.pk])).content.decode()
    assert "免予问责决定" in printed and "经研究决定：免予问责。" in printed


def test_the_printed_decision_of_several_measures_gives_the_longest_period_of_each_kind(
    client, tree, superuser, discipline_inspector, county_secretary
):
    decision = decide(
        file_case(tree["child"], superuser, person=county_secretary),
        superuser,
        date(2025, 6, 20),
        "降职",
        "警告（党纪）",
    )
    client.force_login(discipline_inspector)
    page = client.get(reverse("accountability:decision_print", args=[decision.case_id])).content.decode()
    # The measures by their printed names: 警告（党纪） is the rule set's name, 党内警告 the decision's.
    assert "经研究决定：<strong>降职</strong>、<strong>党内警告</strong>。" in page and "警告（党纪）" not in page
    assert (
        "不得提拔（提升职务），自2025年6月20日起，至2027年6月20日恢复资格（党内警告、降职，按期限最长的执行）。" in page
    )
    assert page.count("不得提拔（提升职务），") == 1


def test_the_printed_decision_about_an_organisation_has_no_period(client, tree, superuser, discipline_inspector):
    decision = decide(file_case(tree["child"], superuser), superuser, date(2025, 6, 20), "通报批评", "责令作出书面检查")
    client.force_login(discipline_inspector)
    page = client.get(reverse("accountability:decision_print", args=[decision.case_id])).content.decode()
    assert (
        "测试县委：" in page
        and "应承担集体责任（党委（党组））" in page
        and "本决定对党组织作出，不产生个人的影响期。" in page
    )
    assert Case.objects.get(pk=decision.case_id).status == "decided"


def test_the_rule_set_pages_render_in_english(client, tree, administrator):
    client.force_login(administrator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("accountability:rule_set_list")).content.decode()
    assert '<html lang="en">' in page and "Accountability rule versions" in page and "问责规则版本" not in page
    page = client.get(article_rules().get_absolute_url()).content.decode()
    assert "Copy into a new draft" in page and "Adopt for an organisation" in page


# ---- Fuzzing: never a 500 -----------------------------------------------------------------------

fuzz_text = st.text(max_size=200)
fuzz_number = st.one_of(fuzz_text, st.integers(min_value=-(10**20), max_value=10**20).map(str))
fuzz_date = st.one_of(fuzz_text, st.dates(min_value=date(1, 1, 1)).map(str), st.just("2027-02-30"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    months=fuzz_number,
    kind=fuzz_text,
    severity=fuzz_number,
    name=fuzz_text,
    total=fuzz_number,
    row_pk=fuzz_number,
)
def test_fuzzed_measure_forms_never_answer_500(
    client, tree, administrator, months, kind, severity, name, total, row_pk
):
    draft = RuleSet.objects.filter(status="draft").first() or draft_of(administrator)
    client.force_login(administrator)
    data = measure_payload(draft, months=months, name=name, severity=severity)
    data |= {"c-TOTAL_FORMS": total, "c-0-pk": row_pk, "c-2-kind": kind, "c-2-months": months}
    response = client.post(measure_url(draft), data)
    assert response.status_code in (302, 400, 409)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisation=fuzz_number, start=fuzz_date, until=fuzz_date, decided_on=fuzz_date, body=fuzz_text)
def test_fuzzed_adoption_forms_never_answer_500(
    client, tree, administrator, organisation, start, until, decided_on, body
):
    client.force_login(administrator)
    response = client.post(
        reverse("accountability:rule_set_adopt", args=[rules_2019().pk]),
        {
            "organisation": organisation,
            "effective_from": start,
            "effective_until": until,
            "decided_by_body": body,
            "decided_on": decided_on,
            "preview": "1",
        },
    )
    assert response.status_code in (200, 400)
