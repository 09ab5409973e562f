"""消息中心: who is told of each event (and who is not), the door check, reminders and the page."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability import services as accountability_services
from core.models import Notification
from core.notifications import notify
from responsibilities import services
from responsibilities.models import ListStatus, Person, ResponsibilityList, Role, TeamRole
from responsibilities.notifications import LIST_SUBMITTED, remind_deadlines
from tests.conftest import make_user
from tests.helpers import queries_for
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task, committee_list

pytestmark = pytest.mark.django_db


def told(event=None):
    rows = Notification.objects.all()
    if event:
        rows = rows.filter(event=event)
    return sorted(rows.values_list("recipient__username", flat=True))


def seat(user, organisation, by):
    """The leader fixture's person takes a member's seat in the organisation's team."""
    person = Person.objects.get(user=user)
    services.membership_add(
        organisation=organisation, person=person, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=by
    )
    return person


def move(responsibility_list, target, by, reason=""):
    responsibility_list.refresh_from_db()
    return services.list_transition(
        responsibility_list=responsibility_list,
        version=responsibility_list.version,
        target=target,
        by=by,
        reason=reason,
    )


def test_submitting_tells_the_secretary_and_confirming_tells_the_office_staff(
    tree, superuser, office_staff, secretary, leader
):
    listed = committee_list(tree["own"], superuser)
    move(listed, ListStatus.SUBMITTED, office_staff)
    assert told("list_submitted") == ["secretary"]  # not the office staff who acted, not a member
    move(listed, ListStatus.DRAFT, secretary, reason="请补充任务")
    assert told("list_returned") == ["office"]
    move(listed, ListStatus.SUBMITTED, office_staff)
    move(listed, ListStatus.CONFIRMED, secretary)
    assert told("list_confirmed") == ["office"]
    assert Notification.objects.get(event="list_confirmed").url == listed.get_absolute_url()


def test_a_task_issued_down_tells_each_recipients_office_staff_only(tree, superuser, office_staff):
    county_staff = make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    services.task_issue(
        issuer=tree["own"],
        year=THIS_YEAR,
        item_number=1,
        recipients=[tree["child"]],
        by=office_staff,
        title="专题学习",
        quantity=2,
        unit="次",
        deadline=date(THIS_YEAR, 12, 1),
        standard="有记录",
        requirement="",
    )
    # The own organisation's staff see the child's list too, but only the recipient's staff are told.
    assert told("task_issued") == [county_staff.username]


def test_a_supervision_note_tells_the_member_and_nobody_else(tree, superuser, secretary, leader, office_staff):
    member = seat(leader, tree["own"], superuser)
    add_member(tree["own"], superuser, TeamRole.MEMBER, user=make_user("other", tree["own"], Role.LEADER, superuser))
    committee_list(tree["own"], superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=member)
    services.supervision_note_add(responsibility_list=member_list, text="请抓紧推进", by=secretary)
    assert told("supervision_note") == ["leader"]


def test_an_intervention_tells_the_person_or_the_organisations_staff_and_secretary(
    tree, superuser, office_staff, secretary, leader
):
    person = seat(leader, tree["own"], superuser)
    accountability_services.intervention_record(
        organisation=tree["own"], person=person, kind="remind", reason="逾期", by=office_staff
    )
    assert told("intervention") == ["leader"]
    Notification.objects.update(read_at=timezone.now())
    accountability_services.intervention_record(organisation=tree["own"], kind="talk", reason="进度滞后", by=superuser)
    assert sorted(Notification.objects.filter(read_at__isnull=True).values_list("recipient__username", flat=True)) == [
        "office",
        "secretary",
    ]


def test_nobody_is_told_of_a_record_he_may_not_open(tree, superuser, office_staff):
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    listed = committee_list(tree["own"], superuser)
    notify(event=LIST_SUBMITTED, recipients=[office_staff, sibling_staff], text="x", target=listed)
    assert told() == ["office"]  # the sibling's page would answer 404


def test_reminders_five_days_before_and_on_the_first_overdue_day_once(tree, superuser, office_staff, secretary, leader):
    day = date(THIS_YEAR, 6, 10)
    person = seat(leader, tree["own"], superuser)
    listed = committee_list(tree["own"], superuser)
    add_task(listed, superuser, title="五天后到期", deadline=day + timedelta(days=5), responsible_person=person)
    add_task(listed, superuser, title="昨天到期", deadline=day - timedelta(days=1), responsible_person=person)
    add_task(listed, superuser, title="下月到期", deadline=day + timedelta(days=30), responsible_person=person)
    assert remind_deadlines(day) == 5
    assert told("task_due") == ["leader", "office"]
    assert told("task_overdue") == ["leader", "office", "secretary"]
    remind_deadlines(day)
    assert Notification.objects.count() == 5  # a second run of the day adds nothing


def test_the_message_centre_lists_marks_read_and_keeps_its_query_count(client, tree, superuser, office_staff):
    listed = committee_list(tree["own"], superuser)
    notify(event=LIST_SUBMITTED, recipients=[office_staff], text="第一条", target=listed)
    client.force_login(office_staff)
    url = reverse("core:notification_list")
    one = queries_for(client, url)
    for index in range(49):
        notify(event=LIST_SUBMITTED, recipients=[office_staff], text=f"第{index}条", target=listed)
    assert queries_for(client, url) == one
    page = client.get(url).content.decode()
    assert "50" in page and "未读" in page
    first = Notification.objects.filter(recipient=office_staff).first()
    response = client.post(reverse("core:notification_open", args=[first.pk]))
    assert response.status_code == 302 and response.url == listed.get_absolute_url()
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_user_cannot_open_someone_elses_notification(client, tree, superuser, office_staff, secretary):
    listed = committee_list(tree["own"], superuser)
    [mine] = notify(event=LIST_SUBMITTED, recipients=[secretary], text="x", target=listed)
    client.force_login(office_staff)
    assert client.post(reverse("core:notification_open", args=[mine.pk])).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
