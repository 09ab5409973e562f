"""Who is told of a 督办: issued and returned → the recipient's office staff, secretary and named
person; answered → the issuer's office staff and the signer; overdue (the day after the deadline,
unanswered) → both sides. Through ``core.notifications.notify``, which checks each recipient's door."""

from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import notify, notify_many, register_event
from responsibilities.models import ReplyStatus, SupervisionReply
from responsibilities.notifications import office_staff_users, secretary_users

ORDER_ISSUED = register_event("order_issued", gettext_lazy("督办通知"))
ORDER_ANSWERED = register_event("order_answered", gettext_lazy("督办已反馈"))
ORDER_RETURNED = register_event("order_returned", gettext_lazy("督办反馈被退回"))
ORDER_CLOSED = register_event("order_closed", gettext_lazy("督办已办结"))
ORDER_OVERDUE = register_event("order_overdue", gettext_lazy("督办逾期未反馈"))


def _recipient_side(replies, day):
    ids = [r.organisation_id for r in replies]
    staff, secretaries = office_staff_users(ids), secretary_users(ids, day)
    for reply in replies:
        people = staff[reply.organisation_id] + secretaries[reply.organisation_id]
        if reply.person_id and reply.person.user_id:
            people.append(reply.person.user)
        yield reply, people


def order_issued(order, replies, by) -> None:
    text = _("%(issuer)s 督办：%(title)s，请于 %(day)s 前反馈。") % {
        "issuer": order.issuer.name,
        "title": order.title,
        "day": order.reply_by,
    }
    for reply, people in _recipient_side(replies, timezone.localdate()):
        notify(event=ORDER_ISSUED, recipients=people, text=text, target=reply, by=by)


def order_answered(reply, by) -> None:
    text = _("%(org)s 已反馈督办：%(title)s。") % {"org": reply.organisation.name, "title": reply.order.title}
    people = office_staff_users([reply.order.issuer_id])[reply.order.issuer_id] + [reply.order.issued_by]
    notify(event=ORDER_ANSWERED, recipients=people, text=text, target=reply, by=by)


def order_closed(reply, accepted, by) -> None:
    if accepted:
        event, text = ORDER_CLOSED, _("督办“%(title)s”已办结。") % {"title": reply.order.title}
    else:
        event, text = (
            ORDER_RETURNED,
            _("督办“%(title)s”的反馈被退回，请补充后重新反馈。") % {"title": reply.order.title},
        )
    for one, people in _recipient_side([reply], timezone.localdate()):
        notify(event=event, recipients=people, text=text, target=one, by=by)


def remind_overdue(day: date) -> int:
    """The day after a 督办's deadline, unanswered: both sides are told, once (keyed). A fixed number of
    queries plus one per ``scope.DOORS_PER_QUERY`` recipients (``notify_many``)."""
    replies = list(
        SupervisionReply.objects.filter(
            order__reply_by=day - timedelta(days=1), status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED]
        ).select_related("order__issuer", "organisation", "person__user", "order__issued_by")
    )
    issuers = office_staff_users({r.order.issuer_id for r in replies})
    keys = [f"order_overdue:{reply.pk}" for reply in replies]
    before = Notification.objects.filter(key__in=keys).count()
    messages = []
    for reply, people in _recipient_side(replies, day):
        people = people + issuers[reply.order.issuer_id] + [reply.order.issued_by]
        text = _("督办“%(title)s”已过反馈期限（%(day)s），%(org)s 尚未反馈。") % {
            "title": reply.order.title,
            "day": reply.order.reply_by,
            "org": reply.organisation.name,
        }
        messages.append((people, text, reply, f"order_overdue:{reply.pk}"))
    notify_many(event=ORDER_OVERDUE, messages=messages)
    return Notification.objects.filter(key__in=keys).count() - before
