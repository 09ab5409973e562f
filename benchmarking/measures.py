"""The page benchmark: server time, query count, the bare SQL and the admin changelist over the same rows.

Each key page is requested in-process through Django's test client (the whole middleware stack, no
network), 30 times after a warm-up. The queries of one request are captured and run again directly
on a cursor ("bare SQL": the database's share); an admin changelist showing the same rows is timed
the same way for comparison.
"""

import json
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accountability.models import Case
from assessments.models import Scheme
from assessments.services import results_compute
from responsibilities import excel
from responsibilities.models import Organisation, Person, ResponsibilityList, Task
from responsibilities.selectors.exports import subtree_task_rows
from responsibilities.services import lists_generate_subtree

# The product's URLs and the benchmark's admin site: the measured requests are resolved through it.
BENCH_URLCONF = "benchmarking.urls"


@dataclass
class Page:
    key: str
    label: str
    username: str
    url: str
    admin_url: str
    admin_rows: str
    # Why this page is slower than its target at N = 50,000 and what would meet it, from the profiles of
    # the stops that worked on it: printed beside the measured plan when the target is missed.
    remedy: str = ""


@dataclass
class Measure:
    page: Page
    median_ms: float
    p95_ms: float
    queries: int
    bare_sql_ms: float
    admin_median_ms: float
    admin_queries: int
    status: int
    slowest: list  # the page's slowest read queries: {"ms": median, "sql": the start of the statement}
    plan: str  # EXPLAIN ANALYZE of the slowest one


def bench_admin(model: str) -> str:
    """The changelist of ``app_model`` on the benchmark's own admin site (``benchmarking.admin``)."""
    return reverse(f"bench_admin:{model}_changelist", urlconf=BENCH_URLCONF)


def key_pages() -> list[Page]:
    root = Organisation.objects.get(code="BENCH")
    city = Organisation.objects.filter(depth=2, path__startswith=root.path).order_by("path").first()
    county = Organisation.objects.filter(depth=3, path__startswith=city.path).order_by("path").first()
    year = timezone.localdate().year
    day = timezone.localdate().isoformat()
    scheme = Scheme.objects.get(assessor=root, year=year)
    # The header search of the province's most common full name (it also matches longer names).
    common_name = (
        Person.objects.filter(home_organisation__path__startswith=root.path)
        .values("name")
        .annotate(people=Count("pk"))
        .order_by("-people", "name")
        .values_list("name", flat=True)
        .first()
    )
    office = get_user_model().objects.get(username="bench-office")
    task_admin = reverse("admin:responsibilities_task_changelist")
    person_admin = reverse("admin:responsibilities_person_changelist")
    county_tasks = f"{task_admin}?item__responsibility_list__organisation__id__exact={county.pk}"
    return [
        Page(
            "rollup",
            "省级组织页：全辖区落实情况汇总",
            "bench-office",
            reverse("responsibilities:organisation_detail", args=[root.pk]),
            f"{task_admin}?item__responsibility_list__year={year}",
            "本年度全部任务",
            remedy=(
                "the roll-up reads the kept tallies of the organisation and its children (TaskTally, SigningTally); "
                "a miss here is the children's rows: the province's direct children and their tallies. What would "
                "meet it: one tally row per child and year (today one per status and deadline bucket)."
            ),
        ),
        Page(
            "tree",
            "组织架构（组织列表）",
            "bench-office",
            reverse("responsibilities:organisation_tree"),
            f"{reverse('admin:responsibilities_organisation_changelist')}?depth__lte=2",
            "前两级组织",
        ),
        Page(
            "lists",
            "一个县的年度清单",
            "bench-county-office",
            f"{reverse('responsibilities:organisation_lists', args=[county.pk])}?year={year}",
            f"{reverse('admin:responsibilities_responsibilitylist_changelist')}?organisation__id__exact={county.pk}",
            "该县的清单",
        ),
        Page(
            "checklist",
            "书记的“我的责任清单”",
            "bench-secretary",
            reverse("responsibilities:my_checklist"),
            county_tasks,
            "该县的任务",
        ),
        Page(
            "warning",
            "全辖区预警提醒",
            "bench-office",
            reverse("accountability:early_warning"),
            f"{task_admin}?status__exact=in_progress&deadline__lt={day}",
            "逾期未完成的任务",
            remedy=(
                "the overdue tasks' bounded count (up to 5,001 rows, each joined to its item, list and "
                "organisation for the door: about 28 ms) and Python: compiling 19 queries whose doors are ORs "
                "of subqueries (a quarter of the page's Python in the profile) and drawing 20 groups with "
                "their tasks, forms and measures. What would meet it: a smaller bound for this table's count "
                "(paging past it without a count), the door's compiled SQL reused between a page's queries, "
                "and the groups drawn without a template include per row."
            ),
        ),
        Page(
            "ranking",
            "年度考核排名",
            "bench-office",
            reverse("assessments:results", args=[scheme.pk]),
            f"{reverse('admin:assessments_result_changelist')}?scheme__id__exact={scheme.pk}",
            "该方案的结果",
            remedy=(
                "not slower than the admin: the page's SQL is a few milliseconds; the rest is drawing each result with "
                "its indicator scores, grade and uses of the result, which the admin changelist does not show. What "
                "would meet it: the rows drawn in one pass (a FastSelect-like renderer) instead of per-row templates."
            ),
        ),
        Page(
            "screening",
            "一个市的资格筛查",
            "bench-discipline",
            f"{reverse('accountability:screening')}?root={city.pk}&day={day}",
            f"{reverse('admin:accountability_restriction_changelist')}?ends_on__gt={day}",
            "影响期内的限制",
            remedy=(
                "the page reads the keys of every person of the city barred on the day (one query through "
                "restriction, person and organisation: the people of the province are read to find the "
                "city's) before reading one page of fifty with their restrictions, and its form lists the "
                "scope's top organisations. What would meet it: the restrictions in force kept with their "
                "person's organisation path (one indexed read for a city), as the tallies keep counts."
            ),
        ),
        # The 工作台 (home page) of the province's office staff and of a county's secretary.
        Page(
            "workbench_office",
            "省级党建工作人员的工作台",
            "bench-office",
            reverse("home"),
            f"{task_admin}?status__exact=in_progress&deadline__lt={day}",
            "逾期未完成的任务",
            remedy=(
                "one counting query for every group: each group counts all its rows through its door (the province's "
                "problems to review and 督办 answers to accept are 10,000-15,000 rows each, the teams without a "
                "secretary 50,000 organisations), and the profile panel counts the 350,000 people in scope. "
                "What would meet it: kept counts per organisation subtree for the large groups (as TaskTally "
                "keeps the roll-up's), or counts capped at a shown limit (“1,000+”) with the first rows read in "
                "index order; the people count from a kept tally per organisation."
            ),
        ),
        Page(
            "workbench_secretary",
            "书记的工作台",
            "bench-secretary",
            reverse("home"),
            county_tasks,
            "该县的任务",
            remedy=(
                "Python more than SQL: the 工作台 builds about twenty groups' door querysets and compiles them "
                "into one counting statement on every view, then draws each group's rows and forms. What would "
                "meet it: the groups' compiled SQL kept per user for the request's lifetime of the doors (their "
                "parameters change, their shape does not), and the rows drawn without a template include each."
            ),
        ),
        # The province's 驾驶舱, read by a 纪检 inspector so that the cases' section is drawn too.
        Page(
            "dashboard",
            "省级驾驶舱（全辖区）",
            "bench-discipline",
            f"{reverse('responsibilities:dashboard', args=[root.pk])}?year={year}",
            f"{task_admin}?item__responsibility_list__year={year}",
            "本年度全部任务",
            remedy=(
                "the cases' section counts the year's decisions by measure over the province's 20,000 cases (about "
                "45 ms: a hashed join of every case to its organisation for the door), beside the task and problem "
                "tallies. What would meet it: decisions counted per organisation, year and measure in a kept tally, "
                "as tasks and problems are."
            ),
        ),
        Page(
            "search",
            f"页头搜索：常见姓名“{common_name}”",
            "bench-office",
            f"{reverse('search')}?{urlencode({'q': common_name})}",
            f"{person_admin}?{urlencode({'q': common_name})}",
            "同名干部",
            remedy=(
                "one character reads the person and organisation tables (a piece held by that many rows is no help); "
                "two are answered by the bigram indexes, three or more by the trigram indexes. What would meet it for "
                "one character: a prefix match on a B-tree index instead of a substring."
            ),
        ),
        # The 消息中心 of the province's office staff, the benchmark's busiest recipient (a year of
        # messages: two per organisation).
        Page(
            "notifications",
            "消息中心（省级党建工作人员）",
            "bench-office",
            reverse("core:notification_list"),
            f"{bench_admin('core_notification')}?recipient__id__exact={office.pk}",
            "本人的全部消息",
        ),
        Page(
            "orders",
            "督办（省级党建工作人员，全辖区）",
            "bench-office",
            reverse("responsibilities:order_list"),
            bench_admin("responsibilities_supervisionreply"),
            "全部督办反馈",
            remedy=(
                "the 督办 list counts every answer in scope (about 55,000) for its pages and sorts the newest "
                "orders by organisation. What would meet it: the count bounded as the other working tables' "
                "(BoundedPaginator)."
            ),
        ),
        Page(
            "problems",
            "问题清单（省级党建工作人员，全辖区）",
            "bench-office",
            reverse("responsibilities:problem_list"),
            bench_admin("responsibilities_problem"),
            "全部问题",
        ),
        Page(
            "problem_rollup",
            "全辖区问题整改汇总",
            "bench-office",
            f"{reverse('responsibilities:problem_rollup', args=[root.pk])}?year={year}",
            f"{bench_admin('responsibilities_problem')}?found_on__year={year}",
            "本年度发现的问题",
        ),
        # The people picker (a person field's searchable select) typing the province's most common name.
        Page(
            "picker",
            f"选择干部：常见姓名“{common_name}”",
            "bench-office",
            f"{reverse('core:picker', args=['people'])}?{urlencode({'q': common_name})}",
            f"{person_admin}?{urlencode({'q': common_name})}",
            "同名干部",
            remedy=(
                "as the header search: the people picker matches names and posts through the same indexes; what "
                "would meet it is the same."
            ),
        ),
        Page(
            "export",
            "一个县的台账导出（Excel）",
            "bench-county-office",
            f"{reverse('responsibilities:ledger_export', args=[county.pk])}?year={year}",
            county_tasks,
            "该县的任务",
        ),
    ]


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _get(client: Client, url: str):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def _timed(client: Client, url: str, runs: int) -> tuple[list[float], list[str], int]:
    _get(client, url)  # warm-up: connection, compiled templates
    captured = []

    def record(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = _get(client, url)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return times, captured, response.status_code


def bare_sql_ms(queries: list[tuple], runs: int = 10) -> float:
    """Median time of running a page's read queries directly, with the same parameters."""
    reads = _reads(queries)
    totals = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for sql, params in reads:
                cursor.execute(sql, params)
                cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
    return statistics.median(totals)


def _reads(queries: list[tuple]) -> list[tuple]:
    return [(sql, params) for sql, params in queries if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def slowest_reads(queries: list[tuple], runs: int = 5, top: int = 3) -> tuple[list[dict], str]:
    """The page's ``top`` slowest read queries (median of ``runs`` runs each) and the plan of the slowest,
    as PostgreSQL executed it (EXPLAIN ANALYZE, with buffers): what the report shows for a missed target."""
    timed = []
    with connection.cursor() as cursor:
        for sql, params in _reads(queries):
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                times.append((time.perf_counter() - started) * 1000)
            timed.append((statistics.median(times), sql, params))
        timed.sort(key=lambda entry: -entry[0])
        plan = ""
        if timed:
            _, sql, params = timed[0]
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    return [{"ms": ms, "sql": " ".join(sql.split())[:400]} for ms, sql, _ in timed[:top]], plan


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(runs: int = 30, keys: set[str] | None = None) -> list[Measure]:
    from django.utils import timezone

    from responsibilities import tallies

    # The worker moves the overdue clock at 00:05; the measured day starts with it moved.
    tallies.advance_clock(timezone.localdate())
    admin = _client("bench-admin")
    results = []
    with override_settings(ROOT_URLCONF=BENCH_URLCONF):
        pages = key_pages()
    for page in pages:
        if keys and page.key not in keys:
            continue
        with override_settings(ROOT_URLCONF=BENCH_URLCONF):
            times, sqls, status = _timed(_client(page.username), page.url, runs)
            admin_times, admin_sqls, admin_status = _timed(admin, page.admin_url, max(10, runs // 3))
        if admin_status != 200:
            raise RuntimeError(f"{page.admin_url} answered {admin_status}")
        slowest, plan = slowest_reads(sqls)
        results.append(
            Measure(
                page=page,
                median_ms=statistics.median(times),
                p95_ms=p95(times),
                queries=len(sqls),
                bare_sql_ms=bare_sql_ms(sqls),
                admin_median_ms=statistics.median(admin_times),
                admin_queries=len(admin_sqls),
                status=status,
                slowest=slowest,
                plan=plan,
            )
        )
    return results


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status (VmRSS: now, VmHWM: its peak), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    return 0.0


def export_measure(rows: int = 100_000) -> dict:
    """Seconds and the process's peak memory of writing the root's 全辖区任务台账 limited to ``rows``.

    Run in a process of its own (``bench --export-into``), so that the peak resident size is the
    export's: the process's size before it is reported as the baseline.
    """
    root = Organisation.objects.get(code="BENCH")
    office = get_user_model().objects.get(username="bench-office")
    year = timezone.localdate().year
    baseline = _status_mb("VmRSS")
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        written = excel.write_subtree_ledger(
            output, root, year, subtree_task_rows(office, root, year, limit=rows), timezone.localdate()
        )
        size = output.tell()
    elapsed = time.perf_counter() - started
    # The kernel's resident-size counters are kept per CPU and summed lazily, so a later reading of the
    # high-water mark can come out a few hundred kilobytes below an earlier reading of the size: the
    # peak is at least what was seen before.
    peak = max(_status_mb("VmHWM"), baseline)
    return {"rows": written, "seconds": elapsed, "peak_rss_mb": peak, "baseline_rss_mb": baseline, "bytes": size}


# ---- The daily reminder run ------------------------------------------------------------------------


def _logins_for_everyone() -> dict:
    """A login for every person and an office-staff login for every organisation (the generated data
    has a handful), half of them choosing the daily digest and half single e-mails, so that the
    reminder run tells as many people as a deployed province would. Set-up, not timed: the rows are
    streamed with COPY (``benchmarking.bulk``, history rows written in one statement a table), as
    one row at a time through the history triggers took a quarter of an hour at N = 50,000."""
    from django.contrib.auth.hashers import make_password

    from benchmarking import bulk
    from core.models import NotificationPreference
    from core.notifications import EVENTS
    from responsibilities.models import Assignment, Role

    User = get_user_model()
    password = make_password("Bench@2026")
    people = list(Person.objects.filter(user__isnull=True).values_list("pk", flat=True))
    organisations = list(Organisation.objects.filter(archived_at__isnull=True).values_list("pk", flat=True))
    every_event = json.dumps({event: ["email"] for event in EVENTS})  # COPY reads the jsonb's text
    with transaction.atomic():
        unset = set(User.objects.filter(notification_preference__isnull=True).values_list("pk", flat=True))
        with bulk.loading([User, Assignment, NotificationPreference]) as load:
            person_users = load.reserve(User, len(people))
            office_users = load.reserve(User, len(organisations))
            names = [(pk, f"bench-p{person}") for pk, person in zip(person_users, people, strict=True)]
            names += [(pk, f"bench-o{org}") for pk, org in zip(office_users, organisations, strict=True)]
            load.copy(User, ["id", "username", "password"], ((pk, name, password) for pk, name in names))
            load.copy(
                Assignment,
                ["id", "user_id", "organisation_id", "role"],
                (
                    (pk, user, org, Role.OFFICE_STAFF)
                    for pk, user, org in zip(
                        load.reserve(Assignment, len(organisations)), office_users, organisations, strict=True
                    )
                ),
            )
            names += list(User.objects.filter(pk__in=unset).values_list("pk", "username"))
            load.copy(
                NotificationPreference,
                ["id", "user_id", "email", "channels", "digest"],
                (
                    (pk, user, f"{name}@bench.invalid", every_event, user % 2 == 0)
                    for pk, (user, name) in zip(load.reserve(NotificationPreference, len(names)), names, strict=True)
                ),
            )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE responsibilities_person p SET user_id = u.id FROM auth_user u "
                "WHERE u.username = 'bench-p' || p.id AND p.user_id IS NULL"
            )
    return {"people": len(people), "office_logins": len(organisations), "users": len(names)}


def _busiest_day(default_days: int) -> date:
    """The day of this year whose reminder run has the most tasks (due in N days or overdue since it)."""
    from responsibilities.models import TaskStatus

    year = timezone.localdate().year
    per_deadline = Counter(
        dict(
            Task.objects.filter(archived_at__isnull=True, item__responsibility_list__year=year)
            .exclude(status=TaskStatus.DONE)
            .values("deadline")
            .annotate(n=Count("pk"))
            .values_list("deadline", "n")
            .order_by()
        )
    )
    days = [date(year, 1, 1) + timedelta(days=i) for i in range((date(year, 12, 31) - date(year, 1, 1)).days + 1)]
    return max(days, key=lambda d: per_deadline[d + timedelta(days=default_days)] + per_deadline[d - timedelta(days=1)])


def reminders_measure() -> dict:
    """The daily reminder run of the busiest day, timed, on a copy of the benchmark database (``bench``
    makes it and drops it): every notification of the day is built (tasks due in N days, N = 5 and 10
    days for one city's subtree; tasks overdue since the day; 督办, problems and measures overdue), then
    the secretaries' weekly digest of that day and the next morning's daily digest. Each person must get
    at most one digest per channel, and a second run of any of them must add nothing."""
    from django.conf import settings

    from core import channels
    from core.models import Delivery, Notification
    from responsibilities.models import ReminderSetting
    from responsibilities.notifications import remind_deadlines
    from responsibilities.order_notifications import remind_overdue
    from responsibilities.problem_notifications import remind_problems
    from responsibilities.weekly import WEEKLY_DIGEST, send_weekly_digests

    setup = _logins_for_everyone()
    root = Organisation.objects.get(code="BENCH")
    city = Organisation.objects.filter(depth=2, path__startswith=root.path).order_by("path").first()
    ReminderSetting.objects.create(organisation=city, days_before=10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    day = _busiest_day(settings.REMINDER_DAYS_BEFORE)
    # The generated 消息中心 already holds a year of messages: the run's are those after them.
    earlier = Notification.objects.aggregate(last=Max("pk"))["last"] or 0
    told = Notification.objects.filter(pk__gt=earlier)
    started = time.perf_counter()
    remind_deadlines(day)
    remind_overdue(day)
    remind_problems(day)
    run_s = time.perf_counter() - started
    notifications = told.count()
    recipients = told.values("recipient").distinct().count()
    single = Delivery.objects.filter(digest=False).count()
    started = time.perf_counter()
    remind_deadlines(day)
    remind_overdue(day)
    remind_problems(day)
    rerun_s = time.perf_counter() - started
    rerun_added = told.count() - notifications
    started = time.perf_counter()
    secretaries = send_weekly_digests(day)
    weekly_s = time.perf_counter() - started
    weekly = Notification.objects.filter(event=WEEKLY_DIGEST).count()
    send_weekly_digests(day)
    weekly_again = Notification.objects.filter(event=WEEKLY_DIGEST).count() - weekly
    digest_day = timezone.localdate() + timedelta(days=1)  # its window ends at 08:00 tomorrow: now is inside
    started = time.perf_counter()
    digests = channels.digest(digest_day)
    digest_s = time.perf_counter() - started
    most = (
        Delivery.objects.filter(digest=True)
        .values("recipient", "channel")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("n", flat=True)
        .first()
    ) or 0
    again = channels.digest(digest_day)
    return {
        **setup,
        "day": day.isoformat(),
        "run_s": run_s,
        "notifications": notifications,
        "recipients": recipients,
        "single_deliveries": single,
        "rerun_s": rerun_s,
        "rerun_added": rerun_added,
        "weekly_secretaries": secretaries,
        "weekly_digests": weekly,
        "weekly_s": weekly_s,
        "weekly_again": weekly_again,
        "digests": digests,
        "digest_s": digest_s,
        "most_digests_per_person": most,
        "second_digest_run": again,
    }


# ---- Child-process entry points of ``manage.py bench`` ---------------------------------------------


def state() -> dict:
    """What the benchmark database holds: its number of organisations (0: nothing) and the data's year."""
    root = Organisation.objects.filter(code="BENCH").first()
    if root is None:
        return {"orgs": 0, "year": None}
    year = ResponsibilityList.objects.filter(organisation=root).order_by("-year").values_list("year", flat=True).first()
    return {"orgs": Organisation.objects.filter(path__startswith=root.path).count(), "year": year}


def rollover_seconds() -> tuple[float, int]:
    """Seconds of the annual roll-over of the whole benchmark province into next year, as the
    background job runs it: one transaction per organisation, committed. ``bench`` runs it on a
    copy of the benchmark database, which it drops afterwards."""
    root = Organisation.objects.get(code="BENCH")
    admin = get_user_model().objects.get(username="bench-admin")
    started = time.perf_counter()
    result = lists_generate_subtree(root=root, year=timezone.localdate().year + 1, by=admin)
    return time.perf_counter() - started, len(result.created)


def results_seconds() -> tuple[float, int, int]:
    """Seconds of recomputing every scheme's results of this year, rolled back after."""
    admin = get_user_model().objects.get(username="bench-admin")
    schemes = list(Scheme.objects.filter(year=timezone.localdate().year))
    rows = 0
    with transaction.atomic():
        started = time.perf_counter()
        for scheme in schemes:
            results, _leaders = results_compute(scheme=scheme, by=admin)
            rows += len(results)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, len(schemes), rows


def measure_all(runs: int) -> dict:
    """Everything ``manage.py bench`` reports for the database of this process, as plain data."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        [postgres] = cursor.fetchone()
    pages = []
    for m in measure(runs=runs):
        if m.status != 200:
            raise RuntimeError(f"{m.page.url} answered {m.status}")
        pages.append(
            {
                "key": m.page.key,
                "label": m.page.label,
                "admin_rows": m.page.admin_rows,
                "median_ms": m.median_ms,
                "p95_ms": m.p95_ms,
                "queries": m.queries,
                "bare_sql_ms": m.bare_sql_ms,
                "admin_median_ms": m.admin_median_ms,
                "admin_queries": m.admin_queries,
                "slowest": m.slowest,
                "plan": m.plan,
                "remedy": m.page.remedy,
            }
        )
    results_s, results_schemes, results_rows = results_seconds()
    root = Organisation.objects.get(code="BENCH")
    return {
        "postgres": postgres,
        "counts": {
            "organisations": Organisation.objects.filter(path__startswith=root.path).count(),
            "tasks": Task.objects.count(),
            "lists": ResponsibilityList.objects.count(),
            "cases": Case.objects.count(),
        },
        "pages": pages,
        "results_s": results_s,
        "results_schemes": results_schemes,
        "results_rows": results_rows,
    }


# Who browses what in the load test, with weights: secretaries and county offices most, the province less.
LOAD_MIX = [
    ("checklist", "bench-secretary", 25),
    ("lists", "bench-county-office", 20),
    ("list", "bench-county-office", 15),
    ("county", "bench-county-office", 10),
    ("rollup", "bench-office", 8),
    ("tree", "bench-office", 5),
    ("warning", "bench-office", 5),
    ("ranking", "bench-inspector", 6),
    ("screening", "bench-discipline", 3),
    ("cases", "bench-discipline", 3),
]


def load_plan() -> dict:
    """Session cookies and URLs for the load test (the sessions are made with this process's SECRET_KEY)."""
    pages = {page.key: page for page in key_pages()}
    county = Organisation.objects.filter(code="BENCH").first()
    county = Organisation.objects.filter(depth=3, path__startswith=county.path).order_by("path").first()
    county_list = (
        ResponsibilityList.objects.filter(organisation=county, year=timezone.localdate().year).order_by("pk").first()
    )
    extra = {
        "list": ("一个县的一份清单", reverse("responsibilities:list_detail", args=[county_list.pk])),
        "county": ("县级组织页", reverse("responsibilities:organisation_detail", args=[county.pk])),
        "cases": ("问责案件列表", reverse("accountability:case_list")),
    }
    sessions = {}
    entries = []
    for key, username, weight in LOAD_MIX:
        if username not in sessions:
            client = _client(username)
            sessions[username] = client.cookies["sessionid"].value
        label, path = (pages[key].label, pages[key].url) if key in pages else extra[key]
        entries.append(
            {
                "key": key,
                "label": label,
                "user": username,
                "path": path,
                "weight": weight,
                "session": sessions[username],
            }
        )
    return {"entries": entries}
