"""工作台: what awaits a user now (待办) and what he or she did lately (已办), gathered from the apps.

Each app registers its providers here when it starts (its ``AppConfig.ready``), as with
``core.panels``, so that the kernel imports no domain app. A to-do provider is
``provider(user, today) -> list[Todo]`` and a done provider ``provider(user, since) -> list[Done]``;
each reads through the doors (``Model.objects.for_user``) and runs a fixed number of queries
whatever the number of rows (it limits its rows and joins what it shows).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

# How many rows one provider shows at most; the count beside it is the full number.
TODO_LIMIT = 20
DONE_DAYS = 30
DONE_LIMIT = 30


@dataclass
class Todo:
    """One kind of waiting work: a group of rows (e.g. "lists to confirm") and how many there are."""

    key: str
    title: str
    action: str  # what the user does, e.g. "确认" — the link's words
    rows: list["TodoRow"] = field(default_factory=list)
    count: int = 0

    def __post_init__(self):
        self.count = self.count or len(self.rows)


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
    groups = []
    for _order, provider in TODO_PROVIDERS:
        groups.extend(group for group in provider(user, today) if group.count)
    return groups


def done(user, now: datetime | None = None) -> list[Done]:
    """The user's own actions in the last ``DONE_DAYS`` days, newest first."""
    since = (now or timezone.now()) - timedelta(days=DONE_DAYS)
    rows = [row for provider in DONE_PROVIDERS for row in provider(user, since)]
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:DONE_LIMIT]


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
    count = jobs.count()
    rows = [
        TodoRow(
            text=job.title,
            url=job.get_absolute_url(),
            detail=f"{job.get_status_display()} · {timezone.localtime(job.finished_at):%Y-%m-%d %H:%M}",
        )
        for job in (jobs[:TODO_LIMIT] if count else [])
    ]
    return [Todo(key="jobs", title=_("已完成的后台任务"), action=_("查看结果"), rows=rows, count=count)]


def jobs_done(user, since) -> list[Done]:
    from core.models import Job

    jobs = Job.objects.for_user(user).filter(started_by=user, created_at__gte=since).order_by("-created_at")[:10]
    return [
        Done(job.created_at, _("发起后台任务：%(title)s") % {"title": job.title}, job.get_absolute_url())
        for job in jobs
    ]
