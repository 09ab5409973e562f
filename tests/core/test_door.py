"""The scoping door: every model family answers ``objects.for_user(user, action)``, and pages built on
it show only what the record's own page would open."""

from datetime import date, timedelta

import pghistory.models
import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from accountability import selectors as warning
from accountability import services as accountability_services
from core.scope import PublicQuerySet, ScopedQuerySet
from responsibilities import services
from responsibilities.models import Person, ResponsibilityList, Role, TeamRole
from responsibilities.selectors import lists as list_selectors
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import add_task, committee_list

DOMAIN_APPS = {"core", "responsibilities", "accountability", "assessments"}


def families():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and not model._meta.auto_created
        and not issubclass(model, pghistory.models.Event)
    ]


def test_every_model_family_has_the_door():
    assert len(families()) >= 30  # the enumeration found the apps' models
    without = [m.__name__ for m in families() if not isinstance(m._default_manager.all(), ScopedQuerySet)]
    assert without == []


def test_the_door_is_shut_to_anonymous_users():
    opened = [m.__name__ for m in families() if not m._default_manager.for_user(AnonymousUser()).query.is_empty()]
    assert opened == []


# Rule sets are reference data once published (officials check themselves against them); drafts are
# their drafting administrators' own. Checked on their own below.
RULES = {"RuleSet", "Measure", "Consequence"}


def test_an_unassigned_user_sees_only_public_reference_data(tree, superuser, outsider, office_staff, list_template):
    committee_list(tree["own"], superuser)
    private = [
        m for m in families() if not isinstance(m._default_manager.all(), PublicQuerySet) and m.__name__ not in RULES
    ]
    with_rows = [m for m in private if m._default_manager.exists()]
    assert len(with_rows) >= 4  # organisations, lists, items, the office assignment: not a vacuous check
    assert [m.__name__ for m in with_rows if m._default_manager.for_user(outsider).exists()] == []


def test_an_unassigned_user_reads_published_rule_sets_and_no_draft(tree, superuser, outsider, list_template):
    from accountability.models import Consequence, Measure, RuleSet

    draft = RuleSet.objects.create(name="某市草稿", effective_from=date(2027, 1, 1), status="draft", owner=tree["own"])
    assert RuleSet.objects.for_user(superuser).filter(pk=draft.pk).exists()
    seen = RuleSet.objects.for_user(outsider)
    assert seen.exists()  # the seeded, published sets
    assert set(seen.values_list("status", flat=True)) == {"published"}
    assert not Measure.objects.for_user(outsider).exclude(rule_set__status="published").exists()
    assert not Consequence.objects.for_user(outsider).exclude(measure__rule_set__status="published").exists()


@pytest.fixture
def own_team(tree, superuser, secretary):
    """The own organisation's team: the secretary, a member with a login, and a colleague without."""
    member_user = make_user("member", tree["own"], Role.LEADER, superuser)
    member = PersonFactory(home_organisation=tree["own"], user=member_user, name="张委员")
    colleague = PersonFactory(home_organisation=tree["own"], name="赵委员")
    for person in (member, colleague):
        services.membership_add(
            organisation=tree["own"], person=person, role=TeamRole.MEMBER, start_date=date(2024, 1, 1), by=superuser
        )
    listed = committee_list(tree["own"], superuser)
    for responsibility_list in ResponsibilityList.objects.filter(organisation=tree["own"], year=listed.year):
        add_task(responsibility_list, superuser, deadline=date(listed.year, 1, 1))
    return {"member_user": member_user, "member": member, "colleague": colleague, "year": listed.year}


def test_early_warning_shows_a_member_no_other_members_personal_lists(
    tree, superuser, secretary, office_staff, own_team
):
    day = date(own_team["year"], 3, 1)
    own = tree["own"].pk
    secretary_pk = Person.objects.get(user=secretary).pk

    def rows_of(user):
        return {(g["organisation"], g["person"]) for g in warning.warning_groups(user, day)}

    member, colleague = own_team["member"].pk, own_team["colleague"].pk
    assert rows_of(own_team["member_user"]) == {(own, None), (own, member)}
    team = {(own, None), (own, member), (own, colleague)}
    assert rows_of(secretary) == rows_of(office_staff) == team | {(own, secretary_pk)}


def test_every_task_an_early_warning_row_shows_opens_for_its_reader(tree, superuser, secretary, office_staff, own_team):
    day = date(own_team["year"], 3, 1)
    for user in (own_team["member_user"], secretary, office_staff):
        rows = warning.warning_rows(user, day, warning.warning_groups(user, day))
        shown = [task for row in rows for task in row.tasks]
        assert shown
        for task in shown:
            assert list_selectors.task_for(user, task.pk, day).pk == task.pk


def test_early_warning_shows_only_interventions_the_reader_may_see(tree, superuser, office_staff, own_team):
    day = date(own_team["year"], 3, 1)
    accountability_services.intervention_record(
        organisation=tree["own"], kind="remind", reason="逾期", day=day, by=office_staff
    )
    member_rows = warning.warning_rows(
        own_team["member_user"], day, warning.warning_groups(own_team["member_user"], day)
    )
    office_rows = warning.warning_rows(office_staff, day, warning.warning_groups(office_staff, day))
    assert [len(r.interventions) for r in office_rows if r.person is None] == [1]
    assert [len(r.interventions) for r in member_rows if r.person is None] == [0]


def overdue_problem(tree, person, title, days_late, by):
    """A problem the parent found at ``tree["own"]`` a month ago, ``days_late`` days past its deadline."""
    from django.utils import timezone

    from responsibilities.models import Problem
    from responsibilities.services import problems as problem_services

    today = timezone.localdate()
    problem = problem_services.problem_record(
        organisation=tree["own"],
        found_by=tree["parent"],
        person=person,
        source="tour",
        title=title,
        description="巡察发现",
        deadline=today + timedelta(days=10),
        by=by,
    )
    Problem.objects.filter(pk=problem.pk).update(
        found_on=today - timedelta(days=30), deadline=today - timedelta(days=days_late)
    )


def test_every_problem_the_early_warning_and_the_problem_list_show_opens_for_its_reader(
    client, tree, superuser, secretary, office_staff, own_team
):
    """问题清单's door: a problem naming a member is his (and the staff's and secretary's), not his
    colleague's; what 预警提醒 and the list show is what the problem's own page opens."""
    from django.urls import reverse
    from django.utils import timezone

    from responsibilities.models import Problem
    from responsibilities.selectors import problems as problem_selectors

    today = timezone.localdate()
    province_staff = make_user("province_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    for person, title in (
        (None, "班子问题"),
        (own_team["member"], "张委员的问题"),
        (own_team["colleague"], "赵委员的问题"),
    ):
        overdue_problem(tree, person, title, 1, province_staff)
    member = own_team["member_user"]
    seen = {
        user: {p.title for p in problem_selectors.overdue_problems(user, today)}
        for user in (member, secretary, office_staff)
    }
    assert seen[member] == {"班子问题", "张委员的问题"}
    assert seen[secretary] == seen[office_staff] == {"班子问题", "张委员的问题", "赵委员的问题"}
    for user in (member, secretary, office_staff):
        client.force_login(user)
        listed = client.get(reverse("responsibilities:problem_list")).context["problems"]
        assert {p.title for p in listed} == seen[user]
        for problem in Problem.objects.all():
            status = client.get(problem.get_absolute_url()).status_code
            assert status == (200 if problem.title in seen[user] else 404), (user, problem.title)


def test_the_first_overdue_problems_are_the_readers_own_oldest_in_one_query(
    tree, superuser, office_staff, own_team, django_assert_num_queries
):
    """预警提醒 shows the first problems past their deadline: found by key through the door first
    (``first_rows``), so a reader's first two are his own oldest two, not two of everyone's."""
    from django.utils import timezone

    from responsibilities.selectors import problems as problem_selectors

    today = timezone.localdate()
    province_staff = make_user("province_office", tree["parent"], Role.OFFICE_STAFF, superuser)
    for days_late, person, title in (
        (4, own_team["colleague"], "赵委员的问题"),
        (3, None, "班子问题"),
        (2, own_team["member"], "张委员的问题"),
        (1, None, "班子的第二个问题"),
    ):
        overdue_problem(tree, person, title, days_late, province_staff)
    member = own_team["member_user"]
    with django_assert_num_queries(1):
        first = [(p.title, p.organisation.name) for p in problem_selectors.overdue_problems(member, today, limit=2)]
    assert first == [("班子问题", tree["own"].name), ("张委员的问题", tree["own"].name)]
    assert [p.title for p in problem_selectors.overdue_problems(office_staff, today, limit=2)] == [
        "赵委员的问题",
        "班子问题",
    ]
