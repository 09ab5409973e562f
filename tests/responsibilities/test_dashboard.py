"""The 驾驶舱: its numbers against literal expected values and a direct count of the records, who sees
which section, and a query count that does not grow with the subtree."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db.models import Count, Q
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import Result
from responsibilities.models import ListKind, ResponsibilityList, Role, Task, TaskStatus
from responsibilities.services import problems as problem_services
from tests.accountability.factories import decide, file_case
from tests.assessments.conftest import scheme_fields
from tests.conftest import make_user
from tests.helpers import on_day, queries_for
from tests.responsibilities.factories import PersonFactory, make_organisation
from tests.responsibilities.list_factories import THIS_YEAR, add_member, add_task, committee_list

pytestmark = [pytest.mark.django_db, on_day(date(THIS_YEAR, 6, 15))]

LAST_YEAR = THIS_YEAR - 1


def done(responsibility_list, by, number, month):
    return add_task(
        responsibility_list,
        by,
        number=number,
        deadline=date(responsibility_list.year, month, 10),
        status=TaskStatus.DONE,
        completed_on=date(responsibility_list.year, month, 1),
    )


def open_task(responsibility_list, by, number, month, status=TaskStatus.NOT_STARTED, day=28):
    deadline = date(responsibility_list.year, month, day)
    return add_task(responsibility_list, by, number=number, deadline=deadline, status=status)


@pytest.fixture
def figures(tree, superuser):
    """The city (own) and its county (child) this year and last; the sibling city must not count."""
    city, county = tree["own"], tree["child"]
    member = add_member(city, superuser, name="钱委员")
    city_list = committee_list(city, superuser)
    done(city_list, superuser, 1, 3)
    open_task(city_list, superuser, 1, 9)
    done(city_list, superuser, 2, 5)
    member_list = ResponsibilityList.objects.get(organisation=city, year=THIS_YEAR, person=member)
    done(member_list, superuser, 1, 3)
    open_task(member_list, superuser, 2, 4)  # overdue on 15 June: red after 30 days by default
    county_list = committee_list(county, superuser)
    done(county_list, superuser, 1, 3)
    open_task(county_list, superuser, 3, 6, TaskStatus.IN_PROGRESS, day=18)  # due in 3 days: blue
    last_year = committee_list(city, superuser, year=LAST_YEAR)
    done(last_year, superuser, 1, 3)
    open_task(last_year, superuser, 2, 3)
    sibling_list = committee_list(tree["sibling"], superuser)
    done(sibling_list, superuser, 1, 3)
    return {"city": city, "county": county, "member": member}


def sections(client, organisation, year=THIS_YEAR):
    response = client.get(reverse("responsibilities:dashboard", args=[organisation.pk]), {"year": year})
    assert response.status_code == 200
    return {section.key: section for section in response.context["sections"]}


def direct(organisation, year, condition=None):
    """An independent count of the subtree's active tasks of the year."""
    return Task.objects.filter(
        condition or Q(),
        archived_at__isnull=True,
        item__responsibility_list__year=year,
        item__responsibility_list__organisation__path__startswith=organisation.path,
    ).aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=TaskStatus.DONE)))


def test_completion_by_level_and_by_item_match_a_direct_count(client, superuser, figures):
    client.force_login(superuser)
    found = sections(client, figures["city"])
    assert found["levels"].rows == [
        ["本级", 5, 3, 1, "60.0%"],
        ["测试县委", 2, 1, 0, "50.0%"],
        ["全辖区合计", 7, 4, 1, "57.1%"],
    ]
    assert direct(figures["city"], THIS_YEAR) == {"total": 7, "done": 4}
    committee = found["committee-items"]
    # All fifteen items, those without a task too.
    assert len(committee.rows) == 15
    assert [row[1:] for row in committee.rows[:4]] == [[3, 2, "66.7%"], [1, 1, "100.0%"], [1, 0, "0.0%"], [0, 0, "—"]]
    assert [row[0].split(".")[0] for row in committee.rows] == [str(n) for n in range(1, 16)]
    item_one = direct(figures["city"], THIS_YEAR, Q(item__number=1, item__responsibility_list__kind=ListKind.COMMITTEE))
    assert committee.rows[0][1:3] == [item_one["total"], item_one["done"]] == [3, 2]
    personal = found["personal-items"]
    assert {row[0] for row in personal.rows} == {"班子其他成员"}
    assert [row[2:] for row in personal.rows] == [[1, 1, "100.0%"], [1, 0, "0.0%"]]  # the member list has two items


def test_months_this_year_against_last_year_and_colours(client, superuser, figures):
    client.force_login(superuser)
    found = sections(client, figures["city"])
    months = {row[0]: row[1:] for row in found["months"].rows}
    assert months["3 月"] == [3, 3, "100.0%", "50.0%"]
    assert months["4 月"] == [1, 0, "0.0%", "—"]
    assert months["6 月"] == [1, 0, "0.0%", "—"]
    assert months["1 月"] == [0, 0, "—", "—"]
    assert found["months"].chart["datasets"][1]["data"][2] == 50.0
    colours = found["colours"]
    assert colours.chart["datasets"][0]["data"] == [1, 0, 1, 1, 4]  # blue, yellow, red, none yet, done
    assert colours.rows[-1] == ["全辖区合计", 1, 0, 1]


def test_problems_grades_and_cases_of_the_subtree(client, tree, superuser, figures):
    county = figures["county"]
    for title in ("“三会一课”记录不全", "谈心谈话不到位"):
        problem_services.problem_record(
            organisation=county,
            found_by=tree["own"],
            source="tour",
            title=title,
            description="巡察发现。",
            deadline=date(THIS_YEAR, 9, 30),
            by=superuser,
        )
    organ = make_organisation(parent=tree["own"], name="市直机关工委", code="P-C-J")
    scheme = assessment_services.scheme_create(
        assessor=tree["own"], targets=[county, organ], by=superuser, **scheme_fields()
    )
    for organisation, composite, label, rank in ((county, "92.5", "好", 1), (organ, "81", "较好", 2)):
        Result.objects.create(
            scheme=scheme, organisation=organisation, composite=D(composite), grade_label=label, rank=rank
        )
    person = PersonFactory(home_organisation=county, name="孙县委书记")
    decide(file_case(county, superuser, person=person), superuser, date(THIS_YEAR, 3, 2), "降职")
    client.force_login(superuser)
    found = sections(client, tree["own"])
    assert found["problems"].rows == [
        ["测试县委", 2, 0, 0, "0.0%"],
        ["市直机关工委", 0, 0, 0, "—"],
        ["全辖区合计", 2, 0, 0, "0.0%"],
    ]
    assert found["grades"].rows == [["好", 1, "50.0%"], ["较好", 1, "50.0%"], ["合计", 2, "100.0%"]]
    assert found["cases"].rows == [["降职", 1], ["合计（一件决定可有多种方式）", 1]]
    # The sibling's dashboard has none of them.
    sibling = sections(client, tree["sibling"])
    assert sibling["grades"].rows == [["合计", 0, "—"]]
    assert sibling["cases"].rows == [["合计（一件决定可有多种方式）", 0]]


def test_office_staff_see_no_cases_and_nothing_sideways(client, tree, office_staff, figures):
    client.force_login(office_staff)
    found = sections(client, tree["own"])
    assert "cases" not in found
    assert set(found) == {"levels", "committee-items", "personal-items", "months", "colours", "problems", "grades"}
    url = reverse("responsibilities:dashboard", args=[tree["sibling"].pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("responsibilities:dashboard", args=[tree["parent"].pk])).status_code == 404


def test_the_menu_entry_opens_the_users_top_organisation(client, tree, office_staff, outsider):
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:dashboard_home"))
    assert response.status_code == 200
    assert response.context["organisation"] == tree["own"]
    assert "测试市委 · " in response.content.decode()
    client.force_login(outsider)
    assert client.get(reverse("responsibilities:dashboard_home")).status_code == 404


def test_a_leader_of_the_organisation_sees_its_dashboard(client, tree, secretary, figures):
    client.force_login(secretary)
    found = sections(client, tree["own"])
    assert found["levels"].rows[-1] == ["全辖区合计", 7, 4, 1, "57.1%"]


def test_the_query_count_does_not_grow_with_the_subtree(client, tree, superuser, figures):
    inspector = make_user("disc", tree["own"], Role.INSPECTOR, superuser, department="discipline")
    client.force_login(inspector)
    url = reverse("responsibilities:dashboard", args=[tree["own"].pk])
    few = queries_for(client, url)
    for number in range(6):
        organisation = make_organisation(parent=tree["own"], name=f"新增下级{number}")
        child_list = committee_list(organisation, superuser)
        for item in (1, 2, 4):
            done(child_list, superuser, item, 1 + number % 6)
            open_task(child_list, superuser, item, 7)
        add_member(organisation, superuser)
    assert queries_for(client, url) == few


def test_the_dashboard_reads_in_english_too(client, tree, superuser, figures):
    client.force_login(superuser)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("responsibilities:dashboard", args=[tree["own"].pk])).content.decode()
    assert '<html lang="en">' in page
    for text in ("Completion by level", "Completion month by month (against last year)", "Tasks by warning colour"):
        assert text in page, text
    assert "各级完成情况" not in page
