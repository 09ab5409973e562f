"""The task queue: a real Procrastinate worker runs the roll-over, a failing job is retried with a
limit and then marked failed, and simultaneous requests for the same work make one job."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import croniter
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from core.models import Job, JobStatus
from responsibilities import tallies
from responsibilities.jobs import start_rollover
from responsibilities.models import ResponsibilityList, RolloverJob
from responsibilities.tasks import overdue_clock
from tests.responsibilities.list_factories import THIS_YEAR, add_member
from tests.worker import clean_queue, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.slow


def _status(pk):
    return Job.objects.get(pk=pk).status


def test_a_real_worker_runs_the_rollover_and_reports_progress(worker, tree, office_staff, superuser):
    add_member(tree["child"], superuser, "secretary")
    job = start_rollover(root=tree["own"], year=THIS_YEAR + 1, by=office_staff)
    wait_for(lambda: _status(job.pk) in (JobStatus.DONE, JobStatus.FAILED), what="the roll-over")
    job = RolloverJob.objects.get(pk=job.pk)
    assert (job.status, job.error) == (JobStatus.DONE, "")
    assert (job.done, job.total, job.lists_created, job.attempts) == (2, 2, 3, 1)
    assert job.summary == "新建清单 3 份；已存在、跳过 0 份。"
    assert ResponsibilityList.objects.filter(year=THIS_YEAR + 1).count() == 3
    queued = ProcrastinateJob.objects.filter(task_name="core.run_job")
    wait_for(lambda: queued.get().status == "succeeded", what="the queue to close its job")
    assert (queued.get().args, queued.get().lock) == ({"job_id": job.pk}, job.key)


def test_eight_simultaneous_requests_make_one_job_and_every_requester_follows_it(
    transactional_db, settings, tree, office_staff, superuser
):
    settings.JOBS_INLINE = False  # queued, not run: no worker in this test
    clean_queue()
    barrier = threading.Barrier(8)
    jobs, errors = [], []

    def ask(user):
        try:
            barrier.wait(timeout=10)
            jobs.append(start_rollover(root=tree["own"], year=THIS_YEAR + 1, by=user).pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    users = [office_staff, superuser] * 4
    threads = [threading.Thread(target=ask, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(jobs)) == 1 and len(jobs) == 8
    job = Job.objects.get()
    assert sorted(job.followers) == sorted({office_staff.pk, superuser.pk})
    assert ProcrastinateJob.objects.filter(task_name="core.run_job").count() == 1


def test_a_second_request_joins_the_queued_job_through_the_page(client, settings, tree, office_staff):
    settings.JOBS_INLINE = False
    client.force_login(office_staff)
    url = reverse("responsibilities:rollover_start", args=[tree["own"].pk])
    first = client.post(url, {"year": THIS_YEAR + 1})
    second = client.post(url, {"year": THIS_YEAR + 1})
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert RolloverJob.objects.count() == 1
    page = client.get(reverse("core:job_list"))
    assert page.status_code == 200 and f"{THIS_YEAR + 1} 年清单生成" in page.content.decode()


def test_a_failing_job_is_retried_with_back_off_then_marked_failed(transactional_db, settings, tree, office_staff):
    settings.JOBS_INLINE = False
    process = start_worker(JOB_RETRY_ATTEMPTS="2", JOB_RETRY_WAIT="1")
    try:
        job = start_rollover(root=tree["own"], year=2005, by=office_staff)  # no list template for 2005
        wait_for(lambda: _status(job.pk) == JobStatus.FAILED, timeout=40, what="the retries")
    finally:
        output = stop_worker(process)
    job = Job.objects.get(pk=job.pk)
    assert job.attempts == 3, output  # the first run and two retries
    assert "没有可用的责任清单模板" in job.error and job.finished_at is not None
    queued = ProcrastinateJob.objects.get(task_name="core.run_job")
    assert (queued.status, queued.attempts) in {("failed", 3), ("doing", 2)}  # the queue may lag a moment


def test_the_overdue_clock_runs_at_five_past_midnight_in_shanghai():
    from procrastinate.contrib.django import app

    [daily] = [p for p in app.periodic_registry.periodic_tasks.values() if p.periodic_id == "overdue_clock"]
    start = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()
    tick = croniter.croniter(daily.cron).get_next(float, start_time=start)
    assert datetime.fromtimestamp(tick, ZoneInfo("Asia/Shanghai")) == datetime(
        2026, 6, 2, 0, 5, tzinfo=ZoneInfo("Asia/Shanghai")
    )


def test_the_overdue_clock_task_moves_the_counts_to_today(db):
    tallies.advance_clock(timezone.localdate().replace(month=1, day=1))
    overdue_clock(timestamp=0)
    assert tallies.clock_day() == timezone.localdate()


def test_a_real_worker_sends_the_days_deadline_reminders(worker, tree, office_staff, superuser):
    from core.models import Notification
    from responsibilities.tasks import deadline_reminders
    from tests.responsibilities.list_factories import add_task, committee_list

    today = timezone.localdate()
    listed = committee_list(tree["own"], superuser, year=(today + timedelta(days=5)).year)
    add_task(listed, superuser, title="五天后到期", deadline=today + timedelta(days=5))
    deadline_reminders.defer(timestamp=0)
    wait_for(lambda: Notification.objects.filter(event="task_due").exists(), what="the reminders")
    assert list(Notification.objects.values_list("recipient__username", "event")) == [("office", "task_due")]


def test_the_weekly_digest_runs_on_monday_at_half_past_seven_in_shanghai():
    from procrastinate.contrib.django import app

    [weekly] = [p for p in app.periodic_registry.periodic_tasks.values() if p.periodic_id == "weekly_digest"]
    start = datetime(2026, 6, 10, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai")).timestamp()  # a Wednesday
    tick = croniter.croniter(weekly.cron).get_next(float, start_time=start)
    assert datetime.fromtimestamp(tick, ZoneInfo("Asia/Shanghai")) == datetime(
        2026, 6, 15, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")
    )


def test_a_real_worker_sends_each_secretary_one_weekly_digest(worker, tree, secretary, superuser):
    from core.models import Notification
    from responsibilities.tasks import weekly_digest

    weekly_digest.defer(timestamp=0)
    wait_for(lambda: Notification.objects.filter(event="weekly_digest").exists(), what="the weekly digest")
    weekly_digest.defer(timestamp=1)  # a second run of the week (the catch-up) adds nothing
    wait_for(
        lambda: (
            not ProcrastinateJob.objects.filter(
                task_name="responsibilities.weekly_digest", status__in=["todo", "doing"]
            ).exists()
        ),
        what="the second run",
    )
    assert list(Notification.objects.values_list("recipient__username", "event")) == [("secretary", "weekly_digest")]
