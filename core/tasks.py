"""The kernel's queue tasks (Procrastinate imports every app's tasks module)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from core.channels import deliver  # noqa: F401  (one e-mail or SMS, retried)
from core.jobs import run_job  # noqa: F401


# 08:00 Asia/Shanghai is 00:00 UTC: the daily digest of the users who chose one.
@app.periodic(cron="0 0 * * *", periodic_id="daily_digest")
@app.task(name="core.daily_digest", queueing_lock="daily_digest")
def daily_digest(timestamp: int) -> None:
    from core.channels import digest

    digest(timezone.localdate())
