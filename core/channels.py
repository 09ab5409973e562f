"""E-mail and SMS: a notification also goes where its recipient asked (``NotificationPreference``),
sent from the task queue with retries; or, for a user who chose it, in one daily digest.

Nothing confidential leaves the site: an e-mail or SMS says only that there is a new message of a
kind (the event's name) and links to the 消息中心, which asks for a login. The notification's own text
(which may name an organisation, a measure or a person) stays in the site.
"""

import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import close_old_connections, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from core import sms
from core.events import EVENTS
from core.models import Channel, Delivery, DeliveryStatus, Notification, NotificationPreference

logger = logging.getLogger(__name__)


def inbox_link() -> str:
    return settings.SITE_URL + reverse("core:notification_list")


def dispatch(notifications) -> list[Delivery]:
    """Make the e-mails and SMS the notifications' recipients asked for (not those who chose the daily
    digest) and queue them once the transaction commits. Three queries whatever the number, and one
    per ``QUEUED_PER_QUERY`` deliveries to queue them."""
    notifications = [n for n in notifications if n.pk]
    if not notifications:
        return []
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(user__in={n.recipient_id for n in notifications})
    }
    planned = []
    for notification in notifications:
        preference = preferences.get(notification.recipient_id)
        if preference is None or preference.digest:
            continue
        for channel in preference.channels_for(notification.event):
            address = preference.email if channel == Channel.EMAIL else preference.phone
            planned.append(
                (Delivery(recipient_id=notification.recipient_id, channel=channel, address=address), notification)
            )
    if not planned:
        return []
    deliveries = Delivery.objects.bulk_create([delivery for delivery, _n in planned])
    Delivery.notifications.through.objects.bulk_create(
        Delivery.notifications.through(delivery_id=delivery.pk, notification_id=notification.pk)
        for delivery, notification in zip(deliveries, [n for _d, n in planned], strict=True)
    )
    transaction.on_commit(partial(queue_many, [delivery.pk for delivery in deliveries]))
    return deliveries


def dispatch_keyed(rows: list[Notification]) -> None:
    """``dispatch`` for rows inserted with ``ignore_conflicts`` (PostgreSQL returns no ids for them):
    read back those of this run that have no delivery yet, one query."""
    keys = {(row.recipient_id, row.key) for row in rows}
    if not keys:
        return
    since = min(row.created_at for row in rows)
    found = Notification.objects.filter(
        key__in={key for _user, key in keys}, created_at__gte=since, deliveries__isnull=True
    )
    dispatch([n for n in found if (n.recipient_id, n.key) in keys])


def queue(delivery_id: int) -> None:
    if settings.JOBS_INLINE:
        # Tests: every attempt at once, without the back-off.
        for attempt in range(settings.DELIVERY_RETRY_ATTEMPTS + 1):
            try:
                send(delivery_id, final=attempt >= settings.DELIVERY_RETRY_ATTEMPTS)
                return
            except Exception:
                logger.warning("delivery %s failed (attempt %s)", delivery_id, attempt + 1)
        return
    deliver.defer(delivery_id=delivery_id)


QUEUED_PER_QUERY = 1000


def queue_many(delivery_ids: list[int]) -> None:
    """``queue`` for many deliveries: one job each, deferred ``QUEUED_PER_QUERY`` jobs per query."""
    if settings.JOBS_INLINE:
        for delivery_id in delivery_ids:
            queue(delivery_id)
        return
    for start in range(0, len(delivery_ids), QUEUED_PER_QUERY):
        deliver.batch_defer(*({"delivery_id": pk} for pk in delivery_ids[start : start + QUEUED_PER_QUERY]))


@app.task(
    name="core.deliver",
    pass_context=True,
    retry=RetryStrategy(max_attempts=settings.DELIVERY_RETRY_ATTEMPTS, exponential_wait=settings.DELIVERY_RETRY_WAIT),
)
def deliver(context, delivery_id: int) -> None:
    """The queue's task for one e-mail or SMS (retried by the queue; failed after the last attempt)."""
    close_old_connections()
    try:
        send(delivery_id, final=context.job.attempts >= settings.DELIVERY_RETRY_ATTEMPTS)
    finally:
        close_old_connections()


def send(delivery_id: int, *, final: bool) -> None:
    """Send one delivery; on failure record the error and re-raise (failed for good when ``final``)."""
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("recipient").first()
    if delivery is None or delivery.status != DeliveryStatus.QUEUED:
        return
    Delivery.objects.filter(pk=delivery_id).update(attempts=delivery.attempts + 1)
    notifications = list(delivery.notifications.order_by("created_at"))
    try:
        if delivery.channel == Channel.EMAIL:
            send_email(delivery, notifications)
        else:
            sms.backend().send(delivery.address, short_text(delivery, notifications), inbox_link())
    except Exception as error:
        message = f"{type(error).__name__}: {error}"[:2000]
        status = DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED
        Delivery.objects.filter(pk=delivery_id).update(status=status, error=message)
        raise
    Delivery.objects.filter(pk=delivery_id).update(status=DeliveryStatus.SENT, sent_at=timezone.now(), error="")


def _labels(notifications) -> list[str]:
    counted = defaultdict(int)
    for notification in notifications:
        counted[str(EVENTS.get(notification.event, notification.event))] += 1
    return [f"{label}（{n}）" if n > 1 else label for label, n in counted.items()]


def short_text(delivery, notifications) -> str:
    """What an e-mail's subject or an SMS says: the kinds of message, never their content."""
    product = str(settings.PRODUCT_NAME)
    if delivery.digest:
        return _("【%(product)s】今日您有 %(n)s 条新消息：%(kinds)s。请登录查看。") % {
            "product": product,
            "n": len(notifications),
            "kinds": "、".join(_labels(notifications)),
        }
    return _("【%(product)s】您有一条新消息：%(kind)s。请登录查看。") % {
        "product": product,
        "kind": "、".join(_labels(notifications)),
    }


def send_email(delivery, notifications) -> None:
    context = {
        "text": short_text(delivery, notifications),
        "kinds": _labels(notifications),
        "link": inbox_link(),
        "digest": delivery.digest,
        "product_name": settings.PRODUCT_NAME,
    }
    message = EmailMultiAlternatives(
        subject=context["text"][:120],
        body=render_to_string("core/email/notification.txt", context),
        to=[delivery.address],
    )
    message.attach_alternative(render_to_string("core/email/notification.html", context), "text/html")
    message.send()


# ---- The daily digest -----------------------------------------------------------------------------


def digest(day) -> int:
    """One e-mail and/or SMS per digest user with the notifications not yet digested from before 08:00
    of ``day`` (up to a week back, so that a day the worker was down is caught up) of the events he
    or she chose for that channel; each notification in one digest at most. Returns how many
    deliveries were queued. A fixed number of queries (the deliveries and their links inserted, and
    their jobs queued, in bulk)."""
    end = timezone.make_aware(datetime.combine(day, time(8)))
    start = end - timedelta(days=7)
    preferences = {p.user_id: p for p in NotificationPreference.objects.filter(digest=True)}
    if not preferences:
        return 0
    pending = Notification.objects.filter(
        recipient__in=list(preferences), created_at__gte=start, created_at__lt=end, recipient__is_active=True
    ).exclude(deliveries__digest=True)
    grouped = defaultdict(list)
    for notification in pending:
        for channel in preferences[notification.recipient_id].channels_for(notification.event):
            grouped[(notification.recipient_id, channel)].append(notification)
    planned = []
    for (user_id, channel), items in grouped.items():
        preference = preferences[user_id]
        address = preference.email if channel == Channel.EMAIL else preference.phone
        planned.append((Delivery(recipient_id=user_id, channel=channel, address=address, digest=True), items))
    made = Delivery.objects.bulk_create([delivery for delivery, _items in planned], batch_size=5000)
    Delivery.notifications.through.objects.bulk_create(
        (
            Delivery.notifications.through(delivery_id=delivery.pk, notification_id=notification.pk)
            for delivery, (_delivery, items) in zip(made, planned, strict=True)
            for notification in {n.pk: n for n in items}.values()
        ),
        batch_size=5000,
    )
    transaction.on_commit(partial(queue_many, [delivery.pk for delivery in made]))
    return len(made)
