"""Rule sets as data that organisations adopt: the default adoption, drafts, publication, adoption for
a subtree from a date, the what-if, and decisions judged by the nearest adoption (several measures, an
organisation as the subject, the deciding body's organisation)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability import selectors, services
from accountability.forms import DecisionForm
from accountability.models import Consequence, Decision, Measure, Restriction, RuleSet, RuleSetAdoption
from core.models import EditConflict
from responsibilities import services as org_services
from responsibilities.models import OrganisationKind
from tests.accountability.factories import adopt, article_rules, decide, file_case, rules_2019, to_review
from tests.accountability.test_adoption_rules import expected_end
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NEXT_JANUARY = date(TODAY.year + 1, 1, 1)
ARTICLE_NINE = [
    "约谈诫勉",
    "责令作出书面检查",
    "通报批评",
    "调整职务",
    "停职检查",
    "引咎辞职",
    "责令辞职",
    "免职",
    "降职",
]
# The article's table as (kind, months; None = that year), written out again here.
ARTICLE_TABLE = {
    "约谈诫勉": [],
    "责令作出书面检查": [("no_award", None)],
    "通报批评": [("no_award", None)],
    "调整职务": [("no_award", None), ("no_promotion", 12)],
    "停职检查": [("no_award", None)],
    "引咎辞职": [("no_award", None), ("no_higher_post", 24), ("no_post", 12)],
    "责令辞职": [("no_award", None), ("no_higher_post", 24), ("no_post", 12)],
    "免职": [("no_award", None), ("no_higher_post", 24), ("no_post", 12)],
    "降职": [("no_award", None), ("no_promotion", 24)],
}


def stricter_copy(by, months=36, base=None):
    """The article's rules copied, 降职 barring promotion for ``months``, published."""
    draft = services.rule_set_copy(rule_set=base or article_rules(), by=by)
    set_demotion(draft, months, by)
    draft.refresh_from_db()
    return services.rule_set_publish(rule_set=draft, version=draft.version, by=by)


def set_demotion(draft, months, by, version=None):
    demoted = draft.measures.get(code="demoted")
    rows = [
        services.ConsequenceInput(pk=c.pk, kind=c.kind, months=months if c.kind == "no_promotion" else c.months)
        for c in demoted.consequences.order_by("pk")
    ]
    return services.measure_save(
        rule_set=draft,
        version=draft.version if version is None else version,
        measure=demoted,
        name="降职",
        category="accountability",
        severity=9,
        for_individuals=True,
        for_organisations=False,
        source="本市实施办法第五条",
        consequences=rows,
        by=by,
    )


def promotion_end(decision):
    return Restriction.objects.get(decision=decision, kind="no_promotion").ends_on


# ---- The default, and a decision dated today -------------------------------------------------


def test_a_new_top_level_organisation_adopts_the_articles_rules_from_2016_09_26(tree):
    [adoption] = RuleSetAdoption.objects.filter(organisation=tree["parent"])
    assert (adoption.rule_set, adoption.effective_from, adoption.effective_until) == (
        article_rules(),
        date(2016, 9, 26),
        None,
    )
    assert not RuleSetAdoption.objects.filter(organisation__in=[tree["own"], tree["child"], tree["sibling"]]).exists()
    assert adoption.events.count() == 1  # recorded in the history like every business row


def test_a_decision_dated_today_offers_the_articles_nine_measures(tree, superuser, county_secretary):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary, facts_date=TODAY), superuser)
    adoption = services.adoption_on(tree["child"], TODAY)
    form = DecisionForm(
        adoption=adoption, refusal=None, case=case, deciding_organisations=services.deciding_organisations(case)
    )
    offered = [m.name for m in form.fields["measures"].queryset if m.category == "accountability"]
    assert offered == ARTICLE_NINE


@pytest.mark.parametrize("measure", ARTICLE_NINE)
def test_a_decision_dated_today_imposes_exactly_the_articles_consequences(tree, superuser, county_secretary, measure):
    case = file_case(tree["child"], superuser, person=county_secretary, facts_date=TODAY)
    decision = decide(case, superuser, TODAY, measure)
    assert decision.rule_set == article_rules()
    stored = sorted(Restriction.objects.filter(decision=decision).values_list("kind", "starts_on", "ends_on"))
    assert stored == sorted((kind, TODAY, expected_end(TODAY, months)) for kind, months in ARTICLE_TABLE[measure])


# ---- Drafts and publication -----------------------------------------------------------------


def test_a_copy_is_a_draft_with_every_measure_consequence_and_source(tree, administrator, office_staff):
    article = article_rules()
    draft = services.rule_set_copy(rule_set=article, by=administrator)
    assert (draft.status, draft.based_on, draft.owner, draft.name) == (
        "draft",
        article,
        tree["own"],
        "从严治党问责规则（2016 年研究文章）（修订稿）",
    )

    def table(rule_set):
        return sorted(
            (m.code, m.name, m.source, c.kind, c.months, c.source)
            for m in rule_set.measures.all()
            for c in m.consequences.all()
        )

    assert table(draft) == table(article) and len(table(draft)) > 9
    assert draft.measures.count() == article.measures.count() == 13  # nine measures, four sanctions
    assert not RuleSet.objects.for_user(office_staff).filter(pk=draft.pk).exists()  # drafts: administrators only
    assert RuleSet.objects.for_user(office_staff).filter(pk=article.pk).exists()


def test_editing_a_draft_changes_the_measure_and_the_rule_sets_version(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    set_demotion(draft, 36, administrator)
    demoted = draft.measures.get(code="demoted")
    assert sorted(demoted.consequences.values_list("kind", "months")) == [("no_award", None), ("no_promotion", 36)]
    assert demoted.source == "本市实施办法第五条"
    draft.refresh_from_db()
    assert draft.version == 2
    assert sorted(
        article_rules().measures.get(code="demoted").consequences.values_list("months", flat=True), key=str
    ) == [
        24,
        None,
    ]


def test_a_draft_saved_over_a_newer_version_is_refused(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    opened_at = draft.version
    set_demotion(draft, 36, administrator)
    with pytest.raises(EditConflict):
        set_demotion(draft, 48, administrator, version=opened_at)
    assert draft.measures.get(code="demoted").consequences.get(kind="no_promotion").months == 36


def test_a_consequence_of_zero_months_is_refused_and_changes_nothing(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    with pytest.raises(ValidationError) as error:
        set_demotion(draft, 0, administrator)
    assert error.value.message_dict["consequences"] == ["期限至少 1 个月；“当年”请留空。"]
    assert draft.measures.get(code="demoted").consequences.get(kind="no_promotion").months == 24
    assert RuleSet.objects.get(pk=draft.pk).version == draft.version


def test_two_consequences_of_one_kind_are_refused(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    with pytest.raises(ValidationError) as error:
        services.measure_save(
            rule_set=draft,
            version=draft.version,
            name="新方式",
            category="accountability",
            severity=10,
            for_individuals=True,
            for_organisations=False,
            source="",
            consequences=[
                services.ConsequenceInput(kind="no_promotion", months=12),
                services.ConsequenceInput(kind="no_promotion", months=24),
            ],
            by=administrator,
        )
    assert "同一种影响只能有一条" in error.value.message_dict["consequences"][0]
    assert draft.measures.count() == 13


def test_a_withdrawn_consequence_is_kept_and_no_longer_applied(tree, superuser, administrator, county_secretary):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    demoted = draft.measures.get(code="demoted")
    rows = [
        services.ConsequenceInput(pk=c.pk, kind=c.kind, months=c.months, withdrawn=c.kind == "no_award")
        for c in demoted.consequences.all()
    ]
    services.measure_save(
        rule_set=draft,
        version=draft.version,
        measure=demoted,
        name="降职",
        category="accountability",
        severity=9,
        for_individuals=True,
        for_organisations=False,
        source="",
        consequences=rows,
        by=administrator,
    )
    assert demoted.consequences.count() == 2 and demoted.consequences.filter(is_active=True).count() == 1
    draft.refresh_from_db()
    published = services.rule_set_publish(rule_set=draft, version=draft.version, by=administrator)
    adopt(published, tree["child"], date(2024, 1, 1), superuser)
    decision = decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "降职")
    assert list(Restriction.objects.filter(decision=decision).values_list("kind", flat=True)) == ["no_promotion"]


def test_a_published_rule_set_is_read_only(tree, administrator):
    published = stricter_copy(administrator)
    with pytest.raises(ValidationError) as error:
        set_demotion(published, 48, administrator)
    assert error.value.messages == ["已发布的规则版本只读；如需改变规则，请复制为新草稿。"]
    assert published.measures.get(code="demoted").consequences.get(kind="no_promotion").months == 36


def test_a_rule_set_that_has_judged_a_decision_cannot_be_edited(tree, superuser, county_secretary):
    decided = decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "降职")
    article = decided.rule_set
    with pytest.raises(ValidationError) as error:
        set_demotion(article, 60, superuser)
    assert error.value.messages == ["该规则版本已据以作出 1 项问责决定，只读；如需改变规则，请复制为新草稿。"]
    assert article.measures.get(code="demoted").consequences.get(kind="no_promotion").months == 24


def test_only_administrators_of_the_owner_edit_a_draft(tree, superuser, administrator, discipline_inspector):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    with pytest.raises(PermissionDenied):
        services.rule_set_copy(rule_set=article_rules(), by=discipline_inspector)
    assert not RuleSet.objects.for_user(discipline_inspector).filter(pk=draft.pk).exists()
    from responsibilities.models import Role
    from tests.conftest import make_user

    county_admin = make_user("county_admin", tree["child"], Role.ADMIN, superuser)
    with pytest.raises(PermissionDenied):
        set_demotion(draft, 36, county_admin)  # the draft belongs to the city, above the county


def test_an_empty_draft_cannot_be_published(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    Measure.objects.filter(rule_set=draft).update(is_active=False)
    with pytest.raises(ValidationError) as error:
        services.rule_set_publish(rule_set=draft, version=draft.version, by=administrator)
    assert "没有在用的问责方式" in error.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == "draft"


# ---- Adoption: bad input ------------------------------------------------------------------------


def test_adopting_an_unpublished_draft_is_refused(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    before = RuleSetAdoption.objects.count()
    with pytest.raises(ValidationError) as error:
        adopt(draft, tree["own"], NEXT_JANUARY, administrator)
    assert error.value.messages == ["草稿不能采用：请先发布该规则版本。"]
    assert RuleSetAdoption.objects.count() == before


def test_an_adoption_before_the_rule_sets_effective_date_is_refused(tree, administrator):
    with pytest.raises(ValidationError) as error:
        adopt(rules_2019(), tree["own"], date(2019, 8, 31), administrator)
    assert error.value.message_dict["effective_from"] == ["采用日期不能早于该规则版本的施行日期（2019-09-01）。"]
    assert not RuleSetAdoption.objects.filter(organisation=tree["own"]).exists()
    assert adopt(rules_2019(), tree["own"], date(2019, 9, 1), administrator).effective_from == date(2019, 9, 1)


def test_two_adoptions_of_one_organisation_that_overlap_are_refused(tree, administrator):
    first = adopt(rules_2019(), tree["own"], date(2020, 1, 1), administrator, effective_until=date(2024, 12, 31))
    for start, until in [(date(2024, 12, 31), None), (date(2019, 9, 1), date(2020, 1, 1)), (date(2022, 1, 1), None)]:
        with pytest.raises(ValidationError) as error:
            adopt(rules_2019(), tree["own"], start, administrator, effective_until=until)
        assert error.value.message_dict["effective_from"] == [
            "与本组织已有的采用时间重叠：问责规则（2019 年党内法规）（2020-01-01 至 2024-12-31）。"
        ], (start, until)
    assert list(RuleSetAdoption.objects.filter(organisation=tree["own"])) == [first]
    later = adopt(article_rules(), tree["own"], date(2025, 1, 1), administrator)  # the next day is free
    assert later.effective_until is None


def test_the_database_refuses_overlapping_adoptions_too(tree, administrator):
    from django.db import IntegrityError, transaction

    adopt(rules_2019(), tree["own"], date(2020, 1, 1), administrator)
    with pytest.raises(IntegrityError), transaction.atomic():
        RuleSetAdoption.objects.create(
            organisation=tree["own"],
            rule_set=article_rules(),
            effective_from=date(2021, 1, 1),
            decided_by_body="x",
            decided_on=date(2021, 1, 1),
        )


def test_an_adoption_outside_the_administrators_subtree_is_refused(tree, administrator):
    with pytest.raises(PermissionDenied):
        adopt(rules_2019(), tree["sibling"], date(2020, 1, 1), administrator)
    with pytest.raises(PermissionDenied):
        adopt(rules_2019(), tree["parent"], date(2020, 1, 1), administrator)


def test_a_later_adoption_ends_the_organisations_open_one_the_day_before(tree, administrator):
    current = adopt(rules_2019(), tree["own"], date(2020, 1, 1), administrator)
    stricter = stricter_copy(administrator)
    adopt(stricter, tree["own"], NEXT_JANUARY, administrator)
    current.refresh_from_db()
    assert current.effective_until == NEXT_JANUARY - timedelta(days=1)
    assert [e.effective_until for e in current.events.order_by("pgh_id")] == [None, NEXT_JANUARY - timedelta(days=1)]


def test_a_new_adoption_cannot_start_before_a_decision_the_current_one_judged(tree, superuser, county_secretary):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), superuser)
    decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "降职")
    with pytest.raises(ValidationError) as error:
        adopt(article_rules(), tree["own"], date(2025, 3, 1), superuser)
    assert "最晚 2025-03-01" in error.value.message_dict["effective_from"][0]
    assert RuleSetAdoption.objects.filter(organisation=tree["own"]).count() == 1
    assert adopt(article_rules(), tree["own"], date(2025, 3, 2), superuser).effective_from == date(2025, 3, 2)


# ---- Which adoption judges a decision ----------------------------------------------------------


def test_a_citys_own_adoption_judges_its_subtree_from_its_date_and_the_parents_elsewhere(
    tree, superuser, administrator, county_secretary
):
    adopt(stricter_copy(administrator), tree["own"], date(2024, 1, 1), administrator)
    facts = date(2023, 6, 1)
    before = decide(
        file_case(tree["child"], superuser, person=county_secretary, facts_date=facts),
        superuser,
        date(2023, 12, 31),
        "降职",
    )
    after = decide(
        file_case(tree["child"], superuser, person=county_secretary, facts_date=facts),
        superuser,
        date(2024, 1, 1),
        "降职",
    )
    peer = PersonFactory(home_organisation=tree["sibling"])
    sibling = decide(
        file_case(tree["sibling"], superuser, person=peer, subject="department", situation="FQ-04", facts_date=facts),
        superuser,
        date(2024, 1, 1),
        "降职",
    )
    assert promotion_end(before) == date(2025, 12, 31)  # the province's article rules: two years
    assert promotion_end(after) == date(2027, 1, 1)  # the city's own: three years
    assert promotion_end(sibling) == date(2026, 1, 1)  # the sibling city keeps the province's
    assert after.adoption.organisation == tree["own"] and before.adoption.organisation == tree["parent"]


def test_the_deciding_bodys_organisation_judges_before_the_subjects(tree, superuser, county_secretary):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), superuser)
    by_province = decide(
        file_case(tree["child"], superuser, person=county_secretary),
        superuser,
        date(2025, 3, 1),
        "降职",
        deciding_organisation=tree["parent"],
    )
    by_default = decide(
        file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "诫勉"
    )
    assert by_province.rule_set == article_rules() and by_province.deciding_organisation == tree["parent"]
    assert by_default.rule_set == rules_2019()


def test_a_deciding_organisation_that_is_not_above_the_case_is_refused(tree, superuser, county_secretary):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            case=case,
            version=case.version,
            decided_on=date(2025, 3, 1),
            deciding_body="兄弟市纪委",
            deciding_organisation=tree["sibling"],
            measures=Measure.objects.filter(rule_set=article_rules(), code="demoted"),
            by=superuser,
        )
    assert "deciding_organisation" in error.value.message_dict
    assert not Decision.objects.exists()


def test_no_adoption_in_force_gives_a_clear_refusal(tree, superuser, county_secretary):
    case = to_review(
        file_case(tree["child"], superuser, person=county_secretary, facts_date=date(2016, 1, 5)), superuser
    )
    with pytest.raises(ValidationError) as error:
        services.decision_preview(
            case=case, decided_on=date(2016, 9, 25), measures=Measure.objects.filter(rule_set=article_rules())[:1]
        )
    assert error.value.message_dict["decided_on"] == [
        "2016-09-25，测试县委及其上级组织都没有采用施行中的问责规则：请系统管理员先在“问责规则”页面为其采用规则。"
    ]


def test_a_decision_taken_before_a_new_adoption_keeps_its_two_years(tree, superuser, administrator, county_secretary):
    decided = decide(
        file_case(tree["child"], superuser, person=county_secretary, facts_date=TODAY), superuser, TODAY, "降职"
    )
    stored = sorted(Restriction.objects.filter(decision=decided).values_list("kind", "ends_on"))
    adopt(stricter_copy(administrator), tree["own"], NEXT_JANUARY, administrator)
    decided.refresh_from_db()
    assert decided.rule_set == article_rules()
    assert sorted(Restriction.objects.filter(decision=decided).values_list("kind", "ends_on")) == stored
    assert promotion_end(decided) == expected_end(TODAY, 24)


# ---- Several measures, an organisation as the subject ---------------------------------------------


def test_several_measures_at_once_impose_each_consequence_and_the_longest_governs(tree, superuser, county_secretary):
    decision = decide(
        file_case(tree["child"], superuser, person=county_secretary),
        superuser,
        date(2025, 6, 20),
        "降职",
        "警告（党纪）",
    )
    assert sorted(Restriction.objects.filter(decision=decision).values_list("kind", "ends_on")) == [
        ("no_award", date(2026, 1, 1)),
        ("no_promotion", date(2026, 6, 20)),
        ("no_promotion", date(2027, 6, 20)),
    ]
    eligibility = selectors.eligibility(county_secretary, date(2026, 7, 1))
    assert eligibility.bars["no_promotion"].lifts_on == date(2027, 6, 20)


def test_an_organisation_as_the_subject_gets_the_measures_for_organisations_and_no_restriction(
    tree, superuser, regulations_2019
):
    case = to_review(file_case(tree["child"], superuser), superuser)
    measures = Measure.objects.filter(rule_set=rules_2019(), name__in=["检查", "改组"])
    decision = services.decision_record(
        case=case,
        version=case.version,
        decided_on=date(2025, 3, 1),
        deciding_body="市委",
        measures=measures,
        by=superuser,
    )
    assert sorted(decision.measures.values_list("name", flat=True)) == ["改组", "检查"]
    assert not Restriction.objects.exists()


# ---- The what-if of an adoption ------------------------------------------------------------------


def test_the_what_if_names_the_open_cases_and_the_differences_and_writes_nothing(tree, superuser, administrator):
    county, city, sibling = tree["child"], tree["own"], tree["sibling"]
    organ = org_services.organisation_create(
        parent=county, name="测试县机关", code="P-C-K-1", kind=OrganisationKind.COMMITTEE, by=superuser
    )
    open_in_county = file_case(county, superuser)
    open_in_city = to_review(file_case(city, superuser), superuser)
    decided_in_county = file_case(
        county, superuser, person=PersonFactory(home_organisation=county), subject="department", situation="FQ-04"
    )
    decide(decided_in_county, superuser, date(2025, 3, 1), "降职")
    file_case(sibling, superuser)  # out of the city's subtree
    file_case(organ, superuser)  # the organ adopted rules of its own
    adopt(rules_2019(), organ, date(2020, 1, 1), superuser)
    stricter = stricter_copy(administrator)
    writes = (RuleSetAdoption.objects.count(), RuleSetAdoption.events.rel.related_model.objects.count())
    preview = services.adoption_preview(
        rule_set=stricter, organisation=city, effective_from=NEXT_JANUARY, by=administrator
    )
    assert [(case.number, now.rule_set) for case, now in preview.cases] == [
        (open_in_city.number, article_rules()),
        (open_in_county.number, article_rules()),
    ]
    assert preview.kept_by_nearer == 1
    assert (preview.replaced.organisation, preview.replaced.rule_set) == (tree["parent"], article_rules())
    changed = {row.code: row for row in preview.differences if row.status != "same"}
    assert list(changed) == ["demoted"]
    [change] = changed["demoted"].changes
    assert (change.kind, change.before, change.after, change.delta_months) == ("no_promotion", 24, 36, 12)
    assert len(preview.differences) == 13
    assert (RuleSetAdoption.objects.count(), RuleSetAdoption.events.rel.related_model.objects.count()) == writes


def test_the_what_if_against_a_different_rule_set_shows_added_and_dropped_measures(tree, administrator):
    preview = services.adoption_preview(
        rule_set=rules_2019(), organisation=tree["own"], effective_from=date(2020, 1, 1), by=administrator
    )
    statuses = {row.name: row.status for row in preview.differences}
    assert statuses["诫勉"] == "added" and statuses["约谈诫勉"] == "removed" and statuses["降职"] == "same"
    assert statuses["检查"] == "added" and statuses["记过"] == "added"
    assert {row.name for row in preview.differences if row.status == "changed"} == set()


def test_the_what_if_refuses_what_the_adoption_would(tree, administrator):
    with pytest.raises(ValidationError):
        services.adoption_preview(
            rule_set=rules_2019(), organisation=tree["own"], effective_from=date(2019, 1, 1), by=administrator
        )


def test_where_each_rule_set_is_in_force_today(tree, superuser, administrator):
    adopt(rules_2019(), tree["own"], date(2020, 1, 1), administrator)
    coverage = selectors.coverage_today(TODAY)
    [(province, exceptions)] = coverage[article_rules().pk]
    assert province.organisation == tree["parent"] and [e.organisation for e in exceptions] == [tree["own"]]
    [(city, none)] = coverage[rules_2019().pk]
    assert city.organisation == tree["own"] and none == []


def test_consequences_of_a_published_set_are_frozen_in_the_database_sense_of_history(tree, administrator):
    draft = services.rule_set_copy(rule_set=article_rules(), by=administrator)
    set_demotion(draft, 36, administrator)
    promotion = Consequence.objects.get(measure__rule_set=draft, measure__code="demoted", kind="no_promotion")
    assert [e.months for e in promotion.events.order_by("pgh_id")] == [24, 36]
