"""Reads for the Excel ledger and the print view: several lists' items and tasks in a fixed number of queries."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce

from responsibilities.models import Evidence, ListItem, ResponsibilityList, Task
from responsibilities.selectors.lists import annotate_deadline_state, latest_percent


def lists_with_items(lists: list[ResponsibilityList], today: date) -> list[tuple[ResponsibilityList, list[ListItem]]]:
    """Each list with its items in number order, each item with ``active_tasks`` (annotated as on the list page).

    Two queries whatever the number of lists and tasks: the items of all the lists, then their tasks
    with ``latest_percent``, ``evidence_count`` and the responsible person.
    """
    lists = list(lists)
    if not lists:
        return []
    tasks = (
        Task.objects.active()
        .select_related("responsible_person")
        .annotate(
            latest_percent=latest_percent(),
            evidence_count=Count("evidence", filter=Q(evidence__archived_at__isnull=True)),
        )
        .order_by("deadline", "pk")
    )
    items = (
        ListItem.objects.filter(responsibility_list__in=[rl.pk for rl in lists])
        .order_by("responsibility_list", "number")
        .prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="active_tasks"))
    )
    by_list = defaultdict(list)
    for item in items:
        for task in item.active_tasks:
            annotate_deadline_state(task, today)
        by_list[item.responsibility_list_id].append(item)
    return [(rl, by_list[rl.pk]) for rl in lists]


def evidence_count():
    """Subquery: the number of a task's evidence files that are not archived."""
    files = (
        Evidence.objects.filter(task=OuterRef("pk"), archived_at__isnull=True)
        .order_by()
        .values("task")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(files, output_field=IntegerField()), Value(0))


def subtree_task_rows(user, organisation, year: int, limit: int | None = None):
    """Every active task of the subtree's lists for a year that the user sees, as plain value tuples
    in tree order.

    A server-side cursor (``iterator``) hands them over in chunks, so the export's memory does not
    grow with the number of tasks. The cursor lives in one transaction (on the database the reads
    go to, a replica's too): outside one, Django declares it WITH HOLD and fetches in separate
    statements, which PgBouncer in transaction mode may send to another server connection.
    """
    rows = (
        Task.objects.for_user(user)
        .filter(
            archived_at__isnull=True,
            item__responsibility_list__year=year,
            item__responsibility_list__organisation__path__startswith=organisation.path,
        )
        # 进度 (the newest progress entry's percent) and 佐证 (files kept, archived ones left out) as
        # correlated subqueries: one query, no GROUP BY over half a million rows.
        .annotate(progress=latest_percent(), evidence_count=evidence_count())
        .order_by(
            "item__responsibility_list__organisation__path",
            "item__responsibility_list__kind",
            "item__responsibility_list__person__name",
            "item__number",
            "deadline",
            "pk",
        )
        .values_list(
            "item__responsibility_list__organisation__name",
            "item__responsibility_list__organisation__code",
            "item__responsibility_list__kind",
            "item__responsibility_list__person__name",
            "item__number",
            "item__title",
            "title",
            "quantity",
            "unit",
            "deadline",
            "standard",
            "status",
            "completed_on",
            "responsible_person__name",
            "progress",
            "requirement",
            "evidence_count",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    return _in_one_transaction(rows)


def _in_one_transaction(rows):
    alias = rows.db
    with transaction.atomic(using=alias):
        yield from rows.using(alias).iterator(chunk_size=2000)
