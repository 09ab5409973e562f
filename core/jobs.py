"""Background work on the task queue (Procrastinate, in PostgreSQL): the job rows people read, the
queue's worker does the work.

A domain app registers a handler for a kind of job (``@handler("rollover")``) in its ``tasks``
module, which Procrastinate imports in the web and the worker processes alike. ``enqueue`` records a
``Job`` and, once the request commits, defers one queue task for it. The task runs the handler with a
``progress`` callback that keeps the row up to date.

- One job per piece of work at a time: a job's ``key`` is unique among queued and running jobs (a
  partial unique index), so a second request for the same work joins the running job (it becomes a
  follower) instead of starting another; eight simultaneous requests make one job. The queue task
  also takes Procrastinate's ``lock`` on the key, so the same work never runs twice at once even if
  a job row were started by hand.
- Retries: a failing job is retried by the queue up to ``JOB_RETRY_ATTEMPTS`` times with an
  exponential back-off (``JOB_RETRY_WAIT`` ** attempt seconds); the row says so, and is marked
  failed with the error after the last attempt. Handlers must be idempotent (the roll-over is).
- ``JOBS_INLINE`` (tests only) runs the handler in the requesting process when the transaction
  commits, without the queue.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import Func, Value
from django.utils import timezone
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core.models import ACTIVE_JOB_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}


def handler(kind: str):
    """Register ``fn(job, progress)`` as the work of jobs of ``kind``; ``progress(done, total)``."""

    def register(fn):
        HANDLERS[kind] = fn
        return fn

    return register


def enqueue(*, kind: str, key: str, title: str, by, model=Job, scope_path: str = "", **fields) -> tuple[Job, bool]:
    """Record a job for a piece of work and queue it; or join the queued or running job of the same
    key. Returns (job, started): ``started`` is False when the request joined an existing job."""
    for _attempt in range(3):  # the running job may finish between our insert and our read
        with transaction.atomic():
            try:
                with transaction.atomic():
                    job = model.objects.create(
                        kind=kind,
                        key=key,
                        title=title,
                        started_by=by,
                        followers=[by.pk] if by else [],
                        scope_path=scope_path,
                        **fields,
                    )
            except IntegrityError:
                # Another request holds the key: it committed (we waited on the index), so read it.
                running = Job.objects.filter(key=key, status__in=ACTIVE_JOB_STATUSES).first()
                if running is None:
                    continue
                if by is not None:  # the condition is checked again under the row lock: no doubles
                    Job.objects.filter(pk=running.pk).exclude(followers__contains=[by.pk]).update(
                        followers=Func("followers", Value(by.pk), function="array_append")
                    )
                return model.objects.get(pk=running.pk), False
            transaction.on_commit(partial(_queue, job.pk, key))
            return job, True
    raise RuntimeError(f"could not enqueue {key}")


def _queue(job_id: int, key: str) -> None:
    if settings.JOBS_INLINE:
        try:
            execute(job_id, final=True)
        except Exception:
            logger.exception("inline job %s failed", job_id)
        return
    run_job.configure(lock=key).defer(job_id=job_id)


@app.task(
    name="core.run_job",
    pass_context=True,
    retry=RetryStrategy(max_attempts=settings.JOB_RETRY_ATTEMPTS, exponential_wait=settings.JOB_RETRY_WAIT),
)
def run_job(context, job_id: int) -> None:
    """The queue's task for one job row. ``context.job.attempts`` counts the earlier attempts."""
    close_old_connections()
    try:
        execute(job_id, final=context.job.attempts >= settings.JOB_RETRY_ATTEMPTS)
    finally:
        close_old_connections()


def execute(job_id: int, *, final: bool = True) -> Job | None:
    """Run one job's handler to the end, keeping its row up to date; re-raises a failure so that the
    queue retries it (the row is failed only on the ``final`` attempt)."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None:  # nothing to do: the row is gone (a restored backup, a flushed test database)
        logger.warning("job %s has no row; skipped", job_id)
        return None
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job  # already finished (a retry after the row was closed)
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
    Job.objects.filter(pk=job_id).update(attempts=job.attempts + 1)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(done=done, total=total, heartbeat_at=timezone.now())

    try:
        summary = HANDLERS[job.kind](job, progress)
    except Exception as error:  # the row must say what happened, whatever the reason
        message = f"{type(error).__name__}: {error}"[:2000]
        if final:
            Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, error=message, finished_at=timezone.now())
        else:
            Job.objects.filter(pk=job_id).update(status=JobStatus.QUEUED, error=message)
        raise
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.DONE, summary=summary or "", error="", finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job
