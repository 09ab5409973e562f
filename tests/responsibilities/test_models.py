"""The database has the last word: constraints, triggers and tree queries on PostgreSQL."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from responsibilities.models import Organisation, TeamMembership, TeamRole
from tests.helpers import REFUSED_BY_TRIGGER
from tests.responsibilities.factories import PersonFactory, make_organisation

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_secretary_with_overlapping_term():
    organisation = make_organisation()
    TeamMembership.objects.create(
        organisation=organisation, person=PersonFactory(), role=TeamRole.SECRETARY, start_date=date(2024, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            organisation=organisation, person=PersonFactory(), role=TeamRole.SECRETARY, start_date=date(2025, 1, 1)
        )


def test_database_allows_consecutive_secretaries():
    organisation = make_organisation()
    TeamMembership.objects.create(
        organisation=organisation,
        person=PersonFactory(),
        role=TeamRole.SECRETARY,
        start_date=date(2020, 1, 1),
        end_date=date(2024, 12, 31),
    )
    TeamMembership.objects.create(
        organisation=organisation, person=PersonFactory(), role=TeamRole.SECRETARY, start_date=date(2025, 1, 1)
    )
    assert TeamMembership.objects.filter(organisation=organisation).count() == 2


def test_database_refuses_membership_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        TeamMembership.objects.create(
            organisation=make_organisation(),
            person=PersonFactory(),
            role=TeamRole.MEMBER,
            start_date=date(2024, 5, 1),
            end_date=date(2024, 4, 30),
        )


def test_database_refuses_duplicate_organisation_code():
    make_organisation(code="DUP")
    other = make_organisation(code="OTHER")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=other.pk).update(code="DUP")


def test_database_refuses_to_delete_an_organisation():
    organisation = make_organisation()
    with pytest.raises(REFUSED_BY_TRIGGER), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM responsibilities_organisation WHERE id = %s", [organisation.pk])
    assert Organisation.objects.filter(pk=organisation.pk).exists()


def test_subtree_is_one_query_at_any_depth():
    root = make_organisation()
    node = root
    for _ in range(6):
        node = make_organisation(parent=node)
    with CaptureQueriesContext(connection) as captured:
        names = list(Organisation.objects.subtree(root).values_list("name", flat=True))
    assert len(names) == 7
    assert len(captured) == 1


def test_ancestor_paths_need_no_query():
    root = make_organisation()
    child = make_organisation(parent=root)
    grandchild = make_organisation(parent=child)
    assert grandchild.ancestor_paths() == [root.path, child.path]


def test_every_update_is_in_the_history_with_old_and_new_values():
    organisation = make_organisation(name="旧名称")
    Organisation.objects.filter(pk=organisation.pk).update(name="新名称")  # even a bulk update is recorded
    names = list(organisation.events.order_by("pgh_id").values_list("pgh_label", "name"))
    assert names == [("insert", "旧名称"), ("update", "新名称")]


def test_team_on_a_day_includes_start_and_end_days():
    organisation = make_organisation()
    membership = TeamMembership.objects.create(
        organisation=organisation,
        person=PersonFactory(),
        role=TeamRole.MEMBER,
        start_date=date(2024, 3, 1),
        end_date=date(2024, 6, 30),
    )
    on = TeamMembership.objects.filter(organisation=organisation).on
    assert list(on(date(2024, 2, 29))) == []
    assert list(on(date(2024, 3, 1))) == [membership]
    assert list(on(date(2024, 6, 30))) == [membership]
    assert list(on(date(2024, 7, 1))) == []
