"""蓝黄红 warnings as data: the rule (table-driven, no database), the thresholds an administrator edits,
and the colour with its word wherever a task appears; the roll-up's counts by colour."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import services as accountability_services
from responsibilities import rules
from responsibilities.models import Person, ResponsibilityList, TeamRole, WarningThreshold
from responsibilities.selectors import lists as selectors
from tests.helpers import on_day, queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

TODAY = date(2026, 6, 15)
DEFAULT = rules.Thresholds()


@pytest.mark.parametrize(
    ("done", "deadline", "intervened", "thresholds", "colour"),
    [
        (False, TODAY + timedelta(days=6), False, DEFAULT, None),  # not yet within five days
        (False, TODAY + timedelta(days=5), False, DEFAULT, "blue"),
        (False, TODAY, False, DEFAULT, "blue"),  # the deadline day itself is in time
        (False, TODAY - timedelta(days=1), False, DEFAULT, "yellow"),
        (False, TODAY - timedelta(days=30), False, DEFAULT, "yellow"),
        (False, TODAY - timedelta(days=31), False, DEFAULT, "red"),
        (False, TODAY - timedelta(days=2), True, DEFAULT, "red"),  # still overdue after an intervention
        (False, TODAY + timedelta(days=2), True, DEFAULT, "blue"),  # an intervention before the deadline
        (False, TODAY - timedelta(days=2), True, rules.Thresholds(red_after_intervention=False), "yellow"),
        (True, TODAY - timedelta(days=90), True, DEFAULT, None),  # done: no warning
        (False, TODAY + timedelta(days=9), False, rules.Thresholds(blue_days=10), "blue"),
        (False, TODAY - timedelta(days=3), False, rules.Thresholds(yellow_days=7), None),
        (False, TODAY - timedelta(days=8), False, rules.Thresholds(yellow_days=7), "yellow"),
    ],
)
def test_the_warning_colour_rule(done, deadline, intervened, thresholds, colour):
    assert (
        rules.warning_colour(done=done, deadline=deadline, today=TODAY, intervened=intervened, thresholds=thresholds)
        == colour
    )


def test_each_colour_has_a_word():
    warning = rules.warning_for(done=False, deadline=TODAY, today=TODAY, intervened=False, thresholds=DEFAULT)
    assert (warning.colour, warning.word) == ("blue", "蓝色预警·即将到期")


@pytest.mark.django_db
def test_the_default_thresholds_are_rows_an_administrator_edits(client, superuser):
    assert selectors.warning_thresholds() == DEFAULT
    row = WarningThreshold.objects.get(colour="blue")
    client.force_login(superuser)
    url = reverse("admin:responsibilities_warningthreshold_change", args=[row.pk])
    response = client.post(url, {"days": 10, "seen_version": row.version})
    assert response.status_code == 302
    assert selectors.warning_thresholds().blue_days == 10
    assert client.post(url, {"days": 1000, "seen_version": row.version + 1}).status_code == 200  # refused
    assert WarningThreshold.objects.get(pk=row.pk).days == 10


@pytest.mark.django_db
@on_day(TODAY)
def test_the_colour_and_its_word_appear_wherever_the_task_appears(
    client, tree, superuser, office_staff, leader, secretary
):
    person = Person.objects.get(user=leader)
    from responsibilities import services

    services.membership_add(
        organisation=tree["own"], person=person, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=superuser
    )
    committee_list(tree["own"], superuser)
    listed = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=person)
    today = timezone.localdate()
    add_task(listed, superuser, title="五天内到期", deadline=today + timedelta(days=2), responsible_person=person)
    late = add_task(listed, superuser, title="逾期两天", deadline=today - timedelta(days=2), responsible_person=person)
    add_task(listed, superuser, title="逾期很久", deadline=today - timedelta(days=45), responsible_person=person)
    client.force_login(office_staff)
    page = client.get(listed.get_absolute_url()).content.decode()
    assert "蓝色预警·即将到期" in page and "黄色预警·已逾期" in page and "红色预警·严重逾期" in page
    assert 'class="badge warning-red"' in page
    accountability_services.intervention_record(
        organisation=tree["own"], person=person, task=late, kind="remind", reason="逾期", by=office_staff
    )
    page = client.get(late.get_absolute_url()).content.decode()
    assert "红色预警·严重逾期" in page  # still overdue after the reminder
    client.force_login(leader)
    checklist = client.get(reverse("responsibilities:my_checklist")).content.decode()
    assert "蓝色预警·即将到期" in checklist and "红色预警·严重逾期" in checklist
    workbench = client.get(reverse("home")).content.decode()
    assert 'data-testid="warning-blue"' in workbench and 'data-testid="warning-red"' in workbench
    client.force_login(office_staff)
    warning_page = client.get(reverse("accountability:early_warning")).content.decode()
    assert "红色预警·严重逾期" in warning_page


@pytest.mark.django_db
@on_day(TODAY)
def test_the_rollup_counts_tasks_by_colour_with_a_constant_query_count(client, tree, superuser, office_staff):
    own = committee_list(tree["own"], superuser)
    child = committee_list(tree["child"], superuser)
    today = timezone.localdate()
    add_task(own, superuser, deadline=today + timedelta(days=1))
    add_task(child, superuser, deadline=today + timedelta(days=3))
    add_task(child, superuser, deadline=today - timedelta(days=3))
    reminded = add_task(child, superuser, deadline=today - timedelta(days=4))
    add_task(child, superuser, deadline=today - timedelta(days=60))
    accountability_services.intervention_record(
        organisation=tree["child"], task=reminded, kind="remind", reason="逾期", by=superuser
    )
    rollup = selectors.rollup(tree["own"], THIS_YEAR, today)
    assert rollup.subtree_colours == rules.Colours(blue=2, yellow=1, red=2)
    assert rollup.own_colours == rules.Colours(blue=1, yellow=0, red=0)
    assert rollup.rows[0].colours == rules.Colours(blue=1, yellow=1, red=2)
    client.force_login(office_staff)
    url = reverse("responsibilities:organisation_detail", args=[tree["own"].pk])
    page = client.get(url).content.decode()
    assert "红色预警 2" in page and 'data-colour="red"' in page
    few = queries_for(client, url)
    for index in range(50):
        task = add_task(child, superuser, title=f"任务{index}", deadline=today - timedelta(days=5))
        accountability_services.intervention_record(
            organisation=tree["child"], task=task, kind="remind", reason="逾期", by=superuser
        )
    assert queries_for(client, url) == few
    assert selectors.rollup(tree["own"], THIS_YEAR, today).subtree_colours.red == 52
    assert ResponsibilityList.objects.filter(organisation=tree["child"]).exists()


@pytest.mark.django_db
@on_day(TODAY)
def test_red_after_an_intervention_comes_from_the_source_accountability_registers(tree, superuser, monkeypatch):
    """responsibilities imports no accountability model: the intervention reaches the 蓝黄红 rule only
    through the source accountability registers when it starts. Without it, the task is yellow."""
    from responsibilities import escalations

    child = committee_list(tree["child"], superuser)
    today = timezone.localdate()
    reminded = add_task(child, superuser, deadline=today - timedelta(days=4))
    accountability_services.intervention_record(
        organisation=tree["child"], task=reminded, kind="remind", reason="逾期", by=superuser
    )
    assert len(escalations._sources) == 1  # accountability's, registered in its AppConfig.ready
    assert selectors.rollup(tree["own"], THIS_YEAR, today).subtree_colours == rules.Colours(yellow=0, red=1)
    monkeypatch.setattr(escalations, "_sources", [])
    assert selectors.rollup(tree["own"], THIS_YEAR, today).subtree_colours == rules.Colours(yellow=1, red=0)
    task = selectors.task_for(superuser, reminded.pk, today)
    assert task.warning.colour == "yellow"


@pytest.mark.parametrize("colour", ["blue", "yellow", "red"])
def test_deadline_window_holds_exactly_the_deadlines_the_rule_gives_that_colour(colour):
    """The working tables filter 蓝黄红 by a date range: it must agree with ``warning_colour`` day by day."""
    thresholds = rules.Thresholds(blue_days=5, yellow_days=2, red_days=30)
    earliest, latest = rules.deadline_window(colour, TODAY, thresholds)
    for offset in range(-60, 60):
        deadline = TODAY + timedelta(days=offset)
        inside = (earliest is None or deadline >= earliest) and (latest is None or deadline <= latest)
        rule = rules.warning_colour(done=False, deadline=deadline, today=TODAY, intervened=False, thresholds=thresholds)
        assert inside == (rule == colour), deadline
