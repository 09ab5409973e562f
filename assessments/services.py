"""Every write of assessments: schemes, indicators, inspections and scores, mass evaluation, results, awards."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accountability import selectors as accountability
from assessments import notifications, rules, selectors
from assessments.models import (
    DEFAULT_BANDS,
    AwardNomination,
    BallotBox,
    BallotCode,
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
    InspectionKind,
    InspectionStatus,
    LeaderResult,
    Rating,
    Result,
    Scheme,
    Tally,
    code_digest,
    new_slip_key,
    slip_codes,
)
from assessments.permissions import inspector_departments, may_define_indicators, may_manage, may_score
from core.models import lock_versioned
from core.permissions import can
from core.uploads import checked_uploads, stored_fields
from responsibilities.models import Department, Organisation, Person, TeamMembership, TeamRole
from responsibilities.rules import deadline_in_year
from responsibilities.services import service

# ---- Who may do what ----------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


# ---- Schemes ------------------------------------------------------------------------------------


def _check_scheme(scheme: Scheme, targets: list[Organisation]) -> None:
    errors = {}
    if not rules.weights_valid(scheme.weight_routine, scheme.weight_annual, scheme.weight_mass):
        errors["weight_routine"] = _("平时检查、年终考核、群众评价三项权重之和必须为 100（现为 %(sum)s）。") % {
            "sum": scheme.weight_routine + scheme.weight_annual + scheme.weight_mass
        }
    if not rules.leader_parts_valid(scheme.secretary_org_weight, scheme.hearing_weight):
        errors["hearing_weight"] = _("述责述廉评议权重与组织党建结果权重之和不能超过 100（现为 %(sum)s）。") % {
            "sum": rules.plain(scheme.secretary_org_weight + scheme.hearing_weight)
        }
    if not targets:
        errors["targets"] = _("请选择被考核组织。")
    elif any(t.pk == scheme.assessor_id or not t.path.startswith(scheme.assessor.path) for t in targets):
        errors["targets"] = _("只能考核本组织的下级组织。")
    else:
        for field, quota, label in (
            ("team_top_quota", scheme.team_top_quota, "好"),
            ("leader_top_quota", scheme.leader_top_quota, "优秀"),
        ):
            if not rules.quota_feasible(len(targets), quota):
                errors[field] = _(
                    "按 %(quota)s%% 计算，%(n)s 个被考核组织中没有一个能评为“%(grade)s”：请调高比例或增加被考核组织。"
                ) % {"quota": quota, "n": len(targets), "grade": label}
    if errors:
        raise ValidationError(errors)


SCHEME_FIELDS = (
    "name",
    "kind",
    "year",
    "party_building_weight",
    "weight_routine",
    "weight_annual",
    "weight_mass",
    "team_top_quota",
    "leader_top_quota",
    "secretary_org_weight",
    "hearing_weight",
)


@service
def scheme_create(*, assessor: Organisation, targets, by, **fields) -> Scheme:
    _require(may_manage(by, assessor), _("只有考核组织的党建工作人员或系统管理员可以制定考核方案。"))
    targets = list(targets)
    scheme = Scheme(assessor=assessor, created_by=by, **{k: v for k, v in fields.items() if k in SCHEME_FIELDS})
    _check_scheme(scheme, targets)
    scheme.full_clean()
    scheme.save()
    scheme.targets.set(targets)
    GradeBand.objects.bulk_create(
        GradeBand(scheme=scheme, subject=subject, grade=grade, label=label, min_score=minimum)
        for subject, bands in DEFAULT_BANDS.items()
        for grade, label, minimum in bands
    )
    return scheme


@service
def scheme_update(*, scheme: Scheme, version: int, targets, by, **fields) -> Scheme:
    locked = lock_versioned(Scheme.objects.select_related("assessor"), scheme.pk, version)
    _require(may_manage(by, locked), _("只有考核组织的党建工作人员或系统管理员可以修改考核方案。"))
    for name, value in fields.items():
        if name in SCHEME_FIELDS:
            setattr(locked, name, value)
    targets = list(targets)
    _check_scheme(locked, targets)
    locked.full_clean()
    locked.save()
    locked.targets.set(targets)
    return locked


@service
def bands_update(
    *, scheme: Scheme, subject: str, minima: dict[str, Decimal], by, shown: dict[str, Decimal] | None = None
) -> list[GradeBand]:
    """Change the lowest score of each grade; the order of the grades must stay strictly descending.

    ``shown``: the lines the user's form showed; if someone has changed them since, nothing is saved
    and the message gives the lines now in force.
    """
    _require(may_manage(by, scheme), _("只有考核组织的党建工作人员或系统管理员可以修改等次分数线。"))
    bands = list(GradeBand.objects.select_for_update().filter(scheme=scheme, subject=subject).order_by("-min_score"))
    if shown is not None and any(band.min_score != shown.get(band.grade) for band in bands):
        now = "、".join(f"{band.label} ≥ {rules.plain(band.min_score)}" for band in bands)
        raise ValidationError(
            _("等次分数线已被他人修改，现为：%(now)s。请核对后再保存。") % {"now": now}, code="edit_conflict"
        )
    values = [minima.get(band.grade, band.min_score) for band in bands]
    if any(v < 0 or v > 100 for v in values) or any(a <= b for a, b in zip(values, values[1:], strict=False)):
        raise ValidationError(_("各等次的最低分应在 0 到 100 之间，且从高到低依次递减。"), code="bands_order")
    for band, value in zip(bands, values, strict=True):
        if band.min_score != value:
            band.min_score = value
            band.save(update_fields=["min_score"])
    return bands


# ---- Indicators ---------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "title",
    "max_score",
    "quantity",
    "unit",
    "deadline",
    "standard",
    "requirement",
    "deduction_per_shortfall",
    "bonus_cap",
)


@service
def indicator_save(
    *,
    scheme: Scheme,
    department: str,
    list_items=(),
    by,
    indicator: Indicator | None = None,
    version: int | None = None,
    **fields,
) -> Indicator:
    """Create or change an indicator; it is flagged 偏虚 when it has no 数量, no 时间 and no 标准."""
    _require(may_define_indicators(by, scheme, department), _("您只能制定本部门的考核指标。"))
    if indicator is None:
        indicator = Indicator(scheme=scheme, department=department)
    else:
        indicator = lock_versioned(Indicator.objects.all(), indicator.pk, version)
        if indicator.department != department:
            raise ValidationError({"department": _("指标所属部门不能更改。")})
    for name, value in fields.items():
        if name in INDICATOR_FIELDS:
            setattr(indicator, name, value)
    if indicator.deadline is not None and not deadline_in_year(indicator.deadline, scheme.year):
        raise ValidationError({"deadline": _("时间应在考核年度（%(year)s 年）之内。") % {"year": scheme.year}})
    indicator.is_vague = rules.is_vague(indicator.quantity, indicator.deadline, indicator.standard)
    indicator.full_clean()
    indicator.save()
    indicator.list_items.set(list_items)
    return indicator


# ---- Inspections and scores ---------------------------------------------------------------------


@service
def inspection_start(
    *,
    scheme: Scheme,
    organisation: Organisation,
    kind: str,
    department: str,
    by,
    day: date | None = None,
    summary: str = "",
) -> Inspection:
    _require(department in inspector_departments(by, organisation), _("您只能以本部门考核人员身份检查分配给您的组织。"))
    if not scheme.targets.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("该组织不在本方案的被考核范围内。")})
    day = day or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"day": _("检查日期不能晚于今天。")})
    if (
        kind == InspectionKind.ANNUAL
        and Inspection.objects.filter(
            scheme=scheme, organisation=organisation, department=department, kind=InspectionKind.ANNUAL
        ).exists()
    ):
        raise ValidationError({"kind": _("本部门对该组织的年终考核已经开始，请在原记录上评分。")})
    inspection = Inspection(
        scheme=scheme,
        organisation=organisation,
        department=department,
        kind=kind,
        date=day,
        inspector=by,
        summary=summary,
    )
    inspection.full_clean()
    inspection.save()
    return inspection


def _lock_inspection(inspection, version, by) -> Inspection:
    locked = lock_versioned(Inspection.objects.select_related("scheme", "organisation"), inspection.pk, version)
    if locked.is_locked:
        raise ValidationError(_("该检查考核记录已确认，不能再修改。"), code="locked")
    _require(may_score(by, locked), _("只有本部门的考核人员可以评分。"))
    return locked


@service
def score_record(
    *,
    inspection: Inspection,
    version: int,
    indicator: Indicator,
    deductions: list[tuple],
    by,
    bonus: Decimal = Decimal(0),
    note: str = "",
) -> IndicatorScore:
    """Score one indicator: its deductions (points, reason) replace the previous ones, which are kept
    as withdrawn; the score follows the indicator's rule."""
    locked = _lock_inspection(inspection, version, by)
    if indicator.scheme_id != locked.scheme_id or indicator.department != locked.department:
        raise ValidationError({"indicator": _("只能为本部门在本方案中的指标评分。")}, code="other_department")
    if indicator.is_archived:
        raise ValidationError({"indicator": _("该指标已归档。")})
    errors = {}
    if any(not reason.strip() for _points, reason in deductions):
        errors["deductions"] = [_("每项扣分都要写明理由。")]
    problems = rules.score_problems(
        [points for points, _reason in deductions], bonus, indicator.deduction_per_shortfall, indicator.bonus_cap
    )
    if "bonus" in problems:
        errors["bonus"] = [problems.pop("bonus")]
    if problems:
        errors.setdefault("deductions", []).extend(dict.fromkeys(problems.values()))
    if errors:
        raise ValidationError(errors)
    # Deductions beyond the maximum are allowed: the score stops at zero (扣完为止).
    score = rules.indicator_score(indicator.max_score, [p for p, _r in deductions], bonus, indicator.bonus_cap)
    indicator_score, _created = IndicatorScore.objects.update_or_create(
        inspection=locked, indicator=indicator, defaults={"bonus": bonus, "score": score, "note": note.strip()}
    )
    indicator_score.deductions.filter(withdrawn=False).update(withdrawn=True)
    Deduction.objects.bulk_create(
        Deduction(indicator_score=indicator_score, points=points, reason=reason.strip())
        for points, reason in deductions
    )
    locked.save()  # the new version tells a second editor that the scores changed
    return indicator_score


@service
def inspection_submit(*, inspection: Inspection, version: int, by) -> Inspection:
    locked = _lock_inspection(inspection, version, by)
    if locked.status != InspectionStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交。"), code="not_draft")
    missing = (
        Indicator.objects.active()
        .filter(scheme=locked.scheme, department=locked.department)
        .exclude(scores__inspection=locked)
    )
    if missing.exists():
        raise ValidationError(
            _("还有指标未评分：%(titles)s。") % {"titles": "、".join(missing.values_list("title", flat=True)[:5])},
            code="unscored",
        )
    locked.status = InspectionStatus.SUBMITTED
    locked.save()
    return locked


@service
def inspection_confirm(*, inspection: Inspection, version: int, by) -> Inspection:
    locked = lock_versioned(Inspection.objects.select_related("scheme__assessor"), inspection.pk, version)
    _require(may_manage(by, locked.scheme), _("只有考核组织的党建工作人员或系统管理员可以确认。"))
    if locked.status != InspectionStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的记录可以确认。"), code="not_submitted")
    locked.status = InspectionStatus.CONFIRMED
    locked.confirmed_by, locked.confirmed_at = by, timezone.now()
    locked.save()
    notifications.inspection_confirmed(locked, by)
    return locked


# ---- Mass evaluation ----------------------------------------------------------------------------


@service
def round_create(
    *,
    scheme: Scheme,
    organisation: Organisation,
    subject: str,
    questions: list[str],
    issued: int,
    quorum_percent: Decimal,
    opens_on: date,
    closes_on: date,
    by,
    person: Person | None = None,
) -> EvaluationRound:
    """A round with ``issued`` single-use codes (stored as hashes; the slips page prints them from the
    round's slip key until it is destroyed), an empty ballot box and zeroed tallies."""
    _require(may_manage(by, scheme), _("只有考核组织的党建工作人员或系统管理员可以组织民主测评。"))
    if not scheme.targets.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("该组织不在本方案的被考核范围内。")})
    if subject == EvaluationSubject.HEARING:
        # The masses' 评议 of one member's 述责述廉: the member must be in the team when it opens.
        if (
            person is None
            or not TeamMembership.objects.on(opens_on).filter(organisation=organisation, person=person).exists()
        ):
            raise ValidationError({"subject": _("述责述廉的群众评议须针对测评开始日在任的班子成员。")})
    elif subject not in (EvaluationSubject.ORGANISATION, EvaluationSubject.SECRETARY):
        raise ValidationError({"subject": _("测评对象无效。")})
    else:
        person = None
    if subject == EvaluationSubject.SECRETARY:
        membership = (
            TeamMembership.objects.on(opens_on)
            .filter(organisation=organisation, role=TeamRole.SECRETARY)
            .select_related("person")
            .first()
        )
        if membership is None:
            raise ValidationError({"subject": _("该组织在测评开始日没有书记。")})
        person = membership.person
    questions = [q.strip() for q in questions if q.strip()]
    if not questions:
        raise ValidationError({"questions": _("请至少填写一个测评项目。")})
    evaluation = EvaluationRound(
        scheme=scheme,
        organisation=organisation,
        subject=subject,
        person=person,
        questions=questions,
        issued=issued,
        quorum_percent=quorum_percent,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=by,
    )
    evaluation.full_clean()
    evaluation.save()
    while True:  # a digest already taken is astronomically unlikely with 31^10 codes, but must not fail the round
        evaluation.slip_key = new_slip_key()
        digests = sorted(code_digest(code) for code in slip_codes(evaluation.slip_key, issued))
        if len(set(digests)) == issued and not BallotCode.objects.filter(digest__in=digests).exists():
            break
    evaluation.save(update_fields=["slip_key"])
    # Sorted by hash: the rows' order on disk says nothing about the order of the slips.
    BallotCode.objects.bulk_create(BallotCode(round=evaluation, digest=digest) for digest in digests)
    BallotBox.objects.create(round=evaluation)
    Tally.objects.bulk_create(
        Tally(round=evaluation, question=index, rating=rating)
        for index in range(len(questions))
        for rating in Rating.values
    )
    return evaluation


@service
def round_slips_destroy(*, evaluation: EvaluationRound, by) -> EvaluationRound:
    """The slips are printed: the key the codes come from is destroyed, and voting may begin.

    From then on nobody, the organiser included, can print or read the codes again, so nobody holds
    every code to try on the ballot page (which must say whether a code was used)."""
    _require(may_manage(by, evaluation.scheme), _("只有考核组织的党建工作人员或系统管理员可以组织民主测评。"))
    locked = EvaluationRound.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    locked.slip_key = ""
    locked.save(update_fields=["slip_key"])
    return locked


@service
def round_close(*, evaluation: EvaluationRound, by) -> EvaluationRound:
    """End the voting and count: the box's ballots are added to the tallies, every tally in this one
    transaction, and the box keeps only the spent codes' hashes (for the turnout)."""
    _require(may_manage(by, evaluation.scheme), _("只有考核组织的党建工作人员或系统管理员可以组织民主测评。"))
    locked = EvaluationRound.objects.select_for_update(of=("self",)).get(pk=evaluation.pk)
    if locked.closed_at is not None:
        raise ValidationError(_("该民主测评已经结束。"), code="closed")
    box = BallotBox.objects.select_for_update().get(round=locked)
    counts = defaultdict(int)
    for ballot in box.ballots:
        for question, rating in enumerate(ballot):
            counts[(question, rating)] += 1
    tallies = list(Tally.objects.select_for_update().filter(round=locked))
    for tally in tallies:
        tally.count += counts[(tally.question, tally.rating)]
    Tally.objects.bulk_update(tallies, ["count"])
    box.ballots = []
    box.save(update_fields=["ballots"])
    locked.slip_key = ""
    locked.closed_at, locked.closed_by = timezone.now(), by
    locked.save(update_fields=["slip_key", "closed_at", "closed_by", "version"])
    return locked


class BallotRefused(ValidationError):
    pass


def _ballot_code(code_text: str) -> BallotCode:
    """The code's row with its round and box, or a refusal saying why the code cannot vote today."""
    code = (
        BallotCode.objects.select_related("round__organisation", "round__person", "round__box")
        .filter(digest=code_digest(code_text))
        .first()
    )
    if code is None:
        raise BallotRefused({"code": _("票码无效，请核对票上的票码。")}, code="unknown")
    evaluation = code.round
    today = timezone.localdate()
    if evaluation.closed_at is not None or today > evaluation.closes_on:
        raise BallotRefused(
            {"code": _("测评已于 %(day)s 截止，票码已过期。") % {"day": evaluation.closes_on}}, code="expired"
        )
    if today < evaluation.opens_on or evaluation.slip_key:
        raise BallotRefused(
            {"code": _("测评尚未开始（%(day)s 开始）。") % {"day": evaluation.opens_on}}, code="not_open"
        )
    return code


def ballot_round(code_text: str) -> EvaluationRound:
    """The round of a code that may still vote today, or a refusal saying why (no login: no ``by``)."""
    code = _ballot_code(code_text)
    if code.digest in code.round.box.spent:
        raise BallotRefused({"code": _("该票码已经使用过，每张票只能投一次。")}, code="used")
    return code.round


def ballot_cast(*, code_text: str, answers: dict[int, str]) -> None:
    """Cast one anonymous ballot into the round's box, in one transaction.

    The box is one row, locked, so of two submissions racing with one code exactly one counts. It
    holds the spent codes' hashes and the uncounted ballots, both sorted, and each ballot rewrites it
    whole: no row is written per code or per ballot, so no row version (``xmin``), place on disk
    (``ctid``), sequence or time ties a code to its answers or orders the voters.
    """
    with transaction.atomic():
        code = _ballot_code(code_text)
        evaluation = code.round
        if set(answers) != set(range(len(evaluation.questions))) or any(
            rating not in Rating.values for rating in answers.values()
        ):
            raise BallotRefused({"answers": _("请对每个测评项目都作出评价。")}, code="incomplete")
        box = BallotBox.objects.select_for_update().get(round=evaluation)
        if code.digest in box.spent:
            raise BallotRefused({"code": _("该票码已经使用过，每张票只能投一次。")}, code="used")
        box.spent = sorted([*box.spent, code.digest])
        box.ballots = sorted([*box.ballots, [answers[index] for index in range(len(evaluation.questions))]])
        box.cast += 1
        box.save(update_fields=["spent", "ballots", "cast"])


# ---- Results ------------------------------------------------------------------------------------


def _bands(scheme: Scheme, subject: str) -> list[rules.Band]:
    return [rules.Band(b.grade, b.label, b.min_score) for b in scheme.bands.filter(subject=subject)]


def compute(scheme: Scheme, year_end: date | None = None) -> tuple[list[Result], list[LeaderResult]]:
    """Merge every department's confirmed scores, routine and year-end, and the mass evaluation into one
    result per organisation, then the secretaries' personal results. Nothing is saved here."""
    targets = list(scheme.targets.all())
    maxima = defaultdict(Decimal)
    for department, max_score in (
        Indicator.objects.active().filter(scheme=scheme).values_list("department", "max_score")
    ):
        maxima[department] += max_score
    totals = defaultdict(Decimal)  # inspection id → total score (bonuses included)
    bonuses = defaultdict(Decimal)  # inspection id → its bonus points
    inspections = {}
    for inspection_id, organisation_id, department, kind, score, bonus in IndicatorScore.objects.filter(
        inspection__scheme=scheme, inspection__status=InspectionStatus.CONFIRMED
    ).values_list(
        "inspection_id",
        "inspection__organisation_id",
        "inspection__department",
        "inspection__kind",
        "score",
        "bonus",
    ):
        totals[inspection_id] += score
        bonuses[inspection_id] += bonus
        inspections[inspection_id] = (organisation_id, department, kind)
    routine = defaultdict(lambda: defaultdict(list))  # org → department → inspection (total, bonus)
    annual = defaultdict(dict)  # org → department → (total, bonus)
    for inspection_id, (organisation_id, department, kind) in inspections.items():
        pair = (totals[inspection_id], bonuses[inspection_id])
        if kind == InspectionKind.ROUTINE:
            routine[organisation_id][department].append(pair)
        else:
            annual[organisation_id][department] = pair
    mass = _mass_by_subject(scheme)
    results = []
    for organisation in targets:
        routine_part, routine_bonus = _part_with_bonus(
            {d: _mean(pairs) for d, pairs in routine[organisation.pk].items()}, maxima
        )
        annual_part, annual_bonus = _part_with_bonus(annual[organisation.pk], maxima)
        mass_part = mass.get((organisation.pk, EvaluationSubject.ORGANISATION))
        total = _weighted(scheme, routine_part, annual_part, mass_part)
        without_bonus = _weighted(
            scheme, _minus(routine_part, routine_bonus), _minus(annual_part, annual_bonus), mass_part
        )
        missing = [
            str(label) for dept, label in Department.choices if maxima.get(dept) and dept not in annual[organisation.pk]
        ]
        # A result is graded and ranked only once every department has done its year-end assessment:
        # until then the composite rests on part of the indicators and would take a quota place unfairly.
        note = _("待%(d)s部门完成年终考核后评定等次和排名") % {"d": "、".join(missing)} if missing else ""
        results.append(
            Result(
                scheme=scheme,
                organisation=organisation,
                routine=_rounded(routine_part),
                annual=_rounded(annual_part),
                mass=_rounded(mass_part),
                composite=_rounded(total),
                routine_bonus=_bonus_of(routine_part, routine_bonus),
                annual_bonus=_bonus_of(annual_part, annual_bonus),
                bonus=_bonus_of(total, None if total is None else total - without_bonus),
                note=note,
            )
        )
    complete = [r for r in results if not r.note]
    _grade(
        complete,
        _bands(scheme, GradeSubject.TEAM),
        scheme.team_top_quota,
        key=lambda r: r.organisation_id,
        peers=len(results),
    )
    leaders = _leader_results(
        scheme,
        complete,
        mass,
        year_end or date(scheme.year, 12, 31),
        peers=len(results),
        hearing=selectors.hearing_scores(scheme, timezone.localdate()) if scheme.hearing_weight > 0 else {},
    )
    return results, leaders


def _rounded(value):
    return rules.round2(value) if value is not None else None


def _weighted(scheme, routine, annual, mass):
    return rules.composite(
        [
            rules.Part("routine", scheme.weight_routine, routine),
            rules.Part("annual", scheme.weight_annual, annual),
            rules.Part("mass", scheme.weight_mass, mass),
        ]
    )


def _mean(pairs):
    """The average (total, bonus) of a department's routine inspections."""
    return (sum((t for t, _b in pairs), Decimal(0)) / len(pairs), sum((b for _t, b in pairs), Decimal(0)) / len(pairs))


def _part_with_bonus(by_department: dict, maxima) -> tuple:
    """A part in percent (bonuses included) and the bonus points inside it, over the same maxima."""
    part = rules.routine_percent({d: total for d, (total, _b) in by_department.items()}, maxima)
    bonus = rules.routine_percent({d: bonus for d, (_t, bonus) in by_department.items()}, maxima)
    return part, bonus


def _minus(value, bonus):
    return None if value is None else value - (bonus or 0)


def _bonus_of(total, bonus):
    """The bonus points of a rounded total such that the rounded 百分制 score + bonus = the total shown."""
    if total is None or not bonus:
        return Decimal(0)
    return rules.round2(total) - rules.round2(total - bonus)


def _mass_by_subject(scheme: Scheme) -> dict:
    """(organisation, subject) → the masses' rating in percent, counting only rounds whose turnout met the quorum."""
    rounds = {
        evaluation.pk: evaluation
        for evaluation in EvaluationRound.objects.filter(scheme=scheme).annotate(turnout=F("box__cast"))
    }
    counted = {pk for pk, evaluation in rounds.items() if _counts(evaluation)}
    tallies = defaultdict(lambda: defaultdict(int))
    for round_id, rating, count in Tally.objects.filter(round_id__in=counted).values_list(
        "round_id", "rating", "count"
    ):
        evaluation = rounds[round_id]
        tallies[(evaluation.organisation_id, evaluation.subject)][rating] += count
    return {key: rules.mass_percent(dict(value)) for key, value in tallies.items()}


def _counts(evaluation: EvaluationRound) -> bool:
    return rules.round_counts(
        evaluation.closed_at is not None,
        evaluation.turnout,
        evaluation.issued,
        evaluation.quorum_percent,
        evaluation.min_ballots,
    )


def _grade(items, bands, quota, key, peers, barred=None) -> None:
    """Grade, apply the quota over all ``peers`` (graded or not) and rank the items."""
    graded = [rules.Graded(key(item), item_score(item), rules.grade_for(item_score(item), bands)) for item in items]
    rules.apply_quota(graded, bands, quota, barred, peers=peers)
    for item, rank in zip(items, rules.ranks([g.score for g in graded]), strict=True):
        item.rank = rank
    for item, result in zip(items, graded, strict=True):
        item.grade = result.band.grade if result.band else ""
        item.grade_label = result.band.label if result.band else ""
        item.note = "；".join(filter(None, [item.note, result.note]))


def item_score(item):
    return item.composite if isinstance(item, Result) else item.score


def _leader_results(scheme, results, mass, day, peers, hearing=None) -> list[LeaderResult]:
    """A secretary's personal result: the organisation's composite (``secretary_org_weight``), the
    述责述廉评议 (``hearing_weight``) and the 民主测评 (the rest); a part with nothing that counts
    gives its weight to the others, as the scheme's parts do."""
    hearing = hearing or {}
    secretaries = {
        m.organisation_id: m.person
        for m in TeamMembership.objects.on(day)
        .filter(organisation__in=[r.organisation for r in results], role=TeamRole.SECRETARY)
        .select_related("person")
    }
    leaders = []
    for result in results:
        person = secretaries.get(result.organisation_id)
        if person is None:
            continue
        personal_mass = mass.get((result.organisation_id, EvaluationSubject.SECRETARY))
        personal_hearing = hearing.get(person.pk)
        score = (
            rules.composite(
                [
                    rules.Part("organisation", scheme.secretary_org_weight, result.composite),
                    rules.Part("hearing", scheme.hearing_weight, personal_hearing),
                    rules.Part(
                        "mass", Decimal(100) - scheme.secretary_org_weight - scheme.hearing_weight, personal_mass
                    ),
                ]
            )
            if result.composite is not None
            else None
        )
        leaders.append(
            LeaderResult(
                scheme=scheme,
                organisation_id=result.organisation_id,
                person=person,
                organisation_part=result.composite,
                mass=_rounded(personal_mass),
                hearing=_rounded(personal_hearing) if scheme.hearing_weight > 0 else None,
                score=_rounded(score),
            )
        )
    bars = accountability.award_bars([leader.person_id for leader in leaders], scheme.year)
    # Neither reason nor date: results are read by office staff, who may not learn of a case (the
    # bar and its case are on the person's eligibility panel for those who may).
    barred = {person_id: _("不得评为优秀，请向组织部门了解") for person_id in bars}
    _grade(
        leaders,
        _bands(scheme, GradeSubject.LEADER),
        scheme.leader_top_quota,
        key=lambda r: r.person_id,
        peers=peers,
        barred=barred,
    )
    return leaders


@service
def results_compute(*, scheme: Scheme, by) -> tuple[list[Result], list[LeaderResult]]:
    """Recompute and store a scheme's results (the previous ones are updated in place, with history).

    A stored result this computation no longer produces (an organisation taken out of the targets;
    a secretary whose organisation's result now waits for a department, or who has been replaced)
    keeps its row, ungraded, with the reason: an old grade never outlives the facts it rested on.
    Two computations of one scheme at once take turns (the scheme row is locked).
    """
    _require(may_manage(by, scheme), _("只有考核组织的党建工作人员或系统管理员可以计算考核结果。"))
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
    results, leaders = compute(scheme)
    now = timezone.now()
    stored = []
    for result in results:
        row, _created = Result.objects.update_or_create(
            scheme=scheme,
            organisation=result.organisation,
            defaults={
                f: getattr(result, f)
                for f in (
                    "routine",
                    "annual",
                    "mass",
                    "composite",
                    "routine_bonus",
                    "annual_bonus",
                    "bonus",
                    "grade",
                    "grade_label",
                    "rank",
                    "note",
                )
            }
            | {"computed_at": now},
        )
        stored.append(row)
    stored_leaders = []
    for leader in leaders:
        row, _created = LeaderResult.objects.update_or_create(
            scheme=scheme,
            person=leader.person,
            defaults={
                f: getattr(leader, f)
                for f in (
                    "organisation_id",
                    "organisation_part",
                    "mass",
                    "hearing",
                    "score",
                    "grade",
                    "grade_label",
                    "rank",
                    "note",
                )
            }
            | {"computed_at": now},
        )
        stored_leaders.append(row)
    ungraded = {"grade": "", "grade_label": "", "rank": None, "computed_at": now}
    Result.objects.filter(scheme=scheme).exclude(pk__in=[row.pk for row in stored]).update(
        composite=None, bonus=0, note=_("已不在本方案的考核对象中，不评定等次"), **ungraded
    )
    LeaderResult.objects.filter(scheme=scheme).exclude(pk__in=[row.pk for row in stored_leaders]).update(
        score=None, note=_("本次未评定：单位结果待评定，或已不是该单位书记"), **ungraded
    )
    return stored, stored_leaders


# ---- Use of results -----------------------------------------------------------------------------


@service
def award_nominate(*, scheme: Scheme, person: Person, title: str, by) -> AwardNomination:
    """Nominate for a 先进 award; refused, with the reason, to anyone barred for the year by a decision."""
    _require(may_manage(by, scheme), _("只有考核组织的党建工作人员或系统管理员可以推荐评先评优。"))
    if not person.home_organisation.path.startswith(scheme.assessor.path):
        raise ValidationError({"person": _("只能推荐本组织及下级单位的干部。")})
    bar = accountability.award_bar(person, scheme.year)
    if bar is not None:
        # The reason and the date are the case's: only those who may see the person's restrictions
        # (the case handlers) learn them; office staff learn only that the person cannot be nominated.
        if can(by, "accountability.see_restrictions", person):
            message = _("%(name)s 受问责影响，%(year)s 年不得参加评先评优（%(until)s 起解除）。") % {
                "name": person.name,
                "year": scheme.year,
                "until": bar.ends_on,
            }
        else:
            message = _("该同志目前不能推荐，请向组织部门了解。")
        raise ValidationError({"person": message}, code="barred")
    nomination = AwardNomination(scheme=scheme, person=person, title=title.strip(), nominated_by=by)
    nomination.full_clean()
    nomination.save()
    return nomination


# ---- 立为问题: an inspection's deduction becomes a problem to rectify ----------------------------------


def deduction_source_key(deduction: Deduction) -> str:
    return f"deduction:{deduction.pk}"


def deduction_problem_text(deduction: Deduction) -> dict:
    """What a deduction says, prefilled on the problem form: the indicator and the reason as the
    problem, where it was found as the source, and the list items the indicator measures."""
    score = deduction.indicator_score
    inspection = score.inspection
    return {
        "title": f"{score.indicator.title}：{deduction.reason}"[:200],
        "description": _("%(date)s %(dept)s%(kind)s发现：%(reason)s（扣 %(points)s 分）。")
        % {
            "date": inspection.date,
            "dept": inspection.get_department_display(),
            "kind": inspection.get_kind_display(),
            "reason": deduction.reason,
            "points": rules.plain(deduction.points),
        },
        "source_detail": _("%(scheme)s · %(indicator)s · 扣 %(points)s 分")
        % {
            "scheme": inspection.scheme.name,
            "indicator": score.indicator.title,
            "points": rules.plain(deduction.points),
        },
    }


def deduction_raise_problem(
    *, deduction: Deduction, title: str, description: str, deadline, person=None, items=(), long_term=False, by
):
    """立为问题: the assessing organisation records the deduction as a problem of the inspected
    organisation (once per deduction), through the responsibilities service."""
    from responsibilities.models import ProblemSource
    from responsibilities.services.problems import problem_record

    inspection = deduction.indicator_score.inspection
    if deduction.withdrawn or inspection.status == InspectionStatus.DRAFT:
        raise ValidationError(_("只有已提交或已确认的检查记录中的扣分可以立为问题。"), code="not_final")
    return problem_record(
        organisation=inspection.organisation,
        found_by=inspection.scheme.assessor,
        source=ProblemSource.INSPECTION,
        source_detail=deduction_problem_text(deduction)["source_detail"],
        source_key=deduction_source_key(deduction),
        title=title,
        description=description,
        deadline=deadline,
        person=person,
        items=items,
        long_term=long_term,
        by=by,
    )


# ---- 述责述廉 and its 评议 ---------------------------------------------------------------------------


@service
def hearing_create(
    *, scheme: Scheme, organisation: Organisation, opens_on: date, closes_on: date, by, committee_weight=50
) -> Hearing:
    """The assessing level opens a year's 述责述廉 for one of the scheme's organisations."""
    _require(may_manage(by, scheme), _("只有考核组织的党建工作人员或系统管理员可以组织述责述廉。"))
    if not scheme.targets.filter(pk=organisation.pk).exists():
        raise ValidationError({"organisation": _("该组织不在本方案的被考核范围内。")})
    if Hearing.objects.filter(scheme=scheme, organisation=organisation).exists():
        raise ValidationError({"organisation": _("该组织在本方案中已有述责述廉。")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("截止日期不能早于开始日期。")})
    hearing = Hearing(
        scheme=scheme,
        organisation=organisation,
        opens_on=opens_on,
        closes_on=closes_on,
        committee_weight=committee_weight,
        created_by=by,
    )
    hearing.full_clean()
    hearing.save()
    return hearing


def _member_of(hearing: Hearing, by, day: date) -> Person:
    """The user's person, in the hearing organisation's team on the day, or a refusal (403)."""
    person = selectors.person_of(by)
    _require(
        selectors.is_team_member(person, hearing.organisation, day),
        _("只有该组织在任的班子成员可以参加述责述廉。"),
    )
    return person


@service
def report_submit(*, hearing: Hearing, text: str, files=(), by, day: date | None = None) -> HearingReport:
    """A team member submits his own 述责述廉报告 for the year, once, with his own login; it is tied
    to his personal list of the year."""
    day = day or timezone.localdate()
    person = _member_of(hearing, by, day)
    if not hearing.is_open(day):
        raise ValidationError(
            {
                "text": _("述责述廉报告应在 %(opens)s 至 %(closes)s 之间提交。")
                % {"opens": hearing.opens_on, "closes": hearing.closes_on}
            },
            code="closed",
        )
    year = hearing.scheme.year
    if HearingReport.objects.filter(person=person, year=year).exists():
        raise ValidationError(
            {"text": _("您 %(year)s 年的述责述廉报告已经提交，每年只提交一份。") % {"year": year}}, code="duplicate"
        )
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写述责述廉报告。")})
    checked = checked_uploads(files)
    from responsibilities.models import ResponsibilityList

    personal = (
        ResponsibilityList.objects.filter(organisation=hearing.organisation, year=year, person=person)
        .order_by("-pk")
        .first()
    )
    report = HearingReport(
        hearing=hearing, person=person, year=year, responsibility_list=personal, text=text, submitted_by=by
    )
    report.full_clean(validate_constraints=False)
    report.save()
    for uploaded, content_type in checked:
        HearingFile.objects.create(report=report, **stored_fields(uploaded, content_type, by))
    return report


@service
def report_evaluate(
    *, report: HearingReport, by, rating: str = "", score: Decimal | None = None, comment: str = "", day=None
) -> HearingEvaluation:
    """A committee member's 评议 of another member's report: a 等次 or a score, once; never his own."""
    day = day or timezone.localdate()
    hearing = report.hearing
    person = _member_of(hearing, by, day)
    problems = rules.evaluation_problems(rating or "", score, person.pk, report.person_id)
    if problems:
        raise ValidationError(problems, code="refused")
    if not hearing.is_open(day):
        raise ValidationError(
            {
                "rating": _("评议应在 %(opens)s 至 %(closes)s 之间进行。")
                % {"opens": hearing.opens_on, "closes": hearing.closes_on}
            },
            code="closed",
        )
    HearingReport.objects.select_for_update().filter(pk=report.pk).first()
    if HearingEvaluation.objects.filter(report=report, evaluator=person).exists():
        raise ValidationError({"rating": _("您已评议过这份报告。")}, code="duplicate")
    evaluation = HearingEvaluation(
        report=report,
        subject_id=report.person_id,
        evaluator=person,
        rating=rating or "",
        score=score,
        comment=(comment or "").strip(),
        evaluated_by=by,
    )
    evaluation.full_clean(validate_constraints=False)
    evaluation.save()
    return evaluation


@service
def hearing_round_create(
    *,
    report: HearingReport,
    questions: list[str],
    issued: int,
    quorum_percent: Decimal,
    opens_on: date,
    closes_on: date,
    by,
) -> EvaluationRound:
    """The masses' 评议 of one member's report: an anonymous round (the existing ballots) of the
    scheme, for this member; its result shows only from the round's minimum of valid ballots."""
    hearing = report.hearing
    _require(may_manage(by, hearing.scheme), _("只有考核组织的党建工作人员或系统管理员可以组织群众评议。"))
    return round_create(
        scheme=hearing.scheme,
        organisation=hearing.organisation,
        subject=EvaluationSubject.HEARING,
        person=report.person,
        questions=questions,
        issued=issued,
        quorum_percent=quorum_percent,
        opens_on=opens_on,
        closes_on=closes_on,
        by=by,
    )
