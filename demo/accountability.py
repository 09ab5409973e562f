"""Demo accountability data: the 西陵 city's own adoption of the 2019 regulations (from 2020-01-01)
beside the province's article rules, decided cases under both, a decision of several measures, one
about an organisation, a case exempted with its ground, a case under way, early-sign measures.

Added once (when no case exists yet), after the demo organisations and lists. The province (the
demo root) adopted the article's rules from 2016-09-26 when it was created (the product's default).
"""

from datetime import date, timedelta

from accountability import services
from accountability.models import (
    Case,
    Exemption,
    ExemptionGround,
    InterventionKind,
    Measure,
    Responsibility,
    RuleSet,
    Severity,
    Situation,
    Subject,
)
from responsibilities.models import Organisation, TeamMembership, TeamRole

# (organisation code, team role, situation, facts date, decided on, rule-set measure codes, facts).
# SH-02 (西陵市) and below are judged by the 2019 regulations from 2020-01-01, the rest by the article's.
DECIDED = [
    (
        "SH-01-02-01",
        TeamRole.SECRETARY,
        "FQ-06",
        date(2025, 3, 1),
        date(2025, 6, 20),
        ["demoted", "pd_warning"],
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
        ["circulated_criticism"],
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
    regulations = RuleSet.objects.get(effective_from=date(2019, 9, 1), owner__isnull=True, based_on__isnull=True)
    services.rule_set_adopt(
        rule_set=regulations,
        organisation=Organisation.objects.get(code="SH-02"),
        effective_from=date(2020, 1, 1),
        decided_by_body="中共西陵市委常委会",
        decided_on=date(2019, 12, 16),
        document="《西陵市贯彻〈中国共产党问责条例〉实施办法》（西委发〔2019〕21号）",
        by=admin_user,
    )
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
        rule_set = services.adoption_on(membership.organisation, decided_on).rule_set
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
    # A committee held to account as a body (the article's measures for organisations).
    body = Organisation.objects.get(code="SH-01-02")
    case = services.case_file(
        organisation=body,
        subject=Subject.COMMITTEE,
        responsibility=Responsibility.COLLECTIVE,
        situations=Situation.objects.filter(code="FQ-03"),
        facts="对所属党组织落实责任清单不督促、不检查，全年多项下发任务无人过问。",
        facts_date=date(2026, 3, 1),
        filed_on=date(2026, 3, 20),
        severity=Severity.MINOR,
        by=admin_user,
    )
    for target in ("investigating", "reviewing"):
        case = services.case_transition(case=case, version=case.version, target=target, by=admin_user)
    services.decision_record(
        case=case,
        version=case.version,
        decided_on=date(2026, 5, 12),
        deciding_body="中共东州市委",
        deciding_organisation=Organisation.objects.get(code="SH-01"),
        document_number="东委问〔2026〕3号",
        measures=Measure.objects.filter(
            rule_set=services.adoption_on(body, date(2026, 5, 12)).rule_set, code="circulated_criticism"
        ),
        by=admin_user,
    )
    # A secretary who objected on the record to a wrong collective decision: 免予问责.
    objector = _member("SH-02-03", TeamRole.SECRETARY)
    case = services.case_file(
        organisation=objector.organisation,
        subject=Subject.SECRETARY,
        person=objector.person,
        responsibility=Responsibility.INDIVIDUAL,
        situations=Situation.objects.filter(code="FQ-09"),
        facts="班子会议违规决定一项工程发包，造成损失。",
        facts_date=date(2026, 4, 2),
        filed_on=date(2026, 4, 20),
        severity=Severity.SERIOUS,
        by=admin_user,
    )
    for target in ("investigating", "reviewing"):
        case = services.case_transition(case=case, version=case.version, target=target, by=admin_user)
    services.case_exempt(
        case=case,
        version=case.version,
        exemption=Exemption.EXEMPTED,
        ground=ExemptionGround.OBJECTED,
        note="经查会议记录，该同志在讨论时明确提出反对意见并记录在案。",
        by=admin_user,
    )
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
    return count + 3
