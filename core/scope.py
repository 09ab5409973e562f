"""Who may see and change what: the one scoping rule every page, export and chart uses.

A user's assignments each reach an organisation and its whole subtree. Upper levels see
everything below them; nobody sees sideways. Superusers see everything.
"""

from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import IntegerField, Q, Value

VIEW = "view"
CHANGE = "change"

# Which roles an action needs. Inspectors and leaders read; office staff and administrators edit.
ROLES_FOR_ACTION = {
    VIEW: {"office_staff", "inspector", "leader", "admin"},
    CHANGE: {"office_staff", "admin"},
}


def assignment_model():
    """The model of users' role assignments (``settings.SCOPE_ASSIGNMENT_MODEL``), so that the kernel
    names no domain app: it needs ``objects.active()`` and the fields role, department, organisation."""
    return apps.get_model(settings.SCOPE_ASSIGNMENT_MODEL)


def assignments_of(user) -> list[tuple[str, str, str]]:
    """(role, department, organisation path) of the user's active assignments, read once per request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_assignment_cache", None)
    if cached is None:
        cached = list(
            assignment_model()
            .objects.active()
            .filter(user=user)
            .values_list("role", "department", "organisation__path")
        )
        user._assignment_cache = cached
    return cached


def prime_assignments(users, chunk: int = 5000) -> None:
    """Read the active assignments of many users at once (one query per ``chunk`` users) into the
    cache ``assignments_of`` reads, so that the doors of all of them ask for none again. Users already
    read are left as they are; a user without assignments gets an empty list."""
    pending = {}
    for user in users:
        if user.is_authenticated and getattr(user, "_assignment_cache", None) is None:
            pending.setdefault(user.pk, []).append(user)
    ids = list(pending)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        found = defaultdict(list)
        rows = (
            assignment_model()
            .objects.active()
            .filter(user__in=part)
            .values_list("user", "role", "department", "organisation__path")
        )
        for user_id, role, department, path in rows:
            found[user_id].append((role, department, path))
        for user_id in part:
            for user in pending[user_id]:
                user._assignment_cache = found[user_id]


def scope_paths(user, action: str, roles=None, department: str | None = None) -> list[str] | None:
    """Tree paths of the subtrees the user may act on; None means everything (superuser)."""
    if user.is_authenticated and user.is_superuser:
        return None
    allowed = ROLES_FOR_ACTION[action] if roles is None else set(roles)
    paths = {
        path
        for role, dept, path in assignments_of(user)
        if role in allowed and (department is None or dept == department)
    }
    return minimal_prefixes(paths)


def minimal_prefixes(paths) -> list[str]:
    """Drop paths that lie inside another path of the set (their subtree is already covered)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def within(paths: list[str] | None, field: str = "path") -> Q:
    """A filter for rows whose organisation path lies in one of the subtrees.

    For everything (None) it is a condition that always holds rather than an empty Q(), because an
    empty Q() OR'ed with another condition would silently narrow to that other condition.
    """
    if paths is None:
        return everything()
    if not paths:
        return nobody()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def covers(paths: list[str] | None, path: str) -> bool:
    """Whether an organisation path lies in one of the subtrees (no query)."""
    return paths is None or any(path.startswith(prefix) for prefix in paths)


def may(user, action: str, path: str, roles=None, department: str | None = None) -> bool:
    """Whether an organisation path lies in the subtrees the user may act on (no query)."""
    return covers(scope_paths(user, action, roles=roles, department=department), path)


def nobody() -> Q:
    """A condition no row meets."""
    return Q(pk__in=[])


def everything() -> Q:
    """A condition every row meets (an empty Q() OR'ed with another would narrow to that other)."""
    return ~Q(pk__in=[])


class ScopedQuerySet(models.QuerySet):
    """The door of a model family: ``for_user(user, action)`` keeps the rows the user may see ("view")
    or change ("change"). Every page, export, count, notification and search reads through it.

    A family says who may see its rows once, in ``visibility`` (a filter condition); related
    families delegate through their relation by building on the same condition.
    """

    def for_user(self, user, action: str = VIEW, **options):
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(self.visibility(user, action, **options))

    def visibility(self, user, action: str, **options) -> Q:
        raise NotImplementedError(f"{self.model.__name__} has no visibility rule")

    def first_rows(self, limit: int):
        """The first ``limit`` rows in this queryset's order, one query: their keys are found first (the
        filters and the ordering's own joins only), then those rows read with every join. Sorted after the
        joins, PostgreSQL joined each of a province's rows to its person and organisation to keep twenty."""
        return self.filter(pk__in=self.values("pk")[:limit])


DOORS_PER_QUERY = 200


def doors_open(
    queryset, candidates, action: str = VIEW, chunk: int = DOORS_PER_QUERY, **options
) -> set[tuple[int, int]]:
    """Ask the door of ``queryset``'s family for many users at once: ``candidates`` are (user, record
    ids) pairs; returns the (user pk, record pk) pairs each user's own door (``for_user``) opens. Each
    user's door is built as for a page, filtered to his or her candidates; ``chunk`` of them go to
    the database in one query (UNION ALL), so the rule is read from the door and never copied."""
    opened: set[tuple[int, int]] = set()
    parts = []

    def ask():
        if parts:
            first, *rest = parts
            opened.update(first.union(*rest, all=True) if rest else first)
            parts.clear()

    for user, ids in candidates:
        ids = list(ids)
        door = queryset.for_user(user, action, **options)
        if not ids or door.query.is_empty():
            continue
        parts.append(
            door.filter(pk__in=ids)
            .order_by()
            .annotate(door_user=Value(user.pk, output_field=IntegerField()))
            .values_list("door_user", "pk")
        )
        if len(parts) >= chunk:
            ask()
    ask()
    return opened


class PublicQuerySet(ScopedQuerySet):
    """Reference data every signed-in user reads (the list template, the negative list, rule sets):
    any user may see it, changes are for superusers in the admin."""

    def visibility(self, user, action: str, **options) -> Q:
        return everything() if action == VIEW or user.is_superuser else nobody()


class LinkQuerySet(ScopedQuerySet):
    """A link of a many-to-many set (a through model): seen, or changed, where its record is.
    ``record_field`` names the link's foreign key to that record (see ``links_to``)."""

    record_field = ""

    def visibility(self, user, action: str, **options) -> Q:
        record = self.model._meta.get_field(self.record_field).related_model
        return Q(**{f"{self.record_field}__in": record._default_manager.for_user(user, action).values("pk")})


def links_to(record_field: str):
    """The door of a link model: the door of the record it belongs to, through ``record_field``."""
    queryset = type(f"LinksTo{record_field.title()}QuerySet", (LinkQuerySet,), {"record_field": record_field})
    return queryset.as_manager()


def roles_of(user) -> set[str]:
    return {role for role, _dept, _path in assignments_of(user)}


def can_change_anything(user) -> bool:
    paths = scope_paths(user, CHANGE)
    return paths is None or bool(paths)
