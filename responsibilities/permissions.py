"""Who may do what with organisations and lists: each rule once (see ``core.permissions``)."""

from datetime import date

from django.utils import timezone

from core import scope
from core.permissions import rule
from responsibilities.models import STAFF_ROLES, Organisation, Task, TeamMembership, TeamRole


@rule("responsibilities.change")
def may_change(user, organisation: Organisation) -> bool:
    """Office staff and administrators of the organisation or above change its records and lists."""
    return scope.may(user, scope.CHANGE, organisation.path)


@rule("responsibilities.export_subtree")
def may_export_subtree(user, organisation: Organisation) -> bool:
    """The whole-subtree ledger holds every list below: for those who see every list (not leaders)."""
    return scope.may(user, scope.VIEW, organisation.path, roles=STAFF_ROLES)


@rule("responsibilities.see_issued")
def may_see_issued(user, issued) -> bool:
    """The issuing organisation's page of an issued task (the door's rule for one row, no query)."""
    return scope.may(user, scope.VIEW, issued.issuer.path, roles=STAFF_ROLES | {"leader"})


def is_secretary(user, organisation: Organisation, day: date) -> bool:
    return (
        TeamMembership.objects.on(day)
        .filter(organisation=organisation, role=TeamRole.SECRETARY, person__user=user)
        .exists()
        if user.is_authenticated
        else False
    )


def may_act_as(user, actor: str, organisation: Organisation) -> bool:
    if actor == "office":
        return may_change(user, organisation)
    if actor == "secretary":
        return is_secretary(user, organisation, timezone.localdate()) or user.is_superuser
    return False


@rule("responsibilities.report_progress")
def may_report_progress(user, task: Task) -> bool:
    """Office staff in scope, the owner of the personal list, or the task's responsible person."""
    responsibility_list = task.item.responsibility_list
    if may_change(user, responsibility_list.organisation):
        return True
    owner = responsibility_list.person
    responsible = task.responsible_person
    return user.is_authenticated and (
        (owner is not None and owner.user_id == user.pk) or (responsible is not None and responsible.user_id == user.pk)
    )
