"""问题清单 in the demo: 东州市委 (``office``) found problems at 东安县委 (``office_county`` rectifies),
one in every status — 待整改, 整改中 (one of them past its deadline, one 长期整改 with a milestone),
待复核 (waiting for ``office``) and 已销号 — made through the services as the users would."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from responsibilities.models import Organisation, Person, Problem
from responsibilities.services import problems as services

# A minimal real PDF: the evidence check reads the content, not only the name.
EVIDENCE = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(name):
    return SimpleUploadedFile(name, EVIDENCE, content_type="application/pdf")


def build(admin_user) -> int:
    """Returns how many problems it recorded (0 when they are already there)."""
    if Problem.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["office", "office_county"])}
    office, county_staff = users["office"], users["office_county"]
    city, county = Organisation.objects.get(code="SH-01"), Organisation.objects.get(code="SH-01-01")
    person = Person.objects.filter(home_organisation=county).order_by("pk").first()
    today = timezone.localdate()

    def record(title, description, source, days, **extra):
        return services.problem_record(
            organisation=county,
            found_by=city,
            source=source,
            title=title,
            description=description,
            deadline=today + timedelta(days=days),
            by=office,
            **extra,
        )

    def measure(problem, text, days, **extra):
        problem.refresh_from_db()
        return services.measure_add(
            problem=problem,
            version=problem.version,
            text=text,
            responsible_person=person,
            deadline=today + timedelta(days=days),
            by=county_staff,
            **({"standard": "形成书面材料并存档"} | extra),
        )

    def complete(item, note):
        item.refresh_from_db()
        services.measure_report(
            measure=item,
            version=item.version,
            note=note,
            files=[_evidence("整改佐证.pdf")],
            complete=True,
            by=county_staff,
        )

    def submit(problem, report):
        problem.refresh_from_db()
        return services.problem_submit(problem=problem, version=problem.version, report=report, by=county_staff)

    record(
        "部分党支部“三会一课”记录不全",
        "巡察发现：县直机关 3 个党支部第三季度支部委员会会议记录缺失。",
        "tour",
        45,
        source_detail="市委第二巡察组反馈意见第 2 条",
    )
    rectifying = record(
        "民主生活会批评与自我批评不够深入",
        "民主生活会上相互批评意见泛泛而谈，点人点事不够。",
        "life_meeting",
        60,
    )
    measure(rectifying, "班子成员逐一开展谈心谈话，列出问题清单", 30, quantity=7, unit="人次")
    late = record("新提拔干部廉政谈话未全覆盖", "2 名新提拔干部未按规定开展任前廉政谈话。", "supervision", 20)
    measure(late, "补开任前廉政谈话并形成记录", 15, quantity=2, unit="人次")
    # Found last month with a deadline already passed: it shows on 预警提醒 (the demo backdates it).
    Problem.objects.filter(pk=late.pk).update(found_on=today - timedelta(days=40), deadline=today - timedelta(days=6))
    long_term = record(
        "基层党组织阵地建设不达标",
        "部分村级党组织活动场所面积和功能不达标，需分年度改造。",
        "inspection",
        540,
        long_term=True,
        source_detail="年度考核·组织部门",
    )
    measure(long_term, "第一阶段：完成 10 个村级活动场所改造", 150, quantity=10, unit="个", milestone=True)
    review = record("党费收缴台账不规范", "党费收缴未按月登记，个别党员漏缴。", "mass_evaluation", 30)
    complete(measure(review, "逐月补登台账并核对补缴", 20), "已补登全年台账，漏缴党费已补缴。")
    submit(review, "台账已补齐，建立按月核对制度。")
    closed = record("警示教育覆盖面不足", "乡镇站所干部未参加年度警示教育。", "other", 30)
    complete(measure(closed, "组织乡镇站所干部专场警示教育", 10, quantity=1, unit="场"), "已组织专场警示教育。")
    closed = submit(closed, "已补课，参训率 100%。")
    services.problem_review(problem=closed, version=closed.version, accept=True, by=office)
    return 6
