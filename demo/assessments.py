"""Demo assessments: the 东州 city committee assesses its six subordinate organisations for last year and
this year, with all four departments' indicators (one of them vague), confirmed year-end and routine
inspections, a mass evaluation under way this year, and computed results."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services
from assessments.models import EvaluationSubject, InspectionKind, Rating, Scheme, SchemeKind, slip_codes
from responsibilities.models import ListKind, Organisation, TemplateItem

INDICATORS = {
    "organisation": [
        ("按期召开民主生活会和组织生活会", 15, 2, "次", "会前谈心谈话全覆盖，会后 15 日内报送整改方案", [5]),
        ("党支部标准化规范化建设达标", 15, 100, "%", "按《党支部工作条例》逐项验收", [8]),
    ],
    "discipline": [
        ("开展廉政警示教育", 10, 2, "次", "观看警示片并组织讨论，有记录", [10]),
        ("落实“一岗双责”约谈提醒", 10, 4, "次", "每季度对班子成员和下级主要负责人约谈提醒一次", [7, 10]),
    ],
    "propaganda": [
        ("理论学习中心组集体学习", 15, 12, "次", "每月一次，每次有主题、有研讨发言", [3]),
        ("建立意识形态工作领导小组", 10, None, "", "", [3]),  # vague on purpose: only asks "set up or not"
    ],
    "united_front": [
        ("联系党外代表人士", 10, 4, "人次", "每名班子成员联系不少于一名党外代表人士，有记录", [13]),
    ],
}


def build(admin_user) -> int:
    if Scheme.objects.exists():
        return 0
    User = get_user_model()
    city = Organisation.objects.get(code="SH-01")
    targets = list(Organisation.objects.filter(path__startswith=city.path, depth=city.depth + 1).active())
    inspectors = {u.assignments.get().department: u for u in User.objects.filter(username__startswith="inspector_")}
    today = timezone.localdate()
    rng = random.Random(2026)
    count = 0
    for year in (today.year - 1, today.year):
        scheme = services.scheme_create(
            assessor=city,
            targets=targets,
            by=admin_user,
            name=f"东州市 {year} 年度基层党建工作考核",
            year=year,
            kind=SchemeKind.ANNUAL,
            party_building_weight=Decimal(25),
            weight_routine=Decimal(30),
            weight_annual=Decimal(50),
            weight_mass=Decimal(20),
            team_top_quota=Decimal(35),
            leader_top_quota=Decimal(35),
            secretary_org_weight=Decimal(70),
        )
        for department, rows in INDICATORS.items():
            for title, max_score, quantity, unit, standard, items in rows:
                indicator = services.indicator_save(
                    scheme=scheme,
                    department=department,
                    by=inspectors[department],
                    title=title,
                    max_score=Decimal(max_score),
                    quantity=Decimal(quantity) if quantity is not None else None,
                    unit=unit,
                    deadline=date(year, 12, 31) if quantity is not None else None,
                    standard=standard,
                    requirement="",
                    deduction_per_shortfall=Decimal(2),
                    bonus_cap=Decimal(2),
                    list_items=TemplateItem.objects.filter(
                        template__effective_from_year=2016, kind=ListKind.COMMITTEE, number__in=items
                    ),
                )
        weakness = {t.pk: (3 if t.code == "SH-01-03" else rng.choice((0, 0, 1, 1, 2))) for t in targets}
        done_by = min(today, date(year, 12, 31))
        for target in targets:
            for department, inspector in inspectors.items():
                kinds = [InspectionKind.ANNUAL] + ([InspectionKind.ROUTINE] if rng.random() < 0.5 else [])
                for kind in kinds:
                    day = done_by - timedelta(days=rng.randint(0, 60) if kind == InspectionKind.ANNUAL else 120)
                    inspection = services.inspection_start(
                        scheme=scheme, organisation=target, kind=kind, department=department, day=day, by=inspector
                    )
                    for indicator in scheme.indicators.filter(department=department):
                        shortfalls = rng.randint(0, weakness[target.pk])
                        deductions = [(Decimal(2), "未达到数量要求，缺 1 项材料")] * shortfalls
                        inspection = services.score_record(
                            inspection=inspection,
                            version=inspection.version,
                            indicator=indicator,
                            deductions=deductions,
                            bonus=Decimal(1) if shortfalls == 0 and rng.random() < 0.3 else 0,
                            by=inspector,
                        ).inspection
                    inspection = services.inspection_submit(
                        inspection=inspection, version=inspection.version, by=inspector
                    )
                    services.inspection_confirm(inspection=inspection, version=inspection.version, by=admin_user)
                    count += 1
        if year == today.year:
            _mass_evaluation(scheme, targets, admin_user, today, rng)
        services.results_compute(scheme=scheme, by=admin_user)
    return count


def _mass_evaluation(scheme, targets, admin_user, today, rng):
    """Rounds for two organisations opened three days ago, most codes already used: one organisation's
    rounds closed and counted, the other's still running (and below its quorum)."""
    for target, voters in ((targets[3], 27), (targets[4], 12)):
        for subject in (EvaluationSubject.ORGANISATION, EvaluationSubject.SECRETARY):
            evaluation = services.round_create(
                scheme=scheme,
                organisation=target,
                subject=subject,
                questions=["落实全面从严治党主体责任情况", "作风建设和党风廉政建设情况"],
                issued=30,
                quorum_percent=Decimal(80),
                opens_on=today - timedelta(days=3),
                closes_on=today + timedelta(days=7),
                by=admin_user,
            )
            codes = slip_codes(evaluation.slip_key, evaluation.issued)
            services.round_slips_destroy(evaluation=evaluation, by=admin_user)
            for code in codes[:voters]:
                weights = [6, 3, 1, 0] if target.code != "SH-01-03" else [2, 3, 3, 2]
                answers = {i: rng.choices(Rating.values, weights=weights)[0] for i in range(2)}
                services.ballot_cast(code_text=code, answers=answers)
            if target == targets[3]:  # closed and counted; the other organisation's rounds still run
                services.round_close(evaluation=evaluation, by=admin_user)
