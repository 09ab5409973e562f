"""Demo accountability data: decided cases under both rule sets, a case under way, early-sign measures.

Added once (when no case exists yet), after the demo organisations and lists.
"""

from datetime import date, timedelta

from accountability import services
from accountability.models import Case, InterventionKind, Measure, Responsibility, Severity, Situation, Subject
from responsibilities.models import Organisation, TeamMembership, TeamRole

# (organisation code, team role, situation, facts date, decided on, rule-set measure codes, facts)
DECIDED = [
    (
        "SH-01-02-01",
        TeamRole.SECRETARY,
        "FQ-06",
        date(2025, 3, 1),
        date(2025, 6, 20),
        ["demoted"],
        "对本单位干部违规发放津贴补贴问题知情不报、不处理，失之于宽、失之于软。",
    ),
    (
        "SH-02-01",
        TeamRole.MEMBER,
        "FQ-02",
        date(2026, 5, 10),
        date(2026, 9, 1),
        ["post_adjusted"],
        "分管领域党建工作长期无人过问，以“我是搞业务的”推脱，“一岗双责”没有落实。",
    ),
    (
        "SH-01-03",
        TeamRole.LEADER_IN_CHARGE,
        "FQ-03",
        date(2026, 6, 1),
        date(2026, 8, 15),
        ["circulated"],
        "对所属党组织落实责任清单不督促、不检查，半年内多项任务逾期未完成。",
    ),
    (
        "SH-02-02",
        TeamRole.MEMBER,
        "FQ-05",
        date(2018, 3, 1),
        date(2018, 5, 10),
        ["removed"],
        "对分管部门干部多次违规的苗头性问题不提醒、不批评，导致问题扩大。",
    ),
]


def _member(code, role):
    return (
        TeamMembership.objects.filter(organisation__code=code, role=role)
        .select_related("person", "organisation")
        .order_by("-start_date")
        .first()
    )


def build(admin_user) -> int:
    if Case.objects.exists():
        return 0
    count = 0
    for code, role, situation, facts_date, decided_on, measure_codes, facts in DECIDED:
        membership = _member(code, role)
        case = services.case_file(
            organisation=membership.organisation,
            subject=Subject.for_team_role(role),
            person=membership.person,
            responsibility=Responsibility.INDIVIDUAL,
            situations=Situation.objects.filter(code=situation),
            facts=facts,
            facts_date=facts_date,
            filed_on=facts_date + timedelta(days=10),
            severity=Severity.SERIOUS,
            by=admin_user,
        )
        for target in ("investigating", "reviewing"):
            case = services.case_transition(case=case, version=case.version, target=target, by=admin_user)
        rule_set = services.rule_set_on(decided_on)
        services.decision_record(
            case=case,
            version=case.version,
            decided_on=decided_on,
            deciding_body="中共山海省纪委",
            document_number=f"山纪问〔{decided_on.year}〕{count + 1}号",
            measures=Measure.objects.filter(rule_set=rule_set, code__in=measure_codes),
            by=admin_user,
        )
        count += 1
    organ = Organisation.objects.get(code="SH-01-03-01")
    case = services.case_file(
        organisation=organ,
        subject=Subject.COMMITTEE,
        responsibility=Responsibility.COLLECTIVE,
        situations=Situation.objects.filter(code="FQ-08"),
        facts="2026 年责任清单多项任务经提醒后仍逾期未完成。",
        facts_date=date(2026, 10, 31),
        severity=Severity.MINOR,
        by=admin_user,
    )
    services.case_transition(case=case, version=case.version, target="investigating", by=admin_user)
    laggard = _member("SH-01-03", TeamRole.MEMBER)
    services.intervention_record(
        organisation=laggard.organisation,
        person=laggard.person,
        kind=InterventionKind.REMIND,
        reason="责任清单任务逾期未完成，请抓紧推进。",
        day=date(2026, 10, 10),
        by=admin_user,
    )
    return count + 1
