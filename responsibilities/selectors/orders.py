"""Reads of 督办: the replies the user sees, filtered as the list page asks."""

from datetime import date

from django.db.models import QuerySet

from core import scope
from responsibilities.models import Organisation, Person, SupervisionReply, Task


def replies_visible_to(user) -> QuerySet[SupervisionReply]:
    # The named person is fetched for the shown rows only (one query): joined, the whole person table
    # was hashed for every page of the 督办 list before its rows were sorted.
    return (
        SupervisionReply.objects.for_user(user)
        .select_related("order__issuer", "order__issued_by", "organisation")
        .prefetch_related("person")
    )


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
