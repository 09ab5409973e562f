"""问责案件 as a working table (core.tables): filters, sort, export and constant query count."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability.models import Subject
from tests.accountability.factories import file_case
from tests.helpers import queries_for
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db
URL = "accountability:case_list"


@pytest.fixture
def cases(tree, superuser):
    zhang = PersonFactory(name="张某", home_organisation=tree["child"])
    li = PersonFactory(name="李某", home_organisation=tree["own"])
    file_case(tree["child"], superuser, person=zhang, facts_date=date(2025, 1, 10))
    file_case(tree["child"], superuser, facts_date=date(2026, 3, 1))
    file_case(tree["own"], superuser, person=li, facts_date=date(2024, 5, 1))
    file_case(tree["sibling"], superuser, facts_date=date(2025, 2, 1))


def about(response):
    assert response.status_code == 200
    return [(c.person.name if c.person else c.organisation.name, c.filed_on.year) for c in response.context["rows"]]


def test_case_list_filters_and_sorts(client, discipline_inspector, cases, tree):
    client.force_login(discipline_inspector)
    url = reverse(URL)
    assert about(client.get(url)) == [("测试县委", 2026), ("张某", 2025), ("李某", 2024)]
    assert about(client.get(url, {"sort": "filed_on"})) == [("李某", 2024), ("张某", 2025), ("测试县委", 2026)]
    assert about(client.get(url, {"year": 2025})) == [("张某", 2025)]
    assert about(client.get(url, {"organisation": tree["child"].pk})) == [("测试县委", 2026), ("张某", 2025)]
    assert about(client.get(url, {"subject": "committee"})) == [("测试县委", 2026)]
    assert about(client.get(url, {"subject": Subject.SECRETARY})) == [("张某", 2025), ("李某", 2024)]
    assert about(client.get(url, {"status": "filed", "sort": "-about"})) == [
        ("测试县委", 2026),
        ("张某", 2025),
        ("李某", 2024),
    ]
    assert about(client.get(url, {"q": "张"})) == [("张某", 2025)]


def test_case_list_bad_filter_is_a_chinese_message(client, discipline_inspector, cases, tree):
    client.force_login(discipline_inspector)
    response = client.get(reverse(URL), {"organisation": tree["sibling"].pk, "year": "二〇二五"})
    page = response.content.decode()
    assert about(response) == []
    assert "所在组织（含下级）：选择一个有效的选项： 该选择不在可用的选项中。" in page
    assert "立案年度：年度应是四位数字，例如 2026。" in page


def test_case_export_is_what_the_table_shows(client, discipline_inspector, cases):
    client.force_login(discipline_inspector)
    response = client.get(reverse(URL), {"sort": "filed_on", "format": "xlsx"})
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row][1:6] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["对象", "责任主体", "情节", "状态", "立案日期"],
        ["李某（测试市委）", "党委（党组）书记", "情节较重", "立案", datetime(2024, 5, 1)],
        ["张某（测试县委）", "党委（党组）书记", "情节较重", "立案", datetime(2025, 1, 10)],
        ["测试县委", "党委（党组）", "情节较重", "立案", datetime(2026, 3, 1)],
    ]
    assert sheet.auto_filter.ref == "A2:G5"


def test_case_list_query_count_is_constant_for_every_filter(client, discipline_inspector, cases, tree, superuser):
    client.force_login(discipline_inspector)
    queries = ["", "year=2025", f"organisation={tree['child'].pk}", "sort=-decided_on", "subject=committee"]
    few = {query: queries_for(client, reverse(URL) + "?" + query) for query in queries}
    for _ in range(20):
        file_case(tree["child"], superuser, facts_date=date(2025, 6, 1))
    assert {query: queries_for(client, reverse(URL) + "?" + query) for query in queries} == few
