"""The responsibilities app's background work, imported by Procrastinate in web and worker processes."""

from django.utils import timezone
from procrastinate.contrib.django import app

from responsibilities import jobs, tallies  # noqa: F401  (jobs registers the roll-over handler)


# 00:05 Asia/Shanghai is 16:05 UTC (the queue's schedule is in UTC; China keeps no summer time). The
# hourly run catches up a worker that was down at 00:05; it costs one read when the clock is current.
@app.periodic(cron="5 16 * * *", periodic_id="overdue_clock")
@app.periodic(cron="35 * * * *", periodic_id="overdue_clock_catch_up")
@app.task(name="responsibilities.overdue_clock", queueing_lock="overdue_clock")
def overdue_clock(timestamp: int) -> None:
    """Move the overdue counts to today: the day's deadlines are counted in once, by the worker."""
    tallies.advance_clock(timezone.localdate())


# 00:10 Asia/Shanghai (16:10 UTC), after the overdue clock: the day's deadline reminders.
@app.periodic(cron="10 16 * * *", periodic_id="deadline_reminders")
@app.task(name="responsibilities.deadline_reminders", queueing_lock="deadline_reminders")
def deadline_reminders(timestamp: int) -> None:
    """Tasks due in ``REMINDER_DAYS_BEFORE`` days and tasks, 督办, problems and rectification measures
    overdue since today: their people are told."""
    from responsibilities.notifications import remind_deadlines
    from responsibilities.order_notifications import remind_overdue
    from responsibilities.problem_notifications import remind_problems

    remind_deadlines(timezone.localdate())
    remind_overdue(timezone.localdate())  # 督办 unanswered past their deadline
    remind_problems(timezone.localdate())  # problems and rectification measures past their deadline


# Monday 07:30 Asia/Shanghai (Sunday 23:30 UTC), before the 08:00 daily digest that carries it to those
# who chose one. The catch-up on Monday afternoon covers a worker that was down; the week's key keeps it
# to one digest per secretary.
@app.periodic(cron="30 23 * * 0", periodic_id="weekly_digest")
@app.periodic(cron="30 6 * * 1", periodic_id="weekly_digest_catch_up")
@app.task(name="responsibilities.weekly_digest", queueing_lock="weekly_digest")
def weekly_digest(timestamp: int) -> None:
    """Each secretary's weekly digest of the team's progress (``responsibilities.weekly``)."""
    from responsibilities.weekly import send_weekly_digests

    send_weekly_digests(timezone.localdate())
