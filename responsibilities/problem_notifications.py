"""Who is told of a problem: recorded (assigned), returned and closed → the rectifying organisation's
office staff, its secretary and the person responsible; submitted for 复核 → the finding
organisation's office staff. Through ``core.notifications.notify``, which checks each recipient's door."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import notify, register_event
from responsibilities.notifications import office_staff_users, secretary_users

PROBLEM_ASSIGNED = register_event("problem_assigned", gettext_lazy("问题整改交办"))
PROBLEM_SUBMITTED = register_event("problem_submitted", gettext_lazy("问题整改待复核"))
PROBLEM_RETURNED = register_event("problem_returned", gettext_lazy("问题整改被退回"))
PROBLEM_CLOSED = register_event("problem_closed", gettext_lazy("问题已销号"))


def _rectifying_side(problem) -> list:
    org = problem.organisation_id
    people = office_staff_users([org])[org] + secretary_users([org], timezone.localdate())[org]
    if problem.person_id and problem.person.user_id:
        people.append(problem.person.user)
    return people


def problem_assigned(problem, by) -> None:
    text = _("%(finder)s 发现问题：%(title)s，请于 %(day)s 前整改到位。") % {
        "finder": problem.found_by.name,
        "title": problem.title,
        "day": problem.deadline,
    }
    notify(event=PROBLEM_ASSIGNED, recipients=_rectifying_side(problem), text=text, target=problem, by=by)


def problem_submitted(problem, by) -> None:
    text = _("%(org)s 已完成问题整改，提请复核：%(title)s。") % {
        "org": problem.organisation.name,
        "title": problem.title,
    }
    staff = office_staff_users([problem.found_by_id])[problem.found_by_id]
    notify(event=PROBLEM_SUBMITTED, recipients=staff, text=text, target=problem, by=by)


def problem_reviewed(problem, closed: bool, by) -> None:
    if closed:
        event, text = PROBLEM_CLOSED, _("问题“%(title)s”经复核已销号。") % {"title": problem.title}
    else:
        event, text = (
            PROBLEM_RETURNED,
            _("问题“%(title)s”的整改被退回：%(reason)s") % {"title": problem.title, "reason": problem.return_reason},
        )
    notify(event=event, recipients=_rectifying_side(problem), text=text, target=problem, by=by)
