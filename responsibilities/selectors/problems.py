"""Reads of 问题清单: the problems the user sees (filtered for the list, the 整改台账 and its print),
one problem with its measures, the overdue ones for 预警提醒, and the roll-up from the problem tallies."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from core import scope
from responsibilities import rules
from responsibilities.models import (
    MeasureProgress,
    Organisation,
    Problem,
    ProblemStatus,
    ProblemTally,
    RectificationMeasure,
)
from responsibilities.selectors.lists import warning_thresholds

LEDGER_LIMIT = 5000


def problems_visible_to(user) -> QuerySet[Problem]:
    return Problem.objects.for_user(user).select_related("organisation", "found_by", "person", "closed_by")


def ledger_problems(user) -> QuerySet[Problem]:
    """The visible problems with their measures counted: the rows of 问题清单 and its 整改台账, which
    ``responsibilities.filters.ProblemFilterSet`` narrows and sorts."""
    # Counted per shown row (a subquery each), not by grouping every visible problem with its measures:
    # the database then counts for the page's thirty rows only, and the paginator's count leaves the
    # counts out (at N = 5,000 the grouping sorted 20,000 joined rows on disk for every page).
    measures = RectificationMeasure.objects.filter(problem=OuterRef("pk")).order_by().values("problem")
    counted = measures.annotate(n=Count("pk")).values("n")
    open_counted = measures.filter(completed_on__isnull=True).annotate(n=Count("pk")).values("n")
    return problems_visible_to(user).annotate(
        measure_count=Coalesce(Subquery(counted), 0), open_measures=Coalesce(Subquery(open_counted), 0)
    )


def decorate(problems, today: date, thresholds: rules.Thresholds | None = None) -> list[Problem]:
    """Each problem's 蓝黄红 warning (the task rule: open past or near its deadline) and overdue flag."""
    problems = list(problems)
    if not problems:
        return problems  # no row to colour: the thresholds are not read
    thresholds = thresholds or warning_thresholds()
    for problem in problems:
        closed = problem.status == ProblemStatus.CLOSED
        problem.overdue = rules.problem_is_overdue(problem.status, problem.deadline, today)
        problem.warning = rules.warning_for(
            done=closed, deadline=problem.deadline, today=today, intervened=False, thresholds=thresholds
        )
    return problems


def problem_for(user, pk) -> Problem:
    problem = problems_visible_to(user).filter(pk=pk).first()
    if problem is None:
        raise Http404
    return problem


def measures_of(problem: Problem, today: date) -> list[RectificationMeasure]:
    """The problem's measures with their progress and evidence (three queries)."""
    measures = list(
        problem.measures.select_related("responsible_person", "completed_by").prefetch_related(
            Prefetch("progress", queryset=MeasureProgress.objects.select_related("recorded_by")), "evidence"
        )
    )
    for measure in measures:
        measure.overdue = not measure.is_done and measure.deadline < today
    return measures


def recording_home(user) -> Organisation | None:
    """The highest organisation where the user records problems (the list's 登记问题 button)."""
    from responsibilities.permissions import RECORDING_ROLES

    paths = scope.scope_paths(user, scope.VIEW, roles=RECORDING_ROLES)
    if paths is None:
        return Organisation.objects.filter(depth=1).order_by("path").first()
    return Organisation.objects.filter(path__in=paths[:1]).first()


def overdue_problems(user, today: date, limit: int = 20) -> QuerySet[Problem]:
    """The first ``limit`` problems open past their deadline that the user sees, the oldest deadline
    first: a row each on 预警提醒."""
    return problems_visible_to(user).overdue_on(today).order_by("deadline", "pk").first_rows(limit)


# ---- Roll-up ------------------------------------------------------------------------------------


@dataclass
class ProblemRollupRow:
    organisation: Organisation
    counts: rules.ProblemCounts


@dataclass
class ProblemRollup:
    year: int
    subtree: rules.ProblemCounts
    rows: list[ProblemRollupRow] = field(default_factory=list)


def _counted(today: date) -> dict:
    closed = Q(status=ProblemStatus.CLOSED)
    return dict(
        found=Coalesce(Sum("problem_count"), 0),
        rectified=Coalesce(Sum("problem_count", filter=closed), 0),
        overdue=Coalesce(Sum("problem_count", filter=~closed & Q(deadline__lt=today)), 0),
    )


def problem_rollup(organisation: Organisation, year: int, today: date) -> ProblemRollup:
    """Problems found in a year in the organisation's whole subtree and in each child's: found,
    rectified (已销号), overdue and the 整改率. Read from the problem tallies (one query for the
    counts), so the cost does not grow with the subtree."""
    children = list(
        Organisation.objects.filter(path__startswith=organisation.path, depth=organisation.depth + 1).order_by("path")
    )
    tallied = {
        row["organisation"]: rules.ProblemCounts(row["found"], row["rectified"], row["overdue"])
        for row in ProblemTally.objects.filter(
            year=year, organisation__in=[organisation.pk, *(child.pk for child in children)]
        )
        .values("organisation")
        .annotate(**_counted(today))
        .order_by()
    }
    rows = [ProblemRollupRow(child, tallied.get(child.pk, rules.ProblemCounts())) for child in children]
    rows = [row for row in rows if not row.organisation.is_archived or row.counts.found]
    return ProblemRollup(year=year, subtree=tallied.get(organisation.pk, rules.ProblemCounts()), rows=rows)
