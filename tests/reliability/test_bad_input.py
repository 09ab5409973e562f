"""Bad input, systematically: every main form given out-of-range numbers, reversed dates, overlong text,
HTML and script, malformed workbooks and duplicate submissions answers with a message and changes
nothing; fuzzed input never produces a 500."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from responsibilities.models import Organisation, Person, Task, TeamMembership
from tests.responsibilities.factories import PersonFactory
from tests.responsibilities.list_factories import THIS_YEAR, committee_list

pytestmark = pytest.mark.django_db

LONG = "长" * 5000
SCRIPT = '<script>alert("x")</script>'


def table_counts():
    """Rows inserted, updated or deleted in this transaction in the business tables and their history,
    table by table (PostgreSQL's counters). Sessions are left out: every request refreshes its own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE relname ~ '^(responsibilities|accountability|assessments|pghistory)_' ORDER BY relname"
        )
        return dict(cursor.fetchall())


@pytest.fixture
def world(tree, superuser, office_staff, client):
    client.force_login(office_staff)
    return {
        "list": committee_list(tree["own"], superuser),
        "person": PersonFactory(home_organisation=tree["own"], name="张三"),
    }


def cases(tree, world):
    """(url, form data, the field whose message is expected) — each one bad."""
    own, item = tree["own"], world["list"].items.get(number=1)
    org = {"parent": own.pk, "name": "新组织", "code": "NEW-1", "kind": "branch"}
    person = {"name": "李四", "post": "科员", "post_level": 10, "home_organisation": own.pk}
    member = {"person": world["person"].pk, "role": "member", "start_date": "2025-01-01"}
    task = {
        "title": "任务",
        "quantity": "1",
        "unit": "次",
        "deadline": f"{THIS_YEAR}-06-30",
        "standard": "标准",
        "status": "not_started",
    }
    return [
        (reverse("responsibilities:organisation_create"), org | {"name": LONG}, "name"),
        (reverse("responsibilities:organisation_create"), org | {"code": ""}, "code"),
        (reverse("responsibilities:organisation_create"), org | {"kind": SCRIPT}, "kind"),
        (reverse("responsibilities:organisation_create"), org | {"parent": "999999"}, "parent"),
        (reverse("responsibilities:person_create"), person | {"post_level": "-5"}, "post_level"),
        (reverse("responsibilities:person_create"), person | {"name": LONG}, "name"),
        (reverse("responsibilities:membership_add", args=[own.pk]), member | {"end_date": "2024-12-31"}, "end_date"),
        (
            reverse("responsibilities:membership_add", args=[own.pk]),
            member | {"start_date": "2025-02-30"},
            "start_date",
        ),
        (reverse("responsibilities:task_create", args=[item.pk]), task | {"quantity": "1e400"}, "quantity"),
        (reverse("responsibilities:task_create", args=[item.pk]), task | {"quantity": "-1"}, "quantity"),
        (
            reverse("responsibilities:task_create", args=[item.pk]),
            task | {"deadline": f"{THIS_YEAR + 1}-01-01"},
            "deadline",
        ),
        (reverse("responsibilities:task_create", args=[item.pk]), task | {"title": LONG}, "title"),
        (
            reverse("responsibilities:task_create", args=[item.pk]),
            task | {"status": "done", "completed_on": "x"},
            "completed_on",
        ),
    ]


def test_each_bad_input_gets_a_message_at_its_field_and_changes_nothing(client, tree, world):
    for url, data, field in cases(tree, world):
        before = table_counts()
        response = client.post(url, data)
        assert response.status_code == 400, (url, field, response.status_code)
        assert field in response.context["form"].errors, (url, field, response.context["form"].errors)
        assert table_counts() == before, (url, field)


def test_html_and_script_in_text_are_shown_escaped(client, tree, world):
    item = world["list"].items.get(number=1)
    client.post(
        reverse("responsibilities:task_create", args=[item.pk]),
        {
            "title": SCRIPT,
            "quantity": "1",
            "unit": "次",
            "deadline": f"{THIS_YEAR}-06-30",
            "standard": "<b>粗</b>",
            "status": "not_started",
        },
    )
    page = client.get(world["list"].get_absolute_url()).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page and "<b>粗</b>" not in page


def test_a_duplicate_submission_of_a_create_form_creates_one_record(client, tree, world):
    data = {"parent": tree["own"].pk, "name": "重复提交", "code": "DUP-1", "kind": "branch"}
    first = client.post(reverse("responsibilities:organisation_create"), data)
    second = client.post(reverse("responsibilities:organisation_create"), data)
    assert (first.status_code, second.status_code) == (302, 400)
    assert "组织代码已被其他组织使用" in second.content.decode()
    assert Organisation.objects.filter(code="DUP-1").count() == 1


def test_a_duplicate_submission_of_a_team_member_is_refused(client, tree, world):
    data = {"person": world["person"].pk, "role": "member", "start_date": "2025-01-01"}
    url = reverse("responsibilities:membership_add", args=[tree["own"].pk])
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400
    assert TeamMembership.objects.filter(person=world["person"]).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.xlsx", b"PK\x03\x04 this is not a real workbook"),
        ("text.xlsx", "具体任务,数量\n写在 CSV 里的任务,1\n".encode()),
        ("empty.xlsx", b""),
    ],
)
def test_a_malformed_workbook_is_refused_with_a_message(client, world, name, content):
    url = reverse("responsibilities:list_import", args=[world["list"].pk])
    before = table_counts()
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert table_counts() == before
    assert not Task.objects.exists()


# ---- Fuzzing ------------------------------------------------------------------------------------

text = st.text(max_size=400)
maybe_number = st.one_of(
    text,
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
maybe_date = st.one_of(text, st.dates(min_value=date(1, 1, 1)).map(str), st.just("2025-02-30"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=text,
    quantity=maybe_number,
    unit=text,
    deadline=maybe_date,
    standard=text,
    status=text,
    completed_on=maybe_date,
)
def test_fuzzed_task_forms_never_answer_500(
    client, world, title, quantity, unit, deadline, standard, status, completed_on
):
    item = world["list"].items.get(number=1)
    response = client.post(
        reverse("responsibilities:task_create", args=[item.pk]),
        {
            "title": title,
            "quantity": quantity,
            "unit": unit,
            "deadline": deadline,
            "standard": standard,
            "status": status,
            "completed_on": completed_on,
        },
    )
    assert response.status_code in (302, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=text, code=text, kind=text, parent=maybe_number)
def test_fuzzed_organisation_forms_never_answer_500(client, tree, world, name, code, kind, parent):
    response = client.post(
        reverse("responsibilities:organisation_create"), {"name": name, "code": code, "kind": kind, "parent": parent}
    )
    assert response.status_code in (302, 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(person=maybe_number, role=text, start=maybe_date, end=maybe_date, areas=text)
def test_fuzzed_team_forms_never_answer_500(client, tree, world, person, role, start, end, areas):
    response = client.post(
        reverse("responsibilities:membership_add", args=[tree["own"].pk]),
        {"person": person, "role": role, "start_date": start, "end_date": end, "areas": areas},
    )
    assert response.status_code in (302, 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    person=maybe_number,
    subject=text,
    facts_date=maybe_date,
    filed_on=maybe_date,
    situation=maybe_number,
    facts=text,
    severity=text,
)
def test_fuzzed_case_forms_never_answer_500(
    client, tree, world, superuser, person, subject, facts_date, filed_on, situation, facts, severity
):
    client.force_login(superuser)
    response = client.post(
        reverse("accountability:case_create"),
        {
            "organisation": tree["child"].pk,
            "person": person,
            "subject": subject,
            "responsibility": "individual",
            "facts_date": facts_date,
            "filed_on": filed_on,
            "situations": [situation],
            "facts": facts,
            "severity": severity,
        },
    )
    assert response.status_code in (302, 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=maybe_number, weights=st.lists(maybe_number, min_size=4, max_size=4), quota=maybe_number, name=text)
def test_fuzzed_scheme_forms_never_answer_500(client, tree, world, year, weights, quota, name):
    response = client.post(
        f"{reverse('assessments:scheme_create')}?assessor={tree['own'].pk}",
        {
            "name": name,
            "year": year,
            "kind": "annual",
            "party_building_weight": weights[0],
            "weight_routine": weights[1],
            "weight_annual": weights[2],
            "weight_mass": weights[3],
            "team_top_quota": quota,
            "leader_top_quota": quota,
            "secretary_org_weight": "70",
            "targets": [tree["child"].pk],
        },
    )
    assert response.status_code in (302, 400)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=text, answer=text)
def test_fuzzed_ballots_never_answer_500(client, code, answer):
    client.logout()
    assert client.post(reverse("ballot"), {"code": code}).status_code in (200, 400)
    assert client.post(reverse("ballot"), {"code": code, "q0": answer}).status_code in (200, 400)


def test_people_list_filters_survive_nonsense(client, world):
    for query in ({"page": "-1"}, {"page": "abc"}, {"post_level": "x"}, {"organisation": "'; drop table"}, {"q": LONG}):
        assert client.get(reverse("responsibilities:person_list"), query).status_code == 200
    assert Person.objects.filter(name="张三").exists()


def test_workbook_bytes_are_not_trusted(world):
    from responsibilities.excel import parse_task_import

    rows, errors = parse_task_import(io.BytesIO(b"\x00\x01garbage"), world["list"])
    assert rows == [] and errors


def test_identifiers_in_the_address_that_are_not_plain_digits_answer_404_not_500(client, tree, world, superuser):
    # "²" and "٣" pass str.isdigit; "٣" even converts with int(). Neither is an identifier.
    client.force_login(superuser)
    for odd in ("²", "٣", "1" * 30, "-1"):
        for url in (
            reverse("responsibilities:organisation_create") + f"?parent={odd}",
            reverse("responsibilities:person_create") + f"?organisation={odd}",
            reverse("assessments:scheme_create") + f"?assessor={odd}",
        ):
            assert client.get(url).status_code in (200, 404), url
        hint = client.get(
            reverse("accountability:case_attribution"),
            {"person": odd, "organisation": odd, "facts_date": "2025-01-01"},
        )
        assert hint.status_code == 200 and "attribution-subject" not in hint.content.decode()


def test_a_nul_character_in_the_tree_search_is_ignored(client, world):
    response = client.get(reverse("responsibilities:organisation_tree"), {"q": "测试\x00"})
    assert response.status_code == 200 and response.context["q"] == "测试"
