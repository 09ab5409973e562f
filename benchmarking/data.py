"""A realistic province at scale, for benchmarks: N organisations five levels deep, full teams, one year of
lists with tasks, progress and evidence rows, three years of assessments, accountability cases, the
year's 督办 and problems (问题清单) with their measures, and the benchmark logins' notifications.

Rows are written in bulk, equal to what the services would write: the same organisation paths
treebeard computes, the same lists and items the generation copies from the template, the same
restrictions the rules compute. The tables that grow with N by the hundred thousand (organisations,
people, teams, lists, items, tasks, progress, evidence) are streamed with COPY (``bulk.loading``:
their indexes, foreign keys and triggers set aside, history rows written as the triggers would,
the task tallies recounted once); the rest goes through ``bulk_create`` and the services, with
their triggers. The same code builds every size. Deterministic for a given seed (and year).
"""

import random
import secrets
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

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
from benchmarking import bulk
from core.db import as_owner
from core.models import Notification
from responsibilities import tallies
from responsibilities.models import (
    Department,
    Evidence,
    ItemTally,
    ListItem,
    ListKind,
    Organisation,
    OrganisationKind,
    OverdueTally,
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
    TaskTally,
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


# The tables a province fills by the million, loaded in bulk (``bulk.loading``; the tallies by their recount);
# the rest goes through the ORM.
BULK_MODELS = [
    Organisation,
    Person,
    TeamMembership,
    ResponsibilityList,
    ListItem,
    Task,
    ProgressEntry,
    Evidence,
    TaskTally,
    ItemTally,
    OverdueTally,
]


def generate(organisations: int, seed: int = 2016, year: int | None = None, progress=print) -> Summary:
    rng = random.Random(seed)
    year = year or timezone.localdate().year
    summary = Summary()
    User = get_user_model()
    # Setting the tables' indexes and triggers aside needs their owner (a no-op when that is who connects).
    with as_owner(), transaction.atomic():
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
        with bulk.loading(BULK_MODELS) as load:
            orgs = _organisations(load, organisations, summary)
            progress(f"organisations: {len(orgs)}")
            people, memberships, secretaries = _teams(load, orgs, rng, summary)
            progress(f"people and teams: {len(people)}")
            lists = _lists(load, orgs, memberships, year, summary)
            progress(f"lists: {len(lists)}")
            _tasks(load, lists, year, rng, admin, summary)
            progress(f"tasks: {summary.counts['tasks']}")
            load.analyze()
            with connection.cursor() as cursor:
                # The recount groups every task once per level of its organisation: in memory where it fits.
                cursor.execute("SET LOCAL work_mem = '512MB'")
            # The tallies' statement triggers were off during the load: one recount instead.
            tallies.rebuild()
            tallies.rebuild_signing()
            progress("task tallies")
        progress("history rows, indexes and foreign keys")
        _users(orgs, secretaries, admin, summary)
        _assessments([o for o in orgs if o.depth <= 3], year, rng, admin, summary)
        progress(f"assessment schemes: {summary.counts.get('schemes', 0)}")
        _accountability(len(orgs), people, year, rng, admin, summary)
        progress(f"cases: {summary.counts.get('cases', 0)}")
        _orders(orgs, year, rng, admin, summary)
        progress(f"督办 replies: {summary.counts.get('督办 replies', 0)}")
        _problems(orgs, people, year, rng, admin, summary)
        progress(f"problems: {summary.counts.get('problems', 0)}")
        _notifications(len(orgs), year, rng, summary)
        progress(f"notifications: {summary.counts.get('notifications', 0)}")
    return summary


def _organisations(load, total: int, summary: Summary) -> list[Organisation]:
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
    for org, pk in zip(rows, load.reserve(Organisation, len(rows)), strict=True):
        org.pk = org.id = pk
        org._state.adding, org._state.db = False, connection.alias  # as if saved: the ORM part refers to them
    load.copy(
        Organisation,
        ["id", "path", "depth", "numchild", "name", "short_name", "code", "kind"],
        ((o.pk, o.path, o.depth, o.numchild, o.name, o.short_name, o.code, o.kind) for o in rows),
    )
    summary.add("organisations", len(rows))
    return rows


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


TEAM_ROLES = [TeamRole.SECRETARY, TeamRole.LEADER_IN_CHARGE] + [TeamRole.MEMBER] * 5


def _teams(load, orgs, rng, summary) -> tuple[list[tuple], list[tuple], dict[int, int]]:
    """Seven people per organisation, each a member of its team: (person id, organisation id) per
    person, (membership id, organisation id, person id, role) per membership, and each
    organisation's secretary's person id."""
    person_ids = iter(load.reserve(Person, len(orgs) * len(TEAM_ROLES)))
    people, rows = [], []
    for org in orgs:
        level = LEVEL_POST[org.depth - 1]
        for index, _role in enumerate(TEAM_ROLES):
            pk = next(person_ids)
            people.append((pk, org.pk))
            rows.append(
                (
                    pk,
                    _name(rng),
                    f"{org.short_name}{'书记' if index == 0 else '班子成员'}",
                    level if index == 0 else max(level - 10, PostLevel.TOWNSHIP_DEPUTY),
                    org.pk,
                )
            )
    load.copy(Person, ["id", "name", "post", "post_level", "home_organisation_id"], rows)
    roles = TEAM_ROLES * len(orgs)
    memberships = [
        (pk, org_id, person_id, role)
        for pk, (person_id, org_id), role in zip(load.reserve(TeamMembership, len(people)), people, roles, strict=True)
    ]
    start = date(2022, 1, 1)
    load.copy(
        TeamMembership,
        ["id", "organisation_id", "person_id", "role", "areas", "start_date"],
        ((pk, org_id, person_id, role, "党建", start) for pk, org_id, person_id, role in memberships),
    )
    secretaries = {org_id: person_id for _pk, org_id, person_id, role in memberships if role == TeamRole.SECRETARY}
    summary.add("people", len(people))
    summary.add("memberships", len(memberships))
    return people, memberships, secretaries


def _lists(load, orgs, memberships, year, summary) -> list[tuple]:
    """What lists_generate writes for every organisation: the committee list and one per team member,
    each with the template's items of its kind. Returns (list id, kind, person id, first item id, items,
    organisation's path) per list."""
    template = template_for(year)
    items_by_kind = {
        kind: list(template.items.filter(kind=kind).order_by("number").values_list("pk", "number", "title"))
        for kind in ListKind.values
    }
    # The personal lists in the order memberships are listed (organisation's path, role), as they always were.
    paths = {org.pk: org.path for org in orgs}
    members = sorted(memberships, key=lambda m: (paths[m[1]], m[3], m[0]))
    owners = [(org.pk, ListKind.COMMITTEE, None, None) for org in orgs] + [
        (org_id, ListKind.for_team_role(role), person_id, pk) for pk, org_id, person_id, role in members
    ]
    list_ids = load.reserve(ResponsibilityList, len(owners))
    load.copy(
        ResponsibilityList,
        ["id", "organisation_id", "year", "kind", "person_id", "membership_id", "template_id"],
        (
            (pk, org_id, year, kind, person_id, membership_id, template.pk)
            for pk, (org_id, kind, person_id, membership_id) in zip(list_ids, owners, strict=True)
        ),
    )
    item_ids = load.reserve(ListItem, sum(len(items_by_kind[o[1]]) for o in owners))
    lists, next_item = [], item_ids.start
    for pk, (org_id, kind, person_id, _membership_id) in zip(list_ids, owners, strict=True):
        lists.append((pk, kind, person_id, next_item, items_by_kind[kind], paths[org_id]))
        next_item += len(items_by_kind[kind])
    load.copy(
        ListItem,
        ["id", "responsibility_list_id", "template_item_id", "number", "title"],
        (
            (first + offset, pk, template_item, number, title)
            for pk, _kind, _person, first, items, _path in lists
            for offset, (template_item, number, title) in enumerate(items)
        ),
    )
    summary.add("lists", len(lists))
    summary.add("items", len(item_ids))
    return lists


STATUS_CODES = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.DONE]


def _tasks(load, lists, year, rng, admin, summary) -> None:
    """About a hundred tasks per organisation, a realistic mix of done, in progress and overdue,
    with a progress entry for each task begun and an evidence file for every third entry."""
    today = min(timezone.localdate(), date(year, 12, 31))
    count = sum(len(items) * (4 if kind == ListKind.COMMITTEE else 3) for _pk, kind, _p, _f, items, _o in lists)
    task_ids = load.reserve(Task, count)
    # What the progress entries need of each task, kept compactly: millions of tasks at N=50,000.
    statuses, completed = array("b"), array("l")

    def tasks():
        pks = iter(task_ids)
        # Lists in their default order (organisation's path, kind), items by number: the order the
        # random draws have always been made in, so a seed gives the same tasks as it always did.
        for _list, kind, person_id, first_item, items, _path in sorted(lists, key=lambda row: (row[5], row[1], row[0])):
            personal = kind != ListKind.COMMITTEE
            for offset, (_template_item, number, _title) in enumerate(items):
                for index in range(3 if personal else 4):
                    deadline = date(year, rng.randint(1, 12), rng.randint(1, 28))
                    due = deadline <= today
                    roll = rng.random()
                    if due and roll < 0.7 or not due and roll < 0.15:
                        status, completed_on = TaskStatus.DONE, min(deadline, today)
                    elif roll < 0.85:
                        status, completed_on = TaskStatus.IN_PROGRESS, None
                    else:
                        status, completed_on = TaskStatus.NOT_STARTED, None
                    statuses.append(STATUS_CODES.index(status))
                    completed.append(completed_on.toordinal() if completed_on else 0)
                    yield (
                        next(pks),
                        first_item + offset,
                        f"第{number}项具体任务{index + 1}",
                        Decimal(rng.randint(1, 12)),
                        "次",
                        deadline,
                        "有记录、有材料",
                        "按时完成",
                        person_id,
                        status,
                        completed_on,
                    )

    columns = ["id", "item_id", "title", "quantity", "unit", "deadline", "standard", "requirement"]
    load.copy(Task, [*columns, "responsible_person_id", "status", "completed_on"], tasks())
    summary.add("tasks", len(task_ids))

    not_started, done = STATUS_CODES.index(TaskStatus.NOT_STARTED), STATUS_CODES.index(TaskStatus.DONE)

    def begun():
        """(entry id, task id, status, completion day) of every task begun: one progress entry each."""
        entries = iter(entry_ids)
        for task, status, ordinal in zip(task_ids, statuses, completed, strict=True):
            if status != not_started:
                yield next(entries), task, status, ordinal

    entry_ids = load.reserve(ProgressEntry, len(statuses) - statuses.count(not_started))
    load.copy(
        ProgressEntry,
        ["id", "task_id", "date", "text", "recorded_by_id", "percent"],
        (
            (
                pk,
                task,
                date.fromordinal(ordinal) if ordinal else today,
                "已推进",
                admin.pk,
                100 if status == done else 50,
            )
            for pk, task, status, ordinal in begun()
        ),
    )
    summary.add("progress entries", len(entry_ids))
    evidence_ids = load.reserve(Evidence, (len(entry_ids) + 2) // 3)  # every third entry, from the first
    load.copy(
        Evidence,
        ["id", "task_id", "progress_entry_id", "file", "original_name", "content_type", "size", "uploaded_by_id"],
        (
            (pk, task, entry, f"evidence/bench/{entry}.pdf", "会议纪要.pdf", "application/pdf", 120_000, admin.pk)
            for pk, (entry, task, _status, _ordinal) in zip(evidence_ids, islice(begun(), 0, None, 3), strict=True)
        ),
    )
    summary.add("evidence rows", len(evidence_ids))


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
            Person.objects.filter(pk=secretaries[county.pk]).update(user=user)
    Assignment.objects.create(user=admin, organisation=root, role=Role.ADMIN)
    summary.add("users", len(specs) + 1)


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


def _accountability(org_count, people, year, rng, admin, summary) -> None:
    """Two decided cases for every five organisations with their restrictions, and early-sign
    interventions. ``people`` holds (person id, organisation id) pairs."""
    # The root was bulk-inserted (no signal): it adopts the product's default rules as a new root would.
    root = Organisation.objects.get(code=ROOT_CODE)
    adoption = accountability_services.adopt_default_for_root(root) or RuleSetAdoption.objects.get(organisation=root)
    situations = list(Situation.objects.filter(subjects__contains=["member"]))
    count = max(20, org_count * 2 // 5)
    chosen = rng.sample(people, min(count, len(people)))
    cases, facts = [], []
    for index, (person_id, org_id) in enumerate(chosen):
        facts_day = date(year - rng.randint(0, 2), rng.randint(1, 10), rng.randint(1, 28))
        facts.append(facts_day)
        cases.append(
            Case(
                number=f"BM-{index + 1:05d}",
                organisation_id=org_id,
                person_id=person_id,
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
        (Case.situations.through(case_id=case.pk, situation_id=rng.choice(situations).pk) for case in cases),
        batch_size=BATCH,
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
        (
            Decision.measures.through(decision_id=d.pk, measure_id=m.pk)
            for d, m in zip(decisions, chosen_measures, strict=True)
        ),
        batch_size=BATCH,
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
        (
            Intervention(
                organisation_id=org_id,
                person_id=person_id,
                kind="remind",
                reason="任务逾期",
                date=date(year, 6, 1),
                done_by=admin,
            )
            for person_id, org_id in chosen[: count // 2]
        ),
        batch_size=BATCH,
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
    # The measured secretary's county (the first, as in ``_users``) waits to answer its latest 督办 and
    # to accept an answer to its own latest one at every N, so that its 工作台 is measured with those
    # groups shown and its query count compares like with like across the sizes.
    county = next(org for org in orgs if org.depth == 3)
    waiting = next(reply for reply in reversed(replies) if reply.organisation.pk == county.pk)
    waiting.status, waiting.answer, waiting.return_reason = ReplyStatus.WAITING, "", ""
    waiting.answered_by = waiting.answered_at = waiting.closed_by = waiting.closed_at = None
    answered = next((reply for reply in reversed(replies) if reply.order.issuer.pk == county.pk), None)
    if answered is not None:  # a county with organisations below it
        answered.status, answered.answer, answered.return_reason = ReplyStatus.ANSWERED, "已按要求落实。", ""
        answered.answered_by, answered.answered_at = admin, answered.order.issued_at + timedelta(days=5)
        answered.closed_by = answered.closed_at = None
    SupervisionReply.objects.bulk_create(replies, batch_size=BATCH)
    summary.add("督办", len(orders))
    summary.add("督办 replies", len(replies))


def _problems(orgs, people, year, rng, admin, summary) -> None:
    """Two problems found at every organisation this year (by its parent; the root's by itself), each
    concerning one item of its committee list, with one to three rectification measures."""
    today = min(timezone.localdate(), date(year, 12, 31))
    by_path = {org.path: org for org in orgs}
    staff = {}
    for person_id, organisation_id in people:  # (pk, home organisation) as the bulk load made them
        staff.setdefault(organisation_id, []).append(person_id)
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
                    person_id=staff[org.pk][0] if n == 0 else None,
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
                    responsible_person_id=team[(n + 1) % len(team)],
                    deadline=problem.deadline,
                    standard="有记录、有材料",
                    completed_on=min(problem.found_on + timedelta(days=15), today) if done else None,
                    completed_by=admin if done else None,
                    created_by=admin,
                )
            )
    # The root's first problem is being rectified, with its first measure open, at every N: the
    # province office staff's 工作台 is measured with its 待完成的整改措施 shown (see ``_orders``).
    first = problems[0]
    if first.status not in (ProblemStatus.OPEN, ProblemStatus.RECTIFYING):
        Problem.objects.filter(pk=first.pk).update(status=ProblemStatus.RECTIFYING, closed_by=None, closed_at=None)
    measure = next(measure for measure in measures if measure.problem is first)
    measure.completed_on, measure.completed_by = None, None
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
