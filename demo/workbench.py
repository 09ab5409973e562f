"""What awaits the demo accounts on their 工作台, and the messages that told them: built once the
accounts exist, through the services as users would act, so that every notification is the one the
product itself sends.

- ``office`` (东州市委) submits the members' lists → ``secretary`` is asked to confirm them;
- the province returns 东安县委's committee list → ``office_county`` is asked to rework it;
- ``secretary`` urges ``leader`` and ``member`` (督促) → each is asked to acknowledge;
- the province reminds 东州市委 as an organisation → its office staff and secretary acknowledge;
- the inspectors have inspections to finish (a draft each; ``inspector_org`` submitted one for
  ``office`` to confirm); the open mass evaluations wait for ``office`` to hand out codes;
- the city issues a 督办 to 东安县委 → ``office_county`` is asked to answer it;
- the 纪检 and 组织 inspectors and ``admin`` have the open case; ``admin`` the team without a secretary.
"""

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from accountability import services as accountability_services
from accountability.models import InterventionKind
from assessments import services as assessment_services
from assessments.models import InspectionKind, Scheme
from responsibilities import services
from responsibilities.models import ListKind, ListStatus, Organisation, ResponsibilityList, SupervisionNote
from responsibilities.services import orders as order_services


def build(admin_user) -> int:
    """Returns how many to-dos it made (0 when they are already there)."""
    if SupervisionNote.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    today = timezone.localdate()
    city = Organisation.objects.get(code="SH-01")
    made = 0
    for member_list in ResponsibilityList.objects.filter(
        organisation=city, year=today.year, kind=ListKind.MEMBER, status=ListStatus.DRAFT
    ):
        services.list_transition(
            responsibility_list=member_list,
            version=member_list.version,
            target=ListStatus.SUBMITTED,
            by=users["office"],
        )
        made += 1
    county = ResponsibilityList.objects.filter(
        organisation__code="SH-01-01", year=today.year, kind=ListKind.COMMITTEE, status=ListStatus.SUBMITTED
    ).first()
    if county is not None:
        services.list_transition(
            responsibility_list=county,
            version=county.version,
            target=ListStatus.DRAFT,
            reason="第 7 项“新提拔干部廉政谈话”请补充具体时间安排。",
            by=admin_user,
        )
        made += 1
    for username, text in (
        ("leader", "分管领域的专题调研进度偏慢，请本月内拿出调研报告初稿。"),
        ("member", "“一岗双责”落实情况请在下次班子会上专题汇报。"),
    ):
        own = ResponsibilityList.objects.filter(
            organisation=city, year=today.year, person__user=users[username]
        ).exclude(kind=ListKind.COMMITTEE)
        for responsibility_list in own[:1]:
            services.supervision_note_add(responsibility_list=responsibility_list, text=text, by=users["secretary"])
            made += 1
    accountability_services.intervention_record(
        organisation=city,
        kind=InterventionKind.REMIND,
        reason="第三季度责任清单任务完成率低于全省平均水平，请抓紧推进并于月底前反馈。",
        by=admin_user,
    )
    made += 1
    made += _inspections(users, today)
    # A 督办 from the city to 东安县委, for ``office_county`` to answer (and ``office`` to close later).
    order_services.order_issue(
        issuer=city,
        recipients=[Organisation.objects.get(code="SH-01-01")],
        title="新提拔干部廉政谈话落实情况",
        subject="tasks",
        text="请说明本年度新提拔干部廉政谈话的开展情况，附谈话记录。",
        reply_by=today + timedelta(days=10),
        by=users["office"],
    )
    return made + 1


def _inspections(users, today) -> int:
    scheme = Scheme.objects.filter(year=today.year).order_by("pk").first()
    if scheme is None:
        return 0
    targets = list(scheme.targets.order_by("path"))
    made = 0
    for index, username in enumerate(("inspector_org", "inspector_propaganda", "inspector_united_front")):
        inspector = users[username]
        department = inspector.assignments.get().department
        inspection = assessment_services.inspection_start(
            scheme=scheme,
            organisation=targets[index],
            kind=InspectionKind.ROUTINE,
            department=department,
            day=today,
            summary="平时检查：查阅会议记录和台账。",
            by=inspector,
        )
        if username == "inspector_org":  # scored and submitted: the city's office staff confirm it
            for indicator in scheme.indicators.filter(department=department):
                inspection = assessment_services.score_record(
                    inspection=inspection,
                    version=inspection.version,
                    indicator=indicator,
                    deductions=[],
                    bonus=Decimal(0),
                    by=inspector,
                ).inspection
            assessment_services.inspection_submit(inspection=inspection, version=inspection.version, by=inspector)
        made += 1
    return made
