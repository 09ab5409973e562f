"""The permission matrix: every URL of the URLconf × role × scope × GET and POST against a declared policy.

How to read it
--------------
``POLICIES`` (the table below) declares, for every URL name, how to build the URL for a target in each
scope, the payload of a POST, and the outcome each role must get. The test walks ``get_resolver()``
recursively: a URL name with no policy fails (with its name), and so does a policy whose URL is gone.
Django's admin and the language switch are exempt, each with its reason, in ``EXEMPT``. A new URL is
added to the table with the rule it should follow (``EVERYONE``, ``STAFF_ONLY``, ``CASE_PAGE``, …).

Charts (the roll-up bar chart on an organisation, the results line chart, whose JSON is searched for
leaked names too), exports (ledger, roll-up, screening, results, import template), the evidence download
and search (organisation tree, people, cases, schemes, early warning) are rows of the table like any page.

The world (built once for the module, inside a transaction rolled back at the end)::

    N  矩阵上级党委 (MXN)       assesses P, so that "parent" has assessment records too
    └── P  矩阵省委 (MXP)       ← parent
        ├── C  矩阵市委 (MXC)   ← own: every role below is assigned here
        │   └── K  矩阵县委 (MXK)   ← child
        │       └── Q  (MXQ)        recipient of K's issued task
        └── S  矩阵兄弟市委 (MXS)   ← sibling
            └── T  (MXT)            recipient of S's issued task

Each of P, C, K and S has a team (a secretary and a member), a committee list and the member's personal
list (submitted), a task (overdue, the member responsible) with evidence, an issued task, a roll-over
job, a decided case about the member with an intervention, and in assessments the scheme that assesses
it (its indicator, its inspection, its round and its result). The scheme "about" C is P's annual scheme,
which also assesses S: C sees its own records in it but not its peer's; "about" S for the scheme pages is
a P special scheme that assesses S alone. C's member is the leader below, so "own" also exercises the
rules for one's own list, task and decided case.

Roles (all assigned at C): office staff, administrator, a leader (C's member), C's secretary (a leader
too), an inspector of each department, the superuser, and anonymous.

Outcomes
--------
``ok``       200, or a redirect that is not to the login page; for a POST also 400/409 (a refused
             payload is fine: the permission was granted)
``shown``    ok, and the policy's marker (a name or number of the scope's record) is on the page
``hidden``   ok, and the marker is not on the page (lists, search, panels, peers in a scheme)
``login``    302 to the login page
``404``      out of scope, or a record the role may not open at all: always 404, never 403
``403``      only where the view or its service refuses an action on a record the role may read
             (each such case says why in ``why``)
``400``      a form refuses a choice outside the user's scope (the choice is not even offered)
``405``      method not allowed
``unchanged`` any status but 500, and no business or history row written

Every request runs inside a savepoint that is rolled back, so one request never changes the next. Each
POST whose expected outcome is a refusal must write nothing: no row inserted, updated or deleted in any
table of the three apps (many-to-many tables included) or of pghistory (history events and their
context). That is read from PostgreSQL's per-transaction counters, which is stricter than comparing row
counts (it also sees updates) and far cheaper. No request may answer 500.

A permission bug found by the matrix is recorded in ``KNOWN_BUGS`` with what happens instead, rather
than by loosening a policy; the test fails when a recorded bug no longer happens (remove the entry).
"""

import json
import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accountability import services as accountability_services
from accountability.models import Measure, Restriction, RuleSet, Situation
from assessments import services as assessment_services
from assessments.models import AnnualReport, HearingFile, HearingReport, Result, slip_codes
from core.history import HISTORY_MODELS
from core.models import Notification
from responsibilities import services
from responsibilities.jobs import start_rollover
from responsibilities.models import (
    Department,
    DutyKind,
    ListKind,
    ListTemplateVersion,
    MeasureEvidence,
    MeasureProgress,
    OrganisationKind,
    Problem,
    RectificationMeasure,
    ReplyFile,
    ResponsibilityList,
    Role,
    SupervisionNote,
    TeamRole,
)
from responsibilities.services import duties as duty_services
from responsibilities.services import orders as order_services
from responsibilities.services import problems as problem_services
from tests.accountability.factories import decide, file_case
from tests.assessments.conftest import add_indicator
from tests.conftest import make_user, seed_rows
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR, add_task, pdf

pytestmark = pytest.mark.django_db

# ---- Roles, scopes and outcomes --------------------------------------------------------------------

ANONYMOUS, OFFICE, ADMIN, LEADER, SECRETARY = "anonymous", "office", "admin", "leader", "secretary"
SUPERUSER = "superuser"
INSPECTOR = {dept: f"inspector_{dept}" for dept in Department.values}  # organisation, discipline, propaganda, …
ROLES = (ANONYMOUS, OFFICE, ADMIN, LEADER, SECRETARY, *INSPECTOR.values(), SUPERUSER)
ASSIGNED = frozenset(ROLES) - {ANONYMOUS, SUPERUSER}
STAFF = frozenset({OFFICE, ADMIN})
LEADERS = frozenset({LEADER, SECRETARY})
INSPECTORS = frozenset(INSPECTOR.values())
# Confidential accountability pages: 纪检 and 组织 inspectors and administrators (README “Confidentiality”).
CASE_HANDLERS = frozenset({ADMIN, INSPECTOR["organisation"], INSPECTOR["discipline"]})

OWN, CHILD, PARENT, SIBLING = "own", "child", "parent", "sibling"
SCOPES = (OWN, CHILD, PARENT, SIBLING)
OUTSIDE = {PARENT, SIBLING}

OK, SHOWN, HIDDEN, LOGIN = "ok", "shown", "hidden", "login"
NOT_FOUND, FORBIDDEN, INVALID, NOT_ALLOWED, UNCHANGED = "404", "403", "400", "405", "unchanged"
REFUSALS = {LOGIN, NOT_FOUND, FORBIDDEN, INVALID, NOT_ALLOWED, UNCHANGED}


def at(roles, *scopes) -> set[str]:
    """Role specs limited to scopes: at({OFFICE}, CHILD) == {"office@child"}."""
    return {f"{role}@{scope}" for role in ([roles] if isinstance(roles, str) else roles) for scope in scopes}


class Rule:
    """The expected outcome of one method for every (role, scope).

    ``ok`` holds roles ("office") or role specs ("leader@own"). A granted role gets ``granted`` inside
    its scope (own, child, or an unscoped URL) and ``outside`` for parent and sibling targets (records
    there are invisible: 404). A role not granted gets ``inside``, or 403 when listed in ``forbidden``
    (it may read the record but not do this). With ``role_first`` the role is checked before the
    target: a role not granted gets ``inside`` whatever the scope. ``special`` pins single specs.
    """

    def __init__(
        self,
        ok=(),
        *,
        granted=OK,
        inside=NOT_FOUND,
        outside=NOT_FOUND,
        forbidden=(),
        role_first=False,
        superuser=OK,
        anonymous=LOGIN,
        special=None,
    ):
        self.ok, self.forbidden = frozenset(ok), frozenset(forbidden)
        self.granted, self.inside, self.outside = granted, inside, outside
        self.role_first, self.superuser, self.anonymous = role_first, superuser, anonymous
        self.special = special or {}

    def __call__(self, role: str, scope: str | None) -> str:
        spec = f"{role}@{scope}"
        if spec in self.special:
            return self.special[spec]
        if role == ANONYMOUS:
            return self.anonymous
        if role == SUPERUSER:
            return self.superuser
        if spec in self.ok:
            return self.granted
        granted, outside = role in self.ok, scope in OUTSIDE
        if self.role_first and not granted:
            return self.inside
        if outside:
            return self.outside
        if granted:
            return self.granted
        if role in self.forbidden or spec in self.forbidden:
            return FORBIDDEN
        return self.inside


METHOD_NOT_ALLOWED = Rule(inside=NOT_ALLOWED, superuser=NOT_ALLOWED, role_first=True)
PUBLIC = Rule(ASSIGNED, anonymous=OK)
EVERYONE = Rule(ASSIGNED)  # every logged-in user; on a record: every role that reads its scope
STAFF_ONLY = Rule(STAFF)  # office staff and administrators change their subtree; others: 404
SUPERUSER_ONLY = Rule(inside=FORBIDDEN, role_first=True)
MEMBER_LIST = Rule(STAFF | INSPECTORS | at(LEADERS, OWN))  # a member never sees another member's list
CASE_PAGE = Rule(CASE_HANDLERS | at(LEADER, OWN))  # … and the person sees his or her own decided case
MANAGES_CHILD_SCHEME = Rule(at(STAFF, CHILD))  # C's office manages C's scheme, not P's scheme about C
# A mass-evaluation round: every reader of its scope, except the people evaluated (C's team, for the
# round of C's team): they never see their own round.
ROUND_PAGE = Rule(ASSIGNED, special={"leader@own": NOT_FOUND, "secretary@own": NOT_FOUND})


# Django's admin: staff accounts only (others are sent to the admin's login page), and through the door.
ADMIN_SITE = Rule({ADMIN}, inside=LOGIN, role_first=True)


def admin_listed() -> Rule:
    """An admin page of a record (or a changelist): C's administrator sees his subtree's records only."""
    return Rule({ADMIN}, granted=SHOWN, inside=LOGIN, outside=HIDDEN, role_first=True, superuser=SHOWN)


ADMIN_PERMISSIONS = [
    "view_restriction",
    "view_user",
    "change_user",
    "view_assignment",
    "add_assignment",
    "change_assignment",
    "view_organisation",
    "view_person",
]


def raise_powers(account) -> dict:
    """The user change form, posted with every power ticked."""
    from django.contrib.auth.models import Permission

    return {
        "username": account.username,
        "is_active": "on",
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)),
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
    }


def listed(ok=ASSIGNED, **kwargs) -> Rule:
    """A list or search every user opens; the scope's record is shown to ``ok`` and hidden from others."""
    return Rule(ok, granted=SHOWN, inside=HIDDEN, outside=HIDDEN, superuser=SHOWN, **kwargs)


# ---- The policies -----------------------------------------------------------------------------------


@dataclass
class Policy:
    get: Rule
    post: Rule | None = METHOD_NOT_ALLOWED  # None: not checked again in a second variant
    args: object = None  # (world, scope) -> reverse() args
    query: object = None  # (world, scope) -> query string
    data: object = None  # (world, scope, role) -> POST data
    marker: object = None  # (world, scope) -> text that ``shown``/``hidden`` look for (None: no check)
    variant: str = ""
    scoped: bool | str = True  # the URL names a target in each scope; "post": only the POST data does
    why: str = ""  # every 403 and every other non-obvious outcome is explained here


def pk(kind):
    return lambda w, s: [getattr(w, kind)[s].pk]


def name_of(kind, attribute="name"):
    return lambda w, s: getattr(getattr(w, kind)[s], attribute)


def duty_payload(w, s) -> dict:
    return {
        "date": str(date(THIS_YEAR - 1, 6, 30)),  # the world's lists are last year's
        "kind": DutyKind.objects.get(name="谈心谈话").pk,
        "content": "矩阵谈心谈话",
        "items": [w.memberlist[s].items.order_by("number").first().pk],
    }


def history(key, kind, get, post=None):
    """One record kind of the history tab; POST (405) is checked on the first kind only."""
    return Policy(get, post=post, args=lambda w, s: [key, getattr(w, kind)[s].pk], variant=key)


POLICIES = {
    # ---- Home, login, ballot ----
    "home": Policy(EVERYONE, scoped=False),
    # 我的任务: the jobs the user asked for; a job's page for whoever asked and the staff of its scope.
    "core:job_list": Policy(EVERYONE, scoped=False),
    "core:job_detail": Policy(STAFF_ONLY, args=pk("job")),
    # 消息中心: every user's own messages; a message opens (and is marked read) for its recipient only.
    "core:notification_list": Policy(EVERYONE, scoped=False),
    "core:notification_open": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule({SECRETARY}, outside=OK, role_first=True, superuser=NOT_FOUND),
        args=pk("notification"),
        why="every scope's message is addressed to C's secretary; nobody else, not even a superuser, opens it",
    ),
    "core:notification_read_all": Policy(METHOD_NOT_ALLOWED, post=EVERYONE, scoped=False),
    "core:preferences": Policy(
        EVERYONE,
        post=EVERYONE,
        data=lambda w, s, r: {"email": "", "phone": "", "event_list_submitted": []},
        scoped=False,
        why="Each user's own 消息接收设置: there is no one else's to reach.",
    ),
    "login": Policy(
        PUBLIC,
        post=PUBLIC,
        data=lambda w, s, r: {"username": "office", "password": "wrong"},
        scoped=False,
        why="Logged-in users are redirected home; a wrong password answers the form again.",
    ),
    "logout": Policy(
        METHOD_NOT_ALLOWED, post=Rule(ASSIGNED), scoped=False, why="Logout is POST only (Django 5); not public."
    ),
    "password_change": Policy(
        EVERYONE,
        post=EVERYONE,
        data=lambda w, s, r: {
            "old_password": "wrong",
            "new_password1": "红旗渠精神永放光芒",
            "new_password2": "红旗渠精神永放光芒",
        },
        scoped=False,
        why="Every user changes his or her own password; a wrong old password answers the form again (400).",
    ),
    "text_size": Policy(
        METHOD_NOT_ALLOWED,
        post=EVERYONE,
        data=lambda w, s, r: {"large_text": "1", "next": "/"},
        scoped=False,
        why="放大文字: every user sets his or her own text size (POST only); it writes only that user's row.",
    ),
    "ballot": Policy(
        PUBLIC,
        post=PUBLIC,
        data=lambda w, s, r: {"code": w.ballot_code},
        scoped=False,
        why="The mass-evaluation ballot is public: no login, the single-use code is the credential.",
    ),
    # 搜索 (the header's box): each kind through its record's door; a hit is its record's link.
    "search": [
        Policy(
            listed(),
            query=lambda w, s: f"q={w.org[s].code}",
            marker=lambda w, s: w.org[s].get_absolute_url(),
            variant="organisation",
            why="The header search finds organisations in scope only.",
        ),
        Policy(
            listed(),
            post=None,
            query=lambda w, s: f"q={w.person[s].name}",
            marker=lambda w, s: w.person[s].get_absolute_url(),
            variant="person",
            why="People in scope, and the leader's own person.",
        ),
        Policy(
            listed(CASE_HANDLERS | at(LEADER, OWN)),
            post=None,
            query=lambda w, s: f"q={w.case[s].number}",
            marker=lambda w, s: w.case[s].get_absolute_url(),
            variant="case",
            why="Cases are confidential: found only by those whose case pages open, as on the case list.",
        ),
    ],
    # 选择器 (the searchable pickers' JSON): each kind through the selector its form field validates with.
    "core:picker": [
        Policy(
            listed(),
            args=lambda w, s: ["people"],
            query=lambda w, s: f"q={w.person[s].name}",
            marker=lambda w, s: f'"value": {w.person[s].pk},',
            variant="people",
            why="People in scope only (the roster's door, archived people left out).",
        ),
        Policy(
            EVERYONE,
            post=None,
            args=lambda w, s: ["people"],
            query=lambda w, s: f"within={w.org[s].pk}",
            variant="people-within",
            why="A team's candidates: an organisation out of scope is a 404, as its page is.",
        ),
        Policy(
            listed(),
            post=None,
            args=lambda w, s: ["organisations"],
            query=lambda w, s: f"q={w.org[s].code}",
            marker=lambda w, s: f'"value": {w.org[s].pk},',
            variant="organisations",
            why="Organisations in scope only.",
        ),
        Policy(
            listed(STAFF),
            post=None,
            args=lambda w, s: ["organisations-change"],
            query=lambda w, s: f"q={w.org[s].code}",
            marker=lambda w, s: f'"value": {w.org[s].pk},',
            variant="organisations-change",
            why="A person's 所在单位: organisations the user may change.",
        ),
        Policy(
            listed(CASE_HANDLERS),
            post=None,
            args=lambda w, s: ["case-people"],
            query=lambda w, s: f"q={w.person[s].name}",
            marker=lambda w, s: f'"value": {w.person[s].pk},',
            variant="case-people",
            why="被问责人: the people whose cases the user handles, as the case form accepts.",
        ),
        Policy(
            listed(CASE_HANDLERS),
            post=None,
            args=lambda w, s: ["case-organisations"],
            query=lambda w, s: f"q={w.org[s].code}",
            marker=lambda w, s: f'"value": {w.org[s].pk},',
            variant="case-organisations",
            why="A case's 所在组织: the organisations whose cases the user handles.",
        ),
    ],
    # ---- Organisations, people, teams ----
    "responsibilities:organisation_tree": [
        Policy(EVERYONE, scoped=False),
        Policy(
            listed(),
            post=None,
            query=lambda w, s: f"q={w.org[s].code}",
            marker=name_of("org"),
            variant="search",
            why="Search finds organisations in scope only.",
        ),
    ],
    "responsibilities:organisation_create": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        query=lambda w, s: f"parent={w.org[s].pk}",
        data=lambda w, s, r: {"parent": w.org[s].pk, "name": "矩阵新组织", "code": "MXNEW", "kind": "committee"},
    ),
    "responsibilities:organisation_detail": Policy(EVERYONE, args=pk("org"), why="Shows the roll-up bar chart."),
    "responsibilities:organisation_tree_children": Policy(EVERYONE, args=pk("org")),
    "responsibilities:organisation_edit": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("org"),
        data=lambda w, s, r: {
            "parent": w.parent_of[s].pk,
            "name": w.org[s].name,
            "short_name": "",
            "code": w.org[s].code,
            "kind": "committee",
            "version": w.org[s].version,
        },
    ),
    "responsibilities:organisation_archive": Policy(
        STAFF_ONLY, post=STAFF_ONLY, args=pk("org"), data=lambda w, s, r: {"reason": "撤并", "version": 1}
    ),
    "responsibilities:membership_add": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("org"),
        data=lambda w, s, r: {"person": w.person[s].pk, "role": "member", "start_date": "2024-01-01"},
    ),
    "responsibilities:membership_end": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("membership"),
        data=lambda w, s, r: {"end_date": str(w.today), "reason": "调动", "version": w.membership[s].version},
    ),
    "responsibilities:person_list": Policy(
        listed(), marker=name_of("person"), why="The roster lists people in scope only."
    ),
    "responsibilities:person_create": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        query=lambda w, s: f"organisation={w.org[s].pk}",
        data=lambda w, s, r: {"name": "矩阵新干部", "post": "干部", "post_level": 30, "home_organisation": w.org[s].pk},
    ),
    "responsibilities:person_detail": Policy(
        Rule(
            ASSIGNED,
            granted=HIDDEN,
            superuser=SHOWN,
            special={spec: SHOWN for spec in at(CASE_HANDLERS, OWN, CHILD) | at(LEADER, OWN)},
        ),
        args=pk("person"),
        marker=name_of("case", "number"),
        why="The eligibility panel (with the case number) is confidential: case handlers and the person only.",
    ),
    "responsibilities:person_edit": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("person"),
        data=lambda w, s, r: {
            "name": w.person[s].name,
            "post": "干部",
            "post_level": 30,
            "home_organisation": w.org[s].pk,
            "version": w.person[s].version,
        },
    ),
    "responsibilities:person_archive": Policy(
        STAFF_ONLY, post=STAFF_ONLY, args=pk("person"), data=lambda w, s, r: {"reason": "退休", "version": 1}
    ),
    "responsibilities:history": [
        history("organisation", "org", EVERYONE, post=METHOD_NOT_ALLOWED),
        history("person", "person", EVERYONE),
        history("membership", "membership", EVERYONE),
        history("list", "committee", EVERYONE),
        Policy(MEMBER_LIST, post=None, args=lambda w, s: ["list", w.memberlist[s].pk], variant="list:member"),
        history("task", "task", EVERYONE),
        history("scheme", "scheme", EVERYONE),
        history("indicator", "indicator", EVERYONE),
        history("inspection", "inspection", EVERYONE),
        history("case", "case", Rule(CASE_HANDLERS)),  # not the subject: the decision only, on the case page
        history("issued", "issued", EVERYONE),
        history("problem", "problem", EVERYONE),
        history("duty", "duty", MEMBER_LIST),
        history("round", "round", ROUND_PAGE),
        history("result", "result", EVERYONE),
        history("hearing", "hearing", EVERYONE),
        history("hearing_report", "hearing_report", EVERYONE),
        history("annual_report", "report", EVERYONE),
        Policy(
            EVERYONE,
            post=None,
            args=lambda w, s: ["template_item", w.template.items.first().pk],
            scoped=False,
            variant="template_item",
        ),
        # The negative list is public, as its page is (with the changes of its 对应责任事项).
        Policy(EVERYONE, post=None, args=lambda w, s: ["situation", w.situation.pk], scoped=False, variant="situation"),
    ],
    # ---- Responsibility lists ----
    "responsibilities:organisation_lists": Policy(EVERYONE, args=pk("org")),
    "responsibilities:lists_generate": Policy(
        METHOD_NOT_ALLOWED, post=STAFF_ONLY, args=pk("org"), data=lambda w, s, r: {"year": THIS_YEAR}
    ),
    "responsibilities:rollover_start": Policy(
        STAFF_ONLY, post=STAFF_ONLY, args=pk("org"), data=lambda w, s, r: {"year": THIS_YEAR + 1}
    ),
    "responsibilities:rollover_detail": Policy(STAFF_ONLY, args=pk("job")),
    "responsibilities:list_detail": [
        Policy(EVERYONE, args=pk("committee"), variant="committee"),
        Policy(MEMBER_LIST, post=None, args=pk("memberlist"), variant="member"),
    ],
    "responsibilities:list_transition": [
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(STAFF, forbidden=LEADERS | INSPECTORS),
            args=pk("committee"),
            data=lambda w, s, r: {"target": "submitted", "version": w.committee[s].version},
            variant="submit",
            why="403: readers of the list who are not office staff may not submit it (service refusal).",
        ),
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(at(SECRETARY, OWN), forbidden=STAFF | INSPECTORS | at(LEADER, OWN)),
            args=pk("memberlist"),
            data=lambda w, s, r: {"target": "confirmed", "version": w.memberlist[s].version},
            variant="confirm",
            why="403: only the organisation's secretary confirms; office staff and others who read the list may not.",
        ),
    ],
    "responsibilities:supervision_note_add": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at(SECRETARY, OWN), forbidden=STAFF | INSPECTORS | at(LEADER, OWN), superuser=FORBIDDEN),
        args=pk("memberlist"),
        data=lambda w, s, r: {"text": "请按期推进"},
        why="403: only the secretary of the member's organisation writes supervision notes (not even a "
        "superuser: the note is the secretary's own act).",
    ),
    "responsibilities:supervision_note_acknowledge": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at(LEADER, OWN), forbidden=STAFF | INSPECTORS | at(SECRETARY, OWN), superuser=FORBIDDEN),
        args=pk("note"),
        data=lambda w, s, r: {"feedback": "已阅，本周推进"},
        why="403: only the member whose list was urged marks the note read; those who read the list (office "
        "staff, inspectors, the secretary who wrote it, a superuser) may not answer for him.",
    ),
    "responsibilities:order_list": Policy(EVERYONE, scoped=False, why="Each user's visible 督办 only."),
    "responsibilities:order_create": Policy(
        Rule(STAFF | at(SECRETARY, OWN), forbidden=LEADERS | INSPECTORS),
        post=Rule(STAFF | at(SECRETARY, OWN), forbidden=LEADERS | INSPECTORS),
        query=lambda w, s: f"issuer={w.org[s].pk}",
        data=lambda w, s, r: {
            "title": "矩阵督办",
            "subject": "tasks",
            "text": "请反馈",
            "reply_by": str(w.today + timedelta(days=7)),
            "recipients": [w.recipient[s].pk],
        },
        why="403: who reads the issuing organisation but is neither its office staff nor its secretary "
        "(other leaders, inspectors, the secretary for a child organisation) may not issue a 督办.",
    ),
    "responsibilities:order_detail": Policy(EVERYONE, args=pk("order")),
    "responsibilities:order_print": Policy(EVERYONE, args=pk("order"), why="The A4 督办通知单."),
    "responsibilities:order_file": Policy(EVERYONE, args=pk("order_file"), why="A file download."),
    "responsibilities:order_reply_answer": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=pk("reply"),
        data=lambda w, s, r: {"version": w.reply[s].version, "answer": "已落实"},
        why="403: every 督办 of the world is issued by the scope's organisation (or above the user's), so no "
        "role is on a recipient's side: the issuer's staff reach the recipient but never answer for it.",
    ),
    "responsibilities:order_reply_close": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(STAFF | at(SECRETARY, OWN), forbidden=LEADERS | INSPECTORS),
        args=pk("reply"),
        data=lambda w, s, r: {"version": w.reply[s].version, "action": "accept"},
        why="The issuer's office staff and secretary close (the unanswered reply is refused at the field, "
        "400); 403 for those who only read it.",
    ),
    # 履责纪实: each scope's member has a record on his own list (C's member is the leader below).
    "responsibilities:duty_list": Policy(
        listed(STAFF | INSPECTORS | at(LEADERS, OWN)),
        marker=lambda w, s: w.duty[s].get_absolute_url(),
        why="Each user's visible records: the leader's own, the secretary's team's, the subtree's for staff.",
    ),
    "responsibilities:duty_create": [
        Policy(
            Rule(LEADERS, superuser=NOT_FOUND),
            post=Rule(LEADERS, superuser=NOT_FOUND),
            data=lambda w, s, r: duty_payload(w, OWN),
            scoped=False,
            variant="own",
            why="A leader records his or her own duty events; a user without a person of his or her own (office "
            "staff, inspectors, the superuser) has nothing to record (404).",
        ),
        Policy(
            Rule(STAFF | at(LEADER, OWN), forbidden=INSPECTORS | LEADERS),
            post=Rule(STAFF | at(LEADER, OWN), forbidden=INSPECTORS | LEADERS),
            query=lambda w, s: f"person={w.person[s].pk}",
            data=lambda w, s, r: duty_payload(w, s) | {"person": w.person[s].pk},
            variant="on_behalf",
            why="403: office staff record on a leader's behalf; inspectors (纪检) and other leaders who see "
            "the person may not.",
        ),
    ],
    "responsibilities:duty_detail": Policy(MEMBER_LIST, args=pk("duty")),
    "responsibilities:duty_file": Policy(MEMBER_LIST, args=pk("duty_file"), why="A file download."),
    "responsibilities:duty_edit": Policy(
        Rule(STAFF | at(LEADER, OWN), forbidden=INSPECTORS | at(SECRETARY, OWN)),
        post=Rule(STAFF | at(LEADER, OWN), forbidden=INSPECTORS | at(SECRETARY, OWN)),
        args=pk("duty"),
        data=lambda w, s, r: duty_payload(w, s) | {"version": w.duty[s].version},
        why="403: inspectors (纪检) and the secretary read the record but cannot change it.",
    ),
    "responsibilities:duty_rollup": Policy(EVERYONE, args=pk("org"), why="Counts of the lists the user sees."),
    "responsibilities:list_sign": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at(LEADER, OWN), forbidden=STAFF | INSPECTORS | at(SECRETARY, OWN), superuser=FORBIDDEN),
        args=pk("memberlist"),
        why="403: only the list's own person signs it with his or her own login; nobody who reads the list "
        "(office staff, inspectors, the secretary, a superuser) signs on his behalf.",
    ),
    # 问题清单: each scope's problem is found by the scope's organisation at its recipient (below it).
    "responsibilities:problem_list": Policy(EVERYONE, scoped=False, why="Each user's visible problems only."),
    "responsibilities:problem_print": Policy(EVERYONE, scoped=False, why="The A4 整改台账 of the visible problems."),
    "responsibilities:problem_rollup": Policy(EVERYONE, args=pk("org"), why="Counts of the organisation's subtree."),
    # 驾驶舱: counts of the organisation's subtree, as the roll-up; the cases' section only for case handlers.
    "responsibilities:dashboard": Policy(EVERYONE, args=pk("org"), why="Counts of the organisation's subtree."),
    "responsibilities:dashboard_home": Policy(
        EVERYONE, scoped=False, why="The dashboard of the user's top organisation."
    ),
    "responsibilities:problem_detail": Policy(EVERYONE, args=pk("problem")),
    "responsibilities:measure_file": Policy(EVERYONE, args=pk("measure_file"), why="A file download."),
    "responsibilities:problem_create": Policy(
        Rule(STAFF | INSPECTORS, forbidden=LEADERS),
        post=Rule(STAFF | INSPECTORS, forbidden=LEADERS),
        args=pk("org"),
        data=lambda w, s, r: {
            "found_by": w.org[s].pk,
            "source": "tour",
            "title": "矩阵新问题",
            "description": "巡察发现",
            "deadline": str(w.today + timedelta(days=30)),
        },
        why="403: leaders read the organisation but only its (or an upper level's) office staff, inspectors "
        "and administrators record what it found.",
    ),
    **{
        name: Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(forbidden=ASSIGNED, superuser=FORBIDDEN),
            args=pk(kind),
            data=data,
            why="403: every problem of the world is found by the scope's organisation (or one above the user's) "
            "at an organisation below it, so no role is on the rectifying side: the finder's staff reach the "
            "problem but check the rectification, they never do it.",
        )
        for name, kind, data in (
            (
                "responsibilities:measure_add",
                "problem",
                lambda w, s, r: {
                    "version": w.problem[s].version,
                    "text": "矩阵措施",
                    "deadline": str(w.today + timedelta(days=10)),
                    "standard": "有记录",
                },
            ),
            (
                "responsibilities:measure_report",
                "rectification",
                lambda w, s, r: {
                    f"m{w.rectification[s].pk}-version": w.rectification[s].version,
                    f"m{w.rectification[s].pk}-note": "进展",
                },
            ),
            (
                "responsibilities:problem_submit",
                "problem",
                lambda w, s, r: {"version": w.problem[s].version, "report": "已整改"},
            ),
        )
    },
    "responsibilities:problem_review": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(STAFF | INSPECTORS, forbidden=LEADERS),
        args=pk("problem"),
        data=lambda w, s, r: {"version": w.problem[s].version, "action": "close"},
        why="The finder's (or an upper level's) office staff, inspectors and administrators 复核 (a problem not "
        "yet submitted is refused at the field, 400); 403 for leaders, who only read it.",
    ),
    "responsibilities:task_create": Policy(
        STAFF_ONLY, post=STAFF_ONLY, args=pk("item"), data=lambda w, s, r: task_payload(w, s)
    ),
    "responsibilities:task_detail": Policy(EVERYONE, args=pk("task")),
    "responsibilities:task_edit": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("task"),
        data=lambda w, s, r: task_payload(w, s) | {"version": w.task[s].version},
    ),
    "responsibilities:task_archive": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("task"),
        data=lambda w, s, r: {"reason": "重复", "version": w.task[s].version},
    ),
    "responsibilities:progress_record": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(STAFF | at(LEADER, OWN), forbidden=ASSIGNED),
        args=pk("task"),
        data=lambda w, s, r: {"day": str(w.today), "percent": 50, "text": "已推进"},
        why="403: readers who are neither office staff, the list's owner nor the responsible person.",
    ),
    "responsibilities:evidence_upload": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(STAFF | at(LEADER, OWN), forbidden=ASSIGNED),
        args=pk("task"),
        data=lambda w, s, r: {"file": pdf(), "description": "会议纪要"},
        why="403: as for progress: readers who may not report on the task.",
    ),
    "responsibilities:evidence_download": Policy(EVERYONE, args=pk("evidence"), why="A file download."),
    "responsibilities:my_checklist": Policy(EVERYONE, scoped=False),
    "responsibilities:task_issue": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        args=pk("org"),
        data=lambda w, s, r: {
            "year": w.year,
            "item_number": 1,
            "title": "矩阵下发",
            "quantity": 1,
            "unit": "次",
            "deadline": str(date(w.year, 12, 31)),
            "standard": "有记录",
            "requirement": "",
            "recipients": [w.recipient[s].pk],
        },
    ),
    "responsibilities:issued_task_detail": Policy(EVERYONE, args=pk("issued")),
    "responsibilities:issued_task_list": Policy(
        listed(),
        marker=name_of("issued", "title"),
        why="下发的任务 as a working table: the issued tasks the user sees, as their pages open.",
    ),
    "responsibilities:template_list": Policy(EVERYONE, scoped=False),
    "responsibilities:template_version_create": Policy(
        SUPERUSER_ONLY,
        post=SUPERUSER_ONLY,
        data=lambda w, s, r: {"name": "矩阵模板", "source": "测试", "effective_from_year": 2099},
        scoped=False,
        why="403: list templates are changed by superusers only.",
    ),
    "responsibilities:template_detail": Policy(EVERYONE, args=lambda w, s: [w.template.pk], scoped=False),
    "responsibilities:template_item_edit": Policy(
        SUPERUSER_ONLY,
        post=SUPERUSER_ONLY,
        args=lambda w, s: [w.template_item.pk],
        data=lambda w, s, r: {"title": "改写", "version": w.template_item.version},
        scoped=False,
        why="403: list templates are changed by superusers only.",
    ),
    # ---- Excel and print ----
    "responsibilities:ledger_export": Policy(EVERYONE, args=pk("org"), why="An Excel export."),
    "responsibilities:rollup_export": Policy(EVERYONE, args=pk("org"), why="An Excel export."),
    "responsibilities:subtree_tasks_export": Policy(
        Rule(STAFF | INSPECTORS),
        args=pk("org"),
        why="The whole subtree's task ledger: for those who read every list of the subtree; a leader or "
        "secretary, who reads only some of them, gets 404 as for a member's list.",
    ),
    "responsibilities:import_template": Policy(STAFF_ONLY, args=pk("committee"), why="An Excel download."),
    "responsibilities:list_import": Policy(STAFF_ONLY, post=STAFF_ONLY, args=pk("committee"), data=lambda w, s, r: {}),
    "responsibilities:list_print": [
        Policy(EVERYONE, args=pk("committee"), variant="committee"),
        Policy(MEMBER_LIST, post=None, args=pk("memberlist"), variant="member"),
    ],
    # ---- Accountability ----
    "accountability:negative_list": Policy(EVERYONE, scoped=False),
    "accountability:rule_set_list": Policy(EVERYONE, scoped=False),
    "accountability:rule_set_detail": Policy(EVERYONE, args=lambda w, s: [w.rule_set.pk], scoped=False),
    "accountability:rule_set_copy": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule({ADMIN}, inside=FORBIDDEN, role_first=True),
        args=lambda w, s: [w.rule_set.pk],
        scoped=False,
        why="403: every user reads a published rule set; only administrators copy it into a draft.",
    ),
    "accountability:rule_set_edit": Policy(
        Rule({ADMIN}),
        post=Rule({ADMIN}),
        args=pk("draft"),
        data=lambda w, s, r: {
            "name": "矩阵草稿（改）",
            "source": "",
            "effective_from": "2016-09-26",
            "version": w.draft[s].version,
        },
        why="A draft is seen only by the administrators of the organisation that drafts it and above.",
    ),
    "accountability:measure_create": Policy(
        Rule({ADMIN}),
        post=Rule({ADMIN}),
        args=pk("draft"),
        data=lambda w, s, r: measure_payload(w, s),
        why="As the draft: its administrators only.",
    ),
    "accountability:measure_edit": Policy(
        Rule({ADMIN}),
        post=Rule({ADMIN}),
        args=lambda w, s: [w.draft[s].pk, w.draft_measure[s].pk],
        data=lambda w, s, r: measure_payload(w, s),
        why="As the draft: its administrators only.",
    ),
    "accountability:rule_set_publish": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule({ADMIN}),
        args=pk("draft"),
        data=lambda w, s, r: {"version": w.draft[s].version},
        why="As the draft: its administrators only.",
    ),
    "accountability:rule_set_adopt": Policy(
        Rule({ADMIN}, inside=FORBIDDEN, role_first=True),
        post=Rule({ADMIN}, inside=FORBIDDEN, outside=INVALID, role_first=True),
        args=lambda w, s: [w.rule_set.pk],
        data=lambda w, s, r: {
            "organisation": w.org[s].pk,
            "effective_from": str(date(w.today.year + 1, 1, 1)),
            "decided_by_body": "矩阵市委常委会",
            "decided_on": str(w.today),
            "preview": "1",
        },
        scoped="post",
        why="403: only administrators adopt rule sets. 400: an organisation outside the administrator's "
        "subtree is not among the form's choices.",
    ),
    "accountability:case_list": Policy(
        listed(CASE_HANDLERS | at(LEADER, OWN)),
        marker=name_of("case", "number"),
        why="Cases are confidential; the leader sees the decided case about himself.",
    ),
    "accountability:case_create": Policy(
        Rule(CASE_HANDLERS, inside=FORBIDDEN, role_first=True),
        post=Rule(CASE_HANDLERS, inside=FORBIDDEN, outside=INVALID, role_first=True),
        data=lambda w, s, r: case_payload(w, s),
        scoped="post",
        why="403: the filing page refuses users who handle no cases. 400: an organisation outside the "
        "handler's scope is not among the form's choices.",
    ),
    "accountability:case_attribution": [
        Policy(
            listed(CASE_HANDLERS),
            query=lambda w, s: f"person={w.person[s].pk}&organisation={w.org[s].pk}&facts_date={w.today}",
            marker=name_of("person"),
            why="htmx hint: only for an organisation the user handles cases for.",
        ),
        Policy(
            listed(CASE_HANDLERS),
            post=None,
            query=lambda w, s: f"person={w.person[s].pk}&organisation={w.org[OWN].pk}&facts_date={w.today}",
            marker=name_of("person"),
            variant="person-from-scope",
            why="The hint names the person: a person outside the handler's scope must not be named.",
        ),
    ],
    "accountability:case_detail": Policy(CASE_PAGE, args=pk("case")),
    "accountability:case_transition": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(CASE_HANDLERS, special={"leader@own": FORBIDDEN}),
        args=pk("case"),
        data=lambda w, s, r: {"target": "executed", "version": w.case[s].version},
        why="403: the person reads his own decided case but may not move it (service refusal).",
    ),
    "accountability:case_exempt": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(CASE_HANDLERS, special={"leader@own": FORBIDDEN}),
        args=pk("case"),
        data=lambda w, s, r: {
            "exemption": "not_held",
            "ground": "not_established",
            "note": "矩阵",
            "confirmed": "on",
            "version": w.case[s].version,
        },
        why="403: the person reads his own decided case but may not close it (view refusal).",
    ),
    "accountability:case_decide": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(CASE_HANDLERS, special={"leader@own": FORBIDDEN}),
        args=pk("case"),
        data=lambda w, s, r: {
            "decided_on": str(w.today),
            "deciding_body": "纪委",
            "measures": [w.measure.pk],
            "version": w.case[s].version,
            "preview": "1",
        },
        why="The person may read his case; only its handlers decide it, so the decision form answers him 403.",
    ),
    "accountability:decision_print": Policy(CASE_PAGE, args=pk("case")),
    "accountability:person_record": Policy(CASE_PAGE, args=pk("person")),
    "accountability:screening": [
        Policy(
            Rule(CASE_HANDLERS, inside=FORBIDDEN, role_first=True),
            scoped=False,
            why="403: screening is refused to users who handle no cases.",
        ),
        Policy(
            Rule(CASE_HANDLERS, granted=SHOWN, inside=FORBIDDEN, outside=INVALID, role_first=True, superuser=SHOWN),
            post=None,
            query=lambda w, s: f"root={w.org[s].pk}&day={w.today}",
            marker=name_of("person"),
            variant="rows",
            why="403: as the page. 400: a root outside the handler's scope is not among the choices.",
        ),
        Policy(
            Rule(CASE_HANDLERS, inside=FORBIDDEN, outside=INVALID, role_first=True),
            post=None,
            query=lambda w, s: f"root={w.org[s].pk}&day={w.today}&format=xlsx",
            variant="xlsx",
            why="The Excel export of the screening; 403 and 400 as the rows.",
        ),
    ],
    "accountability:early_warning": Policy(
        listed(), marker=name_of("task", "title"), why="Overdue tasks of the user's scope only."
    ),
    "accountability:intervention_create": [
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(STAFF | at(SECRETARY, OWN), forbidden=ASSIGNED),
            data=lambda w, s, r: intervention_payload(w, organisation=s, person=s, task=s),
            scoped="post",
            why="403: a reader of the organisation who is neither office staff nor its secretary.",
        ),
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(
                STAFF | {SECRETARY},
                outside=UNCHANGED,
                inside=FORBIDDEN,
                role_first=True,
                superuser=OK,
                special={"superuser@parent": UNCHANGED, "superuser@sibling": UNCHANGED},
            ),
            data=lambda w, s, r: intervention_payload(w, organisation=OWN, person=None, task=s),
            scoped="post",
            variant="task-from-scope",
            why="An intervention on C may only name a task of C's subtree, as its person must be. 403: "
            "leaders and inspectors may not record one on C at all.",
        ),
    ],
    "accountability:intervention_follow_up": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(STAFF | at(SECRETARY, OWN), forbidden=INSPECTORS),
        args=pk("intervention"),
        data=lambda w, s, r: {"follow_up": "已整改"},
        why="403: inspectors read interventions but may not add to them. The secretary follows up the "
        "interventions about his or her own organisation; other leaders do not see them (404).",
    ),
    "accountability:intervention_acknowledge": Policy(
        MEMBER_LIST,
        post=Rule(at(LEADER, OWN), forbidden=STAFF | INSPECTORS | at(SECRETARY, OWN), superuser=FORBIDDEN),
        args=pk("intervention"),
        data=lambda w, s, r: {"feedback": "已整改"},
        why="The intervention is about each scope's member: its handlers read it, and so does the person "
        "(C's member is the leader). 403: only the person marks it read and answers (反馈).",
    ),
    # ---- Assessments ----
    "assessments:scheme_list": Policy(listed(), marker=name_of("scheme"), why="Schemes of the user's scope."),
    "assessments:scheme_create": Policy(
        STAFF_ONLY,
        post=STAFF_ONLY,
        query=lambda w, s: f"assessor={w.org[s].pk}",
        data=lambda w, s, r: scheme_payload(w, s, targets=[w.recipient[s].pk]),
    ),
    "assessments:scheme_detail": Policy(
        Rule(ASSIGNED, granted=HIDDEN, superuser=SHOWN),
        args=pk("scheme"),
        marker=lambda w, s: w.org[SIBLING].name if s == OWN else None,
        why="P's scheme about C also assesses S: C's users see the scheme, not their peer's records.",
    ),
    "assessments:inspection_list": Policy(
        Rule(ASSIGNED, granted=HIDDEN, superuser=SHOWN),
        args=pk("scheme"),
        marker=lambda w, s: w.org[SIBLING].display_name if s == OWN else None,
        why="The scheme's inspections as a working table: C's users see their own, not their peer's.",
    ),
    "assessments:scheme_edit": Policy(
        MANAGES_CHILD_SCHEME,
        post=MANAGES_CHILD_SCHEME,
        args=pk("scheme"),
        data=lambda w, s, r: (
            scheme_payload(w, s, targets=[t.pk for t in w.scheme[s].targets.all()]) | {"version": w.scheme[s].version}
        ),
    ),
    "assessments:bands_update": Policy(
        METHOD_NOT_ALLOWED,
        post=MANAGES_CHILD_SCHEME,
        args=lambda w, s: [w.scheme[s].pk, "team"],
        data=lambda w, s, r: {f"team-{b.grade}": str(b.min_score) for b in w.scheme[s].bands.filter(subject="team")},
    ),
    "assessments:indicator_create": Policy(
        Rule(at(STAFF | {INSPECTOR["organisation"]}, CHILD)),
        post=Rule(at(STAFF | {INSPECTOR["organisation"]}, CHILD)),
        args=pk("scheme"),
        query=lambda w, s: "department=organisation",
        data=lambda w, s, r: indicator_payload(w, s),
        why="The assessing office and that department's inspectors at the assessor define indicators.",
    ),
    "assessments:indicator_edit": Policy(
        Rule(at(STAFF | {INSPECTOR["organisation"]}, CHILD)),
        post=Rule(at(STAFF | {INSPECTOR["organisation"]}, CHILD)),
        args=pk("indicator"),
        data=lambda w, s, r: indicator_payload(w, s) | {"version": w.indicator[s].version},
    ),
    "assessments:inspection_start": Policy(
        Rule(INSPECTORS, superuser=NOT_FOUND),
        post=Rule(INSPECTORS, superuser=NOT_FOUND),
        args=pk("scheme"),
        data=lambda w, s, r: {
            "organisation": w.org[s].pk,
            "department": r.removeprefix("inspector_") if r in INSPECTORS else "organisation",
            "kind": "routine",
            "day": str(w.today),
        },
        why="Inspectors inspect the organisations of their assignment; a superuser is no inspector (404).",
    ),
    "assessments:inspection_detail": Policy(EVERYONE, args=pk("inspection")),
    "assessments:score_record": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule({INSPECTOR["organisation"]}, forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=lambda w, s: [w.inspection[s].pk, w.scored_indicator[s].pk],
        data=lambda w, s, r: score_payload(w, s),
        why="403: readers of an inspection who are not inspectors of its department may not score it.",
    ),
    "assessments:deduction_problem": Policy(
        Rule(at(STAFF | INSPECTORS, CHILD), forbidden=ASSIGNED),
        post=Rule(at(STAFF | INSPECTORS, CHILD), forbidden=ASSIGNED),
        args=pk("deduction"),
        data=lambda w, s, r: {
            "title": "矩阵扣分问题",
            "description": "差距",
            "deadline": str(w.today + timedelta(days=30)),
        },
        why="立为问题 records for the assessing organisation: C's staff and inspectors for the county's inspection "
        "(C assesses it); 403 for C's own inspection, assessed by the province, and for leaders. A draft "
        "inspection's deduction is refused at the form (400).",
    ),
    # The annual 主体责任 report: read as the organisation's committee list is; drafted, edited and
    # submitted only by the organisation's own office (assigned to it, not above) or its secretary.
    "assessments:report_list": Policy(EVERYONE, scoped=False, why="Each user's own reports and those due to him."),
    "assessments:report_detail": Policy(EVERYONE, args=pk("report")),
    "assessments:report_pdf": Policy(EVERYONE, args=pk("report"), why="The report's A4 PDF."),
    "assessments:report_create": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at({OFFICE, ADMIN, SECRETARY}, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        scoped="post",
        data=lambda w, s, r: {"organisation": w.org[s].pk, "year": w.today.year},
        why="403: only C's own office staff, administrator and secretary draft C's report (the year's report "
        "exists, so theirs is refused with a message); upper levels receive the county's, they never write it.",
    ),
    "assessments:report_edit": Policy(
        Rule(at({OFFICE, ADMIN, SECRETARY}, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        post=Rule(at({OFFICE, ADMIN, SECRETARY}, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=pk("report"),
        data=lambda w, s, r: {
            "version": w.report[s].version,
            "title": "矩阵修改",
            "body": "一、情况\n正文",
            "issuer_name": w.org[s].name,
        },
        why="403: who reads the report but is not the organisation's own office or secretary (a superuser "
        "neither: the report is the organisation's own act).",
    ),
    "assessments:report_move": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at({OFFICE, ADMIN, SECRETARY}, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=pk("report"),
        data=lambda w, s, r: {"version": w.report[s].version, "target": "submitted"},
        why="403 with the refusal on the page: only the organisation's own office or secretary submit its report.",
    ),
    "assessments:inspection_transition": [
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule({INSPECTOR["organisation"]}, forbidden=ASSIGNED, superuser=FORBIDDEN),
            args=lambda w, s: [w.inspection[s].pk, "submit"],
            data=lambda w, s, r: {"version": w.inspection[s].version},
            variant="submit",
            why="403: only the inspection's department submits it.",
        ),
        Policy(
            METHOD_NOT_ALLOWED,
            post=Rule(at(STAFF, CHILD), forbidden=ASSIGNED),
            args=lambda w, s: [w.inspection[s].pk, "confirm"],
            data=lambda w, s, r: {"version": w.inspection[s].version},
            variant="confirm",
            why="403: only the assessing office confirms; C's users read P's inspection of C but may not.",
        ),
    ],
    "assessments:round_create": Policy(
        MANAGES_CHILD_SCHEME, post=MANAGES_CHILD_SCHEME, args=pk("scheme"), data=lambda w, s, r: round_payload(w, s)
    ),
    "assessments:round_detail": Policy(ROUND_PAGE, args=pk("round"), why="C's team is evaluated in the own round."),
    "assessments:round_slips": Policy(MANAGES_CHILD_SCHEME, args=pk("round"), why="The ballot codes: organisers only."),
    "assessments:round_slips_destroy": Policy(
        METHOD_NOT_ALLOWED, post=MANAGES_CHILD_SCHEME, args=pk("round"), why="Destroying the codes: organisers only."
    ),
    "assessments:round_close": Policy(
        METHOD_NOT_ALLOWED, post=MANAGES_CHILD_SCHEME, args=pk("round"), why="Closing and counting: organisers only."
    ),
    "assessments:results_print": Policy(
        Rule(ASSIGNED, granted=HIDDEN, superuser=SHOWN),
        args=pk("scheme"),
        marker=lambda w, s: w.org[SIBLING].name if s == OWN else None,
        why="考核结果通报: the rows of the results page, on A4; only the targets the user sees.",
    ),
    "assessments:results": Policy(
        Rule(ASSIGNED, granted=HIDDEN, superuser=SHOWN),
        post=Rule(at(STAFF, CHILD), forbidden=ASSIGNED),
        args=pk("scheme"),
        marker=lambda w, s: w.org[SIBLING].name if s == OWN else None,
        why="The table and line chart show only the targets the user sees. POST recomputes: 403 for "
        "readers who do not run the scheme.",
    ),
    "assessments:results_export": Policy(MANAGES_CHILD_SCHEME, args=pk("scheme"), why="An Excel export."),
    "assessments:result_detail": Policy(EVERYONE, args=pk("result")),
    "assessments:awards": Policy(
        MANAGES_CHILD_SCHEME,
        post=MANAGES_CHILD_SCHEME,
        args=pk("scheme"),
        data=lambda w, s, r: {"person": w.person[s].pk, "title": "优秀党务工作者"},
    ),
    # ---- 述责述廉 and its 评议 ----
    "assessments:hearing_list": Policy(
        listed(),
        marker=lambda w, s: w.hearing[s].organisation.name,
        why="The 述责述廉 of the user's scope: its organisation's or its assessing level's.",
    ),
    "assessments:hearing_create": Policy(
        MANAGES_CHILD_SCHEME,
        post=MANAGES_CHILD_SCHEME,
        args=pk("scheme"),
        data=lambda w, s, r: {
            "organisation": w.org[s].pk,
            "opens_on": str(w.today),
            "closes_on": str(w.today + timedelta(days=10)),
            "committee_weight": "50",
        },
        why="The assessing office opens a 述责述廉 in its scheme (the county's exists already: 400).",
    ),
    "assessments:hearing_detail": Policy(EVERYONE, args=pk("hearing")),
    "assessments:report_submit": Policy(
        Rule(at(LEADERS, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        post=Rule(at(LEADERS, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=pk("hearing"),
        data=lambda w, s, r: {"text": "矩阵述责述廉报告"},
        why="Only a member of the team in office reports, for himself: C's leader and secretary at C (the "
        "leader's second report of the year is refused at the field, 400). 403: readers who are not members.",
    ),
    "assessments:hearing_report": Policy(EVERYONE, args=pk("hearing_report")),
    "assessments:report_evaluate": Policy(
        METHOD_NOT_ALLOWED,
        post=Rule(at(LEADERS, OWN), forbidden=ASSIGNED, superuser=FORBIDDEN),
        args=pk("hearing_report"),
        data=lambda w, s, r: {"rating": "good"},
        why="The other members of the team evaluate: C's secretary evaluates the leader's report; the "
        "leader's own is refused at the field (400). 403: readers outside the team.",
    ),
    "assessments:hearing_round_create": Policy(
        MANAGES_CHILD_SCHEME,
        post=MANAGES_CHILD_SCHEME,
        args=pk("hearing_report"),
        data=lambda w, s, r: {
            "questions": "廉洁自律情况",
            "issued": "5",
            "quorum_percent": "80",
            "opens_on": str(w.today),
            "closes_on": str(w.today + timedelta(days=10)),
        },
        why="The masses' 评议 is organised by the assessing office, as any round.",
    ),
    "assessments:hearing_file": Policy(EVERYONE, args=pk("hearing_file"), why="A report's file, after the door."),
    # ---- Django's admin ----
    # C's administrator has admin access (is_staff) and model permissions (ADMIN_PERMISSIONS), as an
    # administrator of a city may be given; no other role has admin access (the admin's login page).
    "admin:index": Policy(
        ADMIN_SITE, post=None, scoped=False, why="Only staff accounts: C's administrator and the superuser."
    ),
    "admin:accountability_restriction_changelist": Policy(
        admin_listed(),
        post=None,
        marker=lambda w, s: w.person[s].name,
        why="The admin's changelists go through the site's door: the administrator's subtree only.",
    ),
    "admin:accountability_restriction_change": Policy(
        admin_listed(),
        post=None,
        args=lambda w, s: [w.restriction[s].pk],
        marker=lambda w, s: w.person[s].name,
        why="Outside the subtree the admin answers its redirect for a record that does not exist.",
    ),
    "admin:auth_user_change": Policy(
        admin_listed(),
        post=Rule({ADMIN}, inside=LOGIN, outside=UNCHANGED, role_first=True),
        args=lambda w, s: [w.account[s].pk],
        marker=lambda w, s: w.account[s].username,
        data=lambda w, s, r: raise_powers(w.account[s]),
        why="Accounts with a role outside the administrator's subtree are not his; inside, a POST that "
        "makes the account (for own: himself) superuser saves without the superuser fields "
        "(test_no_role_raises_powers_through_the_admin).",
    ),
}

# Patterns deliberately outside the matrix, each with its reason.
EXEMPT = {
    "admin:": "The rest of Django's admin: every model's admin stands on core.admin's door (ScopedAdminMixin), "
    "as the index, the restriction changelist and change page and the user change page above show; "
    "tests/core/test_admin.py covers the grants.",
    "set_language": "The language switch: public by design (it works on the login page) and writes nothing.",
}

# Permission bugs the matrix found, one entry per expectation they break:
# "<url>[variant] <METHOD> <role> <scope>" → (what happens instead, which bug). Remove an entry once fixed.
KNOWN_BUGS: dict[str, tuple[str, str]] = {
    # None open. Fixed: BUG-1, the case attribution hint named people outside the user's scope;
    # BUG-2, an intervention could be recorded against a task outside the organisation's subtree.
}


# ---- Payloads -----------------------------------------------------------------------------------------


def task_payload(w, s):
    return {
        "title": "矩阵新任务",
        "quantity": "2",
        "unit": "次",
        "deadline": str(date(w.year, 12, 31)),
        "standard": "有纪要",
        "requirement": "",
        "responsible_person": "",
        "status": "not_started",
        "completed_on": "",
    }


def case_payload(w, s):
    return {
        "organisation": w.org[s].pk,
        "person": w.person[s].pk,
        "subject": "member",
        "responsibility": "individual",
        "facts_date": str(w.today - timedelta(days=5)),
        "filed_on": str(w.today),
        "situations": [w.situation.pk],
        "facts": "知情不报",
        "severity": "serious",
    }


def intervention_payload(w, *, organisation, person, task):
    return {
        "organisation": w.org[organisation].pk,
        "person": w.person[person].pk if person else "",
        "task": w.task[task].pk,
        "kind": "remind",
        "day": str(w.today),
        "reason": "任务逾期",
    }


def scheme_payload(w, s, targets):
    return {
        "name": "矩阵新方案",
        "year": THIS_YEAR,
        "kind": "special",
        "party_building_weight": "20",
        "weight_routine": "30",
        "weight_annual": "50",
        "weight_mass": "20",
        "team_top_quota": "100",
        "leader_top_quota": "100",
        "secretary_org_weight": "70",
        "targets": targets,
    }


def indicator_payload(w, s):
    return {
        "title": "矩阵指标",
        "max_score": "10",
        "quantity": "2",
        "unit": "次",
        "deadline": str(date(w.scheme[s].year, 12, 31)),
        "standard": "有记录",
        "requirement": "",
        "deduction_per_shortfall": "2",
        "bonus_cap": "2",
    }


def score_payload(w, s):
    prefix = f"i{w.scored_indicator[s].pk}"
    return {
        f"{prefix}-version": w.inspection[s].version,
        f"{prefix}-bonus": "0",
        f"{prefix}-note": "",
        f"{prefix}-points_0": "1",
        f"{prefix}-reason_0": "缺记录",
    }


def round_payload(w, s):
    return {
        "organisation": w.org[s].pk,
        "subject": "organisation",
        "questions": "总体评价",
        "issued": "2",
        "quorum_percent": "80",
        "opens_on": str(w.today),
        "closes_on": str(w.today + timedelta(days=10)),
    }


# ---- The world ------------------------------------------------------------------------------------


SUFFIX = {PARENT: "甲", OWN: "乙", CHILD: "丙", SIBLING: "丁"}


def measure_payload(w, scope):
    return {
        "name": "矩阵问责方式",
        "category": "accountability",
        "severity": "3",
        "for_individuals": "on",
        "source": "",
        "version": w.draft[scope].version,
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
        "c-MIN_NUM_FORMS": "0",
        "c-MAX_NUM_FORMS": "20",
    }


def build_world(media_root) -> SimpleNamespace:
    """Every object kind a URL takes, for each scope, created through the services."""
    seed_rows()
    today = timezone.localdate()
    year = THIS_YEAR - 1  # last year's lists: their tasks are overdue whatever today's date
    root = get_user_model().objects.create_user(username="mx-root", password="x", is_superuser=True, is_staff=True)
    w = SimpleNamespace(today=today, year=year, media_root=media_root)

    def organisation(parent, name, code):
        return services.organisation_create(
            parent=parent, name=name, code=code, kind=OrganisationKind.COMMITTEE, by=root
        )

    top = organisation(None, "矩阵上级党委", "MXN")
    province = organisation(top, "矩阵省委", "MXP")
    city = organisation(province, "矩阵市委", "MXC")
    county = organisation(city, "矩阵县委", "MXK")
    sibling = organisation(province, "矩阵兄弟市委", "MXS")
    w.org = {PARENT: province, OWN: city, CHILD: county, SIBLING: sibling}
    w.parent_of = {PARENT: top, OWN: province, CHILD: city, SIBLING: province}
    w.recipient = {
        PARENT: sibling,
        OWN: county,
        CHILD: organisation(county, "矩阵县直机关", "MXQ"),
        SIBLING: organisation(sibling, "矩阵兄弟县委", "MXT"),
    }

    users = {
        OFFICE: make_user("office", city, Role.OFFICE_STAFF, root),
        ADMIN: make_user("orgadmin", city, Role.ADMIN, root),
        LEADER: make_user("leader", city, Role.LEADER, root),
        SECRETARY: make_user("secretary", city, Role.LEADER, root),
        **{role: make_user(role, city, Role.INSPECTOR, root, department=dept) for dept, role in INSPECTOR.items()},
        SUPERUSER: root,
    }
    builder = make_user("mx-inspector", top, Role.INSPECTOR, root, department=Department.ORGANISATION)
    # C's administrator may use the admin, with model permissions (the issue's city administrator).
    from django.contrib.auth.models import Permission

    users[ADMIN].is_staff = True
    users[ADMIN].save(update_fields=["is_staff"])
    users[ADMIN].user_permissions.set(Permission.objects.filter(codename__in=ADMIN_PERMISSIONS))
    w.users = users
    # An account with a role in each scope, for the admin's user pages; C's is the administrator himself.
    w.account = {
        OWN: users[ADMIN],
        **{
            scope: make_user(f"mx-account-{SUFFIX[scope]}", w.org[scope], Role.OFFICE_STAFF, root)
            for scope in (CHILD, PARENT, SIBLING)
        },
    }

    # Teams: a secretary and a member; at C they are the secretary and the leader of the role list.
    w.person, w.membership = {}, {}
    for scope, org in w.org.items():
        secretary = PersonFactory(
            home_organisation=org, name=f"矩阵书记{SUFFIX[scope]}", user=users[SECRETARY] if scope == OWN else None
        )
        member = PersonFactory(
            home_organisation=org, name=f"矩阵成员{SUFFIX[scope]}", user=users[LEADER] if scope == OWN else None
        )
        services.membership_add(
            organisation=org, person=secretary, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=root
        )
        w.membership[scope] = services.membership_add(
            organisation=org, person=member, role=TeamRole.MEMBER, start_date=date(2020, 1, 1), by=root
        )
        w.person[scope] = member

    # Lists, tasks, evidence, issued tasks, roll-over jobs.
    w.committee, w.memberlist, w.item, w.task, w.evidence, w.issued, w.job = ({} for _ in range(7))
    w.note, w.order, w.reply, w.order_file = {}, {}, {}, {}
    w.notification = {}
    for scope, org in w.org.items():
        services.lists_generate(organisation=org, year=year, by=root)
        w.committee[scope] = ResponsibilityList.objects.get(organisation=org, year=year, kind=ListKind.COMMITTEE)
        member_list = ResponsibilityList.objects.get(organisation=org, year=year, person=w.person[scope])
        w.memberlist[scope] = services.list_transition(
            responsibility_list=member_list, version=member_list.version, target="submitted", by=root
        )
        w.task[scope] = add_task(
            w.committee[scope],
            root,
            deadline=date(year, 6, 30),
            title=f"矩阵任务{SUFFIX[scope]}",
            responsible_person=w.person[scope],
        )
        w.item[scope] = w.task[scope].item
        # A 督促 note on each member's list (written directly: only C's secretary has a login).
        w.note[scope] = SupervisionNote.objects.create(
            responsibility_list=w.memberlist[scope], text=f"矩阵督促{SUFFIX[scope]}", written_by=root
        )
        w.evidence[scope] = services.evidence_upload(task=w.task[scope], uploaded=pdf(), by=root)
        w.issued[scope] = services.task_issue(
            issuer=org,
            year=year,
            item_number=2,
            recipients=[w.recipient[scope]],
            by=root,
            title=f"矩阵下发{SUFFIX[scope]}",
            quantity=1,
            unit="次",
            deadline=date(year, 12, 31),
            standard="有记录",
            requirement="",
        )
        w.job[scope] = start_rollover(root=org, year=THIS_YEAR + 1, by=root)
        # A 督办 from each organisation to its recipient, with a file on the (unanswered) reply.
        w.order[scope] = order_services.order_issue(
            issuer=org,
            recipients=[w.recipient[scope]],
            title=f"矩阵督办{SUFFIX[scope]}",
            subject="tasks",
            text="请反馈落实情况",
            reply_by=today + timedelta(days=7),
            by=root,
        )
        w.reply[scope] = w.order[scope].replies.get()
        w.order_file[scope] = ReplyFile.objects.create(
            reply=w.reply[scope],
            file=pdf(),
            original_name="反馈材料.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=root,
        )
        # A message to C's secretary about each scope's list: it is the recipient's alone.
        w.notification[scope] = Notification.objects.create(
            recipient=users[SECRETARY], event="list_submitted", text=f"矩阵消息{SUFFIX[scope]}", url="/"
        )
        w.committee[scope].refresh_from_db()
    # A problem found by each organisation at its recipient, with a measure (rectifying) and its evidence.
    w.problem, w.rectification, w.measure_file = {}, {}, {}
    for scope, org in w.org.items():
        w.problem[scope] = problem_services.problem_record(
            organisation=w.recipient[scope],
            found_by=org,
            source="tour",
            title=f"矩阵问题{SUFFIX[scope]}",
            description="巡察发现",
            deadline=today + timedelta(days=30),
            by=root,
        )
        w.rectification[scope] = RectificationMeasure.objects.create(
            problem=w.problem[scope],
            text="矩阵整改措施",
            responsible_person=PersonFactory(home_organisation=w.recipient[scope], name=f"矩阵整改人{SUFFIX[scope]}"),
            deadline=today + timedelta(days=20),
            standard="有记录",
            created_by=root,
        )
        Problem.objects.filter(pk=w.problem[scope].pk).update(status="rectifying")
        w.problem[scope].refresh_from_db()
        progress = MeasureProgress.objects.create(measure=w.rectification[scope], note="推进中", recorded_by=root)
        w.measure_file[scope] = MeasureEvidence.objects.create(
            measure=w.rectification[scope],
            progress=progress,
            file=pdf(),
            original_name="整改材料.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=root,
        )
    # A 履责纪实 of each member on his own list (recorded by the superuser on his behalf), with a file.
    w.duty, w.duty_file = {}, {}
    for scope in w.org:
        w.duty[scope] = duty_services.duty_record_create(
            person=w.person[scope],
            kind=DutyKind.objects.get(name="谈心谈话"),
            day=date(year, 6, 30),
            content=f"矩阵纪实{SUFFIX[scope]}",
            items=[w.memberlist[scope].items.order_by("number").first()],
            files=[pdf()],
            by=root,
        )
        w.duty_file[scope] = w.duty[scope].files.get()

    # The annual 主体责任 report of each organisation, addressed to the organisation above it (a draft).
    w.report = {
        scope: AnnualReport.objects.create(
            organisation=org,
            recipient=w.parent_of[scope],
            year=today.year,
            title=f"矩阵年度报告{SUFFIX[scope]}",
            body="一、责任清单制定和落实情况\n本年度完成各项任务。\n特此报告。",
            issuer_name=org.name,
            drafted_by=root,
        )
        for scope, org in w.org.items()
    }
    w.template = ListTemplateVersion.objects.get(effective_from_year=2016)
    w.template_item = w.template.items.order_by("pk").first()

    # Accountability: a decided case about each member, and an intervention.
    w.situation = Situation.objects.get(code="FQ-06")
    w.case, w.intervention = {}, {}
    for scope, org in w.org.items():
        case = file_case(
            org,
            root,
            person=w.person[scope],
            subject="member",
            facts_date=today - timedelta(days=60),
            filed_on=today - timedelta(days=50),
        )
        decide(case, root, today - timedelta(days=30), "降职")
        case.refresh_from_db()
        w.case[scope] = case
        w.intervention[scope] = accountability_services.intervention_record(
            organisation=org,
            person=w.person[scope],
            task=w.task[scope],
            kind="remind",
            reason="任务逾期",
            day=today,
            by=root,
        )
    w.restriction = {scope: Restriction.objects.filter(decision__case=case).first() for scope, case in w.case.items()}
    w.rule_set = accountability_services.adoption_on(city, today).rule_set
    w.measure = Measure.objects.get(rule_set=w.rule_set, name="降职")
    # A draft rule set drafted by each organisation (seen and changed by its administrators and above).
    w.draft, w.draft_measure = {}, {}
    for scope, org in w.org.items():
        draft = accountability_services.rule_set_copy(rule_set=w.rule_set, by=root)
        RuleSet.objects.filter(pk=draft.pk).update(owner=org, name=f"矩阵草稿{SUFFIX[scope]}")
        w.draft[scope] = RuleSet.objects.get(pk=draft.pk)
        w.draft_measure[scope] = w.draft[scope].measures.get(code="demoted")

    # Assessments: the scheme that assesses each organisation, with an indicator, an inspection, a round, a result.
    def scheme(assessor, targets, name, kind="annual"):
        return assessment_services.scheme_create(
            assessor=assessor,
            targets=targets,
            by=root,
            name=name,
            year=THIS_YEAR,
            kind=kind,
            party_building_weight=20,
            weight_routine=30,
            weight_annual=50,
            weight_mass=20,
            team_top_quota=100,
            leader_top_quota=100,
            secretary_org_weight=70,
        )

    of_province = scheme(top, [province], "矩阵方案·考核省委")
    of_cities = scheme(province, [city, sibling], "矩阵方案·考核各市")
    of_county = scheme(city, [county], "矩阵方案·考核县委")
    special = scheme(province, [sibling], "矩阵方案·兄弟市专项", kind="special")
    about = {PARENT: of_province, OWN: of_cities, CHILD: of_county, SIBLING: of_cities}
    w.scheme = {PARENT: of_province, OWN: of_cities, CHILD: of_county, SIBLING: special}
    indicators = {
        s.pk: add_indicator(s, "organisation", root, title=f"矩阵指标{s.pk}")
        for s in (of_province, of_cities, of_county, special)
    }
    w.indicator = {scope: indicators[s.pk] for scope, s in w.scheme.items()}
    w.scored_indicator = {scope: indicators[s.pk] for scope, s in about.items()}
    w.inspection, w.round, w.result = {}, {}, {}
    for scope, org in w.org.items():
        w.inspection[scope] = assessment_services.inspection_start(
            scheme=about[scope], organisation=org, kind="annual", department="organisation", by=builder
        )
        w.round[scope] = assessment_services.round_create(
            scheme=about[scope],
            organisation=org,
            subject="organisation",
            questions=["总体评价"],
            issued=3,
            quorum_percent=80,
            opens_on=today,
            closes_on=today + timedelta(days=30),
            by=root,
        )
    for s in (of_province, of_cities, of_county, special):
        assessment_services.results_compute(scheme=s, by=root)
    w.result = {scope: Result.objects.get(scheme=about[scope], organisation=org) for scope, org in w.org.items()}
    w.ballot_code = slip_codes(w.round[OWN].slip_key, w.round[OWN].issued)[0]
    for evaluation in w.round.values():
        assessment_services.round_slips_destroy(evaluation=evaluation, by=root)

    # 述责述廉: a hearing of each organisation in the scheme that assesses it, open today, with the
    # member's report (C's member is the leader) and a file on it.
    w.hearing, w.hearing_report, w.hearing_file = {}, {}, {}
    for scope, org in w.org.items():
        w.hearing[scope] = assessment_services.hearing_create(
            scheme=about[scope],
            organisation=org,
            opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=30),
            by=root,
        )
        w.hearing_report[scope] = HearingReport.objects.create(
            hearing=w.hearing[scope],
            person=w.person[scope],
            year=about[scope].year,
            text=f"矩阵报告{SUFFIX[scope]}",
            submitted_by=root,
        )
        w.hearing_file[scope] = HearingFile.objects.create(
            report=w.hearing_report[scope],
            file=pdf(),
            original_name="述责述廉报告.pdf",
            content_type="application/pdf",
            size=100,
            uploaded_by=root,
        )

    # A deduction on each (draft) inspection: 立为问题 is offered to those who record for the assessor.
    w.deduction = {}
    for scope in w.org:
        score = assessment_services.score_record(
            inspection=w.inspection[scope],
            version=w.inspection[scope].version,
            indicator=w.scored_indicator[scope],
            deductions=[(Decimal(2), f"矩阵差距{SUFFIX[scope]}")],
            bonus=Decimal(0),
            note="",
            by=builder,
        )
        w.inspection[scope] = score.inspection
        w.deduction[scope] = score.deductions.get()

    # One logged-in session per role; each request sends its cookie from a fresh client.
    w.sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        w.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return w


@pytest.fixture(autouse=True)
def quiet_request_log():
    """Thousands of expected 404 and 405 answers would each log a warning; errors (500) still log."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once, inside a transaction that the end of the module rolls back (nothing is committed)."""
    media_root = tmp_path_factory.mktemp("matrix-media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Neither login throttling (if installed) nor saving the session on every request has anything to do
    # with permissions; the session save alone is three statements on each of thousands of requests.
    quiet = {"AXES_ENABLED": False, "SESSION_SAVE_EVERY_REQUEST": False}
    with override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=fast, **quiet), django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(media_root)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            summary = ", ".join(f"{method.upper()} {outcome}: {n}" for (method, outcome), n in sorted(STATS.items()))
            print(f"\npermission matrix: {sum(STATS.values())} requests ({summary})")


# ---- The URLconf ------------------------------------------------------------------------------------


def url_names(resolver=None, namespace="") -> list[str]:
    """Every pattern's name, namespaced ("responsibilities:task_detail"); unnamed ones by their route."""
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names += url_names(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>")
    return names


def exemption(name: str) -> str | None:
    """Why a URL name is outside the matrix: EXEMPT names it, or its namespace ("admin:")."""
    for prefix, why in EXEMPT.items():
        if name == prefix or (prefix.endswith(":") and name.startswith(prefix)):
            return why
    return None


URLCONF_NAMES = set(url_names())
CHECKED_NAMES = sorted({n for n in URLCONF_NAMES if exemption(n) is None} | set(POLICIES))


# ---- Requests and judgement ---------------------------------------------------------------------


STATS: Counter = Counter()


@dataclass
class Seen:
    outcome: str  # ok, login, 400, 403, 404, 405, 409, 500
    text: str = ""
    changed: tuple = ()


def counted_tables() -> dict[str, int]:
    """Every table of the three apps (with their many-to-many tables), of pghistory and of the accounts
    (a user's powers), with its oid."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ("responsibilities", "accountability", "assessments", "pghistory", "auth")
        and model._meta.managed
        and not model._meta.proxy
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(to_regclass(t)::oid) FROM unnest(%s::text[]) t", [sorted(tables)])
        return dict(zip(sorted(tables), cursor.fetchone()[0], strict=True))


def writes(tables) -> list[int]:
    """Rows inserted, updated or deleted so far in this transaction, per table, in one query.

    PostgreSQL's per-transaction counters (pg_stat_get_xact_tuples_*) include open savepoints and
    ignore SELECT … FOR UPDATE. Unchanged counters mean unchanged row counts, and no update either;
    they cost a fraction of counting every table twice around each POST.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_stat_get_xact_tuples_inserted(o) + pg_stat_get_xact_tuples_updated(o)"
            " + pg_stat_get_xact_tuples_deleted(o) FROM unnest(%s::oid[]) WITH ORDINALITY AS t(o, n) ORDER BY n",
            [list(tables.values())],
        )
        return [row[0] for row in cursor.fetchall()]


def outcome_of(response) -> str:
    if response.status_code in (301, 302, 303, 307, 308):
        target = response["Location"]
        to_login = target.startswith(reverse("login")) or target.startswith(reverse("admin:login"))
        return LOGIN if to_login and "next=" in target else OK
    return OK if response.status_code == 200 else str(response.status_code)


def send(world, tables, role, method, path, data) -> Seen:
    """One request as the role, inside a savepoint that is rolled back; what a POST wrote is noted."""
    seen = _send(world, tables, role, method, path, data)
    STATS[(method, seen.outcome)] += 1
    return seen


def _send(world, tables, role, method, path, data) -> Seen:
    client = Client()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    with transaction.atomic():
        before = writes(tables) if method == "post" else None
        try:
            response = client.get(path) if method == "get" else client.post(path, data or {})
        except Exception as error:  # the matrix reports it as the 500 it would be
            transaction.set_rollback(True)
            return Seen("500", text=repr(error))
        changed = ()
        if before is not None:
            after = writes(tables)
            changed = tuple(t for t, b, a in zip(tables, before, after, strict=True) if a != b)
        transaction.set_rollback(True)
    text = ""
    if response.streaming:
        # Reading to the end closes the file through the test client's guard; response.close() here
        # would fire request_finished, which drops the connection inside the transaction.
        b"".join(response.streaming_content)
    elif response.status_code == 200 and response.get("Content-Type", "").startswith(("text/html", "application/json")):
        text = response.content.decode()
    return Seen(outcome_of(response), text=text, changed=changed)


def contains(text: str, marker: str) -> bool:
    """The marker as written, or as JSON escapes it (chart data in json_script)."""
    return marker in text or json.dumps(marker)[1:-1] in text


def verdict(expected: str, seen: Seen, method: str, marker: str | None) -> str | None:
    """None when the response is what was expected, else a description of what happened."""
    actual = seen.outcome
    if actual == OK and expected in (SHOWN, HIDDEN) and marker:
        actual = SHOWN if contains(seen.text, marker) else HIDDEN
    elif expected in (SHOWN, HIDDEN):
        expected = OK
    if expected in REFUSALS and method == "post" and seen.changed:
        return f"{actual}, and it wrote rows in {', '.join(seen.changed)}"
    if expected == UNCHANGED:
        return None if actual != "500" else actual
    if expected == OK and method == "post" and actual in (INVALID, "409"):
        return None  # granted; the payload itself was refused (a validation message)
    if actual == "500":
        return f"500 {seen.text}".strip()
    return None if actual == expected else actual


def variants(name):
    policy = POLICIES[name]
    return policy if isinstance(policy, list) else [policy]


@pytest.mark.parametrize("name", CHECKED_NAMES)
def test_every_url_answers_every_role_and_scope_as_declared(name, world, settings):
    if name not in URLCONF_NAMES:
        pytest.fail(f"{name} has a policy but is no longer in the URLconf: remove it from POLICIES")
    if name not in POLICIES:
        pytest.fail(f"{name} is in the URLconf but has no declared policy: add it to POLICIES")
    settings.MEDIA_ROOT = world.media_root  # evidence files were stored there
    tables = counted_tables()
    failures, cache = [], {}
    for policy in variants(name):
        marker_seen = policy.marker is None
        label = f"{name}[{policy.variant}]" if policy.variant else name
        for method, rule in (("get", policy.get), ("post", policy.post)):
            if rule is None:
                continue
            by_scope = policy.scoped is True or (policy.scoped == "post" and method == "post")
            for scope in SCOPES if by_scope else (None,):
                path = reverse(name, args=policy.args(world, scope) if policy.args else None)
                if policy.query:
                    path += "?" + policy.query(world, scope)
                marker = policy.marker(world, scope) if policy.marker else None
                for role in ROLES:
                    expected = rule(role, scope)
                    data = policy.data(world, scope, role) if method == "post" and policy.data else None
                    key = (role, method, path) if data is None else None
                    seen = cache[key] if key in cache else send(world, tables, role, method, path, data)
                    if key is not None:
                        cache[key] = seen
                    problem = verdict(expected, seen, method, marker)
                    marker_seen |= expected == SHOWN and bool(marker) and problem is None
                    where = f"{label} {method.upper()} {role} {scope or '-'}"
                    known = KNOWN_BUGS.get(where)
                    if known and problem == known[0]:
                        continue
                    if known:
                        failures.append(f"{where}: KNOWN_BUGS says {known[0]!r}, got {problem or expected!r}")
                    elif problem:
                        failures.append(f"{where}: expected {expected}, got {problem}")
        if not marker_seen:
            failures.append(f"{label}: its marker was never shown, so its hidden checks prove nothing")
    assert not failures, f"{len(failures)} unexpected outcomes:\n" + "\n".join(failures)


def test_no_role_raises_powers_through_the_admin(world):
    """Every role posts the user change form of its own account and of each scope's, with every power
    ticked: no account becomes superuser or staff, or gains a permission (only a superuser may)."""
    from django.contrib.auth.models import Permission

    User = get_user_model()
    all_permissions = Permission.objects.count()
    for role in ROLES:
        if role in (ANONYMOUS, SUPERUSER):
            continue
        me = User.objects.get(
            username=role if role not in (OFFICE, ADMIN) else {OFFICE: "office", ADMIN: "orgadmin"}[role]
        )
        for account in (me, *world.account.values()):
            client = Client()
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
            with transaction.atomic():
                before = (account.is_superuser, account.is_staff, account.user_permissions.count())
                response = client.post(reverse("admin:auth_user_change", args=[account.pk]), raise_powers(account))
                assert response.status_code in (200, 302), (role, account.username, response.status_code)
                account.refresh_from_db()
                after = (account.is_superuser, account.is_staff, account.user_permissions.count())
                assert after == before and after[2] < all_permissions, (role, account.username, after)
                transaction.set_rollback(True)
    # The superuser may: the same form is not a dead letter.
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[SUPERUSER]
    account = world.account[CHILD]
    with transaction.atomic():
        client.post(reverse("admin:auth_user_change", args=[account.pk]), raise_powers(account))
        account.refresh_from_db()
        assert account.is_superuser and account.user_permissions.count() == all_permissions
        transaction.set_rollback(True)


def test_every_exemption_still_names_a_url():
    for prefix in EXEMPT:
        assert any(exemption(n) == EXEMPT[prefix] for n in URLCONF_NAMES), f"EXEMPT[{prefix!r}] matches no URL"


def test_every_record_kind_with_a_history_tab_is_in_the_matrix():
    declared = {p.variant.split(":")[0] for p in variants("responsibilities:history")}
    assert set(HISTORY_MODELS) <= declared, f"history kinds without a policy: {set(HISTORY_MODELS) - declared}"


def test_every_outcome_in_the_table_is_known_and_every_403_is_explained():
    """403 is accepted only where a view or service refuses an action on a record the role may read;
    each policy that expects one says why."""
    known = {OK, SHOWN, HIDDEN} | REFUSALS
    for name in POLICIES:
        for policy in variants(name):
            outcomes = {
                rule(role, scope)
                for rule in (policy.get, policy.post)
                if rule is not None
                for role in ROLES
                for scope in (*SCOPES, None)
            }
            assert outcomes <= known, f"{name}: unknown outcomes {outcomes - known}"
            assert policy.marker or not outcomes & {SHOWN, HIDDEN}, f"{name}: shown/hidden needs a marker"
            assert FORBIDDEN not in outcomes or "403" in policy.why, f"{name} [{policy.variant}]: explain the 403"
