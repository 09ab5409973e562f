"""Who is told of a problem: recorded (assigned), returned and closed → the rectifying organisation's
office staff, its secretary and the person responsible; submitted for 复核 → the finding
organisation's office staff. Through ``core.notifications.notify``, which checks each recipient's door.

The daily run (``remind_problems``): a problem still open the day after its 整改时限 → the rectifying
side and the finding organisation's office staff; a measure not completed the day after its 完成时限 →
its responsible person and the rectifying organisation's office staff. Each once (keyed)."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import notify, notify_many, register_event
from responsibilities.models import Problem, ProblemStatus, RectificationMeasure
from responsibilities.notifications import office_staff_users, secretary_users

PROBLEM_ASSIGNED = register_event("problem_assigned", gettext_lazy("问题整改交办"))
PROBLEM_SUBMITTED = register_event("problem_submitted", gettext_lazy("问题整改待复核"))
PROBLEM_RETURNED = register_event("problem_returned", gettext_lazy("问题整改被退回"))
PROBLEM_CLOSED = register_event("problem_closed", gettext_lazy("问题已销号"))
PROBLEM_OVERDUE = register_event("problem_overdue", gettext_lazy("问题整改逾期"))
MEASURE_OVERDUE = register_event("measure_overdue", gettext_lazy("整改措施逾期"))

# Problems whose rectification is still the rectifying side's to do (待复核 waits for the finder).
UNRECTIFIED = [ProblemStatus.OPEN, ProblemStatus.RECTIFYING]


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


def remind_problems(day: date) -> int:
    """The day's problem reminders (see the module docstring); returns how many were created. A fixed
    number of queries plus one per ``scope.DOORS_PER_QUERY`` recipients (``notify_many``)."""
    yesterday = day - timedelta(days=1)
    problems = list(
        Problem.objects.filter(status__in=UNRECTIFIED, deadline=yesterday).select_related(
            "organisation", "person__user"
        )
    )
    measures = list(
        RectificationMeasure.objects.filter(
            problem__status__in=UNRECTIFIED,
            deadline=yesterday,
            completed_on__isnull=True,
        ).select_related("problem__organisation", "responsible_person__user")
    )
    organisations = {p.organisation_id for p in problems} | {m.problem.organisation_id for m in measures}
    staff = office_staff_users(organisations | {p.found_by_id for p in problems})
    secretaries = secretary_users(organisations, day)
    keys = [f"problem_overdue:{p.pk}:{p.deadline}" for p in problems]
    keys += [f"measure_overdue:{m.pk}:{m.deadline}" for m in measures]
    before = Notification.objects.filter(key__in=keys).count()
    late_problems, late_measures = [], []
    for problem in problems:
        people = staff[problem.organisation_id] + secretaries[problem.organisation_id] + staff[problem.found_by_id]
        if problem.person_id and problem.person.user_id:
            people.append(problem.person.user)
        text = _("问题“%(title)s”已过整改时限（%(day)s），%(org)s 尚未整改到位。") % {
            "title": problem.title,
            "day": problem.deadline,
            "org": problem.organisation.name,
        }
        late_problems.append((people, text, problem, f"problem_overdue:{problem.pk}:{problem.deadline}"))
    for measure in measures:
        people = list(staff[measure.problem.organisation_id])
        if measure.responsible_person.user_id:
            people.append(measure.responsible_person.user)
        text = _("整改措施“%(text)s”已过完成时限（%(day)s），问题：%(title)s。") % {
            "text": str(measure),
            "day": measure.deadline,
            "title": measure.problem.title,
        }
        late_measures.append((people, text, measure.problem, f"measure_overdue:{measure.pk}:{measure.deadline}"))
    notify_many(event=PROBLEM_OVERDUE, messages=late_problems)
    notify_many(event=MEASURE_OVERDUE, messages=late_measures)
    return Notification.objects.filter(key__in=keys).count() - before
