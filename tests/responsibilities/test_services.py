"""Writes: validation messages in Chinese, scope re-checked, nothing changed on refusal."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import EditConflict
from responsibilities import services
from responsibilities.models import Organisation, OrganisationKind, TeamMembership, TeamRole
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_office_staff_creates_a_child_under_own_subtree(tree, office_staff):
    created = services.organisation_create(
        parent=tree["child"],
        name="测试县财政局党组",
        code="P-C-K-1",
        kind=OrganisationKind.LEADING_GROUP,
        by=office_staff,
    )
    assert created.path.startswith(tree["child"].path)
    assert created.depth == tree["child"].depth + 1


def test_office_staff_cannot_create_under_sibling(tree, office_staff):
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            parent=tree["sibling"], name="越权", code="X1", kind=OrganisationKind.COMMITTEE, by=office_staff
        )
    assert not Organisation.objects.filter(code="X1").exists()


def test_duplicate_code_is_refused_at_the_code_field(tree, office_staff):
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            parent=tree["own"], name="重复", code="P-C-K", kind=OrganisationKind.COMMITTEE, by=office_staff
        )
    assert messages_of(error.value) == {"code": ["组织代码已被其他组织使用。"]}


def test_organisation_cannot_become_its_own_ancestor(tree, office_staff):
    city = tree["own"]
    with pytest.raises(ValidationError) as error:
        services.organisation_update(
            organisation=city,
            version=city.version,
            parent=tree["child"],
            by=office_staff,
            name=city.name,
            short_name="",
            code=city.code,
            kind=city.kind,
        )
    assert messages_of(error.value) == {"parent": ["不能把组织移到它自己或它的下级组织之下。"]}
    city.refresh_from_db()
    assert city.depth == 2
    assert city.version == 1


def test_moving_an_organisation_moves_its_subtree(tree, superuser):
    county, sibling = tree["child"], tree["sibling"]
    grandchild = services.organisation_create(
        parent=county, name="县直机关", code="P-C-K-9", kind=OrganisationKind.BRANCH, by=superuser
    )
    services.organisation_update(
        organisation=county,
        version=county.version,
        parent=sibling,
        by=superuser,
        name=county.name,
        short_name="",
        code=county.code,
        kind=county.kind,
    )
    county.refresh_from_db()
    grandchild.refresh_from_db()
    assert county.path.startswith(sibling.path)
    assert grandchild.path.startswith(county.path)


def test_stale_version_is_refused_and_first_edit_survives(tree, office_staff):
    county = tree["child"]
    services.organisation_update(
        organisation=county,
        version=1,
        parent=None,
        by=office_staff,
        name="第一次修改",
        short_name="",
        code=county.code,
        kind=county.kind,
    )
    with pytest.raises(EditConflict):
        services.organisation_update(
            organisation=county,
            version=1,
            parent=None,
            by=office_staff,
            name="第二次修改",
            short_name="",
            code=county.code,
            kind=county.kind,
        )
    county.refresh_from_db()
    assert (county.name, county.version) == ("第一次修改", 2)


def test_archiving_needs_children_archived_first(tree, office_staff):
    with pytest.raises(ValidationError) as error:
        services.organisation_archive(organisation=tree["own"], version=1, reason="撤并", by=office_staff)
    assert "下级组织" in error.value.messages[0]
    services.organisation_archive(organisation=tree["child"], version=1, reason="撤并", by=office_staff)
    tree["child"].refresh_from_db()
    assert tree["child"].is_archived and tree["child"].archive_reason == "撤并"


def test_archiving_needs_a_reason(tree, office_staff):
    with pytest.raises(ValidationError) as error:
        services.organisation_archive(organisation=tree["child"], version=1, reason="  ", by=office_staff)
    assert messages_of(error.value) == {"reason": ["请填写归档原因。"]}


def test_second_current_secretary_is_refused_with_the_incumbent_named(tree, office_staff):
    org = tree["own"]
    first = PersonFactory(home_organisation=org, name="张一")
    services.membership_add(
        organisation=org, person=first, role=TeamRole.SECRETARY, start_date=date(2024, 1, 1), by=office_staff
    )
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            organisation=org,
            person=PersonFactory(home_organisation=org),
            role=TeamRole.SECRETARY,
            start_date=date(2025, 3, 1),
            by=office_staff,
        )
    assert messages_of(error.value) == {
        "role": ["该组织在这段时间已有书记：张一（2024-01-01 起）。请先结束其任职，再添加新书记。"]
    }
    assert TeamMembership.objects.filter(organisation=org).count() == 1


def test_a_new_secretary_follows_once_the_old_term_has_ended(tree, office_staff):
    org = tree["own"]
    old = services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org),
        role=TeamRole.SECRETARY,
        start_date=date(2020, 1, 1),
        by=office_staff,
    )
    services.membership_end(membership=old, version=old.version, end_date=date(2025, 2, 28), by=office_staff)
    new = services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org),
        role=TeamRole.SECRETARY,
        start_date=date(2025, 3, 1),
        by=office_staff,
    )
    secretaries_on = {
        day: list(TeamMembership.objects.on(day).filter(organisation=org, role=TeamRole.SECRETARY))
        for day in (date(2025, 2, 28), date(2025, 3, 1))
    }
    assert secretaries_on == {date(2025, 2, 28): [old], date(2025, 3, 1): [new]}


def test_same_person_twice_in_one_team_is_refused_at_the_person_field(tree, office_staff):
    org = tree["own"]
    person = PersonFactory(home_organisation=org, name="赵二")
    services.membership_add(
        organisation=org, person=person, role=TeamRole.MEMBER, start_date=date(2024, 1, 1), by=office_staff
    )
    with pytest.raises(ValidationError) as error:
        services.membership_add(
            organisation=org,
            person=person,
            role=TeamRole.LEADER_IN_CHARGE,
            start_date=date(2024, 6, 1),
            by=office_staff,
        )
    assert list(messages_of(error.value)) == ["person"]


def test_membership_ending_before_it_starts_is_refused(tree, office_staff):
    org = tree["own"]
    membership = services.membership_add(
        organisation=org,
        person=PersonFactory(home_organisation=org),
        role=TeamRole.MEMBER,
        start_date=date(2024, 5, 1),
        by=office_staff,
    )
    with pytest.raises(ValidationError) as error:
        services.membership_end(membership=membership, version=1, end_date=date(2024, 4, 30), by=office_staff)
    assert "任职结束日期不能早于开始日期。" in error.value.messages
    membership.refresh_from_db()
    assert membership.end_date is None


def test_history_rows_carry_the_acting_user(tree, office_staff):
    services.organisation_update(
        organisation=tree["child"],
        version=1,
        parent=None,
        by=office_staff,
        name="改名",
        short_name="",
        code=tree["child"].code,
        kind=tree["child"].kind,
    )
    event = tree["child"].events.order_by("-pgh_id").select_related("pgh_context").first()
    assert event.name == "改名"
    assert event.pgh_context.metadata["user"] == office_staff.pk


def test_only_administrators_grant_roles(tree, office_staff, outsider):
    with pytest.raises(PermissionDenied):
        services.assignment_grant(user=outsider, organisation=tree["own"], role="admin", by=office_staff)
