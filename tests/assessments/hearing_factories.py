"""A 述责述廉 of the county's team (a secretary and two members, each with a login and a personal
list) under the city's scheme, open today."""

from datetime import date, timedelta

from django.utils import timezone

from assessments import services
from responsibilities import services as team
from responsibilities.models import Role, TeamRole
from tests.conftest import make_user
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR, add_task


def county_team(tree, superuser):
    """name → (user, person): 王书记 the secretary, 赵委员 and 钱委员 members, all leaders of the county."""
    seats = {}
    for username, name, role in (
        ("wang", "王书记", TeamRole.SECRETARY),
        ("zhao", "赵委员", TeamRole.MEMBER),
        ("qian", "钱委员", TeamRole.MEMBER),
    ):
        user = make_user(username, tree["child"], Role.LEADER, superuser)
        person = PersonFactory(home_organisation=tree["child"], name=name, user=user)
        team.membership_add(
            organisation=tree["child"], person=person, role=role, start_date=date(2020, 1, 1), by=superuser
        )
        seats[name] = (user, person)
    return seats


def lists_with_tasks(tree, superuser, seats):
    """The county's lists of the year; 赵委员 has two tasks on his own list, one done."""
    from responsibilities.models import ResponsibilityList

    team.lists_generate(organisation=tree["child"], year=THIS_YEAR, by=superuser)
    personal = ResponsibilityList.objects.get(organisation=tree["child"], year=THIS_YEAR, person=seats["赵委员"][1])
    add_task(
        personal,
        superuser,
        deadline=date(THIS_YEAR, 12, 31),
        title="讲党课",
        status="done",
        completed_on=timezone.localdate(),
    )
    add_task(personal, superuser, deadline=date(THIS_YEAR, 12, 31), title="谈心谈话")
    return personal


def open_hearing(scheme, tree, by, **change):
    today = timezone.localdate()
    fields = {"opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=20)} | change
    return services.hearing_create(scheme=scheme, organisation=tree["child"], by=by, **fields)
