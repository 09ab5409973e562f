"""What the responsibilities app puts on the 工作台 (待办 and 已办); registered in its AppConfig.ready.

Every row shown is read through a door (``for_user``; an 已办 source names its door beside the
user's own records, see ``core.worklist.DoneSource``), each provider runs a fixed number of queries
(a count and the first rows, joined) whatever the number of rows.
"""

from datetime import timedelta

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scope
from core.forms import AcknowledgeForm
from core.people import person_of
from core.worklist import TODO_LIMIT, Done, DoneSource, Todo, TodoRow, group
from responsibilities import rules
from responsibilities.escalations import intervened_after_deadline
from responsibilities.models import (
    Evidence,
    IssuedTask,
    ListItem,
    ListStatus,
    ProgressEntry,
    ResponsibilityList,
    Role,
    SupervisionNote,
    Task,
    TaskStatus,
    TeamMembership,
)
from responsibilities.selectors.lists import annotate_deadline_state, warning_thresholds


def office_paths(user) -> list[str]:
    """The organisations the user is assigned to as office staff (their own, not the whole subtree)."""
    return sorted({path for role, _dept, path in scope.assignments_of(user) if role == Role.OFFICE_STAFF})


def own_person_keys(user) -> list[int]:
    """The key of the user's person, as a list (empty without one): the 工作台's queries name the user's
    own rows by this key, since a join to the people made PostgreSQL read all of them."""
    person = person_of(user)
    return [person.pk] if person else []


def lists_todo(user, today) -> list[Todo]:
    groups = []
    to_confirm = (
        ResponsibilityList.objects.for_user(user, scope.VIEW, day=today)
        .filter(status=ListStatus.SUBMITTED, organisation__in=TeamMembership.objects.secretary_of(user, today))
        .select_related("organisation", "person")
        .order_by("submitted_at", "pk")
    )
    groups.append(
        group(
            "lists_to_confirm",
            _("待确认的责任清单"),
            _("确认或退回"),
            to_confirm,
            lambda rl: TodoRow(
                text=str(rl),
                url=rl.get_absolute_url(),
                detail=_("提交于 %(at)s") % {"at": f"{timezone.localtime(rl.submitted_at):%Y-%m-%d}"}
                if rl.submitted_at
                else "",
            ),
        )
    )
    paths = office_paths(user)
    if paths:
        returned = (
            ResponsibilityList.objects.for_user(user, scope.CHANGE)
            .filter(status=ListStatus.DRAFT, submitted_at__isnull=False, organisation__path__in=paths)
            .select_related("organisation", "person")
            .order_by("organisation__path", "kind", "pk")
        )
        groups.append(
            group(
                "lists_returned",
                _("被退回修改的责任清单"),
                _("修改后重新提交"),
                returned,
                lambda rl: TodoRow(text=str(rl), url=rl.get_absolute_url()),
            )
        )
    return groups


def due_tasks(user, today, blue_days: int):
    """Open tasks due within the blue warning's window or overdue: the user's own (responsible for, or
    on his or her list) and, for office staff, those of the organisations they are assigned to."""
    horizon = today + timedelta(days=blue_days)
    # The user's person and the items of his or her lists (and of the office's organisations) are read
    # first, so that the tasks are found through the task table's own indexes (responsible person,
    # item): one OR across the joined lists made PostgreSQL read every task due so far in the
    # province (1.6 s at N = 5,000 in December; BENCHMARKS.md).
    persons = own_person_keys(user)
    lists = Q(responsibility_list__person__in=persons)
    paths = office_paths(user)
    if paths:
        lists |= Q(responsibility_list__organisation__path__in=paths)
    open_items = ListItem.objects.filter(lists).exclude(responsibility_list__status=ListStatus.CLOSED)
    items = list(open_items.values_list("pk", flat=True))
    mine = Q(responsible_person__in=persons) | Q(item__in=items)
    return (
        Task.objects.for_user(user, scope.VIEW, day=today)
        .active()
        .filter(mine, deadline__lte=horizon)
        .exclude(status=TaskStatus.DONE)
        .exclude(item__responsibility_list__status=ListStatus.CLOSED)
        .select_related("item__responsibility_list__organisation", "responsible_person")
        .annotate(intervened=intervened_after_deadline())
        .order_by("deadline", "pk")
    )


def tasks_todo(user, today) -> list[Todo]:
    thresholds = warning_thresholds()

    def row(task):
        annotate_deadline_state(task, today, thresholds)
        late = task.deadline < today
        detail = (
            _("已逾期 %(n)s 天") % {"n": (today - task.deadline).days}
            if late
            else _("%(day)s 到期") % {"day": task.deadline}
        )
        return TodoRow(
            text=task.title,
            url=task.get_absolute_url(),
            detail=f"{task.item.responsibility_list.organisation.display_name} · {detail}",
            due=task.deadline,
            warning=task.warning,
        )

    tasks = due_tasks(user, today, thresholds.blue_days)
    return [group("tasks_due", _("即将到期和已逾期的任务"), _("填报进展"), tasks, row)]


def notes_todo(user, today) -> list[Todo]:
    notes = (
        SupervisionNote.objects.for_user(user, scope.VIEW, day=today)
        .filter(responsibility_list__person__user=user, acknowledged_at__isnull=True)
        .select_related("responsibility_list__organisation", "responsibility_list__person", "written_by")
        .order_by("date", "pk")
    )

    def row(note):
        return TodoRow(
            text=note.text[:80],
            url=note.get_absolute_url(),
            detail=_("%(day)s · %(who)s")
            % {"day": note.date, "who": note.written_by.get_full_name() or note.written_by},
            form=AcknowledgeForm(prefix=f"note{note.pk}"),
            form_url=reverse("responsibilities:supervision_note_acknowledge", args=[note.pk]),
        )

    return [group("notes", _("待阅的书记督促"), _("已阅"), notes, row)]


def lists_done(user, since) -> list[DoneSource]:
    # Moves of a list (submitted, confirmed, returned, closed) are its history rows with the user in
    # the context: the list keeps no "submitted by" field.
    moves = (
        ResponsibilityList.pgh_event_model.objects.filter(
            pgh_context__metadata__user=user.pk,
            pgh_created_at__gte=since,
            pgh_label="update",
        )
        .exclude(status=ListStatus.DRAFT, submitted_at__isnull=True)
        .select_related("pgh_obj__organisation", "pgh_obj__person")
    )
    return [
        DoneSource(
            moves,
            ("-pgh_created_at",),
            lambda event: Done(
                event.pgh_created_at,
                _("%(list)s：%(status)s")
                % {
                    "list": event.pgh_obj,
                    "status": _("退回修改") if event.status == ListStatus.DRAFT else ListStatus(event.status).label,
                },
                event.pgh_obj.get_absolute_url(),
            ),
            door=lambda events: events.filter(pgh_obj__in=ResponsibilityList.objects.for_user(user)),
        ),
        DoneSource(
            ProgressEntry.objects.filter(recorded_by=user, recorded_at__gte=since).select_related("task"),
            ("-recorded_at",),
            lambda p: Done(
                p.recorded_at,
                _("填报进展：%(task)s（%(percent)s%%）") % {"task": p.task.title, "percent": p.percent},
                p.task.get_absolute_url(),
            ),
        ),
        DoneSource(
            Evidence.objects.filter(uploaded_by=user, uploaded_at__gte=since).select_related("task"),
            ("-uploaded_at",),
            lambda e: Done(
                e.uploaded_at, _("上传佐证材料：%(name)s") % {"name": e.original_name}, e.task.get_absolute_url()
            ),
        ),
        DoneSource(
            SupervisionNote.objects.filter(written_by=user, created_at__gte=since).select_related(
                "responsibility_list__person", "responsibility_list__organisation"
            ),
            ("-created_at",),
            lambda n: Done(n.created_at, _("督促 %(list)s") % {"list": n.responsibility_list}, n.get_absolute_url()),
        ),
        DoneSource(
            SupervisionNote.objects.filter(responsibility_list__person__user=user, acknowledged_at__gte=since),
            ("-acknowledged_at",),
            lambda n: Done(
                n.acknowledged_at, _("已阅书记督促：%(text)s") % {"text": n.text[:40]}, n.get_absolute_url()
            ),
        ),
        DoneSource(
            IssuedTask.objects.filter(issued_by=user, issued_at__gte=since),
            ("-issued_at",),
            lambda i: Done(i.issued_at, _("下发任务：%(title)s") % {"title": i.title}, i.get_absolute_url()),
        ),
    ]


def without_secretary_todo(user, today) -> list[Todo]:
    """For office staff and administrators: teams in scope with no secretary today (补充书记)."""
    from responsibilities.selectors import organisations as org_selectors

    roles = scope.roles_of(user)
    if not (roles & {Role.OFFICE_STAFF, Role.ADMIN} or user.is_superuser):
        return []
    orgs = org_selectors.organisations_without_secretary(user, today).order_by("path")
    return [
        group(
            "without_secretary",
            _("目前没有书记的班子"),
            _("补充书记"),
            orgs,
            lambda org: TodoRow(text=org.name, url=org.get_absolute_url(), detail=org.code),
        )
    ]


def profile_panel(request):
    """Who the user is: roles, scope, own seats and team, inspector assignments (the former home page)."""
    from core.panels import Panel
    from responsibilities.selectors import organisations as org_selectors

    user, today = request.user, timezone.localdate()
    roles = scope.roles_of(user)
    context = {
        "roles": roles,
        "role_labels": [label for value, label in Role.choices if value in roles],
        "is_superuser": user.is_superuser,
        "scope_roots": org_selectors.tree_roots(user, today=today),
    }
    if roles & {Role.OFFICE_STAFF, Role.ADMIN} or user.is_superuser:
        context["counts"] = org_selectors.scope_counts(user)
    if Role.LEADER in roles or hasattr(user, "person"):
        context["my_memberships"] = org_selectors.my_memberships(user, today)
    if Role.INSPECTOR in roles:
        context["inspector_assignments"] = org_selectors.inspector_assignments(user)
    return Panel("responsibilities/_workbench_profile.html", context)


def orders_todo(user, today) -> list[Todo]:
    """督办 to answer (the recipient's side: its office staff, its secretary, the named person; not the
    issuer's side, whose staff also reach the recipient) and answers to accept or return (the
    issuer's office staff and secretary)."""
    from responsibilities.models import ReplyStatus, SupervisionReply

    office = office_paths(user)
    secretary = TeamMembership.objects.secretary_of(user, today)
    visible = SupervisionReply.objects.for_user(user).select_related("order__issuer", "organisation")
    to_answer = (
        visible.filter(status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED])
        .filter(
            Q(person__in=own_person_keys(user))
            | Q(organisation__in=secretary)
            | (scope.within(office, field="organisation__path") & ~scope.within(office, field="order__issuer__path"))
        )
        .order_by("order__reply_by", "pk")
    )
    to_accept = (
        visible.filter(status=ReplyStatus.ANSWERED)
        .filter(
            scope.within(scope.scope_paths(user, scope.CHANGE), field="order__issuer__path")
            | Q(order__issuer__in=secretary)
        )
        .order_by("answered_at", "pk")
    )

    def answer_row(reply):
        late = reply.is_overdue(today)
        return TodoRow(
            text=reply.order.title,
            url=reply.get_absolute_url(),
            detail=_("%(issuer)s 督办 · %(day)s 前反馈")
            % {"issuer": reply.order.issuer.name, "day": reply.order.reply_by},
            due=reply.order.reply_by,
            warning=rules.TaskWarning("red", _("红色预警·逾期未反馈")) if late else None,
        )

    return [
        group("orders_to_answer", _("待反馈的督办"), _("反馈"), to_answer, answer_row),
        group(
            "orders_to_accept",
            _("待办结的督办反馈"),
            _("办结或退回"),
            to_accept,
            lambda reply: TodoRow(
                text=reply.order.title,
                url=reply.get_absolute_url(),
                detail=_("%(org)s 已反馈") % {"org": reply.organisation.name},
            ),
        ),
    ]


def orders_done(user, since) -> list[DoneSource]:
    """督办 the user issued, answered or closed."""
    from responsibilities.models import SupervisionOrder, SupervisionReply

    replies = SupervisionReply.objects.select_related("order")
    return [
        DoneSource(
            SupervisionOrder.objects.filter(issued_by=user, issued_at__gte=since),
            ("-issued_at",),
            lambda o: Done(o.issued_at, _("签发督办：%(title)s") % {"title": o.title}, o.get_absolute_url()),
        ),
        DoneSource(
            replies.filter(answered_by=user, answered_at__gte=since),
            ("-answered_at",),
            lambda r: Done(r.answered_at, _("反馈督办：%(title)s") % {"title": r.order.title}, r.get_absolute_url()),
        ),
        DoneSource(
            replies.filter(closed_by=user, closed_at__gte=since),
            ("-closed_at",),
            lambda r: Done(r.closed_at, _("办结督办：%(title)s") % {"title": r.order.title}, r.get_absolute_url()),
        ),
    ]


def problems_todo(user, today) -> list[Todo]:
    """Measures due (the user is responsible for them, or is on the rectifying side of their problem as
    office staff of its organisation below the finder) and problems awaiting 复核 (staff of the
    finding organisation or above)."""
    from responsibilities.models import Problem, ProblemStatus, RectificationMeasure
    from responsibilities.permissions import RECORDING_ROLES

    office = office_paths(user)
    # The user's side is named by keys, not by joins: the person's key, and the open problems of the
    # offices' organisations that somebody outside them found (or they found themselves). An OR across
    # the joined person and organisations made PostgreSQL join every open measure of the province
    # before filtering (50 ms at N = 5,000); this way it reads the open measures once with a hashed
    # list of problems.
    sides = Q(responsible_person__in=own_person_keys(user))
    if office:
        rectifying = Problem.objects.filter(
            scope.within(office, field="organisation__path"),
            ~scope.within(office, field="found_by__path") | Q(found_by=F("organisation")),
            status__in=[ProblemStatus.OPEN, ProblemStatus.RECTIFYING],
        )
        sides |= Q(problem__in=rectifying.values("pk"))
    measures = (
        RectificationMeasure.objects.for_user(user)
        .filter(completed_on__isnull=True, problem__status__in=[ProblemStatus.OPEN, ProblemStatus.RECTIFYING])
        .filter(sides)
        .select_related("problem__organisation", "responsible_person")
        .order_by("deadline", "pk")
    )
    reviewing = (
        Problem.objects.for_user(user)
        .filter(status=ProblemStatus.REVIEW)
        .filter(scope.within(scope.scope_paths(user, scope.VIEW, roles=RECORDING_ROLES), field="found_by__path"))
        .select_related("organisation")
        .order_by("submitted_at", "pk")
    )

    def measure_row(measure):
        return TodoRow(
            text=measure.text[:80],
            url=measure.get_absolute_url(),
            detail=_("%(org)s · 问题“%(title)s” · %(person)s")
            % {
                "org": measure.problem.organisation.name,
                "title": measure.problem.title,
                "person": measure.responsible_person.name,
            },
            due=measure.deadline,
            warning=rules.TaskWarning("red", _("红色预警·逾期未完成")) if measure.deadline < today else None,
        )

    return [
        group("measures_due", _("待完成的整改措施"), _("填报进展"), measures, measure_row),
        group(
            "problems_to_review",
            _("待复核的问题"),
            _("复核销号"),
            reviewing,
            lambda problem: TodoRow(
                text=problem.title,
                url=problem.get_absolute_url(),
                detail=_("%(org)s 提请复核") % {"org": problem.organisation.name},
            ),
        ),
    ]


def problems_done(user, since) -> list[DoneSource]:
    """Problems the user recorded or closed (销号)."""
    from responsibilities.models import Problem

    return [
        DoneSource(
            Problem.objects.filter(recorded_by=user, recorded_at__gte=since),
            ("-recorded_at",),
            lambda p: Done(p.recorded_at, _("登记问题：%(title)s") % {"title": p.title}, p.get_absolute_url()),
        ),
        DoneSource(
            Problem.objects.filter(closed_by=user, closed_at__gte=since),
            ("-closed_at",),
            lambda p: Done(p.closed_at, _("问题销号：%(title)s") % {"title": p.title}, p.get_absolute_url()),
        ),
    ]


def signing_todo(user, today) -> list[Todo]:
    """The user's own lists of this year (and next year's, made in December) not signed as they stand
    (责任书签收): unsigned, or changed since signing."""
    from responsibilities.selectors import duties

    if not user.is_authenticated or "leader" not in scope.roles_of(user):
        return []
    waiting = list(duties.unsigned_own_lists(user, today.year) | duties.unsigned_own_lists(user, today.year + 1))
    rows = [
        TodoRow(
            text=str(rl),
            url=rl.get_absolute_url(),
            detail=_("签收后已修改，请重新签收") if rl.has_signature else _("尚未签收"),
        )
        for rl in waiting[:TODO_LIMIT]
    ]
    return [Todo(key="lists_to_sign", title=_("待签收的责任书"), action=_("签收"), rows=rows, count=len(waiting))]
