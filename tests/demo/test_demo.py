"""The demo loader builds a realistic slice once and can be run again safely (one load: it takes a while)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.loader import DEMO_USERS, load_demo
from responsibilities.models import Organisation, Person, ResponsibilityList, Task, TeamMembership, TeamRole
from responsibilities.selectors import lists as selectors

pytestmark = pytest.mark.django_db


def test_demo_builds_the_province_once_with_lists_and_accounts(client):
    created, accounts = load_demo()
    counts = [model.objects.count() for model in (Organisation, Person, TeamMembership, ResponsibilityList, Task)]
    again, _ = load_demo()
    assert created and not again
    assert [
        model.objects.count() for model in (Organisation, Person, TeamMembership, ResponsibilityList, Task)
    ] == counts
    organisations, people, _memberships, lists, tasks = counts
    assert 35 <= organisations <= 45 and 180 <= people <= 260
    assert lists == organisations + people - Person.objects.filter(memberships__end_date__isnull=False).count()
    assert tasks > lists
    assert [row[0] for row in accounts] == [row[0] for row in DEMO_USERS]

    secretary = get_user_model().objects.get(username="secretary")
    assert TeamMembership.objects.filter(
        person__user=secretary, role=TeamRole.SECRETARY, organisation__code="SH-01", end_date__isnull=True
    ).exists()
    assert client.login(username="office", password="Demo@2026")
    # The demo shows pressure fading: one county of the city lags well behind (once deadlines have
    # passed: early in January nothing is due yet, so nothing can lag).
    today = timezone.localdate()
    rollup = selectors.rollup(Organisation.objects.get(code="SH-01"), today.year, today)
    if rollup.subtree.done:
        assert [row.organisation.code for row in rollup.rows if row.lagging] == ["SH-01-03"]


def test_demo_loads_again_after_a_demo_seat_was_ended(superuser):
    from responsibilities import services

    load_demo()
    secretary = get_user_model().objects.get(username="secretary")
    seat = TeamMembership.objects.get(person__user=secretary, role=TeamRole.SECRETARY, end_date__isnull=True)
    services.membership_end(
        membership=seat, version=seat.version, end_date=timezone.localdate(), reason="换届", by=superuser
    )
    created, accounts = load_demo()
    assert not created and [row[0] for row in accounts] == [row[0] for row in DEMO_USERS]
    # The account stays with its person (whose seat has ended) and still logs in.
    assert Person.objects.get(user=secretary).pk == seat.person_id


def test_the_demo_is_never_loaded_into_a_database_with_real_organisations(tree):
    from django.core.management import CommandError, call_command

    users = get_user_model().objects.count()
    with pytest.raises(CommandError, match="非演示"):
        call_command("load_demo")
    assert get_user_model().objects.count() == users
    assert not get_user_model().objects.filter(username="office").exists()
