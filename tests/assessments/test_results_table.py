"""考核结果 as a working table (core.tables): sort, filter by organisation and grade, pagination,
the export of what it shows, and a query count that does not grow with the rows or the filters."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.views import ResultList
from responsibilities.models import Role
from tests.assessments.conftest import inspect
from tests.conftest import make_user
from tests.helpers import queries_for
from tests.responsibilities.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(scheme, indicators, inspectors, tree, organ, office_staff):
    third = make_organisation(parent=tree["own"], name="市教育局党委", code="P-C-E")
    scheme.targets.add(third)
    inspect(
        scheme,
        tree["child"],
        "discipline",
        inspectors["discipline"],
        deductions_by_indicator={"警示教育": [2]},
        confirm_by=office_staff,
    )
    inspect(scheme, organ, "discipline", inspectors["discipline"], confirm_by=office_staff)
    inspect(
        scheme,
        third,
        "discipline",
        inspectors["discipline"],
        deductions_by_indicator={"警示教育": [2, 2, 2, 2, 2, 2]},
        confirm_by=office_staff,
    )
    for target in (tree["child"], organ, third):
        inspect(scheme, target, "organisation", inspectors["organisation"], confirm_by=office_staff)
    services.results_compute(scheme=scheme, by=office_staff)
    return scheme


def shown(response):
    assert response.status_code == 200
    return [(r.rank, r.organisation.name, str(r.composite), r.grade_label) for r in response.context["rows"]]


def test_results_table_sorts_by_its_columns(client, office_staff, computed):
    client.force_login(office_staff)
    url = reverse("assessments:results", args=[computed.pk])
    by_rank = [
        (1, "市直机关工委", "100.00", "好"),
        (2, "测试县委", "96.00", "较好"),
        (3, "市教育局党委", "76.00", "一般"),
    ]
    assert shown(client.get(url)) == by_rank
    assert shown(client.get(url, {"sort": "rank"})) == by_rank
    assert shown(client.get(url, {"sort": "-rank"})) == by_rank[::-1]
    assert shown(client.get(url, {"sort": "composite"})) == by_rank[::-1]
    assert shown(client.get(url, {"sort": "-grade"})) == by_rank[::-1]  # 一般, 较好, 好
    assert shown(client.get(url, {"sort": "grade"})) == by_rank
    # By organisation: the tree's order (the order the organisations were added under the city).
    by_organisation = [
        (2, "测试县委", "96.00", "较好"),
        (1, "市直机关工委", "100.00", "好"),
        (3, "市教育局党委", "76.00", "一般"),
    ]
    assert shown(client.get(url, {"sort": "organisation"})) == by_organisation
    assert shown(client.get(url, {"sort": "-organisation"})) == by_organisation[::-1]
    page = client.get(url, {"sort": "-composite"}).content.decode()
    assert "综合得分（含加分） ▼" in page


def test_results_table_filters_and_paginates(client, office_staff, computed, organ, tree, monkeypatch):
    client.force_login(office_staff)
    url = reverse("assessments:results", args=[computed.pk])
    assert shown(client.get(url, {"grade": "fairly_good"})) == [(2, "测试县委", "96.00", "较好")]
    assert shown(client.get(url, {"grade": "poor"})) == []
    assert shown(client.get(url, {"organisation": organ.pk})) == [(1, "市直机关工委", "100.00", "好")]
    assert shown(client.get(url, {"organisation": tree["own"].pk, "grade": "good"})) == [
        (1, "市直机关工委", "100.00", "好")
    ]
    monkeypatch.setattr(ResultList, "page_size", 2)
    assert shown(client.get(url)) == [(1, "市直机关工委", "100.00", "好"), (2, "测试县委", "96.00", "较好")]
    second = client.get(url, {"page": 2})
    assert shown(second) == [(3, "市教育局党委", "76.00", "一般")]
    assert "第 2 / 2 页" in second.content.decode()
    # The chart and the secretaries' table are still on the page.
    assert 'data-testid="leader-results"' in second.content.decode()


def test_results_table_exports_what_it_shows(client, office_staff, computed):
    client.force_login(office_staff)
    url = reverse("assessments:results", args=[computed.pk])
    response = client.get(url, {"sort": "-composite", "grade": "fairly_good", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:9] == [
        "排名",
        "组织",
        "平时检查",
        "年终考核",
        "群众评价",
        "加分",
        "综合得分（含加分）",
        "综合考核中的党建得分",
        "等次",
    ]
    assert rows[0][-2:] == ["较上年", "说明"]
    assert [row[:9] for row in rows[1:]] == [[2, "测试县委", None, 96, None, None, 96, 19.2, "较好"]]
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(row=2, column=len(rows[0])).column_letter}3"
    assert sheet.freeze_panes == "A3"
    everything = client.get(url, {"sort": "-composite", "format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(everything.streaming_content))).active
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == ["市直机关工委", "测试县委", "市教育局党委"]


def test_results_table_refuses_bad_input_and_keeps_its_query_count(
    client, office_staff, computed, inspectors, tree, superuser
):
    client.force_login(office_staff)
    url = reverse("assessments:results", args=[computed.pk])
    bad = client.get(url, {"grade": "excellent", "sort": "history"})
    assert bad.status_code == 200 and shown(bad) == []
    text = bad.content.decode()
    assert "等次：选择一个有效的选项。 excellent 不在可用的选项中。" in text
    assert "无法按“history”排序：请点击表头排序。" in text
    outside = client.get(url, {"organisation": tree["sibling"].pk}).content.decode()
    assert "组织（含下级）：选择一个有效的选项： 该选择不在可用的选项中。" in outside
    queries = ["", "grade=good", "sort=-grade", f"organisation={tree['own'].pk}", "sort=organisation&grade=average"]
    few = {query: queries_for(client, url + "?" + query) for query in queries}
    for index in range(6):
        target = make_organisation(parent=tree["own"], name=f"新增单位{index}", code=f"P-C-N{index}")
        computed.targets.add(target)
        inspect(computed, target, "organisation", inspectors["organisation"], confirm_by=office_staff)
        deductions = {"警示教育": [2, 2, 2]}  # 88.00: below the 好 band
        inspect(
            computed,
            target,
            "discipline",
            inspectors["discipline"],
            deductions_by_indicator=deductions,
            confirm_by=office_staff,
        )
    services.results_compute(scheme=computed, by=office_staff)
    assert computed.results.count() == 9
    assert computed.results.filter(grade="good").count() == 2  # the county joins the 工委 (quota 50 % of 9)
    assert {query: queries_for(client, url + "?" + query) for query in queries} == few
    client.force_login(make_user("sibling_office_r", tree["sibling"], Role.OFFICE_STAFF, superuser))
    assert client.get(url).status_code == 404
