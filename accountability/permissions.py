"""Who may do what in accountability: each rule once (see ``core.permissions``)."""

from django.utils import timezone

from core import scope
from core.permissions import nav_flag, rule
from responsibilities.permissions import secretary_of

# Who handles cases: the 纪检 and 组织 inspectors and the administrators of the organisation or above.
CASE_DEPARTMENTS = ("discipline", "organisation")


def case_handler_paths(user) -> list[str] | None:
    """Subtrees whose cases (and restrictions, screening) the user handles; None means everything."""
    if user.is_superuser:
        return None
    paths = list(scope.scope_paths(user, scope.VIEW, roles={"admin"}) or [])
    for department in CASE_DEPARTMENTS:
        paths += scope.scope_paths(user, scope.VIEW, roles={"inspector"}, department=department) or []
    return scope.minimal_prefixes(paths)


@rule("accountability.handle_cases")
def handles_cases(user, organisation) -> bool:
    return scope.covers(case_handler_paths(user), organisation.path)


@rule("accountability.see_restrictions")
def sees_restrictions(user, person) -> bool:
    """Confidential like the cases: their handlers in scope, and the person himself or herself."""
    return (person.user_id is not None and person.user_id == user.pk) or handles_cases(user, person.home_organisation)


def may_intervene(user, organisation, secretary_ids: set[int] | None = None) -> bool:
    """Office staff and administrators in scope, and the organisation's secretary (for his or her team).

    Pass ``secretary_ids`` (from ``secretary_of``) when asking for many organisations at once.
    """
    if scope.may(user, scope.CHANGE, organisation.path):
        return True
    if secretary_ids is None:
        secretary_ids = secretary_of(user, timezone.localdate())
    return organisation.pk in secretary_ids


rule("accountability.intervene")(lambda user, organisation: may_intervene(user, organisation))


@nav_flag("nav_handles_cases")
def handles_any_cases(user) -> bool:
    paths = case_handler_paths(user)
    return paths is None or bool(paths)


def admin_paths(user):
    """Subtrees the user administers (rule sets are drafted, published and adopted there)."""
    return scope.scope_paths(user, scope.VIEW, roles={"admin"})


def may_manage_rules(user) -> bool:
    """Administrators (and superusers) draft, publish and adopt rule sets."""
    paths = admin_paths(user)
    return paths is None or bool(paths)


@rule("accountability.adopt_rules")
def may_adopt_for(user, organisation) -> bool:
    return scope.covers(admin_paths(user), organisation.path)


@rule("accountability.edit_rule_set")
def may_edit_rule_set(user, rule_set) -> bool:
    """A draft, edited by the administrators of the organisation that drafts it and above."""
    if not rule_set.is_draft:
        return False
    if user.is_superuser:
        return True
    return rule_set.owner_id is not None and scope.covers(admin_paths(user) or [], rule_set.owner.path)


def may_acknowledge(user, intervention) -> bool:
    """Who answers an intervention (已阅/反馈): the person it concerns; for an organisation, the office
    staff assigned to that organisation and its secretary on the day (those the 消息中心 told)."""
    if not user.is_authenticated:
        return False
    if intervention.person_id:
        return intervention.person.user_id == user.pk
    if intervention.organisation_id in secretary_of(user, timezone.localdate()):
        return True
    return any(
        role == "office_staff" and path == intervention.organisation.path
        for role, _dept, path in scope.assignments_of(user)
    )


rule("accountability.acknowledge")(may_acknowledge)
