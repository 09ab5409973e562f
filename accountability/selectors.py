"""Reads of accountability: confidential cases, eligibility on a date, screening, early warning."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accountability import rules
from accountability.models import (
    Case,
    CaseStatus,
    Consequence,
    Decision,
    Exemption,
    Intervention,
    Measure,
    Restriction,
    RestrictionKind,
    RuleSet,
    RuleSetAdoption,
    Situation,
    Subject,
)
from accountability.permissions import admin_paths, case_handler_paths
from core import scope
from core.pickers import register_picker
from core.search import Hit, searches_long_text
from responsibilities import tallies
from responsibilities.escalations import intervened_after_deadline
from responsibilities.models import Organisation, OverdueTally, Person, Task, TaskStatus, TeamMembership
from responsibilities.selectors import lists as list_selectors
from responsibilities.selectors.pickers import ORGANISATIONS, PEOPLE, without_former


def cases_visible_to(user) -> QuerySet[Case]:
    return Case.objects.for_user(user).select_related("organisation", "person")


OPEN_STATUSES = (CaseStatus.FILED, CaseStatus.INVESTIGATING, CaseStatus.REVIEWING)


def open_cases_under(user, organisation: Organisation) -> QuerySet[Case]:
    """Cases not yet decided in an organisation's subtree that the user may see."""
    return (
        cases_visible_to(user)
        .filter(organisation__path__startswith=organisation.path, status__in=OPEN_STATUSES)
        .order_by("organisation__path", "number")
    )


def case_outcomes(user) -> dict:
    """The outcomes of review among the cases the user sees, for the case list's report: decisions
    (about persons, about organisations, with several measures at once), 不予问责 and 免予问责."""
    cases = cases_visible_to(user)
    decided = Q(decision__isnull=False)
    counts = cases.aggregate(
        decided=Count("pk", filter=decided),
        about_people=Count("pk", filter=decided & Q(person__isnull=False)),
        about_organisations=Count("pk", filter=decided & Q(person__isnull=True)),
        not_held=Count("pk", filter=Q(exemption=Exemption.NOT_HELD)),
        exempted=Count("pk", filter=Q(exemption=Exemption.EXEMPTED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    counts["combined"] = (
        Decision.measures.through.objects.filter(decision__case__in=cases.values("pk"))
        .values("decision")
        .annotate(n=Count("measure"))
        .filter(n__gte=2)
        .count()
    )
    return counts


# ---- Rule sets and where they are in force ----------------------------------------------------


def rule_sets_visible_to(user) -> QuerySet[RuleSet]:
    return RuleSet.objects.for_user(user).select_related("owner", "based_on")


def rule_set_for(user, pk) -> RuleSet:
    return get_object_or_404(rule_sets_visible_to(user), pk=pk)


def coverage_today(day: date) -> dict[int, list[tuple[RuleSetAdoption, list[RuleSetAdoption]]]]:
    """Where each rule set is in force on ``day``: per rule set id, the adoptions in force with the
    parts of their subtree that a nearer adoption of another rule set takes. Two queries."""
    adoptions = {
        a.pk: a
        for a in RuleSetAdoption.objects.filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=day), effective_from__lte=day
        ).select_related("organisation", "rule_set")
    }
    result = defaultdict(list)
    for adoption, exceptions in rules.coverage([a.as_rule() for a in adoptions.values()], day):
        result[adoption.rule_set].append((adoptions[adoption.key], [adoptions[e.key] for e in exceptions]))
    return dict(result)


def adoptions_of(rule_set: RuleSet) -> QuerySet[RuleSetAdoption]:
    return rule_set.adoptions.select_related("organisation", "recorded_by").order_by(
        "organisation__path", "effective_from"
    )


def rule_set_measures(rule_set: RuleSet) -> QuerySet[Measure]:
    return (
        rule_set.measures.filter(is_active=True)
        .prefetch_related(Prefetch("consequences", queryset=Consequence.objects.filter(is_active=True)))
        .order_by("category", "severity", "pk")
    )


def case_for(user, pk) -> Case:
    return get_object_or_404(cases_visible_to(user).select_related("filed_by").prefetch_related("situations"), pk=pk)


def attribution(person: Person, organisation: Organisation, facts_date: date) -> dict:
    """Prefill per 实事求是: the role the person held in the organisation's team on the date of the facts."""
    membership = TeamMembership.objects.on(facts_date).filter(person=person, organisation=organisation).first()
    if membership is None:
        return {"subject": "", "membership": None}
    return {"subject": Subject.for_team_role(membership.role), "membership": membership}


def negative_list() -> QuerySet[Situation]:
    # A GROUP BY query drops Meta.ordering: the order is said again.
    return (
        Situation.objects.filter(is_active=True)
        .prefetch_related("failed_items")
        .annotate(case_count=Count("cases"))
        .order_by("code")
    )


# ---- Eligibility ------------------------------------------------------------------------------


@dataclass
class Eligibility:
    """Whether a person may be rated 优秀 / receive 先进, promoted, given a post, given a higher post, on a day."""

    day: date
    bars: dict[str, rules.Bar]
    reasons: dict[str, list[Restriction]] = field(default_factory=dict)

    def bar(self, kind: str) -> rules.Bar | None:
        """What answers the question about ``kind``: its own bar or a broader one (rules.answering_bar)."""
        return rules.answering_bar(self.bars, kind)

    def barred(self, kind: str) -> bool:
        return self.bar(kind) is not None

    @property
    def panel(self) -> list[dict]:
        """One row per question the 选拔任用 and 评先评优 ask, with the answer, reason and lift date."""
        questions = [
            (RestrictionKind.NO_AWARD, _("评优评先（当年考核评优、评选各类先进）")),
            (RestrictionKind.NO_PROMOTION, _("提拔（提升职务）")),
            (RestrictionKind.NO_POST, _("安排职务")),
            (RestrictionKind.NO_HIGHER_POST, _("担任高于原任职务层次的职务")),
            (RestrictionKind.NO_EQUAL_OR_HIGHER_POST, _("担任与原任职务相当或更高的职务")),
        ]
        rows = []
        for kind, question in questions:
            bar = self.bar(kind)
            reasons = [r for k in rules.answering_kinds(kind) for r in self.reasons.get(k, [])] if bar else []
            rows.append(
                {
                    "kind": kind,
                    "question": question,
                    "allowed": bar is None,
                    "lifts_on": bar.lifts_on if bar else None,
                    "reasons": reasons,
                }
            )
        return rows


def restrictions_of(person: Person) -> QuerySet[Restriction]:
    return person.restrictions.select_related("decision__case", "consequence__measure").order_by("-starts_on", "kind")


def combined_restrictions(decision: Decision) -> list[dict]:
    """A decision's restrictions as its printed notice lists them: one row per kind of bar over the
    combined period, with the measures that impose it (the decision was read through its case's door)."""
    restrictions = list(decision.restrictions.select_related("consequence__measure"))
    periods = rules.combined([rules.Period(r.kind, r.starts_on, r.ends_on) for r in restrictions])
    labels = dict(RestrictionKind.choices)
    return [
        {
            "label": labels[p.kind],
            "starts_on": p.starts_on,
            "ends_on": p.ends_on,
            "measures": sorted({r.consequence.measure.printed_name for r in restrictions if r.kind == p.kind}),
        }
        for p in periods
    ]


def eligibility(person: Person | None, day: date, restrictions=None) -> Eligibility:
    """The person's eligibility on ``day``; pass ``restrictions`` (then ``person`` is not needed)
    when they are already loaded."""
    restrictions = list(restrictions if restrictions is not None else restrictions_of(person))
    periods = [rules.Period(r.kind, r.starts_on, r.ends_on) for r in restrictions]
    bars = rules.bars_on(periods, day)
    reasons = defaultdict(list)
    for restriction in restrictions:
        if restriction.kind in bars and restriction.starts_on <= day < restriction.ends_on:
            reasons[restriction.kind].append(restriction)
    return Eligibility(day=day, bars=bars, reasons=dict(reasons))


def eligibilities(people_ids, day: date) -> dict[int, Eligibility]:
    """``eligibility`` on ``day`` for many people from one query, by person id."""
    people_ids = list(people_ids)
    restrictions = defaultdict(list)
    for restriction in Restriction.objects.filter(person_id__in=people_ids).select_related(
        "decision__case", "consequence__measure"
    ):
        restrictions[restriction.person_id].append(restriction)
    return {pk: eligibility(None, day, restrictions[pk]) for pk in people_ids}


def award_bar(person: Person, year: int) -> Restriction | None:
    """The decision that bars the person from the top grade and 先进 awards of a year, if any: a
    评优 restriction in force on any day of that year."""
    return (
        Restriction.objects.filter(
            person=person,
            kind=RestrictionKind.NO_AWARD,
            starts_on__lte=date(year, 12, 31),
            ends_on__gt=date(year, 1, 1),
        )
        .select_related("decision__case", "consequence__measure")
        .order_by("-ends_on")
        .first()
    )


def award_bars(people_ids, year: int) -> dict[int, Restriction]:
    """``award_bar`` for many people in one query."""
    rows = (
        Restriction.objects.filter(
            person_id__in=list(people_ids),
            kind=RestrictionKind.NO_AWARD,
            starts_on__lte=date(year, 12, 31),
            ends_on__gt=date(year, 1, 1),
        )
        .select_related("decision__case", "consequence__measure")
        .order_by("person_id", "-ends_on")
    )
    bars = {}
    for row in rows:
        bars.setdefault(row.person_id, row)
    return bars


@dataclass
class ScreeningRow:
    person: Person
    bars: list[tuple[str, date, list[Restriction]]]


SCREENING_ORDER = ("person__home_organisation__path", "person__name", "person_id")


def screened_people(root: Organisation, day: date) -> list[int]:
    """The keys of the people of a subtree barred on a day, in the screening's order (organisation, then
    name), from one query of bare keys: what the screening page pages over, fifty a page, before it
    reads their restrictions with everything they show (``screening``)."""
    keys = (
        Restriction.objects.in_force_on(day)
        .filter(person__home_organisation__path__startswith=root.path)
        .order_by(*SCREENING_ORDER)
        .values_list("person_id", flat=True)
    )
    return list(dict.fromkeys(keys))


def screening(root: Organisation, day: date, people: list[int] | None = None) -> list[ScreeningRow]:
    """Everyone in a subtree barred on a day (or only the ``people``, keys from ``screened_people``), and
    why: one query for all their restrictions in force."""
    restrictions = Restriction.objects.in_force_on(day).filter(person__home_organisation__path__startswith=root.path)
    if people is not None:
        restrictions = restrictions.filter(person__in=people)
    restrictions = list(
        restrictions.select_related("person__home_organisation", "decision__case", "consequence__measure").order_by(
            *SCREENING_ORDER, "kind"
        )
    )
    by_person: dict[int, list[Restriction]] = defaultdict(list)
    people = {}
    for restriction in restrictions:
        by_person[restriction.person_id].append(restriction)
        people[restriction.person_id] = restriction.person
    labels = dict(RestrictionKind.choices)
    rows = []
    for person_id, person_restrictions in by_person.items():
        result = eligibility(people[person_id], day, person_restrictions)
        rows.append(
            ScreeningRow(
                person=people[person_id],
                bars=[
                    (labels[kind], bar.lifts_on, result.reasons.get(kind, []))
                    for kind, bar in sorted(result.bars.items(), key=lambda item: rules.KIND_ORDER.index(item[0]))
                ],
            )
        )
    return rows


def handled_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose cases the user handles (纪检/组织 inspectors, administrators)."""
    return Organisation.objects.filter(scope.within(case_handler_paths(user))).active()


def adoptable_organisations(user) -> QuerySet[Organisation]:
    """Organisations the user may adopt a rule set for: those he or she administers."""
    return Organisation.objects.filter(scope.within(admin_paths(user))).active()


def case_people(user) -> QuerySet[Person]:
    """The people whose cases the user handles (the same subtrees as the organisations)."""
    return Person.objects.active().filter(scope.within(case_handler_paths(user), field="home_organisation__path"))


def case_people_choices(user, *, within=None, include_former=True) -> QuerySet[Person]:
    """The 被问责人 picker's people: ``case_people``, the form field's own queryset."""
    people = case_people(user).select_related("home_organisation")
    return without_former(people, include_former)


def case_organisation_choices(user, *, within=None, include_former=True) -> QuerySet[Organisation]:
    return handled_organisations(user).only("pk", "name", "code", "kind", "depth", "path")


def register_pickers() -> None:
    register_picker("case-people", choices=case_people_choices, **PEOPLE)
    register_picker("case-organisations", choices=case_organisation_choices, **ORGANISATIONS)


# ---- Early warning ----------------------------------------------------------------------------


@dataclass
class WarningRow:
    """Overdue work of one person (or of an organisation's committee list), with what was done so far."""

    organisation: Organisation
    person: Person | None
    count: int
    tasks: list[Task]
    interventions: list[Intervention]
    suggestion: str | None
    late_done: int = 0  # tasks of this year's lists finished after their deadline: lateness that repeats

    @property
    def repeat(self) -> bool:
        return self.count >= 2


def overdue_tasks(user, day: date, root: Organisation | None = None) -> QuerySet[Task]:
    """Open tasks past their deadline in the lists the user may see (closed years excluded)."""
    tasks = (
        Task.objects.for_user(user, scope.VIEW, day=day)
        .filter(archived_at__isnull=True)
        .overdue_on(day)
        .exclude(item__responsibility_list__status="closed")
    )
    if root is not None:
        tasks = tasks.filter(item__responsibility_list__organisation__path__startswith=root.path)
    return tasks


def overdue_task_rows(user, day: date) -> QuerySet[Task]:
    """预警提醒's working table: every overdue task the user sees (``overdue_tasks``), with its list,
    organisation and person, and ``intervened`` for its warning colour."""
    return (
        overdue_tasks(user, day)
        .select_related("item__responsibility_list__organisation", "item__responsibility_list__person")
        .annotate(intervened=intervened_after_deadline())
    )


def warning_groups(user, day: date, root: Organisation | None = None, repeat_only: bool = False):
    """Who is late: one row per (organisation, person) with the count of overdue tasks, worst first.

    Read from the overdue counts PostgreSQL keeps per organisation and person
    (``responsibilities.tallies``): one row per person instead of every overdue task of the
    subtree, each seen only where its list is. Readers never move the overdue clock (the worker does,
    at 00:05): when it does not stand on ``day`` (before 00:05, a worker that is down, another day
    asked for), the rows are counted from the tasks instead, which is exact but slower at province
    scale. A query of its own, so that a page of it can be taken alone.
    """
    minimum = 2 if repeat_only else 1
    # Equal counts in the order the organisations were entered (their keys), not the tree's order:
    # so the tallies' index (overdue_tally_worst_first) yields the first page without joining every
    # late person of the province to an organisation to sort them (at N = 50,000: 65 → 1 ms).
    if tallies.clock_day() == day:
        groups = OverdueTally.objects.for_user(user, scope.VIEW, day=day).filter(overdue_count__gte=minimum)
        if root is not None:
            groups = groups.filter(organisation__path__startswith=root.path)
        return groups.values("organisation", "person", count=F("overdue_count")).order_by(
            "-overdue_count", "organisation", F("person").asc(nulls_first=True)
        )
    owner = "item__responsibility_list__"
    return (
        overdue_tasks(user, day, root)
        .values(organisation=F(f"{owner}organisation"), person=F(f"{owner}person"))
        .annotate(count=Count("pk"))
        .filter(count__gte=minimum)
        .order_by("-count", F(f"{owner}organisation"), F(f"{owner}person").asc(nulls_first=True))
    )


def warning_rows(user, day: date, groups, shown_tasks: int = 3, thresholds=None) -> list[WarningRow]:
    """The rows of one page of ``warning_groups``, each with its first overdue tasks, the early-sign
    measures already taken, how many of the year's tasks were finished late, and the suggested next
    step: five queries whatever the page size (six when the 蓝黄红 ``thresholds`` are not given)."""
    groups = list(groups)
    if not groups:
        return []
    org_ids = {g["organisation"] for g in groups}
    person_ids = {g["person"] for g in groups if g["person"]}
    organisations = Organisation.objects.in_bulk(org_ids)
    people = Person.objects.in_bulk(person_ids)
    tasks = defaultdict(list)
    # The page's own (organisation, person) rows only: by organisation alone, every other late person of
    # those organisations came too (309 tasks read for 60 shown at N = 50,000).
    owner = "item__responsibility_list__"
    of_rows = Q()
    for group in groups:
        of_rows |= Q(**{f"{owner}organisation": group["organisation"], f"{owner}person": group["person"]})
    first_tasks = (
        overdue_tasks(user, day)
        .filter(of_rows, item__responsibility_list__organisation__in=org_ids)
        # Only the first few of each row: the worst rows have hundreds of overdue tasks.
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("item__responsibility_list__organisation"), F("item__responsibility_list__person")],
                order_by=[F("deadline").asc(), F("pk").asc()],
            )
        )
        .filter(rank__lte=shown_tasks)
        .select_related("item__responsibility_list")
        .annotate(intervened=intervened_after_deadline())
        .order_by("deadline", "pk")
    )
    thresholds = thresholds or list_selectors.warning_thresholds()
    for task in first_tasks:
        list_selectors.annotate_deadline_state(task, day, thresholds)
        tasks[(task.item.responsibility_list.organisation_id, task.item.responsibility_list.person_id)].append(task)
    late_done = {
        (row["item__responsibility_list__organisation"], row["item__responsibility_list__person"]): row["n"]
        for row in Task.objects.for_user(user, scope.VIEW, day=day)
        .filter(
            archived_at__isnull=True,
            item__responsibility_list__organisation__in=org_ids,
            item__responsibility_list__year=day.year,
            status=TaskStatus.DONE,
            completed_on__gt=F("deadline"),
        )
        .values("item__responsibility_list__organisation", "item__responsibility_list__person")
        .annotate(n=Count("pk"))
        .order_by()
    }
    interventions = defaultdict(list)
    for intervention in (
        Intervention.objects.for_user(user)
        .filter(organisation_id__in=org_ids)
        .select_related("done_by")
        .order_by("date", "pk")
    ):
        interventions[(intervention.organisation_id, intervention.person_id)].append(intervention)
    rows = []
    for group in groups:
        key = (group["organisation"], group["person"])
        past = interventions.get(key, [])
        rows.append(
            WarningRow(
                organisation=organisations[key[0]],
                person=people.get(key[1]),
                count=group["count"],
                tasks=tasks.get(key, []),
                interventions=past,
                suggestion=rules.next_intervention([i.kind for i in past]),
                late_done=late_done.get(key, 0),
            )
        )
    return rows


def interventions_visible_to(user) -> QuerySet[Intervention]:
    return Intervention.objects.for_user(user).select_related("organisation", "person", "task", "done_by")


def recent_interventions(user, limit: int = 10) -> list[Intervention]:
    """The newest interventions the user sees, newest first: their keys found first, then those rows
    read with their joins. Joined first, PostgreSQL joined every intervention of a province to its
    person before sorting (120 ms at N = 50,000 for ten rows)."""
    ordering = ("-date", "-pk")
    newest = Intervention.objects.for_user(user).order_by(*ordering).values("pk")[:limit]
    return list(interventions_visible_to(user).filter(pk__in=newest).order_by(*ordering))


def intervention_for_recipient(user, pk) -> Intervention:
    """One intervention as its recipient or its handlers see it (the 已阅/反馈 page): 404 otherwise."""
    return get_object_or_404(
        Intervention.objects.for_user(user, recipient=True).select_related(
            "organisation", "person", "task", "done_by", "acknowledged_by"
        ),
        pk=pk,
    )


def person_cases(user, person: Person) -> QuerySet[Case]:
    return cases_visible_to(user).filter(Q(person=person)).select_related("decision")


def intervention_subjects(user, person_id, task_id, day: date):
    """The person and task an intervention names (either may be absent), each through its door: one
    the user may not see is a 404, never silently dropped."""
    person = get_object_or_404(Person.objects.for_user(user), pk=person_id) if person_id else None
    task = (
        get_object_or_404(
            Task.objects.for_user(user, scope.VIEW, day=day).select_related("item__responsibility_list__organisation"),
            pk=task_id,
        )
        if task_id
        else None
    )
    return person, task


def cases_matching(user, text: str, limit: int) -> list[Hit]:
    """The header search's cases (core.search): by number, facts or the person's name, through the
    same door as the case's page; one query whatever the number of matches."""
    named = Person.objects.filter(name__icontains=text).values("pk")
    matches = Q(number__icontains=text) | Q(person__in=named)
    if searches_long_text(text):  # the facts from three characters on (core.search.MIN_LONG_TEXT)
        matches |= Q(facts__icontains=text)
    cases = cases_visible_to(user).filter(matches).order_by("-filed_on", "-pk")[:limit]
    return [
        Hit(
            case.number,
            case.get_absolute_url(),
            " · ".join(
                part
                for part in (
                    case.get_status_display(),
                    case.organisation.display_name,
                    case.person and case.person.name,
                )
                if part
            ),
        )
        for case in cases
    ]
