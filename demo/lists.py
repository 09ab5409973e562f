"""Demo responsibility lists: this year's lists for the whole demo province, filled with realistic tasks.

Completion varies by organisation (one county lags well behind its city), some tasks are overdue,
a city has issued a task to its counties, and the city's lists have been submitted and confirmed.
"""

import random
from datetime import date
from decimal import Decimal

from django.utils import timezone

from responsibilities import services
from responsibilities.models import ListKind, ListStatus, Organisation, ResponsibilityList, TaskStatus

# item number → (task, quantity, unit, month of deadline, standard, requirement)
COMMITTEE_TASKS = {
    1: (
        "召开党委（党组）会议专题研究全面从严治党工作",
        4,
        "次",
        12,
        "每季度至少 1 次，形成会议纪要",
        "书记主持，班子成员全部参加",
    ),
    3: (
        "开展理论学习中心组集体学习",
        12,
        "次",
        12,
        "每月 1 次，每次有主题、有研讨发言、有记录",
        "班子成员每人年内至少重点发言 2 次",
    ),
    5: ("召开年度民主生活会", 1, "次", 3, "会前谈心谈话全覆盖，查摆问题具体", "会后 15 日内报送整改方案"),
    8: ("所属党支部标准化规范化建设", 100, "%", 9, "按《党支部工作条例》逐项达标", "年底前全部验收"),
    9: ("开展作风建设专项检查", 2, "次", 10, "覆盖全部内设机构，问题形成清单", "问题整改销号"),
    10: ("开展廉政警示教育", 2, "次", 6, "观看警示片并组织讨论", "全体党员干部参加"),
    15: ("修订党建工作责任制实施办法", None, "", 6, "经党委（党组）会议审议通过并印发", "明确责任分工和考核办法"),
}
PERSONAL_TASKS = {
    ListKind.SECRETARY: [
        (1, "带头讲专题党课", 1, "次", 7, "围绕全面从严治党主题，有讲稿", "面向全体党员"),
        (2, "与班子成员开展谈心谈话", 1, "轮", 8, "每名班子成员至少 1 次，有记录", "指出问题、提出要求"),
    ],
    ListKind.LEADER_IN_CHARGE: [
        (1, "制定年度党建工作要点", None, "", 3, "经党委（党组）会议审议印发", "任务分解到部门"),
        (3, "组织党务干部培训", 1, "期", 11, "不少于 2 天，有考核", "党务干部全员参加"),
    ],
    ListKind.MEMBER: [
        (2, "到分管领域开展党建工作督导", 2, "次", 10, "每次形成督导意见", "问题反馈到责任部门"),
        (1, "在分管部门讲廉政党课", 1, "次", 12, "结合分管领域廉政风险点", "分管部门党员参加"),
    ],
}


def build(admin_user, year: int | None = None) -> int:
    """Fill this year's demo lists once; returns how many tasks were created (0 if already there)."""
    today = timezone.localdate()
    year = year or today.year
    if ResponsibilityList.objects.filter(year=year).exists():
        return 0
    rng = random.Random(year)
    root = Organisation.objects.get(depth=1, code="SH")
    services.lists_generate_subtree(root=root, year=year, by=admin_user)
    # How diligent each organisation is: the share of past-deadline tasks it has done.
    diligence = {org.pk: rng.uniform(0.7, 0.95) for org in Organisation.objects.all()}
    laggard = Organisation.objects.get(code="SH-01-03")  # 东阳区委 and its organs fall behind
    for org in Organisation.objects.subtree(laggard):
        diligence[org.pk] = 0.2
    count = 0
    lists = ResponsibilityList.objects.filter(year=year).select_related("organisation", "person")
    for responsibility_list in lists:
        items = {item.number: item for item in responsibility_list.items.all()}
        if responsibility_list.kind == ListKind.COMMITTEE:
            specs = [(number, *spec) for number, spec in COMMITTEE_TASKS.items()]
        else:
            specs = PERSONAL_TASKS[responsibility_list.kind]
        for number, title, quantity, unit, month, standard, requirement in specs:
            deadline = date(year, month, 28)
            task = services.task_create(
                item=items[number],
                by=admin_user,
                title=title,
                quantity=Decimal(quantity) if quantity is not None else None,
                unit=unit,
                deadline=deadline,
                standard=standard,
                requirement=requirement,
                responsible_person=responsibility_list.person,
                status=TaskStatus.NOT_STARTED,
                completed_on=None,
            )
            count += 1
            _progress(task, deadline, today, diligence[responsibility_list.organisation_id], rng, admin_user)
    _issue(year, admin_user, rng)
    _workflow(year, admin_user)
    return count


def _progress(task, deadline, today, diligence, rng, by):
    if deadline <= today and rng.random() < diligence:
        day = min(deadline, today)
        services.progress_record(task=task, text="已按要求完成，材料已归档。", percent=100, day=day, by=by)
    elif rng.random() < 0.6:
        day = min(today, deadline)
        services.progress_record(
            task=task,
            text="正在推进，已完成部分工作。",
            percent=rng.choice((30, 50, 70)),
            day=day.replace(day=1),
            by=by,
        )


def _issue(year, by, rng):
    city = Organisation.objects.get(code="SH-01")
    counties = Organisation.objects.filter(path__startswith=city.path, depth=city.depth + 1, code__startswith="SH-01-0")
    services.task_issue(
        issuer=city,
        year=year,
        item_number=7,
        recipients=counties,
        by=by,
        title="开展新提拔干部廉政谈话",
        quantity=Decimal(1),
        unit="轮",
        deadline=date(year, 12, 20),
        standard="新提拔干部全覆盖，谈话有记录",
        requirement="由党委（党组）书记或分管领导谈话",
    )


def _workflow(year, by):
    """The city committee's lists are confirmed, except its other members' lists, which the city's
    office staff submit once the accounts exist (``demo.workbench``); its counties' committee lists
    are submitted."""
    city_lists = ResponsibilityList.objects.filter(year=year, organisation__code="SH-01").exclude(kind=ListKind.MEMBER)
    for responsibility_list in city_lists:
        for target in (ListStatus.SUBMITTED, ListStatus.CONFIRMED):
            responsibility_list = services.list_transition(
                responsibility_list=responsibility_list, version=responsibility_list.version, target=target, by=by
            )
    for responsibility_list in ResponsibilityList.objects.filter(
        year=year, kind=ListKind.COMMITTEE, organisation__code__in=["SH-01-01", "SH-01-02"]
    ):
        services.list_transition(
            responsibility_list=responsibility_list,
            version=responsibility_list.version,
            target=ListStatus.SUBMITTED,
            by=by,
        )
