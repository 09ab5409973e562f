"""Who may do what in assessments: each rule once (see ``core.permissions``)."""

from core import scope
from core.permissions import rule
from responsibilities.models import Organisation


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
