"""A realistic province at scale, for benchmarks: N organisations five levels deep, full teams, one year of
lists with tasks, progress and evidence rows, three years of assessments, accountability cases, the
year's 督办 and problems (问题清单) with their measures, and the benchmark logins' notifications.

Rows are written in bulk (``bulk_create``), equal to what the services would write: the same
organisation paths treebeard computes, the same lists and items the generation copies from the
template, the same restrictions the rules compute. History triggers record every insert as usual.
Deterministic for a given seed (and year).
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from accountability import rules as accountability_rules
from accountability import services as accountability_services
from accountability.models import (
    Case,
    Decision,
    Intervention,
    Measure,
    Restriction,
    RuleSetAdoption,
    Situation,
)
from assessments import services as assessment_services
from assessments.models import (
    DEFAULT_BANDS,
    BallotBox,
    BallotCode,
    EvaluationRound,
    GradeBand,
    Indicator,
    IndicatorScore,
    Inspection,
    Rating,
    Scheme,
    Tally,
)
from core.models import Notification
from responsibilities.models import (
    Department,
    Evidence,
    ListItem,
    ListKind,
    Organisation,
    OrganisationKind,
    Person,
    PostLevel,
    Problem,
    ProblemItem,
    ProblemSource,
    ProblemStatus,
    ProgressEntry,
    RectificationMeasure,
    ReplyStatus,
    ResponsibilityList,
    Role,
    SupervisionOrder,
    SupervisionReply,
    Task,
    TaskStatus,
    TeamMembership,
    TeamRole,
)
from responsibilities.services.lists import template_for

BATCH = 5000
ROOT_CODE = "BENCH"
LEVEL_KINDS = [
    OrganisationKind.COMMITTEE,
    OrganisationKind.COMMITTEE,
    OrganisationKind.COMMITTEE,
    OrganisationKind.LEADING_GROUP,
    OrganisationKind.BRANCH,
]
LEVEL_NAMES = ["省", "市", "县", "局", "支部"]
LEVEL_POST = [
    PostLevel.PROVINCIAL,
    PostLevel.BUREAU_CHIEF,
    PostLevel.COUNTY_CHIEF,
    PostLevel.TOWNSHIP_CHIEF,
    PostLevel.TOWNSHIP_DEPUTY,
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力志国庆海斌波宁俊峰雪梅琳晨立新"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def step(position: int) -> str:
    """treebeard's path step for the n-th child (1-based): four base-36 digits."""
    digits = ""
    while position:
        position, rest = divmod(position, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def branching(total: int) -> int:
    """Children per node on levels 2–4 so that five levels hold about ``total`` organisations."""
    k = 1
    while 1 + (k + 1) + (k + 1) ** 2 + (k + 1) ** 3 < total * 0.4:
        k += 1
    return k


@dataclass
class Summary:
    counts: dict = field(default_factory=dict)

    def add(self, name, number):
        self.counts[name] = self.counts.get(name, 0) + number


def generate(organisations: int, seed: int = 2016, year: int | None = None, progress=print) -> Summary:
    rng = random.Random(seed)
    year = year or timezone.localdate().year
    summary = Summary()
    User = get_user_model()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED. Deferred checks queue up until
            # commit, and PostgreSQL walks that queue at the end of every statement: with hundreds of
            # thousands of rows in one transaction the load turns quadratic. Checking at once keeps
            # every batch as fast as the first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if Organisation.objects.filter(code=ROOT_CODE).exists():
            raise ValueError("benchmark data already present (organisation code BENCH)")
        admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_superuser": True, "is_staff": True, "first_name": "基准测试管理员"}
        )
        orgs = _organisations(organisations, summary)
        progress(f"organisations: {len(orgs)}")
        people, secretaries = _teams(orgs, rng, summary)
        progress(f"people and teams: {len(people)}")
        _users(orgs, secretaries, admin, summary)
        lists = _lists(orgs, year, summary)
        progress(f"lists: {len(lists)}")
        _tasks(lists, year, rng, admin, summary)
        progress(f"tasks: {summary.counts['tasks']}")
        _assessments(orgs, year, rng, admin, summary)
        progress(f"assessment schemes: {summary.counts.get('schemes', 0)}")
        _accountability(orgs, people, year, rng, admin, summary)
        progress(f"cases: {summary.counts.get('cases', 0)}")
        _orders(orgs, year, rng, admin, summary)
        progress(f"督办 replies: {summary.counts.get('督办 replies', 0)}")
        _problems(orgs, people, year, rng, admin, summary)
        progress(f"problems: {summary.counts.get('problems', 0)}")
        _notifications(len(orgs), year, rng, summary)
        progress(f"notifications: {summary.counts.get('notifications', 0)}")
    return summary


def _organisations(total: int, summary: Summary) -> list[Organisation]:
    k = branching(total)
    rows = [
        Organisation(
            path=step(1),
            depth=1,
            numchild=0,
            name="基准测试省委",
            short_name="基准省委",
            code=ROOT_CODE,
            kind=OrganisationKind.COMMITTEE,
        )
    ]
    levels = [[rows[0]]]
    for depth in range(2, 5):
        level = []
        for parent in levels[-1]:
            for position in range(1, k + 1):
                code = f"{parent.code}-{position:02d}"
                level.append(
                    Organisation(
                        path=parent.path + step(position),
                        depth=depth,
                        numchild=0,
                        name=f"{parent.short_name}{LEVEL_NAMES[depth - 1]}{position}",
                        short_name=f"{LEVEL_NAMES[depth - 1]}{code[-5:]}",
                        code=code,
                        kind=LEVEL_KINDS[depth - 1],
                    )
                )
            parent.numchild = k
        levels.append(level)
        rows += level
    remaining = total - len(rows)
    leaves = levels[-1]
    counters = {}
    for index in range(max(0, remaining)):
        parent = leaves[index % len(leaves)]
        position = counters.get(parent.path, 0) + 1
        counters[parent.path] = position
        parent.numchild = position
        rows.append(
            Organisation(
                path=parent.path + step(position),
                depth=5,
                numchild=0,
                name=f"{parent.name}第{position}党支部",
                short_name=f"支部{position}",
                code=f"{parent.code}-B{position:02d}",
                kind=OrganisationKind.BRANCH,
            )
        )
    created = Organisation.objects.bulk_create(rows, batch_size=BATCH)
    summary.add("organisations", len(created))
    return created


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _teams(orgs, rng, summary) -> tuple[list[Person], dict[int, Person]]:
    people, memberships, secretaries = [], [], {}
    roles = [TeamRole.SECRETARY, TeamRole.LEADER_IN_CHARGE] + [TeamRole.MEMBER] * 5
    for org in orgs:
        level = LEVEL_POST[org.depth - 1]
        for index, role in enumerate(roles):
            person = Person(
                name=_name(rng),
                post=f"{org.short_name}{'书记' if index == 0 else '班子成员'}",
                post_level=level if index == 0 else max(level - 10, PostLevel.TOWNSHIP_DEPUTY),
                home_organisation=org,
            )
            people.append((org, role, person))
    created = Person.objects.bulk_create([p for _o, _r, p in people], batch_size=BATCH)
    for (org, role, _p), person in zip(people, created, strict=True):
        memberships.append(
            TeamMembership(organisation=org, person=person, role=role, areas="党建", start_date=date(2022, 1, 1))
        )
        if role == TeamRole.SECRETARY:
            secretaries[org.pk] = person
    TeamMembership.objects.bulk_create(memberships, batch_size=BATCH)
    summary.add("people", len(created))
    summary.add("memberships", len(memberships))
    return created, secretaries


def _users(orgs, secretaries, admin, summary) -> None:
    """One login per role at the root, a city and a county, for the benchmark and the load test."""
    from responsibilities.models import Assignment

    User = get_user_model()
    root, city, county = orgs[0], orgs[1], next(o for o in orgs if o.depth == 3)
    specs = [
        ("bench-office", root, Role.OFFICE_STAFF, ""),
        ("bench-city-office", city, Role.OFFICE_STAFF, ""),
        ("bench-county-office", county, Role.OFFICE_STAFF, ""),
        ("bench-inspector", root, Role.INSPECTOR, Department.ORGANISATION),
        ("bench-discipline", root, Role.INSPECTOR, Department.DISCIPLINE),
        ("bench-secretary", county, Role.LEADER, ""),
    ]
    for username, org, role, department in specs:
        user = User.objects.create_user(username=username, password="Bench@2026")
        Assignment.objects.create(user=user, organisation=org, role=role, department=department)
        if username == "bench-secretary":
            Person.objects.filter(pk=secretaries[county.pk].pk).update(user=user)
    Assignment.objects.create(user=admin, organisation=root, role=Role.ADMIN)
    summary.add("users", len(specs) + 1)


def _lists(orgs, year, summary) -> list[ResponsibilityList]:
    """What lists_generate writes for every organisation: the committee list and one per team member."""
    template = template_for(year)
    items_by_kind = {kind: list(template.items.filter(kind=kind).order_by("number")) for kind in ListKind.values}
    lists = [
        ResponsibilityList(organisation=org, year=year, kind=ListKind.COMMITTEE, template=template) for org in orgs
    ]
    for membership in TeamMembership.objects.filter(organisation__in=orgs).only(
        "pk", "organisation_id", "person_id", "role"
    ):
        lists.append(
            ResponsibilityList(
                organisation_id=membership.organisation_id,
                year=year,
                kind=ListKind.for_team_role(membership.role),
                person_id=membership.person_id,
                membership_id=membership.pk,
                template=template,
            )
        )
    created = ResponsibilityList.objects.bulk_create(lists, batch_size=BATCH)
    items = [
        ListItem(responsibility_list=rl, template_item=ti, number=ti.number, title=ti.title)
        for rl in created
        for ti in items_by_kind[rl.kind]
    ]
    ListItem.objects.bulk_create(items, batch_size=BATCH)
    summary.add("lists", len(created))
    summary.add("items", len(items))
    return created


def _tasks(lists, year, rng, admin, summary) -> None:
    """About a hundred tasks per organisation, a realistic mix of done, in progress and overdue."""
    today = min(timezone.localdate(), date(year, 12, 31))
    items = (
        ListItem.objects.filter(responsibility_list__in=lists)
        .select_related("responsibility_list")
        .only("pk", "number", "responsibility_list__kind", "responsibility_list__person_id")
    )
    tasks = []
    for item in items:
        personal = item.responsibility_list.kind != ListKind.COMMITTEE
        for index in range(3 if personal else 4):
            deadline = date(year, rng.randint(1, 12), rng.randint(1, 28))
            due = deadline <= today
            roll = rng.random()
            if due and roll < 0.7 or not due and roll < 0.15:
                status, completed = TaskStatus.DONE, min(deadline, today)
            elif roll < 0.85:
                status, completed = TaskStatus.IN_PROGRESS, None
            else:
                status, completed = TaskStatus.NOT_STARTED, None
            tasks.append(
                Task(
                    item=item,
                    title=f"第{item.number}项具体任务{index + 1}",
                    quantity=Decimal(rng.randint(1, 12)),
                    unit="次",
                    deadline=deadline,
                    standard="有记录、有材料",
                    requirement="按时完成",
                    responsible_person_id=item.responsibility_list.person_id,
                    status=status,
                    completed_on=completed,
                )
            )
    created = Task.objects.bulk_create(tasks, batch_size=BATCH)
    summary.add("tasks", len(created))
    entries = [
        ProgressEntry(
            task=task,
            date=task.completed_on or today,
            text="已推进",
            recorded_by=admin,
            percent=100 if task.status == TaskStatus.DONE else 50,
        )
        for task in created
        if task.status != TaskStatus.NOT_STARTED
    ]
    entries = ProgressEntry.objects.bulk_create(entries, batch_size=BATCH)
    summary.add("progress entries", len(entries))
    evidence = [
        Evidence(
            task_id=entry.task_id,
            progress_entry=entry,
            file=f"evidence/bench/{entry.pk}.pdf",
            original_name="会议纪要.pdf",
            content_type="application/pdf",
            size=120_000,
            uploaded_by=admin,
        )
        for entry in entries[::3]
    ]
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    summary.add("evidence rows", len(evidence))


def _assessments(orgs, year, rng, admin, summary) -> None:
    """Three years of annual schemes: the root assesses the cities, each city its counties."""
    assessors = [o for o in orgs if o.depth <= 2]
    for scheme_year in (year - 2, year - 1, year):
        for assessor in assessors:
            targets = [o for o in orgs if o.depth == assessor.depth + 1 and o.path.startswith(assessor.path)]
            if len(targets) < 2:
                continue
            scheme = Scheme.objects.create(
                assessor=assessor,
                year=scheme_year,
                kind="annual",
                name=f"{assessor.short_name}{scheme_year}年度考核",
                party_building_weight=Decimal(25),
                weight_routine=Decimal(30),
                weight_annual=Decimal(50),
                weight_mass=Decimal(20),
                team_top_quota=Decimal(30),
                leader_top_quota=Decimal(30),
                secretary_org_weight=Decimal(70),
                created_by=admin,
            )
            scheme.targets.set(targets)
            GradeBand.objects.bulk_create(
                GradeBand(scheme=scheme, subject=subject, grade=grade, label=label, min_score=minimum)
                for subject, bands in DEFAULT_BANDS.items()
                for grade, label, minimum in bands
            )
            indicators = Indicator.objects.bulk_create(
                Indicator(
                    scheme=scheme,
                    department=dept,
                    title=f"{label}指标{n}",
                    max_score=Decimal(10),
                    quantity=Decimal(2),
                    unit="次",
                    deadline=date(scheme_year, 12, 31),
                    standard="有记录",
                    deduction_per_shortfall=Decimal(2),
                    bonus_cap=Decimal(1),
                )
                for dept, label in Department.choices
                for n in range(1, 3)
            )
            _inspections(scheme, targets, indicators, scheme_year, rng, admin, summary)
            _rounds(scheme, targets, scheme_year, rng, admin, summary)
            assessment_services.results_compute(scheme=scheme, by=admin)
            summary.add("schemes", 1)


def _inspections(scheme, targets, indicators, scheme_year, rng, admin, summary) -> None:
    day = date(scheme_year, 12, 1) if scheme_year < timezone.localdate().year else timezone.localdate()
    inspections = Inspection.objects.bulk_create(
        Inspection(
            scheme=scheme,
            organisation=target,
            department=dept,
            kind=kind,
            date=day,
            inspector=admin,
            status="confirmed",
            confirmed_by=admin,
            confirmed_at=timezone.now(),
        )
        for target in targets
        for dept in Department.values
        for kind in ("annual", "routine")
    )
    scores = []
    for inspection in inspections:
        for indicator in indicators:
            if indicator.department == inspection.department:
                deducted = Decimal(2 * rng.randint(0, 2))
                scores.append(
                    IndicatorScore(
                        inspection=inspection,
                        indicator=indicator,
                        bonus=Decimal(0),
                        score=indicator.max_score - deducted,
                    )
                )
    IndicatorScore.objects.bulk_create(scores, batch_size=BATCH)
    summary.add("inspections", len(inspections))
    summary.add("scores", len(scores))


def _rounds(scheme, targets, scheme_year, rng, admin, summary) -> None:
    questions = ["落实主体责任情况", "作风建设情况"]
    opens = date(scheme_year, 11, 1)
    for target in targets:
        evaluation = EvaluationRound.objects.create(
            scheme=scheme,
            organisation=target,
            subject="organisation",
            questions=questions,
            issued=30,
            quorum_percent=Decimal(60),
            opens_on=opens,
            closes_on=opens + timedelta(days=14),
            created_by=admin,
            closed_at=timezone.now(),
            closed_by=admin,
        )
        voted = rng.randint(15, 30)
        digests = sorted(secrets.token_hex(32) for _ in range(30))  # stands in for the codes' hashes
        BallotCode.objects.bulk_create(BallotCode(round=evaluation, digest=digest) for digest in digests)
        BallotBox.objects.create(round=evaluation, cast=voted, spent=sorted(digests[:voted]))
        tallies = []
        for question in range(len(questions)):
            split = [rng.randint(0, voted) for _ in range(3)]
            split = sorted(split)
            counts = [split[0], split[1] - split[0], split[2] - split[1], voted - split[2]]
            tallies += [
                Tally(round=evaluation, question=question, rating=rating, count=count)
                for rating, count in zip(Rating.values, counts, strict=True)
            ]
        Tally.objects.bulk_create(tallies)
        summary.add("ballot codes", 30)


def _accountability(orgs, people, year, rng, admin, summary) -> None:
    """About two thousand decided cases with their restrictions, and early-sign interventions."""
    # The root was bulk-inserted (no signal): it adopts the product's default rules as a new root would.
    adoption = accountability_services.adopt_default_for_root(orgs[0]) or RuleSetAdoption.objects.get(
        organisation=orgs[0]
    )
    situations = list(Situation.objects.filter(subjects__contains=["member"]))
    count = min(2000, max(20, len(orgs) * 2 // 5))
    chosen = rng.sample(people, min(count, len(people)))
    cases, facts = [], []
    for index, person in enumerate(chosen):
        facts_day = date(year - rng.randint(0, 2), rng.randint(1, 10), rng.randint(1, 28))
        facts.append(facts_day)
        cases.append(
            Case(
                number=f"BM-{index + 1:05d}",
                organisation_id=person.home_organisation_id,
                person=person,
                subject="member",
                responsibility="individual",
                facts="基准测试数据",
                facts_date=facts_day,
                severity="serious",
                status="decided",
                filed_on=facts_day,
                filed_by=admin,
            )
        )
    cases = Case.objects.bulk_create(cases, batch_size=BATCH)
    Case.situations.through.objects.bulk_create(
        Case.situations.through(case_id=case.pk, situation_id=rng.choice(situations).pk) for case in cases
    )
    measures_by_set = {}
    decisions, chosen_measures = [], []
    for case, facts_day in zip(cases, facts, strict=True):
        decided = min(facts_day + timedelta(days=30), timezone.localdate())
        rule_set = adoption.rule_set
        if rule_set.pk not in measures_by_set:
            measures_by_set[rule_set.pk] = list(
                Measure.objects.filter(
                    rule_set=rule_set, category="accountability", for_individuals=True
                ).prefetch_related("consequences")
            )
        measure = rng.choice(measures_by_set[rule_set.pk])
        decisions.append(
            Decision(
                case=case,
                rule_set=rule_set,
                adoption=adoption,
                decided_on=decided,
                deciding_body="纪委",
                decided_by=admin,
            )
        )
        chosen_measures.append(measure)
    decisions = Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Decision.measures.through.objects.bulk_create(
        Decision.measures.through(decision_id=d.pk, measure_id=m.pk)
        for d, m in zip(decisions, chosen_measures, strict=True)
    )
    restrictions = []
    for decision, measure, case in zip(decisions, chosen_measures, cases, strict=True):
        for consequence in measure.consequences.all():
            period = accountability_rules.period_for(consequence.kind, decision.decided_on, consequence.months)
            restrictions.append(
                Restriction(
                    person_id=case.person_id,
                    decision=decision,
                    consequence=consequence,
                    kind=period.kind,
                    starts_on=period.starts_on,
                    ends_on=period.ends_on,
                )
            )
    Restriction.objects.bulk_create(restrictions, batch_size=BATCH)
    Intervention.objects.bulk_create(
        Intervention(
            organisation_id=p.home_organisation_id,
            person=p,
            kind="remind",
            reason="任务逾期",
            date=date(year, 6, 1),
            done_by=admin,
        )
        for p in chosen[: count // 2]
    )
    summary.add("cases", len(cases))
    summary.add("restrictions", len(restrictions))


def _moment(day: date, rng) -> datetime:
    """A time of the working day on ``day``, aware in the site's zone."""
    naive = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59))
    return timezone.make_aware(naive)


def _day_of(year: int, rng, last: date) -> date:
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randint(0, max(0, (last - start).days)))


def _orders(orgs, year, rng, admin, summary) -> None:
    """The year's 督办: every organisation above the bureaus issues three to all its children (about
    three thousand replies at N = 5,000), answered, returned, closed or still waiting as time allows."""
    today = min(timezone.localdate(), date(year, 12, 31))
    children = {}
    for org in orgs:
        if org.depth > 1:
            children.setdefault(org.path[:-4], []).append(org)
    issuers = [org for org in orgs if org.depth <= 3 and children.get(org.path)]
    orders = []
    for issuer in issuers:
        for n in range(3):
            issued = _day_of(year, rng, today)
            orders.append(
                SupervisionOrder(
                    issuer=issuer,
                    title=f"关于{issuer.short_name}第{n + 1}批任务落实情况的督办",
                    subject=rng.choice(("tasks", "problem", "other")),
                    text="请按要求落实并及时反馈。",
                    reply_by=issued + timedelta(days=rng.randint(10, 30)),
                    issued_by=admin,
                    issued_at=_moment(issued, rng),
                )
            )
    orders = SupervisionOrder.objects.bulk_create(orders, batch_size=BATCH)
    replies = []
    for order in orders:
        for recipient in children[order.issuer.path]:
            roll = rng.random()
            due = order.reply_by < today
            if due and roll < 0.6 or not due and roll < 0.1:
                status = ReplyStatus.CLOSED
            elif roll < 0.8:
                status = ReplyStatus.ANSWERED
            elif roll < 0.9 and due:
                status = ReplyStatus.RETURNED
            else:
                status = ReplyStatus.WAITING
            answered = status != ReplyStatus.WAITING
            replies.append(
                SupervisionReply(
                    order=order,
                    organisation=recipient,
                    status=status,
                    answer="已按要求落实。" if answered else "",
                    answered_by=admin if answered else None,
                    answered_at=order.issued_at + timedelta(days=5) if answered else None,
                    return_reason="材料不全，请补充。" if status == ReplyStatus.RETURNED else "",
                    closed_by=admin if status == ReplyStatus.CLOSED else None,
                    closed_at=order.issued_at + timedelta(days=8) if status == ReplyStatus.CLOSED else None,
                )
            )
    SupervisionReply.objects.bulk_create(replies, batch_size=BATCH)
    summary.add("督办", len(orders))
    summary.add("督办 replies", len(replies))


def _problems(orgs, people, year, rng, admin, summary) -> None:
    """Two problems found at every organisation this year (by its parent; the root's by itself), each
    concerning one item of its committee list, with one to three rectification measures."""
    today = min(timezone.localdate(), date(year, 12, 31))
    by_path = {org.path: org for org in orgs}
    staff = {}
    for person in people:
        staff.setdefault(person.home_organisation_id, []).append(person)
    first_item = dict(
        ListItem.objects.filter(responsibility_list__year=year, responsibility_list__kind=ListKind.COMMITTEE)
        .order_by("responsibility_list__organisation_id", "number")
        .distinct("responsibility_list__organisation_id")
        .values_list("responsibility_list__organisation_id", "pk")
    )
    sources = [source for source in ProblemSource.values if source != ProblemSource.SUPERVISION]
    problems = []
    for org in orgs:
        for n in range(2):
            found = _day_of(year, rng, today)
            roll = rng.random()
            status = (
                ProblemStatus.CLOSED
                if roll < 0.5
                else ProblemStatus.RECTIFYING
                if roll < 0.7
                else ProblemStatus.REVIEW
                if roll < 0.85
                else ProblemStatus.OPEN
            )
            closed = status == ProblemStatus.CLOSED
            problems.append(
                Problem(
                    organisation=org,
                    person=staff[org.pk][0] if n == 0 else None,
                    found_by=by_path.get(org.path[:-4], org),
                    source=rng.choice(sources),
                    title=f"{org.short_name}第{n + 1}个问题：会议记录不完整",
                    description="检查发现相关记录不完整，需整改。",
                    found_on=found,
                    deadline=found + timedelta(days=rng.randint(30, 120)),
                    status=status,
                    closed_by=admin if closed else None,
                    closed_at=_moment(min(found + timedelta(days=20), today), rng) if closed else None,
                    recorded_by=admin,
                    recorded_at=_moment(found, rng),
                )
            )
    problems = Problem.objects.bulk_create(problems, batch_size=BATCH)
    ProblemItem.objects.bulk_create(
        [
            ProblemItem(problem_id=problem.pk, listitem_id=first_item[problem.organisation_id])
            for problem in problems
            if problem.organisation_id in first_item
        ],
        batch_size=BATCH,
    )
    measures = []
    for problem in problems:
        team = staff[problem.organisation_id]
        for n in range(rng.randint(1, 3)):
            done = (
                problem.status == ProblemStatus.CLOSED or problem.status == ProblemStatus.REVIEW or rng.random() < 0.3
            )
            measures.append(
                RectificationMeasure(
                    problem=problem,
                    text=f"整改措施{n + 1}：补齐记录并建立台账",
                    responsible_person=team[(n + 1) % len(team)],
                    deadline=problem.deadline,
                    standard="有记录、有材料",
                    completed_on=min(problem.found_on + timedelta(days=15), today) if done else None,
                    completed_by=admin if done else None,
                    created_by=admin,
                )
            )
    RectificationMeasure.objects.bulk_create(measures, batch_size=BATCH)
    summary.add("problems", len(problems))
    summary.add("rectification measures", len(measures))


NOTIFIED = [
    ("task_due", "任务“第3项具体任务1”将于近期到期（{org}）。", "/my/checklist/"),
    ("task_overdue", "任务“第2项具体任务2”已逾期（{org}）。", "/my/checklist/"),
    ("order_answered", "{org}已反馈督办。", "/supervision/"),
    ("order_overdue", "{org}督办逾期未反馈。", "/supervision/"),
    ("problem_submitted", "{org}的问题整改待复核。", "/problems/"),
    ("list_submitted", "{org}的责任清单已提交，待确认。", "/"),
]


def _notifications(organisations: int, year, rng, summary) -> None:
    """A year of the 消息中心 for the benchmark's logins: the province's office staff is the busy one
    (two per organisation: 10,000 at N = 5,000, a third unread), the others a tenth of that."""
    User = get_user_model()
    now = timezone.now()
    start = timezone.make_aware(datetime(year, 1, 1, 8, 0))
    span = max(1, int((now - start).total_seconds()))
    names = [f"{level}{n}" for level in ("市", "县", "局") for n in range(1, 13)]
    rows = []
    for user in User.objects.filter(username__startswith="bench-").order_by("username"):
        count = organisations * 2 if user.username == "bench-office" else organisations // 5
        for n in range(count):
            event, text, url = rng.choice(NOTIFIED)
            created = start + timedelta(seconds=rng.randint(0, span))
            rows.append(
                Notification(
                    recipient=user,
                    event=event,
                    text=text.format(org=rng.choice(names)),
                    url=url,
                    key=f"bench:{n}",
                    created_at=created,
                    read_at=created + timedelta(hours=4) if rng.random() < 0.67 else None,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=BATCH)
    summary.add("notifications", len(rows))
