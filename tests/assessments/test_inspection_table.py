"""A scheme's 检查考核记录 as a working table (core.tables): filters, sort, export, query count."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from responsibilities.models import Role
from tests.assessments.conftest import inspect
from tests.conftest import make_user
from tests.helpers import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspected(scheme, indicators, inspectors, tree, organ, office_staff):
    inspect(
        scheme, tree["child"], "organisation", inspectors["organisation"], deductions_by_indicator={"支部达标": [2]}
    )
    inspect(scheme, organ, "organisation", inspectors["organisation"], kind="routine")
    inspect(scheme, tree["child"], "discipline", inspectors["discipline"], confirm_by=office_staff)
    return scheme


def shown(response):
    assert response.status_code == 200
    return [(i.organisation.name, i.department, i.kind, i.status) for i in response.context["rows"]]


def test_inspection_table_filters_and_sorts(client, office_staff, inspected, tree, organ):
    client.force_login(office_staff)
    url = reverse("assessments:inspection_list", args=[inspected.pk])
    assert shown(client.get(url)) == [
        ("测试县委", "discipline", "annual", "confirmed"),
        ("测试县委", "organisation", "annual", "submitted"),
        ("市直机关工委", "organisation", "routine", "submitted"),
    ]
    assert shown(client.get(url, {"sort": "-total"})) == [
        ("市直机关工委", "organisation", "routine", "submitted"),
        ("测试县委", "organisation", "annual", "submitted"),
        ("测试县委", "discipline", "annual", "confirmed"),
    ]
    assert shown(client.get(url, {"organisation": organ.pk})) == [
        ("市直机关工委", "organisation", "routine", "submitted")
    ]
    assert shown(client.get(url, {"department": "discipline"})) == [("测试县委", "discipline", "annual", "confirmed")]
    assert shown(client.get(url, {"kind": "routine"})) == [("市直机关工委", "organisation", "routine", "submitted")]
    assert shown(client.get(url, {"status": "confirmed"})) == [("测试县委", "discipline", "annual", "confirmed")]
    assert shown(client.get(url, {"year": 2000})) == []


def test_inspection_table_export_and_bad_input(client, office_staff, inspected, tree):
    client.force_login(office_staff)
    url = reverse("assessments:inspection_list", args=[inspected.pk])
    response = client.get(url, {"department": "organisation", "sort": "total", "format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:3] + row[4:] for row in rows] == [
        ["组织", "部门", "方式", "得分", "状态"],
        ["测试县委", "组织", "年终考核", 28, "已提交"],
        ["市直机关工委", "组织", "平时检查", 30, "已提交"],
    ]
    assert sheet.auto_filter.ref == "A2:F4"
    bad = client.get(url, {"kind": "weekly", "organisation": tree["sibling"].pk}).content.decode()
    assert "方式：选择一个有效的选项。 weekly 不在可用的选项中。" in bad
    assert "被考核组织（含下级）：选择一个有效的选项： 该选择不在可用的选项中。" in bad


def test_inspection_table_is_404_for_a_scheme_out_of_scope_and_constant_in_queries(
    client, office_staff, inspected, inspectors, organ, superuser, tree
):
    client.force_login(office_staff)
    url = reverse("assessments:inspection_list", args=[inspected.pk])
    queries = ["", "department=organisation", "sort=-total", f"organisation={organ.pk}", "year=2026"]
    few = {query: queries_for(client, url + "?" + query) for query in queries}
    for _ in range(5):
        inspect(inspected, organ, "organisation", inspectors["organisation"], kind="routine")
    assert {query: queries_for(client, url + "?" + query) for query in queries} == few
    client.force_login(make_user("sibling_office", tree["sibling"], Role.OFFICE_STAFF, superuser))
    assert client.get(url).status_code == 404
