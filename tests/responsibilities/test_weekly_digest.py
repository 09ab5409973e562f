"""The secretaries' weekly digest: each team list's progress and what awaits her confirmation, once a
week per secretary, to the secretaries of the day only (not a vacant seat, not a former secretary,
not the secretary of an archived organisation), and through her channels as she chose."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.models import Delivery, Notification, NotificationPreference
from responsibilities import rules, services
from responsibilities.models import ListStatus, Person, ResponsibilityList, Role, TaskStatus, TeamMembership, TeamRole
from responsibilities.weekly import WEEKLY_DIGEST, send_weekly_digests, week_key
from tests.conftest import make_user
from tests.helpers import on_day
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

DAY = date(THIS_YEAR, 6, 10)


def test_the_text_lists_each_team_list_and_what_awaits_confirmation():
    members = [
        rules.MemberProgress("党委（党组）"),
        rules.MemberProgress("李领导", total=5, done=1, due_soon=1, overdue=2, colours=rules.Colours(1, 1, 1)),
    ]
    text = rules.weekly_digest_text(year=2026, week=24, organisations=["测试市委"], members=members, awaiting=1)
    assert text == (
        "2026 年第 24 周班子落实情况（测试市委）：党委（党组） 完成 0/0，将到期 0，逾期 0（蓝 0 黄 0 红 0）；"
        "李领导 完成 1/5，将到期 1，逾期 2（蓝 1 黄 1 红 1）。待您确认的清单 1 份。"
    )


def test_a_long_team_is_cut_to_the_message_length_and_says_how_many_more():
    members = [rules.MemberProgress(f"成员{index:02d}", total=10, done=3) for index in range(12)]
    text = rules.weekly_digest_text(year=2026, week=24, organisations=["测试市委"], members=members, awaiting=0)
    assert len(text) <= 300
    shown = sum(1 for index in range(12) if f"成员{index:02d} " in text)
    assert 0 < shown < 12
    assert f"另有 {12 - shown} 份清单见“我的责任清单”" in text and text.endswith("没有待您确认的清单。")


def test_the_week_key_names_the_iso_week():
    assert week_key(date(2026, 6, 10)) == "weekly_digest:2026-W24"
    assert week_key(date(2027, 1, 1)) == "weekly_digest:2026-W53"  # a Friday still in 2026's last week


@pytest.fixture
def team(tree, superuser, secretary, leader, office_staff):
    """The city's team: the secretary and 李领导 (a member) with five tasks, his list submitted."""
    person = Person.objects.get(user=leader)
    services.membership_add(
        organisation=tree["own"], person=person, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=superuser
    )
    committee_list(tree["own"], superuser)
    listed = ResponsibilityList.objects.get(organisation=tree["own"], year=THIS_YEAR, person=person)
    add_task(
        listed,
        superuser,
        title="已完成",
        deadline=date(THIS_YEAR, 6, 30),
        status=TaskStatus.DONE,
        completed_on=date(THIS_YEAR, 6, 1),
    )
    add_task(listed, superuser, title="两天后到期", deadline=DAY + timedelta(days=2))  # 蓝
    add_task(listed, superuser, title="逾期三天", deadline=DAY - timedelta(days=3))  # 黄
    add_task(listed, superuser, title="逾期四十天", deadline=DAY - timedelta(days=40))  # 红
    add_task(listed, superuser, title="月底到期", deadline=date(THIS_YEAR, 6, 30))
    listed.refresh_from_db()
    services.list_transition(
        responsibility_list=listed, version=listed.version, target=ListStatus.SUBMITTED, by=office_staff
    )
    return listed


@pytest.mark.django_db
@on_day(DAY)
def test_each_secretary_of_the_day_gets_one_digest_a_week(tree, superuser, secretary, team):
    # The sibling city's former secretary (the seat is vacant since May): not told.
    former = make_user("former_secretary", tree["sibling"], Role.LEADER, superuser)
    seat = services.membership_add(
        organisation=tree["sibling"],
        person=PersonFactory(home_organisation=tree["sibling"], user=former),
        role=TeamRole.SECRETARY,
        start_date=date(2020, 1, 1),
        by=superuser,
    )
    seat = TeamMembership.objects.get(pk=seat.pk)
    services.membership_end(membership=seat, version=seat.version, end_date=date(THIS_YEAR, 5, 31), by=superuser)
    # The county's secretary, the county archived: not told.
    archived_secretary = make_user("county_secretary", tree["child"], Role.LEADER, superuser)
    services.membership_add(
        organisation=tree["child"],
        person=PersonFactory(home_organisation=tree["child"], user=archived_secretary),
        role=TeamRole.SECRETARY,
        start_date=date(2020, 1, 1),
        by=superuser,
    )
    county = tree["child"]
    county.refresh_from_db()
    services.organisation_archive(organisation=county, version=county.version, reason="撤并", by=superuser)
    # The province has no secretary at all (a vacant seat): nobody is told for it.

    assert send_weekly_digests(DAY) == 1
    [digest] = Notification.objects.filter(event=WEEKLY_DIGEST)
    assert digest.recipient == secretary
    assert digest.text == (
        f"{THIS_YEAR} 年第 24 周班子落实情况（测试市委）：党委（党组） 完成 0/0，将到期 0，逾期 0（蓝 0 黄 0 红 0）；"
        "李领导 完成 1/5，将到期 1，逾期 2（蓝 1 黄 1 红 1）。待您确认的清单 1 份。"
    )
    assert digest.url == reverse("responsibilities:my_checklist")
    assert digest.key == f"weekly_digest:{THIS_YEAR}-W24"

    send_weekly_digests(DAY)  # a re-run in the same week
    send_weekly_digests(DAY + timedelta(days=4))  # Sunday, still week 24
    assert Notification.objects.filter(event=WEEKLY_DIGEST).count() == 1
    send_weekly_digests(DAY + timedelta(days=5))  # Monday: week 25
    assert Notification.objects.filter(event=WEEKLY_DIGEST, recipient=secretary).count() == 2


@pytest.mark.django_db
@on_day(DAY)
def test_the_digest_goes_through_the_channels_the_secretary_chose(tree, secretary, team, office_staff):
    NotificationPreference.objects.create(
        user=secretary, email="shuji@example.com", channels={"weekly_digest": ["email"]}
    )
    NotificationPreference.objects.create(user=office_staff, email="office@example.com", channels={})
    send_weekly_digests(DAY)
    [delivery] = Delivery.objects.all()
    assert (delivery.recipient, delivery.channel, delivery.address) == (secretary, "email", "shuji@example.com")
    assert list(delivery.notifications.values_list("event", flat=True)) == ["weekly_digest"]
