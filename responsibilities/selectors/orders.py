"""Reads of 督办: the replies the user sees, filtered as the list page asks."""

from datetime import date

from django.db.models import Q, QuerySet

from core import scope
from responsibilities.models import Organisation, Person, ReplyStatus, SupervisionReply, Task


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


def order_choices(user, issuer: Organisation, today: date):
    """What a 督办 from ``issuer`` may be addressed to, each through its door: the active
    organisations below it, the people there (to name one), and the open overdue tasks below it
    (what a 督办 is most often about; the 200 most overdue)."""
    candidates = Organisation.objects.for_user(user).subtree(issuer, include_self=False).active().order_by("path")
    people = (
        Person.objects.for_user(user)
        .filter(home_organisation__path__startswith=issuer.path)
        .exclude(home_organisation=issuer)
        .select_related("home_organisation")
    )
    late = (
        Task.objects.for_user(user, scope.VIEW, day=today)
        .active()
        .overdue_on(today)
        .filter(item__responsibility_list__organisation__path__startswith=issuer.path)
        .exclude(item__responsibility_list__organisation=issuer)
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)[:200]
    )
    tasks = Task.objects.filter(pk__in=list(late)).select_related("item__responsibility_list__organisation")
    return candidates, people, tasks
