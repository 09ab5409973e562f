"""Who is told what in the responsibilities app (消息中心), and the daily deadline reminders.

Recipients come from the assignments and the dated team on the day: an organisation's office staff
are the users assigned to it as 党建工作人员; its secretary is the login of the person holding the
secretary's seat that day. Every notification goes through ``core.notifications.notify``, which
leaves out whoever may not open the linked record.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import channels, scope
from core.models import Notification
from core.notifications import notify, register_event
from responsibilities import rules
from responsibilities.models import (
    Assignment,
    ListStatus,
    ReminderSetting,
    ResponsibilityList,
    Role,
    Task,
    TaskStatus,
    TeamMembership,
    TeamRole,
)

LIST_SUBMITTED = register_event("list_submitted", gettext_lazy("责任清单已提交，待确认"))
LIST_RETURNED = register_event("list_returned", gettext_lazy("责任清单被退回修改"))
LIST_CONFIRMED = register_event("list_confirmed", gettext_lazy("责任清单已确认"))
TASK_ISSUED = register_event("task_issued", gettext_lazy("上级下发任务"))
NOTE_ADDED = register_event("supervision_note", gettext_lazy("书记督促"))
TASK_DUE = register_event("task_due", gettext_lazy("任务即将到期"))
TASK_OVERDUE = register_event("task_overdue", gettext_lazy("任务已逾期"))


def office_staff_users(organisation_ids) -> dict[int, list]:
    """The office staff of each organisation (users assigned there as 党建工作人员), one query."""
    rows = (
        Assignment.objects.active()
        .filter(organisation__in=list(organisation_ids), role=Role.OFFICE_STAFF, user__is_active=True)
        .select_related("user")
    )
    staff = defaultdict(list)
    for row in rows:
        staff[row.organisation_id].append(row.user)
    return staff


def secretary_users(organisation_ids, day: date) -> dict[int, list]:
    """The login of each organisation's secretary on the day (none where the seat is vacant), one query."""
    rows = (
        TeamMembership.objects.on(day)
        .filter(organisation__in=list(organisation_ids), role=TeamRole.SECRETARY, person__user__isnull=False)
        .select_related("person__user")
    )
    secretaries = defaultdict(list)
    for row in rows:
        secretaries[row.organisation_id].append(row.person.user)
    return secretaries


def _list_name(responsibility_list) -> str:
    return str(responsibility_list)


def list_moved(responsibility_list: ResponsibilityList, target: str, by, day: date) -> None:
    """A list was submitted (the secretary is told), returned or confirmed (the office staff are)."""
    organisation = responsibility_list.organisation_id
    if target == ListStatus.SUBMITTED:
        event, recipients = LIST_SUBMITTED, secretary_users([organisation], day)[organisation]
        text = _("%(list)s 已提交，请确认。") % {"list": _list_name(responsibility_list)}
    elif target == ListStatus.DRAFT:
        event, recipients = LIST_RETURNED, office_staff_users([organisation])[organisation]
        text = _("%(list)s 被书记退回修改。") % {"list": _list_name(responsibility_list)}
    elif target == ListStatus.CONFIRMED:
        event, recipients = LIST_CONFIRMED, office_staff_users([organisation])[organisation]
        text = _("%(list)s 已由书记确认。") % {"list": _list_name(responsibility_list)}
    else:
        return
    notify(event=event, recipients=recipients, text=text, target=responsibility_list, by=by)


def task_issued(issued, committee_lists: list[ResponsibilityList], by) -> None:
    """Each recipient organisation's office staff learn of the task issued down to them."""
    staff = office_staff_users(cl.organisation_id for cl in committee_lists)
    text = _("%(issuer)s 下发任务：%(title)s（完成时限 %(deadline)s）") % {
        "issuer": issued.issuer.name,
        "title": issued.title,
        "deadline": issued.deadline,
    }
    for committee in committee_lists:
        notify(event=TASK_ISSUED, recipients=staff[committee.organisation_id], text=text, target=committee, by=by)


def note_added(note, by) -> None:
    """The member whose list the secretary urged is told (if he or she has a login)."""
    responsibility_list = note.responsibility_list
    member = responsibility_list.person.user if responsibility_list.person_id else None
    text = _("书记对您的 %(list)s 记录了督促意见。") % {"list": _list_name(responsibility_list)}
    notify(event=NOTE_ADDED, recipients=[member], text=text, target=responsibility_list, by=by)


# ---- Daily reminders ------------------------------------------------------------------------------


def reminder_days_by_path() -> dict[str, int]:
    """The organisations' own 到期提醒 settings, by path (few rows: set where a subtree differs)."""
    return dict(
        ReminderSetting.objects.filter(organisation__archived_at__isnull=True).values_list(
            "organisation__path", "days_before"
        )
    )


def remind_deadlines(day: date, days_before: int | None = None) -> int:
    """The day's reminders: tasks due in N days (the responsible person and the office staff of the
    task's organisation) and tasks that became overdue today (the same, and the secretary). N is the
    organisation's 到期提醒 setting or its nearest ancestor's (``rules.reminder_days_for``), else
    ``days_before`` (default ``REMINDER_DAYS_BEFORE``). Each reminder lands once per person and task
    (a second run of the day adds nothing). Returns how many were created. A fixed number of queries
    per run plus one per ``scope.DOORS_PER_QUERY`` distinct recipients (each one's own door)."""
    default = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    days_by_path = reminder_days_by_path()
    overdue_from = day - timedelta(days=1)
    due_days = {day + timedelta(days=n) for n in {default, *days_by_path.values()}}
    candidates = (
        Task.objects.filter(archived_at__isnull=True)
        .exclude(status=TaskStatus.DONE)
        .exclude(item__responsibility_list__status=ListStatus.CLOSED)
        .filter(Q(deadline__in=due_days) | Q(deadline=overdue_from))
        .select_related("item__responsibility_list__organisation", "responsible_person__user")
    )
    tasks = []
    for task in candidates:
        # A deadline on one of the due days is due only where it is the organisation's own N days away.
        path = task.item.responsibility_list.organisation.path
        reminded_on = task.deadline - timedelta(days=rules.reminder_days_for(path, days_by_path, default))
        if task.deadline == overdue_from or reminded_on == day:
            tasks.append(task)
    if not tasks:
        return 0
    org_ids = {t.item.responsibility_list.organisation_id for t in tasks}
    staff, secretaries = office_staff_users(org_ids), secretary_users(org_ids, day)
    wanted = defaultdict(list)  # user -> [(task, event)]
    users = {}
    for task in tasks:
        organisation = task.item.responsibility_list.organisation_id
        overdue = task.deadline == overdue_from
        people = list(staff[organisation])
        if task.responsible_person_id and task.responsible_person.user_id:
            people.append(task.responsible_person.user)
        if overdue:
            people += secretaries[organisation]
        for user in people:
            if user.is_active:
                users[user.pk] = user
                wanted[user.pk].append((task, TASK_OVERDUE if overdue else TASK_DUE))
    # Each recipient's own list door, asked for many recipients per query, their assignments read at once.
    scope.prime_assignments(users.values())
    visible = scope.doors_open(
        ResponsibilityList.objects,
        (
            (users[user_pk], {task.item.responsibility_list_id for task, _event in items})
            for user_pk, items in wanted.items()
        ),
    )
    rows = []
    for user_pk, items in wanted.items():
        user = users[user_pk]
        seen = set()
        for task, event in items:
            if (user_pk, task.item.responsibility_list_id) not in visible or task.pk in seen:
                continue
            seen.add(task.pk)
            if event == TASK_DUE:
                text = _("任务“%(title)s”将于 %(deadline)s 到期（%(org)s）。")
            else:
                text = _("任务“%(title)s”已逾期（完成时限 %(deadline)s，%(org)s）。")
            text %= {
                "title": task.title,
                "deadline": task.deadline,
                "org": task.item.responsibility_list.organisation.name,
            }
            rows.append(
                Notification(
                    recipient=user,
                    event=event,
                    text=text[:300],
                    url=task.item.responsibility_list.get_absolute_url(),
                    key=f"{event}:{task.pk}:{task.deadline}",
                )
            )
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    channels.dispatch_keyed(rows)  # e-mail and SMS for those who asked (one read back, one insert)
    return len(rows)


def my_checklist_url() -> str:
    return reverse("responsibilities:my_checklist")
