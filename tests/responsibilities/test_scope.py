"""Scoping for each role against its own organisation, a child, the parent and a sibling."""

import pytest

from core import scope
from responsibilities.models import Organisation, Person, TeamMembership
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db

VISIBLE_FROM_OWN = {"own": True, "child": True, "parent": False, "sibling": False}


def visible(user, tree, action=scope.VIEW):
    allowed = set(Organisation.objects.for_user(user, action).values_list("pk", flat=True))
    return {name: org.pk in allowed for name, org in tree.items()}


@pytest.mark.parametrize("role", ["office_staff", "administrator", "inspector", "leader", "secretary"])
def test_every_role_sees_own_organisation_and_below_but_not_parent_or_sibling(request, tree, role):
    user = request.getfixturevalue(role)
    assert visible(user, tree) == VISIBLE_FROM_OWN


@pytest.mark.parametrize("role", ["office_staff", "administrator"])
def test_office_staff_and_administrators_may_change_own_subtree(request, tree, role):
    assert visible(request.getfixturevalue(role), tree, scope.CHANGE) == VISIBLE_FROM_OWN


@pytest.mark.parametrize("role", ["inspector", "leader", "secretary"])
def test_inspectors_and_leaders_change_no_organisation(request, tree, role):
    assert not any(visible(request.getfixturevalue(role), tree, scope.CHANGE).values())


def test_user_without_assignment_sees_nothing(tree, outsider):
    assert not any(visible(outsider, tree).values())


def test_superuser_sees_everything(tree, superuser):
    assert all(visible(superuser, tree).values())


def test_people_follow_their_home_organisation_scope(tree, office_staff):
    people = {name: PersonFactory(home_organisation=org) for name, org in tree.items()}
    allowed = set(Person.objects.for_user(office_staff).values_list("pk", flat=True))
    assert {name: p.pk in allowed for name, p in people.items()} == VISIBLE_FROM_OWN


def test_leader_sees_own_person_record_even_outside_subtree(tree, leader):
    own = leader.person
    own.home_organisation = tree["sibling"]
    own.save()
    assert Person.objects.for_user(leader).filter(pk=own.pk).exists()
    assert not Person.objects.for_user(leader, scope.CHANGE).filter(pk=own.pk).exists()


def test_memberships_follow_their_organisation_scope(tree, office_staff):
    from datetime import date

    rows = {
        name: TeamMembership.objects.create(
            organisation=org, person=PersonFactory(home_organisation=org), role="member", start_date=date(2024, 1, 1)
        )
        for name, org in tree.items()
    }
    allowed = set(TeamMembership.objects.for_user(office_staff).values_list("pk", flat=True))
    assert {name: m.pk in allowed for name, m in rows.items()} == VISIBLE_FROM_OWN


def test_nested_assignments_are_collapsed_to_one_prefix():
    assert scope.minimal_prefixes({"0001", "00010002", "0002", "000100020003"}) == ["0001", "0002"]
