"""The annual roll-over runs on the task queue (``core.jobs``): one job per root and year at a time.

The web request records a ``RolloverJob`` (or joins the queued or running one of the same root and
year) and a worker runs it, keeping its progress in the row. Generation is idempotent, so a job
that failed or stalled can simply be asked for again; the queue itself retries a failure.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.models import JobStatus
from responsibilities.models import Organisation, RolloverJob

STALL_AFTER = timedelta(minutes=2)


def start_rollover(*, root: Organisation, year: int, by) -> RolloverJob:
    """Queue the roll-over of ``root``'s subtree for ``year``, or join the one already queued or running."""
    job, _started = jobs.enqueue(
        model=RolloverJob,
        kind=RolloverJob.KIND,
        key=RolloverJob.work_key(root.pk, year),
        title=_("%(year)s 年清单生成 · %(name)s") % {"year": year, "name": root.name},
        by=by,
        scope_path=root.path,
        root=root,
        year=year,
    )
    return job


@jobs.handler(RolloverJob.KIND)
def rollover(job, progress) -> str:
    from responsibilities.services import lists_generate_subtree

    rollover_job = RolloverJob.objects.select_related("root", "started_by").get(pk=job.pk)

    def report(done, total, result):
        RolloverJob.objects.filter(pk=job.pk).update(lists_created=len(result.created), lists_skipped=result.skipped)
        progress(done, total)

    result = lists_generate_subtree(
        root=rollover_job.root, year=rollover_job.year, by=rollover_job.started_by, progress=report
    )
    return _("新建清单 %(created)s 份；已存在、跳过 %(skipped)s 份。") % {
        "created": len(result.created),
        "skipped": result.skipped,
    }


def run_job(job_id: int) -> RolloverJob:
    """Run one roll-over job to the end here (the command line and tests; the worker calls ``core.jobs``)."""
    jobs.execute(job_id)
    return RolloverJob.objects.get(pk=job_id)


def is_stalled(job) -> bool:
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return False
    last = job.heartbeat_at or job.created_at
    return timezone.now() - last > STALL_AFTER
