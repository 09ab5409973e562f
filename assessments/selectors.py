"""Reads of assessments: schemes in scope, scoring pages with evidence, round results, results with
their breakdown and year-on-year comparison."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from assessments import rules
from assessments.models import (
    AnnualReport,
    Deduction,
    EvaluationRound,
    EvaluationSubject,
    GradeBand,
    GradeSubject,
    Hearing,
    HearingEvaluation,
    HearingFile,
    HearingReport,
    Indicator,
    IndicatorScore,
    Inspection,
    InspectionStatus,
    LeaderResult,
    Rating,
    Result,
    Scheme,
    SchemeKind,
    Tally,
)
from assessments.permissions import OWN_OFFICE_ROLES
from core import people, scope
from responsibilities.models import (
    Department,
    Evidence,
    Organisation,
    Person,
    ResponsibilityList,
    Task,
    TeamMembership,
    TeamRole,
)
from responsibilities.selectors.lists import task_counts


def award_candidates(scheme: Scheme) -> QuerySet[Person]:
    """The active cadres of the assessing organisation's subtree, in tree order."""
    return (
        Person.objects.active()
        .filter(home_organisation__path__startswith=scheme.assessor.path)
        .select_related("home_organisation")
        .order_by("home_organisation__path", "name")
    )


def schemes_visible_to(user) -> QuerySet[Scheme]:
    return Scheme.objects.for_user(user).select_related("assessor")


def scheme_for(user, pk) -> Scheme:
    return get_object_or_404(schemes_visible_to(user), pk=pk)


def visible_targets(user, scheme: Scheme) -> QuerySet[Organisation]:
    """The scheme's targets the user may see (an assessed county sees itself, not its peers)."""
    targets = scheme.targets.all()
    if scope.may(user, scope.VIEW, scheme.assessor.path):
        return targets
    return targets.filter(scope.within(scope.scope_paths(user, scope.VIEW)))


def indicators_by_department(scheme: Scheme) -> list[tuple[str, str, list[Indicator]]]:
    indicators = list(scheme.indicators.active().prefetch_related("list_items").order_by("department", "pk"))
    return [(value, label, [i for i in indicators if i.department == value]) for value, label in Department.choices]


def inspections_of(user, scheme: Scheme) -> QuerySet[Inspection]:
    return (
        Inspection.objects.for_user(user)
        .filter(scheme=scheme)
        .select_related("organisation", "inspector")
        .annotate(total=Sum("scores__score"), scored=Count("scores"))
        .order_by("organisation__path", "department", "kind", "-date")
    )


def inspection_for(user, pk) -> Inspection:
    return get_object_or_404(
        Inspection.objects.for_user(user).select_related(
            "scheme__assessor", "organisation", "inspector", "confirmed_by"
        ),
        pk=pk,
    )


@dataclass
class ScoringRow:
    indicator: Indicator
    score: IndicatorScore | None
    deductions: list[Deduction]
    tasks: list[Task]


def scoring_rows(user, inspection: Inspection) -> list[ScoringRow]:
    """The department's indicators with this inspection's scores and deductions, and beside each, the
    organisation's tasks under the list items it measures, with their evidence: four queries."""
    indicators = list(
        Indicator.objects.active()
        .filter(scheme=inspection.scheme, department=inspection.department)
        .prefetch_related("list_items")
        .order_by("pk")
    )
    scores = {
        s.indicator_id: s
        for s in inspection.scores.prefetch_related(
            Prefetch("deductions", queryset=Deduction.objects.filter(withdrawn=False), to_attr="current")
        )
    }
    item_ids = {item.pk for indicator in indicators for item in indicator.list_items.all()}
    tasks_by_item = defaultdict(list)
    for task in (
        Task.objects.for_user(user)
        .filter(
            archived_at__isnull=True,
            item__template_item_id__in=item_ids,
            item__responsibility_list__organisation=inspection.organisation,
            item__responsibility_list__year=inspection.scheme.year,
        )
        .select_related("item")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(archived_at__isnull=True), to_attr="files")
        )
        .order_by("deadline", "pk")
    ):
        tasks_by_item[task.item.template_item_id].append(task)
    rows = []
    for indicator in indicators:
        score = scores.get(indicator.pk)
        tasks = [t for item in indicator.list_items.all() for t in tasks_by_item.get(item.pk, [])]
        rows.append(ScoringRow(indicator, score, score.current if score else [], tasks))
    return rows


# ---- Mass evaluation ----------------------------------------------------------------------------


def rounds_of(user, scheme: Scheme) -> QuerySet[EvaluationRound]:
    return (
        EvaluationRound.objects.for_user(user)
        .filter(scheme=scheme)
        .select_related("organisation", "person")
        .annotate(turnout=F("box__cast"))
    )


def round_for(user, pk) -> EvaluationRound:
    return get_object_or_404(
        EvaluationRound.objects.for_user(user)
        .select_related("scheme__assessor", "organisation", "person")
        .annotate(turnout=F("box__cast")),
        pk=pk,
    )


@dataclass
class RoundSummary:
    turnout: int
    issued: int
    closed: bool
    shown: bool  # closed, with at least the round's minimum of valid ballots
    quorum_met: bool
    percent: Decimal | None
    questions: list[tuple[str, list[tuple[str, int, Decimal]]]]


def round_summary(evaluation: EvaluationRound) -> RoundSummary:
    """The turnout always; the counts only once the round is closed and had enough valid ballots
    (``rules.counts_shown``): while it runs, nobody may watch the counts move with the votes."""
    turnout = evaluation.turnout
    closed = evaluation.closed_at is not None
    shown = rules.counts_shown(closed, turnout, evaluation.min_ballots)
    met = rules.quorum_met(turnout, evaluation.issued, evaluation.quorum_percent)
    if not shown:
        return RoundSummary(turnout, evaluation.issued, closed, False, met, None, [])
    counts = defaultdict(dict)
    for question, rating, count in Tally.objects.filter(round=evaluation).values_list("question", "rating", "count"):
        counts[question][rating] = count
    questions = []
    for index, text in enumerate(evaluation.questions):
        answers = sum(counts[index].values())
        questions.append(
            (
                text,
                [
                    (
                        label,
                        counts[index].get(value, 0),
                        rules.round2(Decimal(100) * counts[index].get(value, 0) / answers) if answers else Decimal(0),
                    )
                    for value, label in Rating.choices
                ],
            )
        )
    all_counts = defaultdict(int)
    for per_question in counts.values():
        for rating, count in per_question.items():
            all_counts[rating] += count
    return RoundSummary(
        turnout,
        evaluation.issued,
        closed,
        True,
        met,
        rules.round2(p) if (p := rules.mass_percent(dict(all_counts))) is not None else None,
        questions,
    )


# ---- Results ------------------------------------------------------------------------------------


def results_of(user, scheme: Scheme) -> QuerySet[Result]:
    return (
        Result.objects.for_user(user)
        .filter(scheme=scheme)
        .select_related("organisation")
        .order_by("rank", "organisation__path")
    )


def leader_results_of(user, scheme: Scheme) -> QuerySet[LeaderResult]:
    return (
        LeaderResult.objects.for_user(user)
        .filter(scheme=scheme)
        .select_related("organisation", "person__home_organisation")
        .order_by("rank", "organisation__path")
    )


def result_for(user, pk) -> Result:
    return get_object_or_404(Result.objects.for_user(user).select_related("scheme__assessor", "organisation"), pk=pk)


@dataclass
class Breakdown:
    annual: list[Inspection]
    routine: list[Inspection]
    rounds: list[EvaluationRound]


def breakdown(result: Result) -> Breakdown:
    """From the total down to each deduction: the confirmed inspections with their scores and deductions."""
    inspections = list(
        Inspection.objects.filter(
            scheme=result.scheme, organisation=result.organisation, status=InspectionStatus.CONFIRMED
        )
        .select_related("inspector")
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=IndicatorScore.objects.select_related("indicator").prefetch_related(
                    Prefetch("deductions", queryset=Deduction.objects.filter(withdrawn=False), to_attr="current")
                ),
            )
        )
        .order_by("department", "kind", "date")
    )
    for inspection in inspections:
        inspection.total = sum((s.score for s in inspection.scores.all()), Decimal(0))
        inspection.bonus = sum((s.bonus for s in inspection.scores.all()), Decimal(0))
        inspection.base = inspection.total - inspection.bonus
        inspection.maximum = sum((s.indicator.max_score for s in inspection.scores.all()), Decimal(0))
    rounds = list(
        EvaluationRound.objects.filter(scheme=result.scheme, organisation=result.organisation)
        .select_related("person")
        .annotate(turnout=F("box__cast"))
    )
    for evaluation in rounds:
        evaluation.counts = rules.round_counts(
            evaluation.closed_at is not None,
            evaluation.turnout,
            evaluation.issued,
            evaluation.quorum_percent,
            evaluation.min_ballots,
        )
    return Breakdown(
        annual=[i for i in inspections if i.kind == "annual"],
        routine=[i for i in inspections if i.kind == "routine"],
        rounds=rounds,
    )


def history(user, scheme: Scheme, organisations) -> tuple[list[int], dict[int, dict[int, Decimal | None]]]:
    """Year-on-year: the composites of the same assessor's annual schemes, by organisation and year."""
    rows = (
        Result.objects.for_user(user)
        .filter(
            scheme__assessor=scheme.assessor,
            scheme__kind=SchemeKind.ANNUAL,
            scheme__year__lte=scheme.year,
            organisation__in=organisations,
        )
        .values_list("organisation_id", "scheme__year", "composite")
    )
    by_org = defaultdict(dict)
    years = set()
    for organisation_id, year, composite in rows:
        by_org[organisation_id][year] = composite
        years.add(year)
    return sorted(years), by_org


@dataclass
class ResultsTable:
    rows: list  # the scheme's results, each with ``history`` (by ``years``), ``change`` and ``contribution``
    years: list[int]
    chart: dict  # the year-on-year chart of the first twelve rows, for Chart.js


def results_table(user, scheme: Scheme, rows=None, years: list[int] | None = None) -> ResultsTable:
    """The results page's table: each result with its composites of earlier years (the same
    assessor's annual schemes), the change since the last of them, and its contribution to the
    comprehensive assessment (综合考核) at the scheme's party-building weight. ``rows`` are the
    results to decorate (all the user sees, unless the working table gives one page of them) and
    ``years`` the history's columns (``history_years``): one query for the history, whatever the rows."""
    rows = list(results_of(user, scheme) if rows is None else rows)
    found_years, by_org = history(user, scheme, [row.organisation_id for row in rows])
    years = found_years if years is None else years
    for row in rows:
        row.history = [by_org[row.organisation_id].get(year) for year in years]
        earlier = [v for y, v in sorted(by_org[row.organisation_id].items()) if y < scheme.year and v is not None]
        row.change = row.composite - earlier[-1] if earlier and row.composite is not None else None
        row.contribution = rules.contribution(row.composite, scheme.party_building_weight)
    chart = {
        "years": years,
        "series": [
            {"label": r.organisation.display_name, "values": [float(v) if v is not None else None for v in r.history]}
            for r in rows[:12]
        ],
    }
    return ResultsTable(rows=rows, years=years, chart=chart)


def history_years(user, scheme: Scheme) -> list[int]:
    """The years of the results page's history columns: the same assessor's annual schemes up to
    this one with a result of an organisation the user sees among this scheme's results (one query)."""
    return sorted(
        Result.objects.for_user(user)
        .filter(
            scheme__assessor=scheme.assessor,
            scheme__kind=SchemeKind.ANNUAL,
            scheme__year__lte=scheme.year,
            organisation__in=results_of(user, scheme).values("organisation"),
        )
        .order_by()
        .values_list("scheme__year", flat=True)
        .distinct()
    )


def grade_position(scheme_field: str = "scheme") -> Subquery:
    """Annotation: a result's grade as a number that sorts the best grade first (minus the band's
    minimum score; no grade sorts last)."""
    return Subquery(
        GradeBand.objects.filter(
            scheme=OuterRef(scheme_field), subject=GradeSubject.TEAM, grade=OuterRef("grade")
        ).values(position=-F("min_score"))[:1]
    )


# ---- 述责述廉 ------------------------------------------------------------------------------------------


def hearings_visible_to(user) -> QuerySet[Hearing]:
    return Hearing.objects.for_user(user).select_related("scheme", "organisation")


def hearing_for(user, pk, action=scope.VIEW) -> Hearing:
    return get_object_or_404(
        Hearing.objects.for_user(user, action).select_related("scheme__assessor", "organisation"), pk=pk
    )


def report_for(user, pk) -> HearingReport:
    return get_object_or_404(
        HearingReport.objects.for_user(user).select_related(
            "hearing__scheme__assessor", "hearing__organisation", "person", "responsibility_list"
        ),
        pk=pk,
    )


def hearing_file_for(user, pk) -> HearingFile:
    return get_object_or_404(HearingFile.objects.for_user(user), pk=pk)


def team_on(organisation: Organisation, day) -> list[TeamMembership]:
    """The team in office on the day, secretary first, then the leaders in charge, then the members."""
    order = {role: index for index, role in enumerate(TeamRole.values)}
    seats = TeamMembership.objects.on(day).filter(organisation=organisation).select_related("person")
    return sorted(seats, key=lambda m: (order.get(m.role, len(order)), m.person.name, m.pk))


def is_team_member(person: Person | None, organisation: Organisation, day) -> bool:
    return (
        person is not None and TeamMembership.objects.on(day).filter(organisation=organisation, person=person).exists()
    )


def person_of(user) -> Person | None:
    return people.person_of(user)


@dataclass
class HearingSummary:
    """A report with its list's completion and its 评议: the committee's (with how many evaluated),
    the masses' (or why it is withheld), and the result."""

    report: HearingReport
    list_total: int
    list_done: int
    list_overdue: int
    list_rate: Decimal | None
    committee: Decimal | None
    committee_count: int
    mass: Decimal | None
    mass_note: str
    result: Decimal | None
    round_id: int | None


def _rounded(value):
    return rules.round2(value) if value is not None else None


def hearing_summaries(reports, today) -> list[HearingSummary]:
    """Summaries of the reports in four queries whatever their number (evaluations, rounds, tallies,
    lists): the mass evaluation counts only from a closed round with the minimum of valid ballots."""
    from responsibilities.rules import completion_rate

    reports = list(reports)
    if not reports:
        return []
    values = defaultdict(list)
    for report_id, rating, score in HearingEvaluation.objects.filter(report__in=reports).values_list(
        "report_id", "rating", "score"
    ):
        values[report_id].append(rules.evaluation_value(rating, score))
    rounds = {}
    for evaluation in (
        EvaluationRound.objects.filter(
            subject=EvaluationSubject.HEARING,
            scheme_id__in={r.hearing.scheme_id for r in reports},
            person_id__in={r.person_id for r in reports},
        )
        .annotate(turnout=F("box__cast"))
        .order_by("pk")
    ):
        rounds[(evaluation.scheme_id, evaluation.organisation_id, evaluation.person_id)] = evaluation  # the latest wins
    tallies = defaultdict(lambda: defaultdict(int))
    for round_id, rating, count in Tally.objects.filter(
        round_id__in=[r.pk for r in rounds.values() if r.closed_at is not None]
    ).values_list("round_id", "rating", "count"):
        tallies[round_id][rating] += count
    lists = {
        row.pk: row
        for row in ResponsibilityList.objects.filter(
            pk__in=[r.responsibility_list_id for r in reports if r.responsibility_list_id]
        ).annotate(**task_counts("items__tasks", today))
    }
    summaries = []
    for report in reports:
        evaluation = rounds.get((report.hearing.scheme_id, report.hearing.organisation_id, report.person_id))
        sample = (
            rules.MassSample(
                closed=evaluation.closed_at is not None,
                turnout=evaluation.turnout or 0,
                issued=evaluation.issued,
                quorum_percent=evaluation.quorum_percent,
                min_ballots=evaluation.min_ballots,
                tallies=dict(tallies[evaluation.pk]),
            )
            if evaluation is not None
            else None
        )
        committee = rules.committee_percent(values[report.pk])
        mass = rules.mass_evaluation(sample)
        counts = lists.get(report.responsibility_list_id)
        total, done = (counts.task_total, counts.task_done) if counts else (0, 0)
        summaries.append(
            HearingSummary(
                report=report,
                list_total=total,
                list_done=done,
                list_overdue=counts.task_overdue if counts else 0,
                list_rate=completion_rate(done, total),
                committee=_rounded(committee),
                committee_count=len(values[report.pk]),
                mass=_rounded(mass),
                mass_note=rules.mass_withheld(sample),
                result=_rounded(rules.hearing_result(committee, mass, report.hearing.committee_weight)),
                round_id=evaluation.pk if evaluation is not None else None,
            )
        )
    return summaries


def personal_list(organisation: Organisation, year: int, person: Person | None, today):
    """The person's personal list of the year at the organisation, with its task counts (or None)."""
    if person is None:
        return None
    return (
        ResponsibilityList.objects.filter(organisation=organisation, year=year, person=person)
        .annotate(**task_counts("items__tasks", today))
        .order_by("-pk")
        .first()
    )


def hearing_rows(hearing: Hearing, today) -> tuple[list[tuple], set[int]]:
    """The hearing's page rows, (person, membership or None, summary or None), for the team in office
    (on its closing day once closed), and the ids of the people seated in it."""
    summaries = {s.report.person_id: s for s in hearing_summaries(hearing_reports(hearing), today)}
    team = team_on(hearing.organisation, min(today, hearing.closes_on))
    seated = {m.person_id for m in team}
    rows = [(m.person, m, summaries.get(m.person_id)) for m in team]
    # A member who left after reporting keeps his report on the page.
    rows += [(s.report.person, None, s) for pid, s in summaries.items() if pid not in seated]
    return rows, seated


def hearing_reports(hearing: Hearing) -> QuerySet[HearingReport]:
    return hearing.reports.select_related("hearing", "person", "responsibility_list").order_by("person__name", "pk")


def hearing_scores(scheme: Scheme, today) -> dict[int, Decimal | None]:
    """person → the 评议 result of his report in this scheme's 述责述廉 (for the personal results)."""
    reports = HearingReport.objects.filter(hearing__scheme=scheme).select_related("hearing")
    return {s.report.person_id: s.result for s in hearing_summaries(reports, today)}


def person_hearings(user, person: Person, today) -> list[HearingSummary]:
    """The person's reports the user may read, newest year first, with their 评议."""
    reports = (
        HearingReport.objects.for_user(user)
        .filter(person=person)
        .select_related("hearing__organisation", "hearing__scheme", "person", "responsibility_list")
        .order_by("-year", "-pk")
    )
    return hearing_summaries(reports, today)


# ---- The annual 主体责任 report -----------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.for_user(user).select_related("organisation", "recipient")


def annual_report_for(user, pk) -> AnnualReport:
    return get_object_or_404(
        reports_visible_to(user).select_related("drafted_by", "submitted_by", "confirmed_by", "received_by"), pk=pk
    )


def report_deadline(year: int):
    return rules.report_deadline(year, settings.ANNUAL_REPORT_DEADLINE)


@dataclass
class ReportingRow:
    """One organisation that reports to an upper level, and its report of the year (or None)."""

    organisation: Organisation
    report: AnnualReport | None
    overdue: bool


def preparing_organisations(user, today, secretary: bool = True) -> QuerySet[Organisation]:
    """The organisations whose report the user writes: those his or her office staff (or administrator)
    assignment names itself, and those where he or she is the secretary on the day; reporting kinds
    with an upper level only. ``secretary=False`` leaves out the secretary's (the 工作台: drafting is
    the office's work, the secretary's is to confirm)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    own = [path for role, _dept, path in scope.assignments_of(user) if role in OWN_OFFICE_ROLES]
    condition = Q(path__in=own)
    if secretary:
        condition |= Q(pk__in=TeamMembership.objects.secretary_of(user, today))
    return (
        Organisation.objects.active()
        .filter(condition)
        .filter(kind__in=rules.REPORTING_KINDS, depth__gt=1)
        .order_by("path")
    )


def receiving_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose subordinates' reports the user receives (office staff and administrators of
    their subtree): the user's own assigned organisations first."""
    return Organisation.objects.for_user(user, scope.CHANGE).active()


def reporting_rows(user, upper: Organisation, year: int, today) -> list[ReportingRow]:
    """Each 党委（党组） directly below ``upper`` and its report of the year as the user sees it, the
    missing ones past the deadline flagged. Two queries whatever the number of organisations."""
    deadline = report_deadline(year)
    children = list(
        Organisation.objects.for_user(user)
        .active()
        .filter(path__startswith=upper.path, depth=upper.depth + 1, kind__in=rules.REPORTING_KINDS)
        .order_by("path")
    )
    reports = {
        report.organisation_id: report
        for report in reports_visible_to(user)
        .filter(organisation__in=[child.pk for child in children], year=year)
        .select_related("confirmed_by", "received_by")
    }
    rows = []
    for child in children:
        report = reports.get(child.pk)
        status = report.status if report else None
        rows.append(ReportingRow(child, report, rules.report_overdue(status, deadline, today)))
    return rows


def deduction_problem_initial(deduction: Deduction) -> dict:
    """The problem form's values when a deduction is raised as a problem (立为问题): its text, the
    assessing organisation as finder, and the inspected organisation's items that the indicator measures."""
    from assessments.services import deduction_problem_text
    from responsibilities.models import ProblemSource
    from responsibilities.services.problems import items_for

    inspection = deduction.indicator_score.inspection
    measured = deduction.indicator_score.indicator.list_items.values("pk")
    items = items_for(inspection.organisation, inspection.scheme.year).filter(template_item__in=measured)
    return {
        **deduction_problem_text(deduction),
        "found_by": inspection.scheme.assessor.pk,
        "source": ProblemSource.INSPECTION,
        "items": list(items.values_list("pk", flat=True)),
    }


def evaluator_names(report) -> list[str]:
    """The names of those who have given a report its 评议, in the order they did."""
    evaluations = report.evaluations.select_related("evaluator").order_by("evaluated_at", "pk")
    return list(evaluations.values_list("evaluator__name", flat=True))
