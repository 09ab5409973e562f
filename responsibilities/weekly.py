"""The secretaries' weekly digest (每周班子落实情况): for each secretary, each team list's tasks done,
due soon and overdue, the 蓝黄红 counts and the lists awaiting her confirmation, stored as one
notification a week and sent through her channels as she chose (``core.notifications.notify_many``).

Recipients are the logins of the people holding a secretary's seat on the day, in organisations not
archived: a vacant seat tells nobody, a former secretary is no longer told. What a digest counts is
read through the lists' door for that secretary, so it never counts a list she may not open. The key
names the ISO week: a second run of the same week adds nothing.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from core import scope
from core.models import Notification
from core.notifications import notify_many, register_event
from responsibilities import rules
from responsibilities.models import ListStatus, ResponsibilityList, Task, TaskStatus, TeamMembership, TeamRole
from responsibilities.notifications import my_checklist_url
from responsibilities.selectors.lists import intervened_after_deadline, warning_thresholds

WEEKLY_DIGEST = register_event("weekly_digest", gettext_lazy("每周班子落实情况"))


def week_key(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{WEEKLY_DIGEST}:{year}-W{week:02d}"


def secretaries_on(day: date) -> dict:
    """Each secretary's login on the day and the organisations (not archived) where she holds the seat."""
    seats = (
        TeamMembership.objects.on(day)
        .filter(
            role=TeamRole.SECRETARY,
            person__user__isnull=False,
            person__user__is_active=True,
            organisation__archived_at__isnull=True,
        )
        .select_related("person__user", "organisation")
        .order_by("organisation__path")
    )
    found = {}
    for seat in seats:
        user = seat.person.user
        found.setdefault(user.pk, (user, []))[1].append(seat.organisation)
    return found


SECRETARIES_PER_ROUND = 500


def teams_progress(secretaries: dict, day: date, thresholds: rules.Thresholds) -> dict:
    """For each secretary (``secretaries_on``'s user pk → (user, organisations)): the team lists of the
    year in her organisations that she may open (her own left out), with their counts; and how many
    of them await her confirmation. By rounds of ``SECRETARIES_PER_ROUND`` secretaries: the lists of
    all their organisations with their counts (one query; a list's counts are the same whoever reads
    them), each secretary's own door asked for hers (``scope.doors_open``, many secretaries a query),
    and the open tasks of the lists they see (one query)."""
    found = {}
    items = list(secretaries.items())
    for start in range(0, len(items), SECRETARIES_PER_ROUND):
        found.update(_round_progress(dict(items[start : start + SECRETARIES_PER_ROUND]), day, thresholds))
    return found


def _round_progress(secretaries: dict, day: date, thresholds: rules.Thresholds) -> dict:
    soon = Q(items__tasks__deadline__gte=day, items__tasks__deadline__lte=day + timedelta(days=thresholds.blue_days))
    active = Q(items__tasks__archived_at__isnull=True)
    open_ = active & ~Q(items__tasks__status=TaskStatus.DONE)
    organisations = {organisation.pk for _user, seats in secretaries.values() for organisation in seats}
    every_list = list(
        ResponsibilityList.objects.filter(organisation__in=organisations, year=day.year)
        .exclude(status=ListStatus.CLOSED)
        .select_related("organisation", "person")
        .annotate(
            total=Count("items__tasks", filter=active),
            done=Count("items__tasks", filter=active & Q(items__tasks__status=TaskStatus.DONE)),
            due_soon=Count("items__tasks", filter=open_ & soon),
            overdue=Count("items__tasks", filter=open_ & Q(items__tasks__deadline__lt=day)),
        )
        .order_by("organisation__path", "kind", "person__name")
    )
    by_organisation = defaultdict(list)
    for listed in every_list:
        by_organisation[listed.organisation_id].append(listed)
    candidates = {}
    for user_pk, (_user, seats) in secretaries.items():
        # In the order of the query (organisation path, kind, person): her seats are in path order.
        candidates[user_pk] = [
            listed
            for seat in sorted({seat.pk: seat for seat in seats}.values(), key=lambda seat: seat.path)
            for listed in by_organisation[seat.pk]
            if not (listed.person_id and listed.person.user_id == user_pk)
        ]
    opened = scope.doors_open(
        ResponsibilityList.objects,
        ((user, [listed.pk for listed in candidates[user_pk]]) for user_pk, (user, _seats) in secretaries.items()),
        day=day,
    )
    seen = {list_pk for _user_pk, list_pk in opened}
    colours = defaultdict(rules.Colours)
    open_tasks = (
        Task.objects.filter(item__responsibility_list__in=list(seen), archived_at__isnull=True)
        .exclude(status=TaskStatus.DONE)
        .filter(deadline__lte=day + timedelta(days=thresholds.blue_days))
        .annotate(intervened=intervened_after_deadline())
        .values_list("item__responsibility_list", "deadline", "intervened")
        .order_by()  # counted, not listed: without the tasks' order's joins and sort
    )
    for list_id, deadline, intervened in open_tasks:
        colour = rules.warning_colour(
            done=False, deadline=deadline, today=day, intervened=intervened, thresholds=thresholds
        )
        if colour:
            setattr(colours[list_id], colour, getattr(colours[list_id], colour) + 1)
    found = {}
    for user_pk, (_user, seats) in secretaries.items():
        lists = [listed for listed in candidates[user_pk] if (user_pk, listed.pk) in opened]
        several = len(seats) > 1
        members = []
        for listed in lists:
            name = listed.person.name if listed.person_id else listed.get_kind_display()
            if several:
                name = f"{listed.organisation.display_name}·{name}"
            members.append(
                rules.MemberProgress(
                    name=name,
                    total=listed.total,
                    done=listed.done,
                    due_soon=listed.due_soon,
                    overdue=listed.overdue,
                    colours=colours[listed.pk],
                )
            )
        awaiting = sum(1 for listed in lists if listed.status == ListStatus.SUBMITTED)
        found[user_pk] = (members, awaiting)
    return found


def send_weekly_digests(day: date) -> int:
    """The week's digest for every secretary on ``day``, at most one per secretary and ISO week.
    Returns how many secretaries were considered. A fixed number of queries plus a few per
    ``SECRETARIES_PER_ROUND`` secretaries (``teams_progress``); the notifications are inserted and
    dispatched together (``notify_many``)."""
    thresholds = warning_thresholds()
    key = week_key(day)
    year, week, _weekday = day.isocalendar()
    secretaries = secretaries_on(day)
    already = set(Notification.objects.filter(key=key).values_list("recipient_id", flat=True))
    waiting = {user_pk: seats for user_pk, seats in secretaries.items() if user_pk not in already}
    scope.prime_assignments(user for user, _organisations in waiting.values())
    progress = teams_progress(waiting, day, thresholds)
    messages = []
    for user_pk, (user, organisations) in waiting.items():
        members, awaiting = progress[user_pk]
        text = rules.weekly_digest_text(
            year=year,
            week=week,
            organisations=[o.display_name for o in organisations],
            members=members,
            awaiting=awaiting,
        )
        messages.append(([user], text, None, key))
    notify_many(event=WEEKLY_DIGEST, messages=messages, url=my_checklist_url())
    return len(secretaries)
