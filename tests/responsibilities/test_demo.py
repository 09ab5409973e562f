"""The demo loader builds a realistic slice once and can be run again safely."""

import pytest
from django.contrib.auth import get_user_model

from responsibilities.demo import DEMO_USERS, load_demo
from responsibilities.models import Organisation, Person, TeamMembership, TeamRole

pytestmark = pytest.mark.django_db


def test_demo_builds_the_province_and_is_idempotent():
    created, accounts = load_demo()
    counts = (Organisation.objects.count(), Person.objects.count(), TeamMembership.objects.count())
    again, _ = load_demo()
    assert created and not again
    assert (Organisation.objects.count(), Person.objects.count(), TeamMembership.objects.count()) == counts
    assert 35 <= counts[0] <= 45 and 180 <= counts[1] <= 260
    assert [row[0] for row in accounts] == [row[0] for row in DEMO_USERS]


def test_demo_accounts_log_in_and_leaders_are_linked_to_their_seat(client):
    load_demo()
    secretary = get_user_model().objects.get(username="secretary")
    assert TeamMembership.objects.filter(
        person__user=secretary, role=TeamRole.SECRETARY, organisation__code="SH-01", end_date__isnull=True
    ).exists()
    assert client.login(username="office", password="Demo@2026")
