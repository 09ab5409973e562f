"""A realistic demo slice: one province, two cities, their counties and organs, full teams, one user per role.

Everything is created through the services, so the demo has the same history and checks as real data.
Names are drawn from a seeded generator: the same data every time.
"""

import random
from dataclasses import dataclass
from datetime import date

import pghistory
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from demo import accountability as accountability_demo
from demo import assessments as assessments_demo
from demo import duties as duties_demo
from demo import hearings as hearings_demo
from demo import lists as demo_lists
from demo import problems as problems_demo
from demo import reports as reports_demo
from demo import workbench as workbench_demo
from responsibilities import services
from responsibilities.models import Department, Organisation, OrganisationKind, Person, PostLevel, Role, TeamRole

DEMO_PASSWORD = "Demo@2026"

ROOT_CODE = "SH"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力志国庆海斌波宁俊峰"
    "雪梅琳晨立新永春云飞东浩鹏宇凯旭晓晶岩颖鑫佳瑞泽博"
)


@dataclass
class OrgSpec:
    name: str
    short_name: str
    code: str
    kind: str
    level: int  # PostLevel of the secretary
    title: str  # how the secretary's post is written, e.g. "县委书记"
    children: list


def organ(name, short, code, kind=OrganisationKind.LEADING_GROUP, level=PostLevel.COUNTY_CHIEF):
    head = {OrganisationKind.LEADING_GROUP: "党组书记", OrganisationKind.BRANCH: "支部书记"}.get(kind, "书记")
    return OrgSpec(name, short, code, kind, level, f"{short}{head}", [])


def county(name, short, code, prefix):
    organs = [
        organ(f"{prefix}财政局党组", f"{prefix}财政局", f"{code}-01", level=PostLevel.TOWNSHIP_CHIEF),
        organ(f"{prefix}教育局党组", f"{prefix}教育局", f"{code}-02", level=PostLevel.TOWNSHIP_CHIEF),
        organ(f"{prefix}卫生健康局党组", f"{prefix}卫健局", f"{code}-03", level=PostLevel.TOWNSHIP_CHIEF),
        organ(
            f"中共{prefix}直机关工作委员会",
            f"{prefix}直机关工委",
            f"{code}-04",
            kind=OrganisationKind.WORKING_COMMITTEE,
            level=PostLevel.TOWNSHIP_CHIEF,
        ),
    ]
    return OrgSpec(name, short, code, OrganisationKind.COMMITTEE, PostLevel.COUNTY_CHIEF, f"{short}书记", organs)


def city(name, short, code, prefix, counties):
    organs = [
        organ(f"{prefix}财政局党组", f"{prefix}财政局", f"{code}-F1"),
        organ(f"{prefix}教育局党组", f"{prefix}教育局", f"{code}-F2"),
        organ(
            f"中共{prefix}直机关工作委员会",
            f"{prefix}直机关工委",
            f"{code}-F3",
            kind=OrganisationKind.WORKING_COMMITTEE,
        ),
    ]
    return OrgSpec(
        name, short, code, OrganisationKind.COMMITTEE, PostLevel.BUREAU_CHIEF, f"{short}书记", organs + counties
    )


def province() -> OrgSpec:
    return OrgSpec(
        "中共山海省委员会",
        "山海省委",
        ROOT_CODE,
        OrganisationKind.COMMITTEE,
        PostLevel.PROVINCIAL,
        "省委书记",
        [
            organ("山海省财政厅党组", "省财政厅", "SH-P1", level=PostLevel.BUREAU_CHIEF),
            organ("山海省教育厅党组", "省教育厅", "SH-P2", level=PostLevel.BUREAU_CHIEF),
            city(
                "中共东州市委员会",
                "东州市委",
                "SH-01",
                "东州市",
                [
                    county("中共东安县委员会", "东安县委", "SH-01-01", "东安县"),
                    county("中共东平县委员会", "东平县委", "SH-01-02", "东平县"),
                    county("中共东阳区委员会", "东阳区委", "SH-01-03", "东阳区"),
                ],
            ),
            city(
                "中共西陵市委员会",
                "西陵市委",
                "SH-02",
                "西陵市",
                [
                    county("中共西河县委员会", "西河县委", "SH-02-01", "西河县"),
                    county("中共西山县委员会", "西山县委", "SH-02-02", "西山县"),
                    county("中共西城区委员会", "西城区委", "SH-02-03", "西城区"),
                ],
            ),
        ],
    )


# Demo accounts: username → (full name, role, department, organisation code, linked team seat).
DEMO_USERS = [
    ("admin", "系统管理员", Role.ADMIN, "", ROOT_CODE, None),
    ("office", "东州市委组织部 党建工作人员", Role.OFFICE_STAFF, "", "SH-01", None),
    ("office_county", "东安县委组织部 党建工作人员", Role.OFFICE_STAFF, "", "SH-01-01", None),
    ("secretary", None, Role.LEADER, "", "SH-01", TeamRole.SECRETARY),
    ("leader", None, Role.LEADER, "", "SH-01", TeamRole.LEADER_IN_CHARGE),
    ("member", None, Role.LEADER, "", "SH-01", TeamRole.MEMBER),
    ("inspector_org", "省委组织部 考核人员", Role.INSPECTOR, "organisation", ROOT_CODE, None),
    ("inspector_discipline", "省纪委监委 考核人员", Role.INSPECTOR, "discipline", ROOT_CODE, None),
    ("inspector_propaganda", "省委宣传部 考核人员", Role.INSPECTOR, "propaganda", ROOT_CODE, None),
    ("inspector_united_front", "省委统战部 考核人员", Role.INSPECTOR, "united_front", ROOT_CODE, None),
]


class DemoBuilder:
    def __init__(self, admin_user):
        self.by = admin_user
        self.random = random.Random(2016)
        self.used_names: set[str] = set()

    def name(self) -> str:
        while True:
            given = "".join(self.random.choice(GIVEN) for _ in range(self.random.choice((1, 2, 2))))
            full = self.random.choice(SURNAMES) + given
            if full not in self.used_names:
                self.used_names.add(full)
                return full

    def build(self, spec: OrgSpec, parent: Organisation | None) -> None:
        organisation = services.organisation_create(
            parent=parent, name=spec.name, short_name=spec.short_name, code=spec.code, kind=spec.kind, by=self.by
        )
        self.team(organisation, spec)
        for child in spec.children:
            self.build(child, organisation)

    def person(self, organisation, post, level) -> Person:
        return services.person_create(
            name=self.name(), post=post, post_level=level, home_organisation=organisation, by=self.by
        )

    def team(self, organisation: Organisation, spec: OrgSpec) -> None:
        deputy = max(spec.level - 10, PostLevel.TOWNSHIP_DEPUTY)
        start = date(self.random.choice((2021, 2022, 2023)), self.random.choice((1, 3, 6, 9)), 1)
        short = spec.short_name
        areas_pool = ["组织", "宣传", "纪检监察", "统战", "政法", "财务", "人事", "业务一处", "业务二处", "机关党建"]
        # A few teams changed secretary last year: the team on a past date differs from today's.
        if self.random.random() < 0.25:
            former = self.person(organisation, f"{short}原书记（已调任）", spec.level)
            previous = services.membership_add(
                organisation=organisation,
                person=former,
                role=TeamRole.SECRETARY,
                start_date=date(2020, 1, 1),
                by=self.by,
            )
            services.membership_end(
                membership=previous,
                version=previous.version,
                end_date=date(2025, 6, 30),
                reason="工作调动",
                by=self.by,
            )
            start = date(2025, 7, 1)
        # One organ has a vacant secretary post, which the home page flags.
        if spec.code != "SH-01-02-03":
            secretary = self.person(organisation, spec.title, spec.level)
            services.membership_add(
                organisation=organisation,
                person=secretary,
                role=TeamRole.SECRETARY,
                start_date=start,
                areas="全面工作",
                by=self.by,
            )
        in_charge = self.person(organisation, f"{short}副书记（分管党建）", deputy)
        services.membership_add(
            organisation=organisation,
            person=in_charge,
            role=TeamRole.LEADER_IN_CHARGE,
            start_date=date(2022, 1, 1),
            areas="党建、组织",
            by=self.by,
        )
        for index in range(self.random.choice((2, 3, 3, 4))):
            member = self.person(organisation, f"{short}班子成员", deputy)
            areas = "、".join(self.random.sample(areas_pool, 2))
            services.membership_add(
                organisation=organisation,
                person=member,
                role=TeamRole.MEMBER,
                start_date=date(2022, 1 + index, 1),
                areas=areas,
                by=self.by,
            )


class DemoRefused(Exception):
    """The database holds real organisations: the demo (with its known passwords) is not loaded there."""


def load_demo() -> tuple[bool, list[tuple[str, str, str]]]:
    """Create the demo once; later runs only make sure the demo accounts exist. Returns (created, accounts).

    Refused on a database that holds organisations but not the demo: a production database must
    never get accounts with the published demo password.
    """
    User = get_user_model()
    if Organisation.objects.exists() and not Organisation.objects.filter(code=ROOT_CODE).exists():
        raise DemoRefused(
            "数据库中已有非演示的组织数据：演示数据（含公开的演示密码）只能加载到空数据库或演示数据库中。"
        )
    with transaction.atomic(), pghistory.context(command="load_demo"):
        with connection.cursor() as cursor:
            # Thousands of writes in one transaction: check foreign keys at once rather than queueing
            # deferred checks that PostgreSQL would walk at the end of every statement.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        admin_user, _ = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "系统管理员"}
        )
        created = not Organisation.objects.filter(code=ROOT_CODE).exists()
        if created:
            DemoBuilder(admin_user).build(province(), None)
        demo_lists.build(admin_user)
        accounts = []
        for username, full_name, role, department, code, seat in DEMO_USERS:
            organisation = Organisation.objects.get(code=code)
            user = admin_user if username == "admin" else User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
            user.set_password(DEMO_PASSWORD)
            if seat is not None:
                # The account keeps the person it was linked to, even after the seat was ended or
                # handed over while the demo was used; a new account takes the current holder.
                person = Person.objects.filter(user=user).first() if user.pk else None
                if person is None:
                    person = (
                        Person.objects.filter(
                            memberships__organisation=organisation,
                            memberships__role=seat,
                            memberships__end_date__isnull=True,
                            user__isnull=True,
                        )
                        .order_by("pk")
                        .first()
                    )
                user.first_name = person.name if person is not None else full_name
                user.save()
                if person is not None and person.user_id is None:
                    Person.objects.filter(pk=person.pk).update(user=user)
            else:
                user.first_name = full_name
                user.save()
            if not user.assignments.active().filter(organisation=organisation, role=role).exists():
                services.assignment_grant(
                    user=user, organisation=organisation, role=role, department=department, by=admin_user
                )
            label = str(Role(role).label)
            if seat is not None:
                label = f"{label}·{TeamRole(seat).label}"
            elif department:
                label = f"{label}·{dict(Department.choices)[department]}"
            who = f"（{user.first_name}）" if seat else ""
            accounts.append((username, label, f"{organisation.name}{who}"))
        # Cases and assessments once the accounts exist (each does nothing when its data is already there).
        accountability_demo.build(admin_user)
        assessments_demo.build(admin_user)
        # What awaits each account on the 工作台, and the messages that told them.
        workbench_demo.build(admin_user)
        # 问题清单: findings of the city at 东安县委, one in every status.
        problems_demo.build(admin_user)
        # 履责纪实 at the city, signed, changed-since-signing and unsigned lists.
        duties_demo.build(admin_user)

        # 述责述廉: 东州市委's team under the province's assessment, with reports, 评议 and mass rounds.
        hearings_demo.build(admin_user)

        # The annual 主体责任 report: the city's draft, the county's submitted to its secretary.
        reports_demo.build(admin_user)
    return created, accounts
