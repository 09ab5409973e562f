"""Reads of 督办: the replies the user sees, filtered as the list page asks."""

from datetime import date

from django.db.models import Q, QuerySet

from core import scope
from responsibilities.models import ReplyStatus, SupervisionReply


def replies_visible_to(user) -> QuerySet[SupervisionReply]:
    return SupervisionReply.objects.for_user(user).select_related(
        "order__issuer", "order__issued_by", "organisation", "person"
    )


def filtered_replies(user, filters: dict, today: date) -> QuerySet[SupervisionReply]:
    """The visible replies, newest order first, narrowed by the list's filters: the side (issued by
    the user's organisations or received by them), the status (overdue: unanswered past the
    deadline) and a search text."""
    replies = replies_visible_to(user).order_by("-order__issued_at", "organisation__path")
    own = scope.scope_paths(user, scope.VIEW)
    if filters.get("side") == "issued" and own is not None:
        replies = replies.filter(scope.within(own, field="order__issuer__path"))
    elif filters.get("side") == "received" and own is not None:
        replies = replies.exclude(scope.within(own, field="order__issuer__path"))
    if filters.get("status") == "overdue":
        replies = replies.filter(status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED], order__reply_by__lt=today)
    elif filters.get("status"):
        replies = replies.filter(status=filters["status"])
    if filters.get("q"):
        replies = replies.filter(
            Q(order__title__icontains=filters["q"]) | Q(organisation__name__icontains=filters["q"])
        )
    return replies
