"""Reads of responsibility lists: who may see which list, lists with their counts, checklists, roll-up."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from core import scope
from responsibilities import rules
from responsibilities.escalations import intervened_after_deadline
from responsibilities.models import (
    Evidence,
    IssuedTask,
    ListItem,
    ListKind,
    ListStatus,
    ListTemplateVersion,
    OrderTally,
    Organisation,
    ProgressEntry,
    ReplyStatus,
    ResponsibilityList,
    RolloverJob,
    SupervisionNote,
    Task,
    TaskStatus,
    TaskTally,
    TeamMembership,
    WarningThreshold,
)
from responsibilities.models.lists import overdue_condition


def lists_visible_to(user, day: date) -> QuerySet[ResponsibilityList]:
    """Lists the user may read on ``day`` (the door's rule: ``models.lists.list_visibility``)."""
    return ResponsibilityList.objects.for_user(user, scope.VIEW, day=day)


def list_for(user, pk, day: date) -> ResponsibilityList:
    return get_object_or_404(
        lists_visible_to(user, day).select_related("organisation", "person", "template", "confirmed_by"), pk=pk
    )


def task_counts(prefix: str, today: date) -> dict:
    """Count annotations over active tasks reached through ``prefix`` (e.g. "items__tasks")."""
    active = Q(**{f"{prefix}__archived_at__isnull": True})
    done = Q(**{f"{prefix}__status": TaskStatus.DONE})
    return {
        "task_total": Count(prefix, filter=active, distinct=True),
        "task_done": Count(prefix, filter=active & done, distinct=True),
        "task_overdue": Count(prefix, filter=active & overdue_condition(today, f"{prefix}__"), distinct=True),
    }


def organisation_lists(user, organisation: Organisation, year: int, today: date) -> QuerySet[ResponsibilityList]:
    """The organisation's lists for a year that the user may see, committee list first, with counts."""
    return (
        lists_visible_to(user, today)
        .filter(organisation=organisation, year=year)
        .select_related("person", "template")
        .annotate(**task_counts("items__tasks", today))
        .order_by("kind", "person__name", "pk")
    )


def list_years(organisation: Organisation) -> list[int]:
    return list(
        ResponsibilityList.objects.filter(organisation=organisation)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def items_with_tasks(responsibility_list: ResponsibilityList, today: date) -> list[ListItem]:
    """The list's items, each with ``active_tasks``: one query for items, one for tasks."""
    tasks = (
        Task.objects.active()
        .select_related("responsible_person", "source__issuer")
        .annotate(
            latest_percent=latest_percent(),
            evidence_count=Count("evidence", filter=Q(evidence__archived_at__isnull=True)),
            intervened=intervened_after_deadline(),
        )
        .order_by("deadline", "pk")
    )
    thresholds = warning_thresholds()
    items = list(
        responsibility_list.items.order_by("number").prefetch_related(
            Prefetch("tasks", queryset=tasks, to_attr="active_tasks")
        )
    )
    for item in items:
        for task in item.active_tasks:
            annotate_deadline_state(task, today, thresholds)
    return items


def latest_percent():
    """Subquery: the percent of a task's newest progress entry, 0 when there is none."""
    newest = ProgressEntry.objects.filter(task=OuterRef("pk")).order_by("-date", "-pk").values("percent")[:1]
    return Coalesce(Subquery(newest, output_field=IntegerField()), Value(0))


def warning_thresholds() -> rules.Thresholds:
    """The 蓝黄红 thresholds an administrator set (one query); the rule's defaults for a missing row."""
    rows = {row.colour: row for row in WarningThreshold.objects.all()}
    defaults = rules.Thresholds()
    return rules.Thresholds(
        blue_days=rows["blue"].days if "blue" in rows else defaults.blue_days,
        yellow_days=rows["yellow"].days if "yellow" in rows else defaults.yellow_days,
        red_days=rows["red"].days if "red" in rows else defaults.red_days,
        red_after_intervention=rows["red"].after_intervention if "red" in rows else defaults.red_after_intervention,
    )


def annotate_deadline_state(task: Task, today: date, thresholds: rules.Thresholds | None = None) -> None:
    """Overdue, due soon and the 蓝黄红 warning of a task (``intervened`` annotated, else taken as no)."""
    done = task.status == TaskStatus.DONE
    task.overdue = rules.is_overdue(done, task.deadline, today)
    task.due_soon = rules.is_due_soon(done, task.deadline, today)
    if thresholds is not None:
        task.warning = rules.warning_for(
            done=done,
            deadline=task.deadline,
            today=today,
            intervened=bool(getattr(task, "intervened", False)),
            thresholds=thresholds,
        )


def task_for(user, pk, today: date) -> Task:
    """A task whose list the user may see, or 404."""
    task = get_object_or_404(
        Task.objects.for_user(user, scope.VIEW, day=today)
        .select_related(
            "item__responsibility_list__organisation",
            "item__responsibility_list__person",
            "responsible_person",
            "source__issuer",
        )
        .annotate(intervened=intervened_after_deadline()),
        pk=pk,
    )
    annotate_deadline_state(task, today, warning_thresholds())
    return task


def progress_of(task: Task) -> QuerySet[ProgressEntry]:
    return task.progress_entries.select_related("recorded_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.filter(archived_at__isnull=True), to_attr="files")
    )


def evidence_of(task: Task) -> QuerySet[Evidence]:
    return task.evidence.filter(archived_at__isnull=True).select_related("uploaded_by", "progress_entry")


def evidence_for(user, pk, today: date) -> Evidence:
    return get_object_or_404(
        Evidence.objects.for_user(user, scope.VIEW, day=today).select_related("task__item"),
        pk=pk,
        archived_at__isnull=True,
    )


def supervision_notes(responsibility_list: ResponsibilityList) -> QuerySet[SupervisionNote]:
    return responsibility_list.supervision_notes.select_related("written_by")


def notes_visible_to(user, day) -> QuerySet[SupervisionNote]:
    return SupervisionNote.objects.for_user(user, scope.VIEW, day=day).select_related("responsibility_list__person")


# ---- My checklist -----------------------------------------------------------------------------


@dataclass
class Checklist:
    lists: list
    tasks: list
    overdue: list
    due_soon: list
    team_lists: list = field(default_factory=list)
    committee_lists: list = field(default_factory=list)
    awaiting: list = field(default_factory=list)

    @property
    def is_secretary(self) -> bool:
        return bool(self.committee_lists or self.team_lists or self.awaiting)


def committee_lists_with_items(lists: list[ResponsibilityList], today: date) -> None:
    """Each committee list gains ``items_with_tasks`` (its items, each with ``active_tasks`` carrying their
    progress and 蓝黄红 warning): one query for the items of all the lists and one for their tasks."""
    tasks = (
        Task.objects.active()
        .select_related("responsible_person")
        .annotate(latest_percent=latest_percent(), intervened=intervened_after_deadline())
        .order_by("deadline", "pk")
    )
    items = list(
        ListItem.objects.filter(responsibility_list__in=[rl.pk for rl in lists])
        .order_by("responsibility_list", "number")
        .prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="active_tasks"))
    )
    thresholds = warning_thresholds()
    by_list: dict[int, list[ListItem]] = {rl.pk: [] for rl in lists}
    for item in items:
        for task in item.active_tasks:
            annotate_deadline_state(task, today, thresholds)
        item.warned = sum(1 for task in item.active_tasks if task.warning or task.overdue)
        by_list[item.responsibility_list_id].append(item)
    for rl in lists:
        rl.items_with_tasks = by_list[rl.pk]


def _secretary_lists(user, today: date) -> QuerySet[ResponsibilityList]:
    """Lists the user may see of the organisations where she is the secretary today."""
    return ResponsibilityList.objects.for_user(user, day=today).filter(
        organisation__in=TeamMembership.objects.secretary_of(user, today)
    )


def awaiting_confirmation(user, today: date, pk: int | None = None) -> list[ResponsibilityList]:
    """Submitted lists of the organisations where the user is the secretary today, oldest first, with
    their task counts: what awaits her 确认 or 退回 (whatever their year). ``pk``: that list only."""
    lists = _secretary_lists(user, today)
    if pk is not None:
        lists = lists.filter(pk=pk)
    return list(
        lists.filter(status=ListStatus.SUBMITTED)
        .select_related("organisation", "person")
        .annotate(**task_counts("items__tasks", today))
        .order_by("submitted_at", "pk")
    )


def my_checklist(user, year: int, today: date) -> Checklist:
    """A leader's own tasks for a year by deadline, and, for a secretary, the team's lists with counts."""
    own_lists = list(
        ResponsibilityList.objects.filter(person__user=user, year=year)
        .select_related("organisation", "person")
        .annotate(**task_counts("items__tasks", today))
        .order_by("organisation__path", "kind")
    )
    tasks = list(
        Task.objects.active()
        .filter(item__responsibility_list__in=[rl.pk for rl in own_lists])
        .select_related("item__responsibility_list__organisation", "responsible_person")
        .annotate(latest_percent=latest_percent(), intervened=intervened_after_deadline())
        .order_by("deadline", "pk")
    )
    thresholds = warning_thresholds()
    for task in tasks:
        annotate_deadline_state(task, today, thresholds)
    # The secretary's view (第一责任人), read in one query and split here: the team's lists of the year
    # (not her own), her organisations' committee lists of the year (with their items, tasks, progress
    # and warnings below), and the submitted lists of any year awaiting her confirmation.
    team = Q(year=year, person__isnull=False) & ~Q(person__user=user)
    committee_of_year = Q(year=year, kind=ListKind.COMMITTEE)
    submitted = Q(status=ListStatus.SUBMITTED)
    secretary_lists = list(
        _secretary_lists(user, today)
        .filter(team | committee_of_year | submitted)
        .select_related("organisation", "person")
        .annotate(
            **task_counts("items__tasks", today),
            note_count=Count("supervision_notes", distinct=True),
        )
        .order_by("organisation__path", "kind", "person__name", "pk")
    )
    team_lists = [
        rl for rl in secretary_lists if rl.year == year and rl.person is not None and rl.person.user_id != user.pk
    ]
    for team_list in team_lists:
        team_list.can_note = rules.takes_supervision_notes(team_list.kind) and not team_list.is_closed
    committee = [rl for rl in secretary_lists if rl.year == year and rl.kind == ListKind.COMMITTEE]
    committee_lists_with_items(committee, today)
    # Oldest first, as awaiting_confirmation orders them (a list without a time last, as PostgreSQL puts NULL).
    awaiting = sorted(
        (rl for rl in secretary_lists if rl.status == ListStatus.SUBMITTED),
        key=lambda rl: (rl.submitted_at is None, rl.submitted_at or 0, rl.pk),
    )
    return Checklist(
        lists=own_lists,
        tasks=tasks,
        overdue=[t for t in tasks if t.overdue],
        due_soon=[t for t in tasks if t.due_soon],
        team_lists=team_lists,
        committee_lists=committee,
        awaiting=awaiting,
    )


# ---- Roll-up ----------------------------------------------------------------------------------


@dataclass
class RollupRow:
    organisation: Organisation | None  # None: the organisation's own lists (本级)
    counts: rules.Counts
    lagging: bool = False
    colours: rules.Colours = field(default_factory=rules.Colours)
    orders: rules.OrderCounts = field(default_factory=rules.OrderCounts)

    @property
    def rate(self) -> Decimal | None:
        return self.counts.rate


@dataclass
class Rollup:
    year: int
    own: rules.Counts
    subtree: rules.Counts
    rows: list[RollupRow]
    own_colours: rules.Colours = field(default_factory=rules.Colours)
    subtree_colours: rules.Colours = field(default_factory=rules.Colours)
    own_orders: rules.OrderCounts = field(default_factory=rules.OrderCounts)
    subtree_orders: rules.OrderCounts = field(default_factory=rules.OrderCounts)

    @property
    def lagging_count(self) -> int:
        return sum(1 for row in self.rows if row.lagging)


def _tallied_counts(today: date, thresholds: rules.Thresholds) -> dict:
    done = Q(status=TaskStatus.DONE)

    def tasks(condition=None):
        return Coalesce(Sum("task_count", filter=condition), 0)

    # The colours by days alone (the tallies know status and deadline); red "after an intervention"
    # is added from the tasks themselves in ``rollup``.
    return dict(
        total=tasks(),
        done=tasks(done),
        in_progress=tasks(Q(status=TaskStatus.IN_PROGRESS)),
        not_started=tasks(Q(status=TaskStatus.NOT_STARTED)),
        overdue=tasks(overdue_condition(today)),
        blue=tasks(~done & Q(deadline__gte=today, deadline__lte=today + timedelta(days=thresholds.blue_days))),
        late_yellow=tasks(~done & Q(deadline__lt=today - timedelta(days=thresholds.yellow_days))),
        late_red=tasks(~done & Q(deadline__lt=today - timedelta(days=thresholds.red_days))),
    )


def _colours(row: dict) -> rules.Colours:
    red = row["late_red"]
    return rules.Colours(blue=row["blue"], yellow=max(row["late_yellow"] - red, 0), red=red)


def rollup(organisation: Organisation, year: int, today: date, thresholds: rules.Thresholds | None = None) -> Rollup:
    """Task counts of the organisation's own lists and of each child's whole subtree, for a year.

    Read from the task tallies (``responsibilities.tallies``): the rows of the organisation and of
    its children only, so the cost does not grow with the size of the subtree. The organisation's
    own lists are its subtree less its children's subtrees.
    """
    thresholds = thresholds or warning_thresholds()
    children = list(Organisation.objects.filter(path__startswith=organisation.path, depth=organisation.depth + 1))
    tallied = list(
        TaskTally.objects.filter(year=year, organisation__in=[organisation.pk, *(child.pk for child in children)])
        .values("organisation")
        .annotate(**_tallied_counts(today, thresholds))
        .order_by()
    )
    by_organisation = {
        row["organisation"]: rules.Counts(
            row["total"], row["done"], row["in_progress"], row["not_started"], row["overdue"]
        )
        for row in tallied
    }
    colours = {row["organisation"]: _colours(row) for row in tallied}
    if thresholds.red_after_intervention:
        _red_after_intervention(organisation, children, year, today, thresholds, colours)
    subtree = by_organisation.get(organisation.pk, rules.Counts())
    subtree_colours = colours.get(organisation.pk, rules.Colours())
    rows = [
        RollupRow(child, by_organisation.get(child.pk, rules.Counts()), colours=colours.get(child.pk, rules.Colours()))
        for child in children
    ]
    orders = order_counts([organisation.pk, *(child.pk for child in children)], year, today)
    subtree_orders = orders.get(organisation.pk, rules.OrderCounts())
    for row in rows:
        row.orders = orders.get(row.organisation.pk, rules.OrderCounts())
    own, own_colours, own_orders = subtree, subtree_colours, subtree_orders
    for row in rows:
        own = own - row.counts
        own_colours = own_colours - row.colours
        own_orders = own_orders - row.orders
    # An archived child stays in the table while its tasks still count.
    rows = [row for row in rows if not row.organisation.is_archived or row.counts.total or row.orders.issued]
    for row in rows:
        row.lagging = rules.is_lagging(row.rate, subtree.rate)
    return Rollup(
        year=year,
        own=own,
        subtree=subtree,
        rows=rows,
        own_colours=own_colours,
        subtree_colours=subtree_colours,
        own_orders=own_orders,
        subtree_orders=subtree_orders,
    )


def order_counts(organisation_ids: list[int], year: int, today: date) -> dict[int, rules.OrderCounts]:
    """督办 received by each organisation's whole subtree whose reply deadline falls in ``year``, from
    the maintained counts (``responsibilities.tallies``): one query, a row per organisation."""
    unanswered = Q(status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED])

    def replies(condition=None):
        return Coalesce(Sum("reply_count", filter=condition), 0)

    rows = (
        OrderTally.objects.filter(
            organisation__in=organisation_ids, reply_by__gte=date(year, 1, 1), reply_by__lte=date(year, 12, 31)
        )
        .values("organisation")
        .annotate(
            issued=replies(),
            answered=replies(Q(status=ReplyStatus.ANSWERED)),
            closed=replies(Q(status=ReplyStatus.CLOSED)),
            overdue=replies(unanswered & Q(reply_by__lt=today)),
        )
        .order_by()
    )
    return {
        row["organisation"]: rules.OrderCounts(row["issued"], row["answered"], row["closed"], row["overdue"])
        for row in rows
    }


def _red_after_intervention(organisation, children, year, today, thresholds, colours) -> None:
    """Overdue tasks not yet red by their days that are red because an intervention did not end them:
    one query over the subtree (few tasks: only those with an intervention after the deadline), each
    moved to red in the child whose subtree holds it and in the organisation's subtree."""
    late = (
        Task.objects.active()
        .filter(
            item__responsibility_list__year=year,
            item__responsibility_list__organisation__path__startswith=organisation.path,
            deadline__lt=today,
            deadline__gte=today - timedelta(days=thresholds.red_days),
        )
        .exclude(status=TaskStatus.DONE)
        .filter(intervened_after_deadline())
        .values_list("item__responsibility_list__organisation__path", "deadline")
    )
    for path, deadline in late:
        was_yellow = deadline < today - timedelta(days=thresholds.yellow_days)
        holders = [organisation.pk] + [child.pk for child in children if path.startswith(child.path)]
        for holder in holders:
            counted = colours.setdefault(holder, rules.Colours())
            counted.red += 1
            if was_yellow:
                counted.yellow -= 1


ROLLUP_SORTS = {
    "name": lambda row: row.organisation.path,
    "rate": lambda row: (row.rate is None, row.rate if row.rate is not None else 0),
    "overdue": lambda row: -row.counts.overdue,
    "total": lambda row: -row.counts.total,
}


def sort_rollup(rows: list[RollupRow], key: str) -> list[RollupRow]:
    return sorted(rows, key=ROLLUP_SORTS.get(key, ROLLUP_SORTS["name"]))


# ---- Roll-over ------------------------------------------------------------------------------


def rollover_runs(user, organisation: Organisation, limit: int = 20) -> list:
    """The roll-overs started for an organisation's subtree, newest first (those the user may follow)."""
    return list(
        RolloverJob.objects.for_user(user)
        .filter(root=organisation)
        .select_related("started_by__person")
        .order_by("-created_at", "-pk")[:limit]
    )


# ---- Cascade ----------------------------------------------------------------------------------


def issued_tasks_of(organisation: Organisation, year: int) -> QuerySet[IssuedTask]:
    return (
        IssuedTask.objects.filter(issuer=organisation, year=year)
        .annotate(
            recipient_count=Count("recipient_tasks"),
            done_count=Count("recipient_tasks", filter=Q(recipient_tasks__status=TaskStatus.DONE)),
        )
        .order_by("-issued_at")
    )


def issued_tasks_visible_to(user) -> QuerySet[IssuedTask]:
    return IssuedTask.objects.for_user(user)


def issued_tasks_counted(user) -> QuerySet[IssuedTask]:
    """The issued tasks the user may see, with their recipients counted (the working table's rows)."""
    return (
        issued_tasks_visible_to(user)
        .select_related("issuer")
        .annotate(
            recipient_count=Count("recipient_tasks"),
            done_count=Count("recipient_tasks", filter=Q(recipient_tasks__status=TaskStatus.DONE)),
        )
    )


def issued_task_for(user, pk) -> IssuedTask:
    return get_object_or_404(IssuedTask.objects.for_user(user).select_related("issuer", "issued_by"), pk=pk)


def recipients_status(issued: IssuedTask, today: date) -> list[Task]:
    """Each recipient's copy of the issued task with its status and latest progress."""
    tasks = list(
        issued.recipient_tasks.select_related("item__responsibility_list__organisation")
        .annotate(
            latest_percent=latest_percent(),
            evidence_count=Count("evidence", filter=Q(evidence__archived_at__isnull=True)),
            intervened=intervened_after_deadline(),
        )
        .order_by("item__responsibility_list__organisation__path")
    )
    thresholds = warning_thresholds()
    for task in tasks:
        annotate_deadline_state(task, today, thresholds)
    return tasks


def recipient_candidates(organisation: Organisation) -> QuerySet[Organisation]:
    """Active organisations below the issuer, in tree order."""
    return Organisation.objects.subtree(organisation, include_self=False).active()


# ---- Templates --------------------------------------------------------------------------------


def template_versions() -> QuerySet[ListTemplateVersion]:
    return ListTemplateVersion.objects.annotate(
        item_count=Count("items", distinct=True), list_count=Count("lists", distinct=True)
    )


def template_items_by_kind(version: ListTemplateVersion) -> list[tuple[str, list]]:
    items = list(version.items.order_by("kind", "number"))
    return [(label, [item for item in items if item.kind == kind]) for kind, label in ListKind.choices]
