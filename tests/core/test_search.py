"""The header search: every role finds only what the record's own page would show it, grouped by
kind; the number of queries does not grow with the matches; bad input answers with a message."""

from datetime import date

import pytest
from django.test import Client

from core.search import MAX_LENGTH, clean_text, search
from responsibilities.models import TeamRole
from tests.accountability.factories import decide, file_case
from tests.conftest import make_user
from tests.responsibilities.list_factories import add_member, add_task, committee_list

pytestmark = pytest.mark.django_db

WORD = "张文明"  # three characters: task titles are searched from three on


@pytest.fixture
def records(tree, superuser):
    """One of each kind named with WORD in the own city, its county and the sibling city: a task of
    the committee list, a team member and a case about him; in the own city the member 张文明远 also
    has a personal list with a task."""
    from responsibilities.models import ListKind, ResponsibilityList

    made = {}
    for key, name in (("own", f"{WORD}远"), ("child", f"{WORD}华"), ("sibling", WORD)):
        organisation = tree[key]
        committee = committee_list(organisation, superuser, year=2026)
        made[f"task-{key}"] = add_task(committee, superuser, title=f"{WORD}牵头的{key}专题学习")
        made[f"person-{key}"] = person = add_member(organisation, superuser, role=TeamRole.MEMBER, name=name)
        made[f"case-{key}"] = file_case(organisation, superuser, person=person, subject="member")
    member_list = ResponsibilityList.objects.get(person=made["person-own"], year=2026, kind=ListKind.MEMBER)
    made["task-member"] = add_task(member_list, superuser, title=f"{WORD}远的个人任务")
    return made


def urls(user):
    return {hit.url for group in search(user, WORD) for hit in group.hits}


def found(user, records):
    """Which of the named records the search shows the user."""
    shown = urls(user)
    return {key for key, record in records.items() if record.get_absolute_url() in shown}


def assert_every_hit_opens(user):
    client = Client()
    client.force_login(user)
    for url in urls(user):
        assert client.get(url).status_code == 200, url


OWN_AND_CHILD_LISTS = {"task-own", "task-child", "task-member", "person-own", "person-child"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("office_staff", OWN_AND_CHILD_LISTS),
        ("administrator", OWN_AND_CHILD_LISTS | {"case-own", "case-child"}),
        ("inspector", OWN_AND_CHILD_LISTS | {"case-own", "case-child"}),
        # A leader sees the committee lists of the subtree, never another member's personal list.
        ("leader", {"task-own", "task-child", "person-own", "person-child"}),
        # The secretary also sees the personal lists of her own team (督促班子成员).
        ("secretary", {"task-own", "task-child", "task-member", "person-own", "person-child"}),
        ("outsider", set()),
    ],
)
def test_each_role_finds_what_its_pages_show_and_nothing_outside(request, records, role, expected):
    user = request.getfixturevalue(role)
    assert found(user, records) == expected
    assert_every_hit_opens(user)


def test_the_superuser_finds_everything(records, superuser):
    assert found(superuser, records) == set(records)
    assert_every_hit_opens(superuser)


def test_a_case_subject_finds_his_case_once_it_is_decided(records, tree, superuser):
    person = records["person-sibling"]
    person.user = make_user("subject", tree["sibling"], "leader", superuser)
    person.save()
    case = file_case(tree["sibling"], superuser, person=person, subject="member", facts_date=date(2025, 1, 5))
    assert case.get_absolute_url() not in urls(person.user)
    decide(case, superuser, date(2025, 3, 1), "通报批评")
    assert case.get_absolute_url() in urls(person.user)
    assert_every_hit_opens(person.user)


def test_groups_come_in_the_registered_order_with_their_kinds(records, superuser):
    groups = search(superuser, WORD)
    assert [(group.key, str(group.title)) for group in groups] == [
        ("organisations", "党组织"),
        ("people", "干部"),
        ("tasks", "具体任务"),
        ("problems", "问题"),
        ("duty_records", "履责纪实"),
        ("cases", "问责案件"),
    ]
    # The closest first: the shortest name, then by name (华 U+534E before 远 U+8FDC).
    assert [hit.title for hit in groups[1].hits] == [WORD, f"{WORD}华", f"{WORD}远"]


def test_organisations_match_a_chinese_substring_of_their_name(tree, office_staff):
    [organisations, *_rest] = search(office_staff, "县委")
    assert [hit.title for hit in organisations.hits] == ["测试县委"]
    [organisations, *_rest] = search(office_staff, "市委")
    assert [hit.title for hit in organisations.hits] == ["测试市委"]  # not 兄弟市委, a sibling


def test_archived_records_are_left_out(tree, superuser):
    from responsibilities import services
    from responsibilities.models import OrganisationKind
    from tests.responsibilities.factories import PersonFactory

    person = PersonFactory(home_organisation=tree["own"], name=f"{WORD}清")
    organisation = services.organisation_create(
        parent=tree["own"], name=f"{WORD}村党支部", code="P-C-Z", kind=OrganisationKind.BRANCH, by=superuser
    )
    assert {person.get_absolute_url(), organisation.get_absolute_url()} <= urls(superuser)
    services.person_archive(person=person, version=None, reason="调离", by=superuser)
    services.organisation_archive(organisation=organisation, version=None, reason="撤并", by=superuser)
    assert not {person.get_absolute_url(), organisation.get_absolute_url()} & urls(superuser)


def test_the_query_count_does_not_grow_with_the_matches(tree, superuser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    committee = committee_list(tree["own"], superuser, year=2026)
    client = Client()
    client.force_login(superuser)

    names = iter("甲乙丙丁戊己庚辛壬癸子丑寅卯辰")

    def queries_of_a_search(matches_each):
        for number in range(1, matches_each + 1):
            person = add_member(tree["own"], superuser, name=f"{WORD}{next(names)}")
            add_task(committee, superuser, title=f"{WORD}任务{person.pk}", number=number)
            file_case(tree["own"], superuser, person=person, subject="member")
        client.get("/search/", {"q": WORD})  # warm: the session and the user's assignments
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"q": WORD})
        assert response.status_code == 200
        return len(captured), response.content.decode().count("list-group-item")

    one, shown_one = queries_of_a_search(1)
    many, shown_many = queries_of_a_search(12)
    assert shown_one == 3  # one person, task and case (no organisation is named 张文明)
    assert shown_many == 3 * 8  # each kind stops at its limit of 8
    assert many == one


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "请输入要搜索的名称、姓名、任务或案件编号。"),
        ("   ", "请输入要搜索的名称、姓名、任务或案件编号。"),
        ("%%__", "请输入要搜索的名称、姓名、任务或案件编号。"),
        ("长" * (MAX_LENGTH + 1), f"搜索内容不能超过 {MAX_LENGTH} 个字。"),
    ],
)
def test_bad_input_is_answered_at_the_field(office_staff, raw, message):
    client = Client()
    client.force_login(office_staff)
    response = client.get("/search/", {"q": raw})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'data-field-error="q"' in response.content.decode()


@pytest.mark.parametrize(
    "raw", ["\x00张", "'; DROP TABLE responsibilities_person; --", "<script>", "😀", "a\\b", "张 \t 明", "37-01"]
)
def test_odd_characters_answer_without_an_error(tree, office_staff, raw):
    client = Client()
    client.force_login(office_staff)
    response = client.get("/search/", {"q": raw, "kind": "nonsense"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


@pytest.mark.parametrize(("raw", "clean"), [("  张  明 ", "张 明"), ("a%b_c", "a b c"), ("\x00王\n书记", "王 书记")])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_one_kind_alone_shows_more_and_the_header_keeps_the_text(records, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.get("/search/", {"q": WORD, "kind": "tasks"})
    assert [group.key for group in response.context["groups"]] == ["tasks"]
    assert f'value="{WORD}"' in response.content.decode()


def test_anonymous_is_sent_to_log_in(db):
    response = Client().get("/search/", {"q": WORD})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_two_characters_find_names_but_not_task_titles_and_say_why(records, superuser):
    client = Client()
    client.force_login(superuser)
    response = client.get("/search/", {"q": "文明"})
    groups = {group.key: [hit.title for hit in group.hits] for group in response.context["groups"]}
    assert groups["people"] == [WORD, f"{WORD}华", f"{WORD}远"]
    assert groups["tasks"] == []
    assert len(groups["cases"]) == 3  # by the person's name; their facts are not searched
    assert "任务和案件事实至少输入 3 个字才会查找" in response.content.decode()
    assert "任务和案件事实至少输入" not in client.get("/search/", {"q": WORD}).content.decode()


def test_problems_are_found_where_their_page_opens(tree, superuser, office_staff):
    """The 问题清单 kind: the city's office staff find the problem the city found at its county, by a
    part of its title; the sibling city's office staff do not."""
    from tests.responsibilities.test_problems import record

    problem = record(tree, office_staff, title="“三会一课”记录不全")
    mine = {hit.url for group in search(office_staff, "会一课") for hit in group.hits}
    assert problem.get_absolute_url() in mine
    client = Client()
    client.force_login(office_staff)
    assert all(client.get(url).status_code == 200 for url in mine)
    stranger = make_user("sibling_office", tree["sibling"], "office_staff", superuser)
    theirs = {hit.url for group in search(stranger, "会一课") for hit in group.hits}
    assert problem.get_absolute_url() not in theirs


def test_two_characters_match_anywhere_from_the_bigram_index(tree, superuser):
    """A two-character search (a whole two-character name) is looked up among each column's
    two-character pieces: it matches in the middle and at the end, letters in either case, and
    PostgreSQL can answer it from the bigram index (the expression the query compares is the index's)."""
    from django.db import connection

    from core.search import containing
    from responsibilities.models import Organisation, Person
    from responsibilities.selectors.organisations import ORGANISATION_SEARCH_FIELDS, PEOPLE_SEARCH_FIELDS
    from tests.responsibilities.factories import PersonFactory

    for name, post in (("欧阳庆华", "干事"), ("庆华", "科员"), ("李庆", "庆华街道干事"), ("张三", "科员")):
        PersonFactory(home_organisation=tree["own"], name=name, post=post)
    found = containing(Person.objects.all(), PEOPLE_SEARCH_FIELDS, "庆华")
    assert sorted(found.values_list("name", flat=True)) == sorted(["欧阳庆华", "庆华", "李庆"])
    assert list(
        containing(Organisation.objects.all(), ORGANISATION_SEARCH_FIELDS, "县委").values_list("name", flat=True)
    ) == ["测试县委"]
    code = tree["own"].code
    assert tree["own"] in containing(Organisation.objects.all(), ORGANISATION_SEARCH_FIELDS, code[:2].lower())
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = found.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_search_bigrams" in plan
