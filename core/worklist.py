"""工作台: what awaits a user now (待办) and what he or she did lately (已办), gathered from the apps.

Each app registers its providers here when it starts (its ``AppConfig.ready``), as with
``core.panels``, so that the kernel imports no domain app. A to-do provider is
``provider(user, today) -> list[Todo]`` and a done provider ``provider(user, since) -> list[DoneSource]``;
every row shown is read through a door (``Model.objects.for_user``) with the joins it draws.

The providers hand over querysets, not rows: the kernel counts every group of the page in one query
(``load_counts``), reads the rows of the groups that have any, asks in one query which sources of
已办 hold anything of the user's, and finds the newest of those through their doors in one more
(``done_rows``). A 工作台 of twenty groups and twenty sources of 已办 costs a few
queries, not sixty, whatever the number of rows.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

# How many rows one provider shows at most; the count beside it is the full number.
TODO_LIMIT = 20
DONE_DAYS = 30
DONE_LIMIT = 30


class Todo:
    """One kind of waiting work: a group of rows (e.g. "lists to confirm") and how many there are.

    Either made with its rows (and count), or with a door-scoped ``queryset`` and ``make_row``: then the
    count and the first ``TODO_LIMIT`` rows are read when first needed, unless ``load_counts`` read the
    counts of many groups at once before.
    """

    def __init__(self, key, title, action, rows=None, count=0, *, queryset=None, make_row=None):
        self.key, self.title, self.action = key, title, action
        self.queryset, self.make_row = queryset, make_row
        self._rows = (rows or []) if queryset is None else None
        self._count = (count or len(rows or [])) if queryset is None else None
        self._ids = None  # the keys of the first TODO_LIMIT rows, in order, when ``load_counts`` read them

    @property
    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    @property
    def rows(self) -> list["TodoRow"]:
        """The first ``TODO_LIMIT`` rows. When ``load_counts`` found their keys (in order, from the door's
        query without the joins that only draw a row), the rows are read by key with those joins:
        joined before the filter, the drawing joins made PostgreSQL join every candidate row of a
        province."""
        if self._rows is None:
            if not self.count:
                objects = []
            elif self._ids is None:
                objects = list(self.queryset[:TODO_LIMIT])
            else:
                found = {obj.pk: obj for obj in self.queryset.order_by().filter(pk__in=self._ids)}
                objects = [found[pk] for pk in self._ids if pk in found]
            self._rows = [self.make_row(obj) for obj in objects]
        return self._rows

    def __repr__(self):
        return f"Todo({self.key!r}, count={self.count})"


def group(key, title, action, queryset, make_row) -> Todo:
    """A group read from a queryset (already through its door, ordered, with its joins)."""
    return Todo(key, title, action, queryset=queryset, make_row=make_row)


def _compiled(queryset: QuerySet) -> tuple[str, tuple] | None:
    """The queryset's SQL and parameters; None when it can have no rows (e.g. a door's ``nobody()``)."""
    try:
        return queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None


def _ranked(queryset: QuerySet) -> QuerySet:
    """The group's keys, each with the group's full count and its place in the group's order.

    The first rows are those ranked up to ``TODO_LIMIT``, not an ORDER BY … LIMIT: under a LIMIT
    PostgreSQL may read the rows in index order, expecting to stop early, though the count needs them
    all. For the teams without a secretary of a province that read 50,000 organisations one index
    probe at a time (230 ms) instead of one hashed pass (30 ms)."""
    ordering = queryset.query.order_by or queryset.model._meta.ordering or ("pk",)
    return (
        queryset.order_by()
        .annotate(
            worklist_total=Window(Count("pk")),
            worklist_rank=Window(RowNumber(), order_by=[*ordering, "pk"]),
        )
        .values_list("pk", "worklist_total", "worklist_rank")
    )


def load_counts(groups: list[Todo]) -> None:
    """Count every group read from a queryset, and find the keys of its first ``TODO_LIMIT`` rows in
    order, in one query per database: a scalar subquery a group, its first keys each with the
    group's full count beside it (window functions, so PostgreSQL plans each door once; see ``_ranked``)."""
    by_db = defaultdict(list)
    for todo in groups:
        if todo._count is None:
            by_db[todo.queryset.db].append(todo)
    for db, todos in by_db.items():
        parts, params = [], []
        counted = []
        for todo in todos:
            first = _compiled(_ranked(todo.queryset))
            if first is None:
                todo._count, todo._ids = 0, []
                continue
            parts.append(
                "ARRAY(SELECT ARRAY[first.pk::bigint, first.worklist_total] FROM "
                f"({first[0]}) AS first WHERE first.worklist_rank <= {int(TODO_LIMIT)} ORDER BY first.worklist_rank)"
            )
            params.extend(first[1])
            counted.append(todo)
        if not counted:
            continue
        with connections[db].cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            found = cursor.fetchone()
        for todo, pairs in zip(counted, found, strict=True):
            todo._ids = [pk for pk, _total in pairs]
            todo._count = pairs[0][1] if pairs else 0


@dataclass
class TodoRow:
    text: str
    url: str
    detail: str = ""
    due: date | None = None
    warning: object = None  # a ``Warning`` of responsibilities.rules (colour and word), or None
    form: object = None  # an inline form (已阅/反馈) posted to ``form_url``
    form_url: str = ""


@dataclass
class Done:
    at: datetime
    text: str
    url: str = ""


@dataclass
class DoneSource:
    """One kind of 已办: the user's own records (``mine``: a plain queryset of what the user did, with
    the joins ``make`` needs), the door they are read through (``door(queryset)``, by default
    ``queryset.for_user(user)``), and how one of them is shown. ``order`` is the newest-first
    ordering; at most ``limit`` rows are shown.

    The door is built only for a source where the user did something: most users did nothing of most
    kinds in a month, and a door's queryset costs more to build and compile than the question
    "did the user do any of this?" costs to answer (see ``done_rows``)."""

    mine: QuerySet
    order: tuple[str, ...]
    make: Callable[[object], Done]
    limit: int = 10
    door: Callable[[QuerySet], QuerySet] | None = None

    def through_door(self, user) -> QuerySet:
        return self.door(self.mine) if self.door is not None else self.mine.for_user(user)


TODO_PROVIDERS: list[tuple[int, Callable]] = []
DONE_PROVIDERS: list[Callable] = []


def register_todo(provider: Callable, order: int = 50) -> Callable:
    """Add a to-do provider; ``order`` places its groups on the page (lower first)."""
    TODO_PROVIDERS.append((order, provider))
    TODO_PROVIDERS.sort(key=lambda entry: entry[0])
    return provider


def register_done(provider: Callable) -> Callable:
    DONE_PROVIDERS.append(provider)
    return provider


# Side panels of the 工作台 (who the user is, his or her seats): ``provider(request) -> Panel | None``.
WORKBENCH_PANELS: list[Callable] = []


def register_workbench_panel(provider: Callable) -> Callable:
    WORKBENCH_PANELS.append(provider)
    return provider


def todos(user, today: date | None = None) -> list[Todo]:
    """Every non-empty group of waiting work, in the order the apps registered them."""
    today = today or timezone.localdate()
    groups = [todo for _order, provider in TODO_PROVIDERS for todo in provider(user, today)]
    load_counts(groups)
    return [todo for todo in groups if todo.count]


def done(user, now: datetime | None = None) -> list[Done]:
    """The user's own actions in the last ``DONE_DAYS`` days, newest first."""
    since = (now or timezone.now()) - timedelta(days=DONE_DAYS)
    rows = done_rows(user, [source for provider in DONE_PROVIDERS for source in provider(user, since)])
    return rows[:DONE_LIMIT]


def _union_by_source(querysets: list[tuple[int, QuerySet]]) -> list[tuple[int, object]]:
    """(source index, pk) of each queryset's rows (each already limited), in one UNION ALL query per
    database."""
    by_db = defaultdict(list)
    for index, queryset in querysets:
        by_db[queryset.db].append((index, queryset))
    found = []
    for db, indexed in by_db.items():
        parts, params = [], []
        for index, queryset in indexed:
            compiled = _compiled(queryset.values("pk"))
            if compiled is not None:
                parts.append(f"(SELECT {int(index)} AS source, pk FROM ({compiled[0]}) AS newest)")
                params.extend(compiled[1])
        if parts:
            with connections[db].cursor() as cursor:
                cursor.execute(" UNION ALL ".join(parts), params)
                found += cursor.fetchall()
    return found


def done_rows(user, sources: list[DoneSource]) -> list[Done]:
    """The rows of the sources, newest first, in three steps:

    1. one query asks which sources hold any of the user's own records (no door: the answer only
       decides whether the door is asked, nothing of it is shown);
    2. for those, one query finds the newest ``limit`` keys of each through its door (a UNION ALL);
    3. one query per source that has any reads its records, through the door, with their joins."""
    held = {
        index
        for index, _pk in _union_by_source(
            [(index, source.mine.order_by()[:1]) for index, source in enumerate(sources)]
        )
    }
    doors = {index: sources[index].through_door(user) for index in sorted(held)}
    keys = defaultdict(list)
    newest = [(index, door.order_by(*sources[index].order)[: sources[index].limit]) for index, door in doors.items()]
    for index, pk in _union_by_source(newest):
        keys[index].append(pk)
    rows = []
    for index, pks in sorted(keys.items()):  # in the sources' order, as ties were before
        source = sources[index]
        rows += [source.make(obj) for obj in doors[index].filter(pk__in=pks).order_by(*source.order)]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows


def todo_total(groups: list[Todo]) -> int:
    return sum(group.count for group in groups)


def on_day(day: date) -> datetime:
    """A dated record's place among timed ones in 已办: the end of its day, local time."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


# ---- The kernel's own: finished background jobs ---------------------------------------------------

FINISHED_JOB_DAYS = 7


def jobs_todo(user, today) -> list[Todo]:
    """Jobs the user asked for that finished (done or failed) in the last week: a result to fetch or
    an error to look at on the job's page."""
    from core.models import ACTIVE_JOB_STATUSES, Job

    since = timezone.now() - timedelta(days=FINISHED_JOB_DAYS)
    jobs = (
        Job.objects.for_user(user)
        .requested_by(user)
        .exclude(status__in=ACTIVE_JOB_STATUSES)
        .filter(finished_at__gte=since)
        .order_by("-finished_at", "-pk")
    )
    return [
        group(
            "jobs",
            _("已完成的后台任务"),
            _("查看结果"),
            jobs,
            lambda job: TodoRow(
                text=job.title,
                url=job.get_absolute_url(),
                detail=f"{job.get_status_display()} · {timezone.localtime(job.finished_at):%Y-%m-%d %H:%M}",
            ),
        )
    ]


def jobs_done(user, since) -> list[DoneSource]:
    from core.models import Job

    return [
        DoneSource(
            Job.objects.filter(started_by=user, created_at__gte=since),
            ("-created_at",),
            lambda job: Done(
                job.created_at, _("发起后台任务：%(title)s") % {"title": job.title}, job.get_absolute_url()
            ),
        )
    ]
