"""履责纪实 and 责任书签收 in the demo, at 东州市委 (made through the services as the users would):

- ``member``, ``leader`` and ``secretary`` record duty events on their own lists (谈心谈话, 讲党课,
  调研指导, 主持或参加专题会议, 约谈提醒, 督促检查), one with its sign-in sheet attached, and ``office``
  records a 双重组织生活 on the secretary's behalf (marked 代为记录);
- ``secretary`` has signed his list; ``leader`` signed his, then the office added a task to it, so it
  shows 签收后已修改; ``member`` has not signed (a 待签收 to-do on his 工作台)."""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from responsibilities import services as list_services
from responsibilities.models import DutyKind, DutyRecord, ListKind, Organisation, Person, ResponsibilityList
from responsibilities.services import duties as services

SIGN_IN_SHEET = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

RECORDS = [
    # (account whose record, kind, days ago, place, participants, content, item numbers, recorded by)
    (
        "member",
        "谈心谈话",
        40,
        "市委二楼小会议室",
        "分管的市委宣传部、市文明办主要负责人，共 2 人",
        "与分管部门主要负责人逐一谈心谈话，了解意识形态工作责任制落实情况，提醒严格执行中央八项规定精神。",
        [1],
        "member",
    ),
    (
        "member",
        "督促检查",
        12,
        "市文明办",
        "市文明办班子成员 4 人",
        "督促检查市文明办落实“三会一课”制度情况，查阅会议记录 12 份，指出记录不规范问题 2 条并要求限期整改。",
        [2],
        "member",
    ),
    (
        "member",
        "谈心谈话",
        3,
        "市委二楼小会议室",
        "新提拔的分管部门副职干部 3 人",
        "对新提拔干部进行任前廉政谈话，逐人签字确认。",
        [1, 2],
        "member",
    ),
    (
        "leader",
        "讲党课",
        30,
        "市委党校报告厅",
        "分管部门党员干部 86 人",
        "以“学思想、强党性、重实践、建新功”为题讲专题党课，讲稿和签到表存档。",
        [1],
        "leader",
    ),
    (
        "leader",
        "调研指导",
        8,
        "东安县城关镇",
        "东安县委组织部、城关镇党委负责人",
        "调研基层党组织标准化规范化建设，现场指导 2 个村党支部整改软弱涣散问题。",
        [2],
        "leader",
    ),
    (
        "secretary",
        "主持或参加专题会议",
        20,
        "市委常委会议室",
        "市委常委、市纪委监委主要负责人",
        "主持召开市委常委会专题研究全面从严治党工作，听取各分管领导“一岗双责”落实情况汇报，部署下半年重点任务。",
        [1],
        "secretary",
    ),
    (
        "secretary",
        "约谈提醒",
        5,
        "市委书记办公室",
        "东安县委书记",
        "就东安县“三会一课”记录不全问题约谈提醒县委书记，要求 30 日内整改到位并书面报告。",
        [2],
        "secretary",
    ),
    (
        "secretary",
        "参加双重组织生活",
        15,
        "市委办公室党支部",
        "市委办公室党支部全体党员 23 人",
        "以普通党员身份参加所在党支部组织生活会，开展批评与自我批评。",
        [1],
        "office",
    ),
]


def build(admin_user) -> int:
    """Returns how many records it made (0 when they are already there)."""
    if DutyRecord.objects.exists():
        return 0
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["secretary", "leader", "member", "office"])
    }
    city = Organisation.objects.get(code="SH-01")
    today = timezone.localdate()
    people = {
        username: Person.objects.filter(user=users[username]).first() for username in ("secretary", "leader", "member")
    }
    lists = {
        username: ResponsibilityList.objects.filter(organisation=city, year=today.year, person=person)
        .exclude(kind=ListKind.COMMITTEE)
        .order_by("pk")
        .first()
        for username, person in people.items()
        if person is not None
    }
    made = 0
    for owner, kind, days, place, participants, content, numbers, by in RECORDS:
        responsibility_list = lists.get(owner)
        if responsibility_list is None:
            continue
        services.duty_record_create(
            person=people[owner],
            kind=DutyKind.objects.get(name=kind),
            day=max(date(today.year, 1, 1), today - timedelta(days=days)),
            place=place,
            participants=participants,
            content=content,
            items=list(responsibility_list.items.filter(number__in=numbers)),
            files=[SimpleUploadedFile("签到表.pdf", SIGN_IN_SHEET, content_type="application/pdf")]
            if kind == "讲党课"
            else [],
            by=users[by],
        )
        made += 1
    # 责任书签收: the secretary signed; the leader signed, then his list was changed; the member has not.
    for username in ("secretary", "leader"):
        if username in lists:
            services.list_sign(responsibility_list=lists[username], by=users[username])
    if "leader" in lists:
        list_services.task_create(
            item=lists["leader"].items.order_by("number").first(),
            by=users["office"],
            reason="按市委常委会部署补充调研任务",
            title="开展分管领域基层党建专题调研",
            quantity=2,
            unit="次",
            deadline=date(today.year, 12, 31),
            standard="形成调研报告",
            requirement="报市委组织部备案",
            responsible_person=None,
            status="not_started",
            completed_on=None,
        )
    return made
