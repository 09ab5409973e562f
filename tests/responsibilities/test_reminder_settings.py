"""到期提醒天数 for a subtree: an administrator sets N for an organisation, its subtree inherits it (the
nearest ancestor with a setting wins, default 5), and the daily reminder run uses it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import Notification
from responsibilities import rules
from responsibilities.models import ReminderSetting, Role
from responsibilities.notifications import remind_deadlines
from tests.conftest import make_user
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("0001", 7),  # the province's own setting
        ("00010002", 7),  # a city without one inherits the province's
        ("000100020003", 3),  # a county with its own
        ("0001000200030004", 3),  # below that county: the nearest ancestor wins, not the province
        ("0009", 5),  # another tree: the default
    ],
)
def test_the_nearest_setting_wins(path, expected):
    settings = {"0001": 7, "000100020003": 3}
    assert rules.reminder_days_for(path, settings, 5) == expected


def due_titles(user):
    return sorted(Notification.objects.filter(recipient=user, event="task_due").values_list("text", flat=True))


@pytest.mark.django_db
def test_the_reminder_run_uses_each_subtrees_days(tree, superuser):
    day = date(THIS_YEAR, 6, 10)
    county_staff = make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    county, sibling = committee_list(tree["child"], superuser), committee_list(tree["sibling"], superuser)
    for listed in (county, sibling):
        for n in (3, 5, 10):
            add_task(listed, superuser, title=f"{n}天后到期", deadline=day + timedelta(days=n))
    ReminderSetting.objects.create(organisation=tree["own"], days_before=10)  # the city: its county inherits

    assert remind_deadlines(day) == 2
    assert len(due_titles(county_staff)) == 1 and "10天后到期" in due_titles(county_staff)[0]
    assert len(due_titles(sibling_staff)) == 1 and "5天后到期" in due_titles(sibling_staff)[0]

    ReminderSetting.objects.create(organisation=tree["child"], days_before=3)  # the county's own wins
    remind_deadlines(day)  # the county's task due in 3 days is added; nothing is told twice
    assert Notification.objects.filter(event="task_due").count() == 3
    assert any("3天后到期" in text for text in due_titles(county_staff))
    assert len(due_titles(sibling_staff)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 61])
def test_days_outside_one_to_sixty_are_refused_at_the_field(tree, days):
    setting = ReminderSetting(organisation=tree["own"], days_before=days)
    with pytest.raises(ValidationError) as refused:
        setting.full_clean()
    assert "days_before" in refused.value.message_dict
    assert ReminderSetting.objects.count() == 0


@pytest.mark.django_db
def test_an_administrator_sets_the_days_in_the_admin_and_bad_input_changes_nothing(client, tree, superuser):
    client.force_login(superuser)
    url = reverse("admin:responsibilities_remindersetting_add")
    refused = client.post(url, {"organisation": tree["own"].pk, "days_before": 0})
    assert refused.status_code == 200 and "days_before" in refused.context["adminform"].form.errors
    assert ReminderSetting.objects.count() == 0
    response = client.post(url, {"organisation": tree["own"].pk, "days_before": 8})
    assert response.status_code == 302
    assert ReminderSetting.objects.get().days_before == 8
    twice = client.post(url, {"organisation": tree["own"].pk, "days_before": 9})
    assert twice.status_code == 200 and "organisation" in twice.context["adminform"].form.errors
    assert ReminderSetting.objects.get().days_before == 8
