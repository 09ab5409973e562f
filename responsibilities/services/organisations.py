"""Every write to organisations, people, teams and assignments.

Each service is atomic, re-checks the acting user's scope inside the transaction, validates
with ``full_clean()``, and raises ``ValidationError`` with a Chinese message for a broken rule.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from core import scope
from core.models import lock_versioned
from core.services import require_scope, service
from responsibilities import tallies
from responsibilities.models import Assignment, Organisation, Person, TeamMembership, TeamRole
from responsibilities.signals import membership_added


def _lock_organisation(pk) -> Organisation:
    return Organisation.objects.select_for_update(of=("self",)).get(pk=pk)


# ---- Organisations ---------------------------------------------------------------------------


@service
def organisation_create(*, parent: Organisation | None, name, code, kind, short_name="", by) -> Organisation:
    organisation = Organisation(name=name, short_name=short_name, code=code, kind=kind)
    if parent is None:
        if not by.is_superuser:
            raise PermissionDenied(_("只有超级管理员可以创建顶级组织。"))
        organisation.full_clean(exclude=["path", "depth", "numchild"])
        return Organisation.objects.add_root(instance=organisation)
    parent = _lock_organisation(parent.pk)  # serialises sibling creation: treebeard numbers children
    require_scope(by, parent)
    if parent.is_archived:
        raise ValidationError({"parent": _("上级组织已归档，不能再添加下级组织。")}, code="parent_archived")
    organisation.full_clean(exclude=["path", "depth", "numchild"])
    return Organisation.objects.add_child(parent, instance=organisation)


@service
def organisation_update(*, organisation: Organisation, version: int, parent: Organisation | None, by, **fields):
    """Change an organisation's fields and, where ``parent`` differs, move it with its subtree."""
    require_scope(by, organisation)
    locked = lock_versioned(Organisation.objects.all(), organisation.pk, version)
    if locked.is_archived:
        raise ValidationError(_("已归档的组织不能修改。"), code="archived")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(exclude=["path", "depth", "numchild"])
    locked.save()
    if parent is not None and parent.path != locked.parent_path:
        _move(locked, parent, by)
        locked.refresh_from_db()
    return locked


def _move(organisation: Organisation, parent: Organisation, by) -> None:
    parent = _lock_organisation(parent.pk)
    require_scope(by, parent)
    if parent.path.startswith(organisation.path):
        raise ValidationError({"parent": _("不能把组织移到它自己或它的下级组织之下。")}, code="move_into_own_subtree")
    if parent.is_archived:
        raise ValidationError({"parent": _("上级组织已归档，不能再添加下级组织。")}, code="parent_archived")
    before = _ancestor_ids(organisation)
    try:
        Organisation.objects.move(organisation, parent, pos="last-child")
    except InvalidMoveToDescendant as error:  # the check above should already have caught it
        raise ValidationError({"parent": _("不能把组织移到它自己或它的下级组织之下。")}) from error
    organisation.refresh_from_db()
    after = _ancestor_ids(organisation)
    leaving, joining = sorted(before - after), sorted(after - before)
    tallies.move_tallies(organisation.pk, leaving=leaving, joining=joining)
    tallies.move_order_tallies(organisation.pk, leaving=leaving, joining=joining)
    tallies.move_problem_tallies(organisation.pk, leaving=leaving, joining=joining)
    tallies.move_signing_tallies(organisation.pk, leaving=leaving, joining=joining)


def _ancestor_ids(organisation: Organisation) -> set[int]:
    return set(Organisation.objects.filter(path__in=organisation.ancestor_paths()).values_list("pk", flat=True))


def organisation_archive_blocker(organisation: Organisation) -> str | None:
    """Why the organisation cannot be archived now: it still has active organisations below it."""
    if Organisation.objects.subtree(organisation, include_self=False).active().exists():
        return _("该组织还有未归档的下级组织，请先归档或移走下级组织。")
    return None


@service
def organisation_archive(*, organisation: Organisation, version: int | None, reason: str, by) -> Organisation:
    require_scope(by, organisation)
    locked = lock_versioned(Organisation.objects.all(), organisation.pk, version)
    blocker = organisation_archive_blocker(locked)
    if blocker:
        raise ValidationError(blocker, code="has_children")
    locked.mark_archived(reason=reason, by=by)
    locked.save()
    return locked


# ---- People ----------------------------------------------------------------------------------


@service
def person_create(*, name, post, post_level, home_organisation: Organisation, by) -> Person:
    require_scope(by, home_organisation)
    if home_organisation.is_archived:
        raise ValidationError({"home_organisation": _("所在单位已归档。")}, code="archived")
    person = Person(name=name, post=post, post_level=post_level, home_organisation=home_organisation)
    person.full_clean()
    person.save()
    return person


@service
def person_update(*, person: Person, version: int, by, **fields) -> Person:
    require_scope(by, person.home_organisation)
    locked = lock_versioned(Person.objects.select_related("home_organisation"), person.pk, version)
    if locked.is_archived:
        raise ValidationError(_("已归档的干部信息不能修改。"), code="archived")
    for name, value in fields.items():
        setattr(locked, name, value)
    if "home_organisation" in fields:
        require_scope(by, locked.home_organisation)
    locked.full_clean()
    locked.save()
    return locked


@service
def person_archive(*, person: Person, version: int | None, reason: str, by) -> Person:
    require_scope(by, person.home_organisation)
    locked = lock_versioned(Person.objects.all(), person.pk, version)
    if locked.memberships.filter(end_date__isnull=True).exists():
        raise ValidationError(_("此人还有在任的班子职务，请先结束任职。"), code="has_current_membership")
    locked.mark_archived(reason=reason, by=by)
    locked.save()
    return locked


# ---- Leadership teams ------------------------------------------------------------------------


@service
def membership_add(
    *,
    organisation: Organisation,
    person: Person,
    role: str,
    start_date: date,
    end_date: date | None = None,
    areas: str = "",
    by,
) -> TeamMembership:
    organisation = _lock_organisation(organisation.pk)  # one writer per team at a time
    require_scope(by, organisation)
    if organisation.is_archived:
        raise ValidationError(_("已归档的组织不能调整班子。"), code="archived")
    if person.is_archived:
        raise ValidationError({"person": _("该干部已归档。")}, code="person_archived")
    membership = TeamMembership(
        organisation=organisation, person=person, role=role, areas=areas, start_date=start_date, end_date=end_date
    )
    _check_overlaps(membership)
    membership.full_clean()
    membership.save()
    # The lists half gives someone joining mid-year the personal list for the years under way.
    membership_added.send(sender=TeamMembership, membership=membership)
    return membership


def _check_dates(membership: TeamMembership) -> None:
    # Checked before full_clean(): the overlap constraints cannot even build a reversed date range.
    if membership.end_date is not None and membership.end_date < membership.start_date:
        raise ValidationError({"end_date": _("任职结束日期不能早于开始日期。")}, code="end_before_start")


def _check_overlaps(membership: TeamMembership) -> None:
    """Say which seat a new term collides with (the exclusion constraints only say that it does)."""
    _check_dates(membership)
    overlapping = TeamMembership.objects.filter(organisation=membership.organisation).exclude(pk=membership.pk)
    overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gte=membership.start_date))
    if membership.end_date is not None:
        overlapping = overlapping.filter(start_date__lte=membership.end_date)
    same_person = overlapping.filter(person=membership.person).first()
    if same_person:
        raise ValidationError(
            {
                "person": _("%(name)s 自 %(start)s 起已是该班子成员（%(role)s），任职期间不能重复添加。")
                % {
                    "name": same_person.person.name,
                    "start": same_person.start_date,
                    "role": same_person.get_role_display(),
                }
            },
            code="person_overlap",
        )
    if membership.role == TeamRole.SECRETARY:
        secretary = overlapping.filter(role=TeamRole.SECRETARY).select_related("person").first()
        if secretary:
            raise ValidationError(
                {
                    "role": _("该组织在这段时间已有书记：%(name)s（%(start)s 起）。请先结束其任职，再添加新书记。")
                    % {"name": secretary.person.name, "start": secretary.start_date}
                },
                code="secretary_overlap",
            )


@service
def membership_end(*, membership: TeamMembership, version: int, end_date: date, reason: str = "", by) -> TeamMembership:
    require_scope(by, membership.organisation)
    locked = lock_versioned(TeamMembership.objects.all(), membership.pk, version)
    if locked.end_date is not None:
        raise ValidationError(_("该任职已于 %(day)s 结束。") % {"day": locked.end_date}, code="already_ended")
    locked.end_date = end_date
    locked.end_reason = reason
    _check_dates(locked)
    locked.full_clean()
    locked.save()
    return locked


# ---- Assignments -----------------------------------------------------------------------------


@service
def assignment_grant(*, user, organisation: Organisation, role: str, department: str = "", by) -> Assignment:
    # Granting roles is for system administrators only, else office staff could raise their own rights.
    if not scope.may(by, scope.CHANGE, organisation.path, roles={"admin"}):
        raise PermissionDenied(_("只有系统管理员可以授予角色。"))
    assignment = Assignment(user=user, organisation=organisation, role=role, department=department)
    assignment.full_clean()
    assignment.save()
    return assignment
