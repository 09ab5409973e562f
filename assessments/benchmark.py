"""The page benchmark: server time, query count, the bare SQL and the admin changelist over the same rows.

Each key page is requested in-process through Django's test client (the whole middleware stack, no
network), 30 times after a warm-up. The queries of one request are captured and run again directly
on a cursor ("bare SQL": the database's share); an admin changelist showing the same rows is timed
the same way for comparison.
"""

import statistics
import tempfile
import time
import tracemalloc
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Scheme
from responsibilities import excel
from responsibilities.models import Organisation
from responsibilities.selectors.exports import subtree_task_rows


@dataclass
class Page:
    key: str
    label: str
    username: str
    url: str
    admin_url: str
    admin_rows: str


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


def key_pages() -> list[Page]:
    root = Organisation.objects.get(code="BENCH")
    city = Organisation.objects.filter(depth=2, path__startswith=root.path).order_by("path").first()
    county = Organisation.objects.filter(depth=3, path__startswith=city.path).order_by("path").first()
    year = timezone.localdate().year
    day = timezone.localdate().isoformat()
    scheme = Scheme.objects.get(assessor=root, year=year)
    task_admin = reverse("admin:responsibilities_task_changelist")
    county_tasks = f"{task_admin}?item__responsibility_list__organisation__id__exact={county.pk}"
    return [
        Page(
            "rollup",
            "省级组织页：全辖区落实情况汇总",
            "bench-office",
            reverse("responsibilities:organisation_detail", args=[root.pk]),
            f"{task_admin}?item__responsibility_list__year={year}",
            "本年度全部任务",
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
        ),
        Page(
            "ranking",
            "年度考核排名",
            "bench-office",
            reverse("assessments:results", args=[scheme.pk]),
            f"{reverse('admin:assessments_result_changelist')}?scheme__id__exact={scheme.pk}",
            "该方案的结果",
        ),
        Page(
            "screening",
            "一个市的资格筛查",
            "bench-discipline",
            f"{reverse('accountability:screening')}?root={city.pk}&day={day}",
            f"{reverse('admin:accountability_restriction_changelist')}?ends_on__gt={day}",
            "影响期内的限制",
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
    reads = [(sql, params) for sql, params in queries if sql.lstrip().upper().startswith(("SELECT", "WITH"))]
    totals = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for sql, params in reads:
                cursor.execute(sql, params)
                cursor.fetchall()
            totals.append((time.perf_counter() - started) * 1000)
    return statistics.median(totals)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(runs: int = 30, keys: set[str] | None = None) -> list[Measure]:
    admin = _client("bench-admin")
    results = []
    for page in key_pages():
        if keys and page.key not in keys:
            continue
        times, sqls, status = _timed(_client(page.username), page.url, runs)
        admin_times, admin_sqls, _status = _timed(admin, page.admin_url, max(10, runs // 3))
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
            )
        )
    return results


def export_peak(rows: int = 100_000) -> tuple[float, float, int]:
    """Peak Python memory (MB), seconds and rows of writing the root's 全辖区任务台账 limited to ``rows``."""
    root = Organisation.objects.get(code="BENCH")
    year = timezone.localdate().year
    tracemalloc.start()
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        written = excel.write_subtree_ledger(
            output, root, year, subtree_task_rows(root, year, limit=rows), timezone.localdate()
        )
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024 / 1024, elapsed, written
