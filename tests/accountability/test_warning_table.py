"""预警提醒's overdue tasks as a working table (core.tables): organisation, list year and warning
colour filters, sort, pagination, the export of what it shows, and constant query counts; the
per-person groups above keep their own pagination and follow the organisation filter."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accountability import services
from accountability.views import EarlyWarning
from responsibilities import tallies
from responsibilities.models import Role
from tests.conftest import make_user
from tests.helpers import on_day, queries_for
from tests.responsibilities.factories import make_organisation
from tests.responsibilities.list_factories import THIS_YEAR, add_task, committee_list

pytestmark = pytest.mark.django_db
TODAY = date(THIS_YEAR, 6, 15)
URL = "accountability:early_warning"


@pytest.fixture
def overdue(tree, superuser, office_staff):
    county = committee_list(tree["child"], superuser)
    bureau = make_organisation(parent=tree["own"], name="市农业农村局党组", code="P-C-A")
    bureau_list = committee_list(bureau, superuser)
    last_year = committee_list(tree["child"], superuser, year=THIS_YEAR - 1)
    add_task(county, superuser, deadline=date(THIS_YEAR, 6, 14), title="召开专题会议")  # 1 day: yellow
    add_task(county, superuser, number=2, deadline=date(THIS_YEAR, 4, 30), title="开展警示教育")  # 46 days: red
    talked = add_task(county, superuser, number=3, deadline=date(THIS_YEAR, 6, 1), title="听取工作汇报")
    services.intervention_record(
        organisation=tree["child"],
        task=talked,
        kind="remind",
        reason="逾期",
        day=date(THIS_YEAR, 6, 5),
        by=office_staff,
    )  # 14 days, but reminded after its deadline: red
    add_task(bureau_list, superuser, deadline=date(THIS_YEAR, 6, 10), title="落实谈心谈话")  # 5 days: yellow
    add_task(last_year, superuser, deadline=date(THIS_YEAR - 1, 12, 1), title="上年度述责述廉")  # 196 days: red
    add_task(county, superuser, number=4, deadline=date(THIS_YEAR, 7, 1), title="尚未到期")  # not overdue
    tallies.advance_clock(TODAY)
    return {"bureau": bureau}


def tasks_of(response):
    assert response.status_code == 200
    return [
        (t.title, t.item.responsibility_list.organisation.name, t.warning.colour) for t in response.context["tasks"]
    ]


YELLOW_1 = ("召开专题会议", "测试县委", "yellow")
RED_46 = ("开展警示教育", "测试县委", "red")
RED_TALKED = ("听取工作汇报", "测试县委", "red")
BUREAU = ("落实谈心谈话", "市农业农村局党组", "yellow")
LAST_YEAR = ("上年度述责述廉", "测试县委", "red")


@on_day(TODAY)
def test_warning_table_filters_by_organisation_year_and_colour(client, office_staff, overdue, tree):
    client.force_login(office_staff)
    url = reverse(URL)
    assert tasks_of(client.get(url)) == [LAST_YEAR, RED_46, RED_TALKED, BUREAU, YELLOW_1]  # by deadline
    assert tasks_of(client.get(url, {"warning": "red"})) == [LAST_YEAR, RED_46, RED_TALKED]
    assert tasks_of(client.get(url, {"warning": "yellow"})) == [BUREAU, YELLOW_1]
    assert tasks_of(client.get(url, {"year": THIS_YEAR})) == [RED_46, RED_TALKED, BUREAU, YELLOW_1]
    assert tasks_of(client.get(url, {"year": THIS_YEAR - 1})) == [LAST_YEAR]
    bureau = overdue["bureau"]
    only_bureau = client.get(url, {"organisation": bureau.pk})
    assert tasks_of(only_bureau) == [BUREAU]
    # The groups above follow the organisation filter: the bureau's committee list alone.
    assert [(row.organisation.name, row.count) for row in only_bureau.context["rows"]] == [("市农业农村局党组", 1)]
    everyone = client.get(url).context["rows"]
    assert [(row.organisation.name, row.count) for row in everyone] == [("测试县委", 4), ("市农业农村局党组", 1)]
    assert tasks_of(client.get(url, {"organisation": tree["child"].pk, "warning": "yellow", "year": THIS_YEAR})) == [
        YELLOW_1
    ]


@on_day(TODAY)
def test_warning_table_sorts_and_paginates(client, office_staff, overdue, monkeypatch):
    client.force_login(office_staff)
    url = reverse(URL)
    assert tasks_of(client.get(url, {"sort": "-deadline"})) == [YELLOW_1, BUREAU, RED_TALKED, RED_46, LAST_YEAR]
    assert tasks_of(client.get(url, {"sort": "title"})) == sorted(
        [LAST_YEAR, RED_46, RED_TALKED, BUREAU, YELLOW_1], key=lambda row: row[0]
    )
    by_organisation = tasks_of(client.get(url, {"sort": "-organisation"}))
    assert by_organisation == [BUREAU, LAST_YEAR, RED_46, RED_TALKED, YELLOW_1]
    monkeypatch.setattr(EarlyWarning, "page_size", 2)
    second = client.get(url, {"tasks_page": 2, "warning": "red"})
    assert tasks_of(second) == [RED_TALKED]
    text = second.content.decode()
    assert "第 2 / 2 页" in text
    assert "warning=red&amp;tasks_page=1" in text  # the tasks' pages keep the filters
    assert "开展警示教育 ▲" not in text and "完成时限" in text


@on_day(TODAY)
def test_warning_table_exports_what_it_shows(client, office_staff, overdue):
    client.force_login(office_staff)
    response = client.get(reverse(URL), {"warning": "red", "sort": "-deadline", "format": "xlsx"})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[:2] + row[3:] for row in rows] == [
        ["组织", "责任人", "完成时限", "预警", "状态"],
        ["测试县委", "党委（党组）清单", datetime(THIS_YEAR, 6, 1), "红色预警·严重逾期", "未开始"],
        ["测试县委", "党委（党组）清单", datetime(THIS_YEAR, 4, 30), "红色预警·严重逾期", "未开始"],
        ["测试县委", "党委（党组）清单", datetime(THIS_YEAR - 1, 12, 1), "红色预警·严重逾期", "未开始"],
    ]
    assert [row[2] for row in rows[1:]] == ["听取工作汇报", "开展警示教育", "上年度述责述廉"]
    assert sheet.auto_filter.ref == "A2:F5"
    assert sheet.freeze_panes == "A3"


@on_day(TODAY)
def test_warning_table_refuses_bad_input_and_keeps_its_query_count(client, office_staff, overdue, tree, superuser):
    client.force_login(office_staff)
    url = reverse(URL)
    bad = client.get(url, {"warning": "blue", "year": "twenty"})
    assert bad.status_code == 200 and tasks_of(bad) == []
    text = bad.content.decode()
    assert "预警：选择一个有效的选项。 blue 不在可用的选项中。" in text
    assert "清单年度：年度应是四位数字，例如 2026。" in text
    outside = client.get(url, {"organisation": tree["sibling"].pk}).content.decode()
    assert "组织（含下级）：选择一个有效的选项： 该选择不在可用的选项中。" in outside
    queries = [
        "",
        "warning=red",
        "warning=yellow",
        f"year={THIS_YEAR}",
        f"organisation={tree['child'].pk}",
        "sort=-person",
    ]
    few = {query: queries_for(client, url + "?" + query) for query in queries}
    county = committee_list(tree["child"], superuser)
    for index in range(8):
        add_task(
            county, superuser, number=5 + index, deadline=date(THIS_YEAR, 5 + index % 2, 2), title=f"补充任务{index}"
        )
    tallies.advance_clock(TODAY)
    assert len(client.get(url).context["tasks"]) == 13
    assert {query: queries_for(client, url + "?" + query) for query in queries} == few
    # A reader of the sibling city sees none of these rows.
    client.force_login(make_user("sibling_warn", tree["sibling"], Role.OFFICE_STAFF, superuser))
    assert tasks_of(client.get(url)) == []


@on_day(TODAY)
def test_the_groups_page_over_their_first_rows_counted_or_not_from_the_tallies(
    client, office_staff, overdue, monkeypatch
):
    """The groups above the table stop counting at their limit (GroupsPaginator) and say so, without the
    table's note that the export stops there too (the groups are not exported); the same when the
    overdue clock is behind and the groups are counted from the tasks."""
    from accountability.views import GroupsPaginator

    client.force_login(office_staff)
    monkeypatch.setattr(GroupsPaginator, "limit", 1)
    for clock in (TODAY, date(THIS_YEAR, 6, 1)):
        tallies.advance_clock(clock)
        response = client.get(reverse(URL))
        page = response.context["groups_page"]
        assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (1, True, 1)
        assert [(row.organisation.name, row.count) for row in response.context["rows"]] == [("测试县委", 4)]
        text = response.content.decode()
        assert "超过 1 条，只列出前 1 条。请用上面的筛选条件缩小范围。" in text
        assert "只列出前 1 条（导出亦同）" not in text
