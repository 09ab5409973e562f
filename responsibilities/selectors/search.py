"""The header search's kinds owned by this app: organisations, people and tasks (see core.search).

Each reads through the door its record's page opens with, so that every hit opens for the user, and
runs one query whatever the number of matches. Archived records are left out: the search is for
today's work. Shorter names come first, so that the closest match leads.
"""

from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scope
from core.search import Hit, containing, searches_long_text
from responsibilities.models import DutyRecord, Problem, Task
from responsibilities.selectors.organisations import (
    ORGANISATION_SEARCH_FIELDS,
    PEOPLE_SEARCH_FIELDS,
    organisations_visible_to,
    people_visible_to,
)


def organisations_matching(user, text: str, limit: int) -> list[Hit]:
    organisations = containing(organisations_visible_to(user).active(), ORGANISATION_SEARCH_FIELDS, text).order_by(
        Length("name"), "path"
    )[:limit]
    return [
        Hit(
            organisation.name,
            organisation.get_absolute_url(),
            f"{organisation.get_kind_display()} · {organisation.code}",
        )
        for organisation in organisations
    ]


def people_matching(user, text: str, limit: int) -> list[Hit]:
    people = containing(people_visible_to(user).active(), PEOPLE_SEARCH_FIELDS, text).order_by(
        Length("name"), "name", "pk"
    )[:limit]
    return [
        Hit(person.name, person.get_absolute_url(), f"{person.post} · {person.home_organisation.display_name}")
        for person in people
    ]


def tasks_matching(user, text: str, limit: int) -> list[Hit]:
    """Tasks by their title: from three characters on (``core.search.MIN_LONG_TEXT``)."""
    if not searches_long_text(text):
        return []
    tasks = (
        Task.objects.for_user(user, scope.VIEW, day=timezone.localdate())
        .active()
        .filter(title__icontains=text)
        .select_related("item__responsibility_list__organisation", "item__responsibility_list__person")
        .order_by("-item__responsibility_list__year", Length("title"), "pk")[:limit]
    )
    hits = []
    for task in tasks:
        checklist = task.item.responsibility_list
        owner = checklist.person.name if checklist.person_id else checklist.get_kind_display()
        detail = _("%(year)s 年 · %(organisation)s · %(owner)s · 完成时限 %(deadline)s") % {
            "year": checklist.year,
            "organisation": checklist.organisation.display_name,
            "owner": owner,
            "deadline": task.deadline.isoformat(),
        }
        hits.append(Hit(task.title, task.get_absolute_url(), detail))
    return hits


def problems_matching(user, text: str, limit: int) -> list[Hit]:
    """Problems (问题清单) by their title, from three characters on, through the problems' door."""
    if not searches_long_text(text):
        return []
    problems = (
        Problem.objects.for_user(user)
        .filter(title__icontains=text)
        .select_related("organisation")
        .order_by("-found_on", "pk")[:limit]
    )
    return [
        Hit(
            problem.title,
            problem.get_absolute_url(),
            _("%(organisation)s · %(status)s · 整改时限 %(deadline)s")
            % {
                "organisation": problem.organisation.display_name,
                "status": problem.get_status_display(),
                "deadline": problem.deadline.isoformat(),
            },
        )
        for problem in problems
    ]


def duty_records_matching(user, text: str, limit: int) -> list[Hit]:
    """履责纪实 by their content or place, from three characters on, through the records' door."""
    if not searches_long_text(text):
        return []
    records = (
        DutyRecord.objects.for_user(user)
        .filter(Q(content__icontains=text) | Q(place__icontains=text))
        .select_related("person", "kind")
        .order_by("-date", "-pk")[:limit]
    )
    return [
        Hit(
            f"{record.kind.name} · {record.person.name}",
            record.get_absolute_url(),
            f"{record.date:%Y-%m-%d} · {record.content[:40]}",
        )
        for record in records
    ]
