"""The demo loader builds a realistic slice once and can be run again safely.

The demo is loaded once for the module (it takes a while), on a fixed day of this year. The refusal
to load it next to real organisations is in ``test_refusal.py``: it needs a database without the demo.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from demo.loader import DEMO_USERS, load_demo
from responsibilities.models import Organisation, Person, ResponsibilityList, Task, TeamMembership, TeamRole
from responsibilities.selectors import lists as selectors
from tests.conftest import seed_rows
from tests.helpers import on_day

pytestmark = pytest.mark.django_db

# A fixed day late in the year: most deadlines have passed, so the demo's progress and lagging county
# show, and the demo's dated cases and interventions (up to 2026-10-31) lie in the past.
DAY = date(2026, 11, 16)
MODELS = (Organisation, Person, TeamMembership, ResponsibilityList, Task)


@pytest.fixture(scope="module")
def first_load(django_db_setup, django_db_blocker, tmp_path_factory):
    """The first load's answer and the row counts after it, in a transaction rolled back at the end
    of the module (each test's own writes roll back to a savepoint as usual). The demo's evidence
    files go to a temporary folder."""
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    noon = datetime.combine(DAY, time(12), tzinfo=ZoneInfo("Asia/Shanghai"))
    media = tmp_path_factory.mktemp("demo-media")
    with override_settings(PASSWORD_HASHERS=fast, MEDIA_ROOT=media), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            seed_rows()
            with time_machine.travel(noon):
                created, accounts = load_demo()
            yield created, accounts, [model.objects.count() for model in MODELS]
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@on_day(DAY)
def test_demo_builds_the_province_once_with_lists_and_accounts(client, first_load):
    created, accounts, counts = first_load
    again, _ = load_demo()
    assert created and not again
    assert [model.objects.count() for model in MODELS] == counts
    organisations, people, _memberships, lists, tasks = counts
    assert 35 <= organisations <= 45 and 180 <= people <= 260
    assert lists == organisations + people - Person.objects.filter(memberships__end_date__isnull=False).count()
    assert tasks > lists
    assert [row[0] for row in accounts] == [row[0] for row in DEMO_USERS]

    secretary = get_user_model().objects.get(username="secretary")
    assert TeamMembership.objects.filter(
        person__user=secretary, role=TeamRole.SECRETARY, organisation__code="SH-01", end_date__isnull=True
    ).exists()
    assert client.login(username="office", password="Demo@2026")
    # The demo shows pressure fading: one county of the city lags well behind.
    rollup = selectors.rollup(Organisation.objects.get(code="SH-01"), DAY.year, DAY)
    assert [row.organisation.code for row in rollup.rows if row.lagging] == ["SH-01-03"]


@on_day(DAY)
def test_demo_loads_again_after_a_demo_seat_was_ended(client, superuser, first_load):
    from responsibilities import services

    secretary = get_user_model().objects.get(username="secretary")
    seat = TeamMembership.objects.get(person__user=secretary, role=TeamRole.SECRETARY, end_date__isnull=True)
    services.membership_end(membership=seat, version=seat.version, end_date=DAY, reason="换届", by=superuser)
    created, accounts = load_demo()
    assert not created and [row[0] for row in accounts] == [row[0] for row in DEMO_USERS]
    # The account stays with its person (whose seat has ended) and still logs in.
    assert Person.objects.get(user=secretary).pk == seat.person_id
    assert client.login(username="secretary", password="Demo@2026")


@on_day(DAY)
def test_the_demo_has_findings_in_every_status_and_one_overdue(first_load):
    from django.utils import timezone

    from responsibilities import tallies
    from responsibilities.models import Problem, ProblemStatus

    assert set(Problem.objects.values_list("status", flat=True)) == set(ProblemStatus.values)
    assert Problem.objects.overdue_on(timezone.localdate()).count() == 1
    assert Problem.objects.filter(long_term=True, measures__milestone=True).exists()
    assert tallies.problem_discrepancies() == []


def test_the_demo_has_a_draft_annual_report_and_one_awaiting_its_secretary(first_load):
    from assessments.models import AnnualReport

    reports = dict(AnnualReport.objects.values_list("organisation__code", "status"))
    assert reports == {"SH-01": "draft", "SH-01-01": "submitted"}
    draft = AnnualReport.objects.get(organisation__code="SH-01")
    assert draft.recipient.code == "SH" and "一、责任清单制定和落实情况" in draft.body


def test_every_demo_account_has_a_populated_workbench_and_messages(client, first_load):
    from core import worklist
    from core.models import Notification

    users = {u.username: u for u in get_user_model().objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    expected = {
        "admin": "cases",
        "office": "inspections_to_confirm",
        "office_county": "lists_returned",
        "secretary": "lists_to_confirm",
        "leader": "notes",
        "member": "notes",
        "inspector_org": "cases",
        "inspector_discipline": "cases",
        "inspector_propaganda": "inspections_to_submit",
        "inspector_united_front": "inspections_to_submit",
    }
    for username, key in expected.items():
        groups = {group.key for group in worklist.todos(users[username])}
        assert key in groups, (username, groups)
        client.force_login(users[username])
        response = client.get("/")
        assert response.status_code == 200 and 'data-testid="todo-' in response.content.decode(), username
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"secretary", "office", "office_county", "leader", "member"} <= told
    assert "orders_to_answer" in {g.key for g in worklist.todos(users["office_county"])}
    assert "measures_due" in {g.key for g in worklist.todos(users["office_county"]) if g.count}
    assert "problems_to_review" in {g.key for g in worklist.todos(users["office"]) if g.count}
    assert "reports_to_draft" in {g.key for g in worklist.todos(users["office"]) if g.count}
    # The province's reminder to the city reaches its office staff and its secretary.
    for username in ("office", "secretary"):
        assert "interventions" in {g.key for g in worklist.todos(users[username])}


@on_day(DAY)
def test_the_demo_province_dashboard_has_every_section_filled(client, first_load):
    """The 驾驶舱 of 山海省 for the 纪检 inspector: every section has figures from the demo."""
    inspector = get_user_model().objects.get(username="inspector_discipline")
    client.force_login(inspector)
    response = client.get("/dashboard/")
    assert response.status_code == 200
    sections = {section.key: section for section in response.context["sections"]}
    assert list(sections) == [
        "levels",
        "committee-items",
        "personal-items",
        "months",
        "colours",
        "problems",
        "grades",
        "cases",
    ]
    levels = sections["levels"].rows
    assert (
        levels[-1][0] == "全辖区合计"
        and levels[-1][1] == Task.objects.active().filter(item__responsibility_list__year=DAY.year).count()
    )
    assert len(sections["committee-items"].rows) == 15
    assert sections["personal-items"].rows
    assert sections["problems"].rows[-1][1] > 0
    assert sections["grades"].rows[-1][1] > 0
    assert sections["cases"].rows[-1][1] > 0


@on_day(DAY)
def test_the_demo_has_duty_records_and_signed_changed_and_unsigned_lists(first_load):
    from core import worklist
    from responsibilities.models import DutyRecord
    from responsibilities.selectors import duties

    assert DutyRecord.objects.count() == 8
    assert DutyRecord.objects.filter(on_behalf=True, recorded_by__username="office").count() == 1
    assert DutyRecord.objects.filter(kind__name="谈心谈话", person__user__username="member").count() == 2
    city = Organisation.objects.get(code="SH-01")
    states = {
        rl.person.user.username: rl.signature_state for rl in duties.personal_lists(city, DAY.year) if rl.person.user
    }
    assert states == {"secretary": "signed", "leader": "changed", "member": "unsigned"}
    member = get_user_model().objects.get(username="member")
    assert "lists_to_sign" in {group.key for group in worklist.todos(member, DAY)}
