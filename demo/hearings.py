"""Demo 述责述廉: the province's assessment of its two city committees this year weighs the 述责述廉评议
in each secretary's personal result (20%). 东州市委's team reports: the secretary and the leader in
charge have submitted and evaluated each other, `member` has neither reported nor evaluated (his
工作台 shows both), the masses' 评议 of the secretary is closed and shown, the leader's has too few
valid ballots to be shown."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import services
from assessments.models import Hearing, Rating, SchemeKind, slip_codes
from responsibilities.models import Organisation

REPORTS = {
    "secretary": (
        "一、履行第一责任人职责情况。全年主持召开市委常委会会议专题研究全面从严治党工作 6 次，"
        "带头讲专题党课 2 次，对班子成员和县（市、区）委书记开展谈心谈话 32 人次，"
        "责任清单所列 14 项任务已完成 11 项，其余 3 项按计划在年底前完成。\n"
        "二、廉洁自律情况。严格执行中央八项规定及其实施细则精神，如实报告个人有关事项，"
        "没有违规收受礼品礼金、插手干预工程项目等情况。\n"
        "三、存在问题和改进措施。对县级落实“一岗双责”督促检查偏少，下一步每季度听取一次班子成员履责情况汇报。"
    ),
    "leader": (
        "一、履行“一岗双责”情况。对分管的组织、宣传领域，全年开展调研指导 9 次，"
        "对分管部门主要负责人约谈提醒 4 人次，督促整改基层党建检查发现的问题 12 个。\n"
        "二、廉洁自律情况。严守政治纪律和政治规矩，管好配偶子女和身边工作人员，未发现违反廉洁纪律的情况。\n"
        "三、存在问题。分管领域的谈心谈话记录不够规范，拟在一季度前统一台账。"
    ),
}


def build(admin_user) -> int:
    """Returns how many reports it recorded (0 when the 述责述廉 is already there)."""
    if Hearing.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["inspector_org", *REPORTS, "member"])}
    today = timezone.localdate()
    province = Organisation.objects.get(code="SH")
    cities = list(Organisation.objects.filter(code__in=["SH-01", "SH-02"]).order_by("code"))
    city = cities[0]
    scheme = services.scheme_create(
        assessor=province,
        targets=cities,
        by=admin_user,
        name=f"山海省 {today.year} 年度市委书记抓党建述职评议考核",
        year=today.year,
        kind=SchemeKind.ANNUAL,
        party_building_weight=Decimal(30),
        weight_routine=Decimal(0),
        weight_annual=Decimal(100),
        weight_mass=Decimal(0),
        team_top_quota=Decimal(50),
        leader_top_quota=Decimal(50),
        secretary_org_weight=Decimal(60),
        hearing_weight=Decimal(20),
    )
    inspector = users["inspector_org"]
    indicator = services.indicator_save(
        scheme=scheme,
        department="organisation",
        by=inspector,
        title="落实基层党建工作责任制",
        max_score=Decimal(100),
        quantity=Decimal(4),
        unit="次",
        deadline=date(today.year, 12, 31),
        standard="每季度专题研究一次基层党建工作，有会议纪要",
        requirement="",
        deduction_per_shortfall=Decimal(5),
        bonus_cap=Decimal(0),
    )
    for target, deductions in ((cities[0], [(Decimal(5), "第三季度未专题研究基层党建工作")]), (cities[1], [])):
        inspection = services.inspection_start(
            scheme=scheme,
            organisation=target,
            kind="annual",
            department="organisation",
            day=today - timedelta(days=2),
            by=inspector,
        )
        inspection = services.score_record(
            inspection=inspection, version=inspection.version, indicator=indicator, deductions=deductions, by=inspector
        ).inspection
        inspection = services.inspection_submit(inspection=inspection, version=inspection.version, by=inspector)
        services.inspection_confirm(inspection=inspection, version=inspection.version, by=admin_user)

    hearing = services.hearing_create(
        scheme=scheme,
        organisation=city,
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=10),
        committee_weight=Decimal(50),
        by=admin_user,
    )
    reports = {
        username: services.report_submit(hearing=hearing, text=text, by=users[username])
        for username, text in REPORTS.items()
    }
    services.report_evaluate(
        report=reports["secretary"], rating=Rating.GOOD, comment="抓班子带队伍有力", by=users["leader"]
    )
    services.report_evaluate(
        report=reports["leader"], score=Decimal(88), comment="分管领域督促检查扎实", by=users["secretary"]
    )
    # The masses' 评议: the secretary's closed with enough valid ballots; the leader's with too few.
    for username, issued, ballots in (("secretary", 30, 26), ("leader", 10, 4)):
        evaluation = services.hearing_round_create(
            report=reports[username],
            questions=["履行全面从严治党责任情况", "廉洁自律情况"],
            issued=issued,
            quorum_percent=Decimal(30),
            opens_on=today - timedelta(days=3),
            closes_on=today + timedelta(days=5),
            by=admin_user,
        )
        codes = slip_codes(evaluation.slip_key, issued)
        services.round_slips_destroy(evaluation=evaluation, by=admin_user)
        pattern = [Rating.GOOD] * 3 + [Rating.FAIRLY_GOOD]
        for index, code in enumerate(codes[:ballots]):
            rating = pattern[index % len(pattern)]
            services.ballot_cast(code_text=code, answers={0: rating, 1: Rating.GOOD if index % 5 else rating})
        services.round_close(evaluation=evaluation, by=admin_user)
    services.results_compute(scheme=scheme, by=admin_user)
    return len(reports)
