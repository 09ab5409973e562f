"""Accountability services: seeded rules, versioning, attribution, transitions, decisions, eligibility,
confidentiality, screening, early signs."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count

from accountability import selectors, services
from accountability.models import (
    Case,
    CaseStatus,
    Consequence,
    Decision,
    Intervention,
    Measure,
    Restriction,
    RestrictionKind,
    RuleSet,
    Situation,
    Subject,
)
from responsibilities.models import TeamRole
from tests.accountability.article import ARTICLE
from tests.accountability.factories import adopt, decide, file_case, to_review
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import add_task, committee_list

pytestmark = pytest.mark.django_db


def test_the_article_rule_set_is_seeded_exactly(list_template):
    article = RuleSet.objects.get(effective_from=date(2016, 9, 26))
    measures = article.measures.filter(category="accountability").order_by("severity")
    seeded = [(m.name, sorted((c.kind, c.months) for c in m.consequences.all())) for m in measures]
    assert seeded == [(name, sorted(consequences)) for name, consequences in ARTICLE.items()]


def test_every_2016_measure_heavier_than_a_talk_bars_awards_to_the_end_of_the_decisions_year(
    tree, superuser, county_secretary
):
    case = file_case(tree["child"], superuser, person=county_secretary, facts_date=date(2018, 1, 5))
    decided_on = date(2018, 6, 20)
    award_bars = {}
    rule_set = services.adoption_on(tree["child"], decided_on).rule_set
    for measure in rule_set.measures.filter(category="accountability"):
        preview = services.decision_preview(case=case, decided_on=decided_on, measures=[measure])
        award_bars[measure.name] = [(p.starts_on, p.ends_on) for _m, _c, p in preview.periods if p.kind == "no_award"]
    that_year = [(date(2018, 6, 20), date(2019, 1, 1))]
    assert award_bars == {"约谈诫勉": []} | {name: that_year for name in ARTICLE if name != "约谈诫勉"}


def test_the_negative_list_names_the_articles_failures(list_template):
    titles = set(Situation.objects.values_list("title", flat=True))
    for failure in (
        "把主业当副业",
        "压力层层递减",
        "考核弄虚作假、以形式代替实效",
        "该提醒的不提醒、该批评的不批评、该约谈的不约谈",
        "对违规违纪睁一只眼闭一只眼",
    ):
        assert failure in titles


def test_the_rule_set_that_judges_follows_the_adoption_in_force_on_the_decision_date(tree, regulations_2019):
    county = tree["child"]
    assert services.adoption_on(county, date(2018, 1, 1)).rule_set.effective_from == date(2016, 9, 26)
    assert services.adoption_on(county, date(2019, 8, 31)).rule_set.effective_from == date(2016, 9, 26)
    assert services.adoption_on(county, date(2019, 9, 1)).rule_set.effective_from == date(2019, 9, 1)
    with pytest.raises(ValidationError) as error:
        services.adoption_on(county, date(2015, 1, 1))
    assert "都没有采用施行中的问责规则" in error.value.message_dict["decided_on"][0]


def test_a_2016_rule_case_keeps_its_consequences_after_a_new_rule_set(tree, superuser, county_secretary):
    case = file_case(tree["child"], superuser, person=county_secretary, facts_date=date(2018, 1, 5))
    decision = decide(case, superuser, date(2018, 3, 1), "降职")
    before = sorted(Restriction.objects.filter(decision=decision).values_list("kind", "starts_on", "ends_on"))
    # A stricter copy adopted by the county from a date before the decision: the decision keeps its rules.
    draft = services.rule_set_copy(rule_set=decision.rule_set, by=superuser)
    demoted = draft.measures.get(code="demoted")
    promotion = demoted.consequences.get(kind="no_promotion")
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
        consequences=[services.ConsequenceInput(pk=promotion.pk, kind="no_promotion", months=60)],
        by=superuser,
    )
    draft.refresh_from_db()
    draft = services.rule_set_publish(rule_set=draft, version=draft.version, by=superuser)
    adopt(draft, tree["child"], date(2018, 1, 1), superuser)
    assert services.adoption_on(tree["child"], date(2018, 3, 1)).rule_set == draft
    decision.refresh_from_db()
    assert decision.rule_set.effective_from == date(2016, 9, 26)
    after = sorted(Restriction.objects.filter(decision=decision).values_list("kind", "starts_on", "ends_on"))
    assert (
        after
        == before
        == sorted(
            [
                ("no_award", date(2018, 3, 1), date(2019, 1, 1)),
                ("no_promotion", date(2018, 3, 1), date(2020, 3, 1)),
            ]
        )
    )


def test_attribution_is_prefilled_from_the_membership_on_the_date_of_the_facts(tree, superuser, county_secretary):
    other = PersonFactory(home_organisation=tree["child"])
    from responsibilities import services as team

    membership = team.membership_add(
        organisation=tree["child"],
        person=other,
        role=TeamRole.LEADER_IN_CHARGE,
        start_date=date(2024, 1, 1),
        by=superuser,
    )
    team.membership_end(membership=membership, version=1, end_date=date(2024, 12, 31), by=superuser)
    assert selectors.attribution(county_secretary, tree["child"], date(2025, 3, 1))["subject"] == Subject.SECRETARY
    assert selectors.attribution(other, tree["child"], date(2024, 6, 1))["subject"] == Subject.LEADER_IN_CHARGE
    assert selectors.attribution(other, tree["child"], date(2025, 6, 1))["subject"] == ""


def test_a_situation_must_apply_to_the_subject(tree, superuser, county_secretary):
    with pytest.raises(ValidationError) as error:
        file_case(tree["child"], superuser, person=county_secretary, subject=Subject.SECRETARY, situation="FQ-02")
    assert "situations" in error.value.message_dict
    assert not Case.objects.exists()


def test_case_moves_only_by_the_table_and_exemption_needs_a_ground_and_a_reason(tree, superuser):
    case = file_case(tree["child"], superuser)
    with pytest.raises(ValidationError):
        services.case_transition(case=case, version=case.version, target="reviewing", by=superuser)
    case = services.case_transition(case=case, version=case.version, target="investigating", by=superuser)
    with pytest.raises(ValidationError) as error:  # closing without a decision is an exemption
        services.case_transition(case=case, version=case.version, target="closed", note="事出有因", by=superuser)
    assert "不予或免予问责" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        services.case_exempt(case=case, version=case.version, exemption="", ground="", note=" ", by=superuser)
    assert set(error.value.message_dict) == {"exemption", "ground", "note"}
    with pytest.raises(ValidationError) as error:
        services.case_exempt(
            case=case, version=case.version, exemption="exempted", ground="not_established", note="x", by=superuser
        )
    assert "应为“不予问责”" in error.value.message_dict["ground"][0]
    case.refresh_from_db()
    assert (case.status, case.exemption) == (CaseStatus.INVESTIGATING, "")
    closed = services.case_exempt(
        case=case, version=case.version, exemption="not_held", ground="not_established", note="事出有因", by=superuser
    )
    assert (closed.status, closed.exempted, closed.exemption_ground) == (CaseStatus.CLOSED, True, "not_established")


def test_a_measure_for_the_wrong_kind_of_subject_is_refused(regulations_2019, tree, superuser, county_secretary):
    organisation_case = to_review(file_case(tree["child"], superuser), superuser)
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            case=organisation_case,
            version=organisation_case.version,
            decided_on=date(2025, 3, 1),
            deciding_body="市纪委",
            measures=Measure.objects.filter(rule_set__effective_from=date(2019, 9, 1), name="降职"),
            by=superuser,
        )
    assert "只适用于个人" in error.value.message_dict["measures"][0]
    assert not Decision.objects.exists()


def test_a_decision_before_the_facts_is_refused(tree, superuser, county_secretary):
    case = to_review(
        file_case(tree["child"], superuser, person=county_secretary, facts_date=date(2025, 5, 1)), superuser
    )
    with pytest.raises(ValidationError) as error:
        decide(case, superuser, date(2025, 4, 30), "降职")
    assert "decided_on" in error.value.message_dict
    assert not Restriction.objects.exists()


def test_a_second_decision_on_a_decided_or_closed_case_is_refused(regulations_2019, tree, superuser, county_secretary):
    case = file_case(tree["child"], superuser, person=county_secretary)
    decide(case, superuser, date(2025, 3, 1), "诫勉")
    case.refresh_from_db()
    demotion = Measure.objects.filter(rule_set__effective_from=date(2019, 9, 1), name="降职")

    def decide_again():
        services.decision_record(
            case=case,
            version=case.version,
            decided_on=date(2025, 3, 2),
            deciding_body="市纪委",
            measures=demotion,
            by=superuser,
        )

    with pytest.raises(ValidationError) as error:
        decide_again()
    assert "不能再作出决定" in error.value.messages[0]
    case = services.case_transition(case=case, version=case.version, target="executed", by=superuser)
    case = services.case_transition(case=case, version=case.version, target="closed", by=superuser)
    with pytest.raises(ValidationError) as error:
        decide_again()
    assert "不能再作出决定" in error.value.messages[0]
    assert Decision.objects.count() == 1


def test_measures_of_another_rule_set_are_refused(regulations_2019, tree, superuser, county_secretary):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    article_measure = Measure.objects.filter(rule_set__effective_from=date(2016, 9, 26), name="降职")
    with pytest.raises(ValidationError) as error:
        services.decision_record(
            case=case,
            version=case.version,
            decided_on=date(2025, 3, 1),
            deciding_body="市纪委",
            measures=article_measure,
            by=superuser,
        )
    assert "不属于决定日期施行的规则" in error.value.message_dict["measures"][0]


def test_demotion_bars_promotion_for_two_years(tree, superuser, county_secretary):
    decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 6, 20), "降职")
    on = lambda day: selectors.eligibility(county_secretary, day)  # noqa: E731
    assert on(date(2027, 6, 19)).barred(RestrictionKind.NO_PROMOTION)
    assert on(date(2027, 6, 19)).bars[RestrictionKind.NO_PROMOTION].lifts_on == date(2027, 6, 20)
    assert not on(date(2027, 6, 20)).barred(RestrictionKind.NO_PROMOTION)
    assert on(date(2025, 12, 31)).barred(RestrictionKind.NO_AWARD)
    assert not on(date(2026, 1, 1)).barred(RestrictionKind.NO_AWARD)
    assert not on(date(2025, 6, 19)).barred(RestrictionKind.NO_PROMOTION)


def test_the_what_if_preview_writes_nothing(regulations_2019, tree, superuser, county_secretary):
    case = to_review(file_case(tree["child"], superuser, person=county_secretary), superuser)
    measures = Measure.objects.filter(rule_set__effective_from=date(2019, 9, 1), name__in=["免职"])
    preview = services.decision_preview(case=case, decided_on=date(2025, 3, 1), measures=measures)
    assert sorted((p.kind, p.ends_on) for _m, _c, p in preview.periods) == [
        ("no_award", date(2026, 1, 1)),
        ("no_higher_post", date(2027, 3, 1)),
        ("no_post", date(2026, 3, 1)),
    ]
    assert not Restriction.objects.exists() and not Decision.objects.exists()


def test_award_bar_covers_the_decision_year_only(regulations_2019, tree, superuser, county_secretary):
    decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 11, 3), "通报")
    assert selectors.award_bar(county_secretary, 2025).decision.decided_on == date(2025, 11, 3)
    assert selectors.award_bar(county_secretary, 2026) is None
    assert selectors.award_bars([county_secretary.pk], 2025).keys() == {county_secretary.pk}


# ---- Confidentiality --------------------------------------------------------------------------


def test_cases_are_visible_to_discipline_and_organisation_inspectors_admins_and_the_subject_only(
    regulations_2019,
    tree,
    superuser,
    county_secretary,
    office_staff,
    inspector,
    discipline_inspector,
    propaganda_inspector,
    administrator,
):
    case = file_case(tree["child"], superuser, person=county_secretary)
    sees = lambda user: Case.objects.for_user(user).filter(pk=case.pk).exists()  # noqa: E731
    assert sees(discipline_inspector) and sees(inspector) and sees(administrator)
    assert not sees(office_staff) and not sees(propaganda_inspector)
    assert not sees(county_secretary.user)  # not before the decision
    decide(case, superuser, date(2025, 3, 1), "诫勉")
    assert sees(county_secretary.user)


def test_office_staff_cannot_file_a_case(tree, office_staff):
    with pytest.raises(PermissionDenied):
        file_case(tree["child"], office_staff)


def test_screening_lists_everyone_barred_on_the_day_with_the_reason(tree, superuser, county_secretary):
    decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 6, 20), "降职")
    rows = selectors.screening(tree["own"], date(2026, 3, 1))
    assert [row.person for row in rows] == [county_secretary]
    [(label, lifts_on, reasons)] = rows[0].bars
    assert lifts_on == date(2027, 6, 20) and reasons[0].decision.case.organisation == tree["child"]
    assert selectors.screening(tree["sibling"], date(2026, 3, 1)) == []
    assert selectors.screening(tree["own"], date(2027, 6, 20)) == []


# ---- Early signs ------------------------------------------------------------------------------


def test_early_warning_groups_overdue_work_and_suggests_the_next_step(tree, superuser, office_staff):
    listed = committee_list(tree["child"], superuser)
    for _ in range(2):
        add_task(listed, superuser, deadline=date(listed.year, 1, 1))
    day = date(listed.year, 3, 1)
    [row] = selectors.warning_rows(office_staff, day, selectors.warning_groups(office_staff, day))
    assert (row.organisation, row.person, row.count, row.suggestion) == (tree["child"], None, 2, "remind")
    services.intervention_record(organisation=tree["child"], kind="remind", reason="逾期", day=day, by=office_staff)
    [row] = selectors.warning_rows(office_staff, day, selectors.warning_groups(office_staff, day))
    assert row.suggestion == "criticise" and [i.kind for i in row.interventions] == ["remind"]


def test_early_warning_rows_show_the_years_tasks_finished_late(tree, superuser, office_staff):
    from responsibilities.models import Task

    listed = committee_list(tree["child"], superuser)
    add_task(listed, superuser, deadline=date(listed.year, 1, 1))  # overdue now
    late = [add_task(listed, superuser, deadline=date(listed.year, 1, 10)) for _ in range(2)]
    on_time = add_task(listed, superuser, deadline=date(listed.year, 1, 10))
    Task.objects.filter(pk__in=[t.pk for t in late]).update(status="done", completed_on=date(listed.year, 2, 1))
    Task.objects.filter(pk=on_time.pk).update(status="done", completed_on=date(listed.year, 1, 10))
    day = date(listed.year, 3, 1)
    [row] = selectors.warning_rows(office_staff, day, selectors.warning_groups(office_staff, day))
    assert (row.count, row.late_done) == (1, 2)


def test_early_warning_counts_equal_a_direct_count_of_overdue_tasks_on_any_day(
    tree, superuser, office_staff, county_secretary
):
    from responsibilities.models import ResponsibilityList, TaskStatus

    county, city, sibling = tree["child"], tree["own"], tree["sibling"]
    year = committee_list(county, superuser).year
    committee_list(city, superuser)
    committee_list(sibling, superuser)
    personal = ResponsibilityList.objects.get(organisation=county, year=year, person=county_secretary)
    lists = ResponsibilityList.objects.filter(year=year).order_by("pk")
    for n, listed in enumerate(lists):
        for month in range(1, 4 + n % 3):
            add_task(listed, superuser, deadline=date(year, month, 10))
        add_task(listed, superuser, deadline=date(year, 1, 5), status=TaskStatus.DONE)
    assert personal in lists

    def direct(day, repeat_only=False):
        counted = (
            selectors.overdue_tasks(office_staff, day)
            .values_list("item__responsibility_list__organisation", "item__responsibility_list__person")
            .annotate(count=Count("pk"))
        )
        return {(org, person): count for org, person, count in counted if count >= (2 if repeat_only else 1)}

    def kept(day, repeat_only=False):
        groups = selectors.warning_groups(office_staff, day, repeat_only=repeat_only)
        return {(g["organisation"], g["person"]): g["count"] for g in groups}

    for day in (date(year, 2, 1), date(year, 3, 11), date(year, 1, 1), date(year, 12, 31), date(year, 3, 10)):
        assert kept(day) == direct(day), day
        assert kept(day, repeat_only=True) == direct(day, repeat_only=True), day
    assert kept(date(year, 12, 31))  # the comparison is not between two empty sets
    ResponsibilityList.objects.filter(organisation=city, year=year).update(status="closed")  # the year is closed
    assert city.pk not in {org for org, _person in kept(date(year, 12, 31))}
    assert kept(date(year, 12, 31)) == direct(date(year, 12, 31))
    assert sibling.pk not in {org for org, _person in kept(date(year, 12, 31))}  # out of the office's scope


def test_interventions_need_scope_and_a_reason(tree, office_staff, superuser):
    with pytest.raises(PermissionDenied):
        services.intervention_record(organisation=tree["sibling"], kind="remind", reason="x", by=office_staff)
    with pytest.raises(ValidationError) as error:
        services.intervention_record(organisation=tree["child"], kind="talk", reason=" ", by=office_staff)
    assert "reason" in error.value.message_dict
    assert not Intervention.objects.exists()


def test_a_follow_up_recorded_by_someone_else_is_never_overwritten(tree, office_staff, superuser):
    talk = services.intervention_record(organisation=tree["child"], kind="talk", reason="逾期", by=office_staff)
    stale = Intervention.objects.get(pk=talk.pk)  # a second page opened before the first follow-up
    services.intervention_follow_up(intervention=talk, follow_up="已整改到位", by=office_staff)
    with pytest.raises(ValidationError) as error:
        services.intervention_follow_up(intervention=stale, follow_up="仍未整改", by=superuser)
    assert "已整改到位" in error.value.message_dict["follow_up"][0]
    talk.refresh_from_db()
    assert talk.follow_up == "已整改到位"
    assert [e.follow_up for e in talk.events.order_by("pgh_id")] == ["", "已整改到位"]


def test_a_secretary_may_talk_to_a_member_of_his_team(tree, superuser, secretary):
    member = PersonFactory(home_organisation=tree["own"])
    talk = services.intervention_record(
        organisation=tree["own"], person=member, kind="talk", reason="分管领域党建滞后", by=secretary
    )
    assert talk.done_by == secretary


def test_a_rule_set_a_decision_applied_is_frozen_in_the_admin(client, tree, superuser, county_secretary):
    from django.urls import reverse

    from accountability.models import Measure

    decided = decide(file_case(tree["child"], superuser, person=county_secretary), superuser, date(2025, 3, 1), "降职")
    demotion = Measure.objects.get(rule_set=decided.rule_set, name="降职")
    months = sorted(Consequence.objects.filter(measure=demotion).values_list("months", flat=True), key=str)
    client.force_login(superuser)
    url = reverse("admin:accountability_measure_change", args=[demotion.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # readable, not editable
    response = client.post(url, {"name": "降职（改）", "rule_set": decided.rule_set.pk, "category": demotion.category})
    assert response.status_code == 403
    demotion.refresh_from_db()
    assert demotion.name == "降职"
    assert sorted(Consequence.objects.filter(measure=demotion).values_list("months", flat=True), key=str) == months
    rule_set_url = reverse("admin:accountability_ruleset_change", args=[decided.rule_set.pk])
    assert client.post(rule_set_url, {"name": "改名"}).status_code == 403
    # A published rule set no decision has applied is read-only too; a draft can be edited.
    published = Measure.objects.exclude(rule_set=decided.rule_set).first()
    page = client.get(reverse("admin:accountability_measure_change", args=[published.pk])).content.decode()
    assert 'name="_save"' not in page
    draft = services.rule_set_copy(rule_set=decided.rule_set, by=superuser)
    in_draft = draft.measures.first()
    page = client.get(reverse("admin:accountability_measure_change", args=[in_draft.pk])).content.decode()
    assert 'name="_save"' in page
