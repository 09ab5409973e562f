"""Every non-trivial read of organisations, people and teams: scoped, with the joins done."""

from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from core import scope
from core.search import containing
from responsibilities.models import Organisation, Person, TeamMembership, TeamRole

# The columns a search, a picker or a list filter matches text in (core.search.containing), each
# indexed for it (trigram and bigram indexes on the models).
PEOPLE_SEARCH_FIELDS = ("name", "post")
ORGANISATION_SEARCH_FIELDS = ("name", "short_name", "code")


def secretary_name_on(day: date):
    """Subquery: the name of the organisation's secretary on a day."""
    return Subquery(
        TeamMembership.objects.on(day)
        .filter(organisation=OuterRef("pk"), role=TeamRole.SECRETARY)
        .values("person__name")[:1]
    )


def organisations_visible_to(user, action=scope.VIEW) -> QuerySet[Organisation]:
    return Organisation.objects.for_user(user, action)


def organisation_for(user, pk, action=scope.VIEW) -> Organisation:
    """One organisation in the user's scope, or 404."""
    return get_object_or_404(organisations_visible_to(user, action), pk=pk)


def tree_roots(user, *, today: date) -> QuerySet[Organisation]:
    """The top organisations of the user's scope: the roots of the tree they may see."""
    paths = scope.scope_paths(user, scope.VIEW)
    roots = Organisation.objects.filter(depth=1) if paths is None else Organisation.objects.filter(path__in=paths)
    return roots.annotate(secretary_name=secretary_name_on(today))


def tree_children(user, parent: Organisation, *, today: date, include_archived=False) -> QuerySet[Organisation]:
    """The direct children of an organisation already checked to be in scope."""
    children = Organisation.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if not include_archived:
        children = children.active()
    return children.annotate(secretary_name=secretary_name_on(today))


def tree_roots_with_children(user, *, today: date) -> list[Organisation]:
    """The roots of the user's tree, each with ``children_list``: two queries in all."""
    roots = list(tree_roots(user, today=today))
    if not roots:
        return []
    condition = Q()
    for root in roots:
        condition |= Q(path__startswith=root.path, depth=root.depth + 1)
    children = Organisation.objects.active().filter(condition).annotate(secretary_name=secretary_name_on(today))
    by_parent: dict[str, list[Organisation]] = {root.path: [] for root in roots}
    for child in children:
        by_parent[child.parent_path].append(child)
    for root in roots:
        root.children_list = by_parent[root.path]
    return roots


@dataclass
class SearchHit:
    organisation: Organisation
    ancestors: list[Organisation]


def organisation_search(user, text: str, *, limit=50) -> list[SearchHit]:
    """Organisations in scope whose name, short name or code contains the text, with their ancestors.

    Two queries whatever the number of hits: the matches, then all their ancestors at once.
    """
    text = text.strip()
    if not text:
        return []
    matches = list(containing(organisations_visible_to(user), ORGANISATION_SEARCH_FIELDS, text)[:limit])
    ancestor_paths = {path for org in matches for path in org.ancestor_paths()}
    by_path = {org.path: org for org in Organisation.objects.filter(path__in=ancestor_paths)}
    return [SearchHit(org, [by_path[path] for path in org.ancestor_paths() if path in by_path]) for org in matches]


def ancestors_of(organisation: Organisation, user) -> list[Organisation]:
    """Root first, in one query; ``in_scope`` says whether the user may open each one."""
    paths = scope.scope_paths(user, scope.VIEW)
    ancestors = list(Organisation.objects.filter(path__in=organisation.ancestor_paths()))
    for ancestor in ancestors:
        ancestor.in_scope = scope.covers(paths, ancestor.path)
    return ancestors


def team_on(organisation: Organisation, day: date) -> list[TeamMembership]:
    """The leadership team on a day: secretary first, then the leader in charge, then the others."""
    order = {TeamRole.SECRETARY: 0, TeamRole.LEADER_IN_CHARGE: 1, TeamRole.MEMBER: 2}
    members = list(TeamMembership.objects.on(day).filter(organisation=organisation).select_related("person"))
    return sorted(members, key=lambda m: (order[m.role], m.start_date, m.pk))


def people_visible_to(user, action=scope.VIEW) -> QuerySet[Person]:
    return Person.objects.for_user(user, action).select_related("home_organisation")


def people_list(
    user, *, text="", organisation: Organisation | None = None, post_level=None, include_archived=False
) -> QuerySet[Person]:
    people = people_visible_to(user)
    if not include_archived:
        people = people.active()
    if text:
        people = containing(people, PEOPLE_SEARCH_FIELDS, text)
    if organisation is not None:
        people = people.filter(home_organisation__path__startswith=organisation.path)
    if post_level:
        people = people.filter(post_level=post_level)
    return people.order_by("home_organisation__path", "-post_level", "name", "pk")


def former_cadres(day) -> Q:
    """A condition on Person: every seat ended before ``day`` and none held on it."""
    # Two uncorrelated sets (each read once and hashed), not an EXISTS per person: the planner prices a
    # correlated EXISTS once per row of the whole person table, and so preferred reading a trigram index
    # whole for a two-character name (the people picker: 39 ms at N = 5,000) to reading the table.
    ended = TeamMembership.objects.filter(end_date__lt=day).values("person")
    held = TeamMembership.objects.on(day).values("person")
    return Q(pk__in=ended) & ~Q(pk__in=held)


def people_with_status(user, day: date) -> QuerySet[Person]:
    """The roster's people: ``former`` tells those whose seats have all ended (已离任、调任)."""
    return people_visible_to(user).annotate(former=ExpressionWrapper(former_cadres(day), output_field=BooleanField()))


def person_for(user, pk, action=scope.VIEW) -> Person:
    return get_object_or_404(people_visible_to(user, action), pk=pk)


def person_memberships(person: Person) -> QuerySet[TeamMembership]:
    return person.memberships.select_related("organisation").order_by("-start_date", "pk")


def candidates_for_team(organisation: Organisation) -> QuerySet[Person]:
    """People who may be added to a team: those working in the organisation or below it."""
    return (
        Person.objects.active()
        .filter(home_organisation__path__startswith=organisation.path)
        .select_related("home_organisation")
        .order_by("-post_level", "name", "pk")
    )


def membership_for(user, pk, action=scope.VIEW) -> TeamMembership:
    return get_object_or_404(
        TeamMembership.objects.for_user(user, action).select_related("organisation", "person"), pk=pk
    )


def organisations_without_secretary(user, day: date) -> QuerySet[Organisation]:
    """Active organisations in scope with no secretary on a day (an early sign worth a look)."""
    has_secretary = TeamMembership.objects.on(day).filter(organisation=OuterRef("pk"), role=TeamRole.SECRETARY)
    return organisations_visible_to(user).active().filter(~Exists(has_secretary))


def my_memberships(user, day: date) -> QuerySet[TeamMembership]:
    """The user's own current seats, through the person linked to the login."""
    return (
        TeamMembership.objects.on(day)
        .filter(person__user=user)
        .select_related("organisation", "person")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=TeamMembership.objects.on(day).select_related("person"),
                to_attr="team_today",
            )
        )
    )


def scope_counts(user) -> dict[str, int]:
    """How many organisations and people the user's scope holds: one query."""
    from django.db.models import Count

    organisations = organisations_visible_to(user).active()
    totals = organisations.aggregate(organisations=Count("pk"))
    totals["people"] = people_visible_to(user).active().count()
    return totals


def inspector_assignments(user):
    from responsibilities.models import Assignment, Role

    return (
        Assignment.objects.active()
        .filter(user=user, role=Role.INSPECTOR)
        .select_related("organisation")
        .order_by("organisation__path")
    )


def overdue_orders(user, day, limit: int = 20):
    """The first ``limit`` 督办 answers overdue on a day (unanswered or returned past the deadline), the
    oldest deadline first: 红 on 预警提醒."""
    from responsibilities.models import ReplyStatus, SupervisionReply

    return (
        SupervisionReply.objects.for_user(user)
        .filter(status__in=[ReplyStatus.WAITING, ReplyStatus.RETURNED], order__reply_by__lt=day)
        .order_by("order__reply_by", "pk")
        .first_rows(limit)
        .select_related("order__issuer", "organisation", "person")
    )
