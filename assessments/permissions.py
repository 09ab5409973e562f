"""Who may do what in assessments: each rule once (see ``core.permissions``)."""

from django.utils import timezone

from core import scope
from core.permissions import rule
from responsibilities.models import Organisation
from responsibilities.permissions import is_secretary


@rule("assessments.manage")
def may_manage(user, scheme_or_assessor) -> bool:
    """Office staff and administrators over the assessing organisation run the scheme."""
    assessor = getattr(scheme_or_assessor, "assessor", scheme_or_assessor)
    return scope.may(user, scope.CHANGE, assessor.path)


def inspector_departments(user, organisation: Organisation) -> list[str]:
    """The assessing departments the user inspects for, at this organisation."""
    return sorted(
        {
            dept
            for role, dept, path in scope.assignments_of(user)
            if role == "inspector" and organisation.path.startswith(path)
        }
    )


@rule("assessments.score")
def may_score(user, inspection) -> bool:
    """Only inspectors of the inspection's department score it."""
    return inspection.department in inspector_departments(user, inspection.organisation)


@rule("assessments.define_indicators")
def may_define_any_indicators(user, scheme) -> bool:
    return may_manage(user, scheme) or bool(inspector_departments(user, scheme.assessor))


def may_define_indicators(user, scheme, department: str) -> bool:
    return may_manage(user, scheme) or department in inspector_departments(user, scheme.assessor)


# ---- The annual 主体责任 report -----------------------------------------------------------------

# The organisation's own office: its 党建工作人员 (or an administrator) assigned to it, not to a level
# above, whose staff receive the report rather than write it.
OWN_OFFICE_ROLES = {"office_staff", "admin"}


def is_own_office(user, organisation: Organisation) -> bool:
    return user.is_authenticated and any(
        role in OWN_OFFICE_ROLES and path == organisation.path for role, _dept, path in scope.assignments_of(user)
    )


@rule("assessments.prepare_report")
def may_prepare_report(user, organisation: Organisation) -> bool:
    """Draft, edit and submit an organisation's annual report: its own office staff (assigned to the
    organisation itself) or its secretary on the day."""
    return is_own_office(user, organisation) or is_secretary(user, organisation, timezone.localdate())


@rule("assessments.confirm_report")
def may_confirm_report(user, report) -> bool:
    """Confirm (and so send up) or send back a submitted report: the organisation's secretary on the day."""
    return is_secretary(user, report.organisation, timezone.localdate())


@rule("assessments.receive_report")
def may_receive_report(user, report) -> bool:
    """Receive or return a confirmed report: office staff and administrators of the organisation it is
    addressed to (主送机关) or above."""
    return scope.may(user, scope.CHANGE, report.recipient.path)


def may_move_report(user, actor: str, report) -> bool:
    """Whether the user is the ``actor`` of a report's status move (``rules.report_transition_actor``)."""
    if actor == "office":
        return may_prepare_report(user, report.organisation)
    if actor == "secretary":
        return may_confirm_report(user, report)
    if actor == "upper":
        return may_receive_report(user, report)
    return False
