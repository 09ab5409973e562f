"""The annual roll-over runs outside the web request: a job row, a detached process, progress in the row.

The web request only records the job and starts ``manage.py run_rollover <id>`` in its own session,
so the work survives the request and the web worker. Generation is idempotent, so a stalled job
can simply be started again.
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.backups import database_url
from responsibilities.models import JobStatus, Organisation, RolloverJob

STALL_AFTER = timedelta(minutes=2)


def start_rollover(*, root: Organisation, year: int, by) -> RolloverJob:
    job = RolloverJob.objects.create(root=root, year=year, started_by=by)
    if settings.ROLLOVER_IN_PROCESS:
        transaction.on_commit(lambda: run_job(job.pk))
    else:
        transaction.on_commit(lambda: spawn(job.pk))
    return job


def spawn(job_id: int) -> None:
    manage = Path(settings.BASE_DIR) / "manage.py"
    env = {**os.environ, "DATABASE_URL": database_url()}
    subprocess.Popen(
        [sys.executable, str(manage), "run_rollover", str(job_id)],
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=settings.BASE_DIR,
    )


def run_job(job_id: int) -> RolloverJob:
    """Run one roll-over job to the end, keeping its progress row up to date."""
    from responsibilities.services import lists_generate_subtree

    job = RolloverJob.objects.select_related("root", "started_by").get(pk=job_id)
    RolloverJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, heartbeat_at=timezone.now())

    def progress(done, total, result):
        RolloverJob.objects.filter(pk=job.pk).update(
            done=done,
            total=total,
            lists_created=len(result.created),
            lists_skipped=result.skipped,
            heartbeat_at=timezone.now(),
        )

    try:
        lists_generate_subtree(root=job.root, year=job.year, by=job.started_by, progress=progress)
    except Exception as error:  # the job row must say it failed, whatever the reason
        RolloverJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    RolloverJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def is_stalled(job: RolloverJob) -> bool:
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    last = job.heartbeat_at or job.created_at
    return timezone.now() - last > STALL_AFTER
