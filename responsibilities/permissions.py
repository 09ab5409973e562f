"""Who may do what with organisations and lists: each rule once (see ``core.permissions``)."""

from datetime import date

from django.utils import timezone

from core import scope
from core.permissions import nav_flag, rule
from responsibilities import rules
from responsibilities.models import STAFF_ROLES, Organisation, Role, SupervisionReply, Task, TeamMembership, TeamRole


@rule("responsibilities.change")
def may_change(user, organisation: Organisation) -> bool:
    """Office staff and administrators of the organisation or above change its records and lists."""
    return scope.may(user, scope.CHANGE, organisation.path)


@nav_flag("nav_dashboard")
def sees_a_dashboard(user) -> bool:
    """The 驾驶舱 is the counts of an organisation's subtree, read by whoever may see the organisation
    (as its roll-up is): anyone with a role somewhere (no query: the assignments are read for scope)."""
    paths = scope.scope_paths(user, scope.VIEW)
    return paths is None or bool(paths)


@rule("responsibilities.export_subtree")
def may_export_subtree(user, organisation: Organisation) -> bool:
    """The whole-subtree ledger holds every list below: for those who see every list (not leaders)."""
    return scope.may(user, scope.VIEW, organisation.path, roles=STAFF_ROLES)


@rule("responsibilities.see_issued")
def may_see_issued(user, issued) -> bool:
    """The issuing organisation's page of an issued task (the door's rule for one row, no query)."""
    return scope.may(user, scope.VIEW, issued.issuer.path, roles=STAFF_ROLES | {"leader"})


def secretary_of(user, day: date) -> set[int]:
    """Ids of the organisations where the user is the secretary on a day (one query: pass the set
    to the rules below when asking about many rows)."""
    if not user.is_authenticated:
        return set()
    return set(TeamMembership.objects.secretary_of(user, day).values_list("organisation_id", flat=True))


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


# ---- 督办 ----


def may_issue(user, issuer: Organisation, secretaries: set[int] | None = None) -> bool:
    """The office staff (and administrators) of the issuing organisation or above, or its secretary."""
    if scope.may(user, scope.CHANGE, issuer.path):
        return True
    if secretaries is None:
        return is_secretary(user, issuer, timezone.localdate())
    return issuer.pk in secretaries


def may_answer(user, reply: SupervisionReply, secretaries: set[int] | None = None) -> bool:
    """The recipient's side: office staff assigned to the recipient or to an organisation between it
    and the issuer, the recipient's secretary, or the person the 督办 names. Not the issuer's side,
    whose staff also reach the recipient's records: a 督办 is not answered by whoever issued it."""
    if not user.is_authenticated:
        return False
    if reply.person_id and reply.person.user_id == user.pk:
        return True
    issuer_path, recipient_path = reply.order.issuer.path, reply.organisation.path
    for role, _dept, path in scope.assignments_of(user):
        if role == Role.OFFICE_STAFF and recipient_path.startswith(path) and len(path) > len(issuer_path):
            return True
    if secretaries is None:
        return is_secretary(user, reply.organisation, timezone.localdate())
    return reply.organisation_id in secretaries


def may_close(user, reply: SupervisionReply, secretaries: set[int] | None = None) -> bool:
    return may_issue(user, reply.order.issuer, secretaries)


# As rules (two arguments: the secretaries' set is an optimisation for listing pages, not an input).
rule("responsibilities.issue_order")(lambda user, issuer: may_issue(user, issuer))
rule("responsibilities.answer_order")(lambda user, reply: may_answer(user, reply))
rule("responsibilities.close_order")(lambda user, reply: may_close(user, reply))


# ---- Problems and rectification (问题清单、整改) ------------------------------------------------------

RECORDING_ROLES = {"office_staff", "inspector", "admin"}


@rule("responsibilities.record_problem")
def may_record_problem(user, found_by: Organisation) -> bool:
    """Office staff, inspectors and administrators of the finding organisation (or above) record what
    it found; the organisation the problem belongs to must lie in the finder's subtree (the service)."""
    return scope.may(user, scope.VIEW, found_by.path, roles=RECORDING_ROLES)


@rule("responsibilities.rectify_problem")
def may_rectify(user, problem) -> bool:
    """The rectifying side: office staff of the organisation or of one between it and the finder (not
    the finder's own staff, who check the rectification, unless the organisation found it itself),
    its secretary, or the person responsible for the problem."""
    if not user.is_authenticated:
        return False
    if problem.person_id and problem.person.user_id == user.pk:
        return True
    finder, own = problem.found_by.path, problem.organisation.path
    for role, _dept, path in scope.assignments_of(user):
        if role in ("office_staff", "admin") and own.startswith(path) and (len(path) > len(finder) or finder == own):
            return True
    return is_secretary(user, problem.organisation, timezone.localdate())


@rule("responsibilities.report_measure")
def may_report_measure(user, measure) -> bool:
    """The measure's responsible person, or the rectifying side of its problem."""
    if user.is_authenticated and measure.responsible_person.user_id == user.pk:
        return True
    return may_rectify(user, measure.problem)


@rule("responsibilities.review_problem")
def may_review(user, problem) -> bool:
    """复核 and 销号: office staff, inspectors and administrators of the organisation that found the
    problem, or of one above it (``rules.reviews_problem``)."""
    return user.is_authenticated and rules.reviews_problem(
        problem.found_by.path, scope.scope_paths(user, scope.VIEW, roles=RECORDING_ROLES)
    )


# ---- 履责纪实 and 责任书签收 -------------------------------------------------------------------------


@rule("responsibilities.change_duty")
def may_change_duty(user, record) -> bool:
    """A duty record (saved or about to be) is written by its leader with his or her own login, or by
    office staff and administrators of its organisation (or above) on the leader's behalf. Inspectors
    (纪检) and the secretary read it only. Whether its year is still open is the service's check."""
    if not user.is_authenticated:
        return False
    if record.person.user_id == user.pk:
        return True
    return may_change(user, record.organisation)


@rule("responsibilities.sign_list")
def may_sign(user, responsibility_list) -> bool:
    """Only the list's own person signs it, with his or her own login: nobody signs on someone's
    behalf, not an administrator either (the status rules are ``rules.signing_refusal``)."""
    return (
        user.is_authenticated
        and responsibility_list.person_id is not None
        and responsibility_list.person.user_id == user.pk
    )
