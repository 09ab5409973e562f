"""The doors asked for many users at once (the daily runs): the same answers as one user at a time."""

import pytest
from django.contrib.auth import get_user_model

from core import scope
from core.models import Notification
from core.notifications import notify_many
from responsibilities.models import ResponsibilityList, Role
from responsibilities.notifications import LIST_SUBMITTED
from tests.conftest import make_user
from tests.responsibilities.list_factories import committee_list

pytestmark = pytest.mark.django_db


def test_prime_assignments_reads_everyones_assignments_in_one_query(
    tree, superuser, office_staff, leader, outsider, django_assert_num_queries
):
    make_user("county_office", tree["child"], Role.OFFICE_STAFF, superuser)
    users = list(get_user_model().objects.filter(username__in=["office", "leader", "outsider", "county_office"]))
    with django_assert_num_queries(1):
        scope.prime_assignments(users)
    with django_assert_num_queries(0):
        found = {user.username: scope.assignments_of(user) for user in users}
        scope.prime_assignments(users)  # already read: nothing asked again
    assert found == {
        "office": [("office_staff", "", "00010001")],
        "leader": [("leader", "", "00010001")],
        "outsider": [],
        "county_office": [("office_staff", "", "000100010001")],
    }


def test_doors_open_answers_each_users_own_door_in_one_query(
    tree, superuser, office_staff, secretary, leader, django_assert_num_queries
):
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    own, sibling = committee_list(tree["own"], superuser), committee_list(tree["sibling"], superuser)
    users = [office_staff, secretary, leader, sibling_staff]
    scope.prime_assignments(users)
    with django_assert_num_queries(1):
        opened = scope.doors_open(ResponsibilityList.objects, [(user, [own.pk, sibling.pk]) for user in users])
    names = {user.pk: user.username for user in users}
    codes = {own.pk: "P-C", sibling.pk: "P-S"}
    assert {(names[user], codes[listed]) for user, listed in opened} == {
        ("office", "P-C"),
        ("secretary", "P-C"),
        ("leader", "P-C"),
        ("sibling_office", "P-S"),
    }
    for user in users:  # the same as each one's door asked alone
        alone = set(
            ResponsibilityList.objects.for_user(user).filter(pk__in=[own.pk, sibling.pk]).values_list("pk", flat=True)
        )
        assert alone == {listed for pk, listed in opened if pk == user.pk}
    assert len(scope.doors_open(ResponsibilityList.objects, [(user, [own.pk]) for user in users], chunk=2)) == 3


def test_notify_many_tells_only_those_whose_door_opens_once_per_key(tree, superuser, office_staff, secretary):
    sibling_staff = make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser)
    own, sibling = committee_list(tree["own"], superuser), committee_list(tree["sibling"], superuser)
    messages = [
        ([office_staff, sibling_staff, secretary, None], "本级清单", own, "k:own"),
        ([office_staff, sibling_staff], "兄弟市清单", sibling, "k:sibling"),
    ]
    notify_many(event=LIST_SUBMITTED, messages=messages, by=secretary)
    told = sorted(Notification.objects.values_list("recipient__username", "key", "url"))
    assert told == [
        ("office", "k:own", own.get_absolute_url()),
        ("sibling_office", "k:sibling", sibling.get_absolute_url()),
    ]
    notify_many(event=LIST_SUBMITTED, messages=messages, by=secretary)
    assert Notification.objects.count() == 2  # a second run adds nothing
    with pytest.raises(ValueError):
        notify_many(event=LIST_SUBMITTED, messages=[([office_staff], "x", own, "")])
