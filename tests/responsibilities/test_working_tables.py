"""The working tables (core.tables): each list's filters, sort, pagination and Excel export, with
literal expected rows, bad filter input as a Chinese message, and a constant query count."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from responsibilities import services
from responsibilities.models import PostLevel, TeamRole
from tests.helpers import on_day, queries_for
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db


def shown(response, column=0):
    """The first cell's text of each row shown (the people's names)."""
    assert response.status_code == 200
    return [row.name for row in response.context["rows"]]


def sheet_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(b"".join(response.streaming_content))).active


# ---- 干部名册 -----------------------------------------------------------------------------------


@pytest.fixture
def roster(tree, superuser):
    PersonFactory(name="甲一", post="书记", post_level=PostLevel.COUNTY_CHIEF, home_organisation=tree["own"])
    PersonFactory(name="乙二", post="副书记", post_level=PostLevel.TOWNSHIP_CHIEF, home_organisation=tree["child"])
    PersonFactory(name="丙三", post="委员", post_level=PostLevel.COUNTY_DEPUTY, home_organisation=tree["own"])
    PersonFactory(name="丁四", post="书记", post_level=PostLevel.COUNTY_CHIEF, home_organisation=tree["sibling"])
    former = PersonFactory(name="戊原", post="原书记", post_level=PostLevel.COUNTY_CHIEF, home_organisation=tree["own"])
    seat = services.membership_add(
        organisation=tree["own"], person=former, role=TeamRole.SECRETARY, start_date=date(2020, 1, 1), by=superuser
    )
    services.membership_end(
        membership=seat, version=seat.version, end_date=date(2025, 6, 30), reason="调任", by=superuser
    )
    archived = PersonFactory(
        name="己归", post="干部", post_level=PostLevel.TOWNSHIP_DEPUTY, home_organisation=tree["own"]
    )
    services.person_archive(person=archived, version=archived.version, reason="退休", by=superuser)


URL = "responsibilities:person_list"


def test_roster_sorts_by_each_column_both_ways(client, office_staff, roster):
    client.force_login(office_staff)
    url = reverse(URL)
    assert shown(client.get(url)) == ["戊原", "甲一", "丙三", "乙二"]  # organisation, level, name
    assert shown(client.get(url, {"sort": "name"})) == ["丙三", "乙二", "戊原", "甲一"]
    assert shown(client.get(url, {"sort": "-post_level"})) == ["戊原", "甲一", "丙三", "乙二"]
    assert shown(client.get(url, {"sort": "post_level"})) == ["乙二", "丙三", "戊原", "甲一"]
    assert shown(client.get(url, {"sort": "-organisation"})) == ["乙二", "戊原", "甲一", "丙三"]


def test_roster_filters_by_organisation_level_text_and_status(client, office_staff, roster, tree):
    client.force_login(office_staff)
    url = reverse(URL)
    assert shown(client.get(url, {"organisation": tree["child"].pk})) == ["乙二"]
    assert shown(client.get(url, {"post_level": PostLevel.COUNTY_CHIEF})) == ["戊原", "甲一"]
    assert shown(client.get(url, {"q": "书记"})) == ["戊原", "甲一", "乙二"]
    assert shown(client.get(url, {"status": "current"})) == ["甲一", "丙三", "乙二"]
    assert shown(client.get(url, {"status": "former"})) == ["戊原"]
    assert shown(client.get(url, {"status": "archived"})) == ["己归"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"sort": "password"}, "排序：无法按“password”排序：请点击表头排序。"),
        ({"status": "dead"}, "状态：选择一个有效的选项。 dead 不在可用的选项中。"),
        ({"post_level": "x"}, "职务层次：选择一个有效的选项。 x 不在可用的选项中。"),
        ({"organisation": "'; drop"}, "组织（含下级）：选择一个有效的选项： 该选择不在可用的选项中。"),
    ],
)
def test_bad_roster_filter_is_a_chinese_message_and_no_rows(client, office_staff, roster, query, message):
    client.force_login(office_staff)
    response = client.get(reverse(URL), query)
    assert response.status_code == 200
    assert list(response.context["rows"]) == []
    assert response.content.decode().count(message) == 1
    assert "筛选条件有误" in response.content.decode()


def test_roster_organisation_out_of_scope_is_refused_not_shown(client, office_staff, roster, tree):
    client.force_login(office_staff)
    response = client.get(reverse(URL), {"organisation": tree["sibling"].pk})
    assert list(response.context["rows"]) == []
    assert "丁四" not in response.content.decode()


def test_roster_export_is_what_the_table_shows_with_autofilter_and_frozen_header(client, office_staff, roster):
    client.force_login(office_staff)
    sheet = sheet_of(client.get(reverse(URL), {"q": "书记", "sort": "name", "format": "xlsx"}))
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows == [
        ["姓名", "现任职务", "职务层次", "所在单位", "登录账号", "状态"],
        ["乙二", "副书记", "乡科级正职", "测试县委", None, "在任"],
        ["戊原", "原书记", "县处级正职", "测试市委", None, "已离任、调任"],
        ["甲一", "书记", "县处级正职", "测试市委", None, "在任"],
    ]
    assert sheet.auto_filter.ref == "A2:F5"
    assert sheet.freeze_panes == "A3"


def test_roster_paginates_and_keeps_its_sort_and_filters_in_the_page_links(client, office_staff, tree):
    for number in range(30):
        PersonFactory(name=f"王{number:02d}", home_organisation=tree["own"])
    client.force_login(office_staff)
    response = client.get(reverse(URL), {"sort": "-name", "q": "王"})
    assert shown(response)[:2] == ["王29", "王28"]
    assert "sort=-name&amp;q=%E7%8E%8B&amp;page=2" in response.content.decode()
    assert shown(client.get(reverse(URL), {"sort": "-name", "q": "王", "page": 2})) == [
        "王04",
        "王03",
        "王02",
        "王01",
        "王00",
    ]


def test_a_table_counts_and_pages_at_most_its_limit_and_says_so(client, office_staff, tree, monkeypatch):
    from core.tables import BoundedPaginator

    monkeypatch.setattr(BoundedPaginator, "limit", 28)
    for number in range(30):
        PersonFactory(name=f"王{number:02d}", home_organisation=tree["own"])
    client.force_login(office_staff)
    first = client.get(reverse(URL), {"sort": "name", "q": "王"})
    page = first.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.capped) == (28, 2, True)
    text = first.content.decode()
    assert "超过 28 条，只列出前 28 条（导出亦同）。请用上面的筛选条件缩小范围。" in text
    assert "共 28 条" not in text
    # The last page ends at the limit: 王27 is the 28th name.
    assert shown(client.get(reverse(URL), {"sort": "name", "q": "王", "page": 2})) == ["王25", "王26", "王27"]
    # At or under the limit the count is exact and the table says how many.
    narrow = client.get(reverse(URL), {"sort": "name", "q": "王0"})
    assert (narrow.context["page"].paginator.count, narrow.context["page"].paginator.capped) == (10, False)
    assert "共 10 条" in narrow.content.decode()


def test_roster_query_count_is_constant_for_every_filter(client, office_staff, tree):
    client.force_login(office_staff)
    queries = [
        "",
        f"organisation={tree['own'].pk}",
        "status=former",
        "sort=-organisation",
        "q=%E7%8E%8B",
    ]
    PersonFactory(name="王一", home_organisation=tree["own"])
    few = {query: queries_for(client, reverse(URL) + "?" + query) for query in queries}
    for number in range(40):
        PersonFactory(name=f"王{number:02d}", home_organisation=tree["child"])
    assert {query: queries_for(client, reverse(URL) + "?" + query) for query in queries} == few


# ---- 问题清单 -----------------------------------------------------------------------------------


@pytest.fixture
def problems(tree, office_staff, superuser):
    from responsibilities.models import Problem
    from responsibilities.services import problems as problem_services

    today = timezone.localdate()

    def record(title, source, deadline, organisation=tree["child"], found_by=tree["own"], by=office_staff):
        problem = problem_services.problem_record(
            organisation=organisation,
            found_by=found_by,
            source=source,
            title=title,
            description="说明",
            deadline=today + timedelta(days=90),
            by=by,
        )
        Problem.objects.filter(pk=problem.pk).update(deadline=deadline, found_on=min(deadline, today))
        return problem

    record("会议记录不全", "tour", today + timedelta(days=3))
    record("台账缺失", "inspection", today - timedelta(days=10))
    record("整改不力", "tour", today - timedelta(days=40))
    last_year = record("学习不够", "life_meeting", today + timedelta(days=60), organisation=tree["own"])
    Problem.objects.filter(pk=last_year.pk).update(found_on=date(today.year - 1, 12, 1))
    record("兄弟单位的问题", "tour", today, organisation=tree["sibling"], found_by=tree["sibling"], by=superuser)


PROBLEMS = "responsibilities:problem_list"
# Mid-year, so that a deadline 40 days ago is this year's too.
mid_year = on_day(date(2026, 6, 15))


def titles(response):
    assert response.status_code == 200
    return [p.title for p in response.context["problems"]]


@mid_year
def test_problem_list_filters_by_warning_colour_status_source_year_and_organisation(
    client, office_staff, problems, tree
):
    client.force_login(office_staff)
    url = reverse(PROBLEMS)
    assert titles(client.get(url, {"sort": "deadline"})) == ["整改不力", "台账缺失", "会议记录不全", "学习不够"]
    assert titles(client.get(url, {"warning": "blue"})) == ["会议记录不全"]
    assert titles(client.get(url, {"warning": "yellow"})) == ["台账缺失"]
    assert titles(client.get(url, {"warning": "red"})) == ["整改不力"]
    assert titles(client.get(url, {"status": "overdue", "sort": "deadline"})) == ["整改不力", "台账缺失"]
    assert titles(client.get(url, {"source": "inspection"})) == ["台账缺失"]
    assert titles(client.get(url, {"year": 2025})) == ["学习不够"]
    assert titles(client.get(url, {"organisation": tree["child"].pk, "sort": "-deadline"})) == [
        "会议记录不全",
        "台账缺失",
        "整改不力",
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度：年度应是四位数字，例如 2026。"),
        ({"year": "1999"}, "年度：年度应在 2000 至 2100 之间。"),
        ({"warning": "green"}, "预警：选择一个有效的选项。 green 不在可用的选项中。"),
        ({"sort": "secret"}, "排序：无法按“secret”排序：请点击表头排序。"),
    ],
)
@mid_year
def test_bad_problem_filter_is_a_chinese_message(client, office_staff, problems, query, message):
    client.force_login(office_staff)
    response = client.get(reverse(PROBLEMS), query)
    assert response.status_code == 200
    assert titles(response) == []
    assert message in response.content.decode()


@mid_year
def test_problem_ledger_export_and_print_follow_the_filters_and_sort(client, office_staff, problems):
    client.force_login(office_staff)
    sheet = sheet_of(client.get(reverse(PROBLEMS), {"status": "overdue", "sort": "-deadline", "format": "xlsx"}))
    assert [row[1].value for row in sheet.iter_rows(min_row=3)] == ["台账缺失", "整改不力"]
    assert [row[11].value for row in sheet.iter_rows(min_row=3)] == ["黄色预警·已逾期", "红色预警·严重逾期"]
    assert sheet.auto_filter.ref == "A2:N4"
    assert sheet.freeze_panes == "A3"
    printed = client.get(reverse("responsibilities:problem_print"), {"warning": "red"}).content.decode()
    assert "整改不力" in printed and "台账缺失" not in printed


@mid_year
def test_problem_list_query_count_is_constant_for_every_filter(client, office_staff, problems, tree):
    from responsibilities.models import Problem

    client.force_login(office_staff)
    queries = ["", "warning=yellow", "status=overdue", f"organisation={tree['child'].pk}", "sort=-measures"]
    few = {query: queries_for(client, reverse(PROBLEMS) + "?" + query) for query in queries}
    template = Problem.objects.get(title="台账缺失")
    for number in range(30):
        template.pk = None
        template.title = f"复制的问题{number}"
        template.save()
    assert {query: queries_for(client, reverse(PROBLEMS) + "?" + query) for query in queries} == few


# ---- 督办 -------------------------------------------------------------------------------------


@pytest.fixture
def orders(tree, office_staff, superuser):
    from responsibilities.models import SupervisionOrder
    from responsibilities.services import orders as order_services
    from tests.responsibilities.factories import make_organisation

    today = timezone.localdate()
    organ = make_organisation(parent=tree["own"], name="测试机关党委")

    def issue(title, issuer, recipients, by, reply_by=None):
        return order_services.order_issue(
            issuer=issuer,
            recipients=recipients,
            title=title,
            subject="tasks",
            text="请说明落实情况。",
            reply_by=today + timedelta(days=7),
            by=by,
        )

    issue("学习督办", tree["own"], [tree["child"]], office_staff)
    late = issue("整改督办", tree["own"], [tree["child"], organ], office_staff)
    SupervisionOrder.objects.filter(pk=late.pk).update(reply_by=today - timedelta(days=2))
    issue("上级督办", tree["parent"], [tree["own"]], superuser)
    issue("兄弟督办", tree["parent"], [tree["sibling"]], superuser)
    return organ


ORDERS = "responsibilities:order_list"


def replies(response):
    assert response.status_code == 200
    return [(reply.order.title, reply.organisation.name) for reply in response.context["replies"]]


@mid_year
def test_order_list_filters_by_side_organisation_status_warning_and_year(client, office_staff, orders, tree):
    client.force_login(office_staff)
    url = reverse(ORDERS)
    by_title = {"sort": "title"}
    assert replies(client.get(url, by_title)) == [
        ("上级督办", "测试市委"),
        ("学习督办", "测试县委"),
        ("整改督办", "测试县委"),
        ("整改督办", "测试机关党委"),
    ]
    assert replies(client.get(url, by_title | {"side": "received"})) == [("上级督办", "测试市委")]
    assert replies(client.get(url, by_title | {"side": "issued"})) == [
        ("学习督办", "测试县委"),
        ("整改督办", "测试县委"),
        ("整改督办", "测试机关党委"),
    ]
    overdue = [("整改督办", "测试县委"), ("整改督办", "测试机关党委")]
    assert replies(client.get(url, {"status": "overdue", "sort": "organisation"})) == overdue
    assert replies(client.get(url, {"warning": "red", "sort": "organisation"})) == overdue
    assert replies(client.get(url, {"organisation": orders.pk})) == [("整改督办", "测试机关党委")]
    assert replies(client.get(url, {"year": 2025})) == []
    assert len(replies(client.get(url, {"year": 2026}))) == 4
    assert replies(client.get(url, {"sort": "-reply_by", "side": "issued", "organisation": tree["child"].pk})) == [
        ("学习督办", "测试县委"),
        ("整改督办", "测试县委"),
    ]


@mid_year
def test_order_export_is_the_filtered_rows_with_an_autofilter(client, office_staff, orders):
    client.force_login(office_staff)
    sheet = sheet_of(client.get(reverse(ORDERS), {"warning": "red", "sort": "organisation", "format": "xlsx"}))
    assert [(row[1].value, row[3].value, row[6].value) for row in sheet.iter_rows(min_row=3)] == [
        ("整改督办", "测试县委", "逾期"),
        ("整改督办", "测试机关党委", "逾期"),
    ]
    assert sheet.auto_filter.ref == "A2:H4"


@mid_year
def test_order_list_bad_filters_are_chinese_messages(client, office_staff, orders, tree):
    client.force_login(office_staff)
    response = client.get(reverse(ORDERS), {"organisation": tree["sibling"].pk, "side": "both"})
    page = response.content.decode()
    assert response.status_code == 200 and replies(response) == []
    assert "承办单位（含下级）：选择一个有效的选项： 该选择不在可用的选项中。" in page
    assert "范围：选择一个有效的选项。 both 不在可用的选项中。" in page


@mid_year
def test_order_list_query_count_is_constant_for_every_filter(client, office_staff, orders, tree):
    from responsibilities.services import orders as order_services

    client.force_login(office_staff)
    queries = ["", "side=issued", "warning=red", f"organisation={tree['child'].pk}", "sort=-issuer", "year=2026"]
    few = {query: queries_for(client, reverse(ORDERS) + "?" + query) for query in queries}
    for number in range(25):
        order_services.order_issue(
            issuer=tree["own"],
            recipients=[tree["child"], orders],
            title=f"督办{number}",
            subject="tasks",
            text="请说明。",
            reply_by=timezone.localdate() + timedelta(days=3),
            by=office_staff,
        )
    assert {query: queries_for(client, reverse(ORDERS) + "?" + query) for query in queries} == few


# ---- 下发的任务 -------------------------------------------------------------------------------


@pytest.fixture
def issued(tree, office_staff, superuser):
    from responsibilities.models import IssuedTask, Task, TaskStatus
    from tests.responsibilities.factories import make_organisation
    from tests.responsibilities.list_factories import committee_list

    organ = make_organisation(parent=tree["own"], name="测试机关党委")
    for organisation in (tree["own"], tree["child"], organ):
        committee_list(organisation, superuser, year=2026)
    committee_list(tree["sibling"], superuser, year=2026)

    def issue(title, issuer, recipients, deadline):
        issued = services.task_issue(
            issuer=issuer,
            year=2026,
            item_number=2,
            recipients=recipients,
            by=superuser,
            title=title,
            quantity=1,
            unit="次",
            deadline=date(2026, 12, 31),
            standard="有记录",
            requirement="",
        )
        IssuedTask.objects.filter(pk=issued.pk).update(deadline=deadline)
        return issued

    issue("学习贯彻专题会", tree["own"], [tree["child"], organ], date(2026, 6, 18))
    done = issue("廉政教育", tree["own"], [tree["child"]], date(2026, 5, 1))
    Task.objects.filter(source=done).update(status=TaskStatus.DONE, completed_on=date(2026, 4, 30))
    sibling_organ = make_organisation(parent=tree["sibling"], name="兄弟机关党委")
    committee_list(sibling_organ, superuser, year=2026)
    issue("兄弟市任务", tree["sibling"], [sibling_organ], date(2026, 6, 5))


ISSUED = "responsibilities:issued_task_list"


@mid_year
def test_issued_task_table_filters_sorts_and_exports(client, office_staff, issued, tree):
    client.force_login(office_staff)
    url = reverse(ISSUED)
    names = lambda response: [(t.title, f"{t.done_count}/{t.recipient_count}") for t in response.context["rows"]]  # noqa: E731
    assert names(client.get(url, {"sort": "deadline"})) == [("廉政教育", "1/1"), ("学习贯彻专题会", "0/2")]
    assert names(client.get(url, {"status": "done"})) == [("廉政教育", "1/1")]
    assert names(client.get(url, {"warning": "blue"})) == [("学习贯彻专题会", "0/2")]
    assert names(client.get(url, {"warning": "red"})) == []
    assert names(client.get(url, {"organisation": tree["child"].pk})) == []
    assert names(client.get(url, {"year": 2025})) == []
    sheet = sheet_of(client.get(url, {"sort": "-done", "format": "xlsx"}))
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        ["廉政教育", "测试市委", 2026, datetime(2026, 5, 1), "1/1", None],
        ["学习贯彻专题会", "测试市委", 2026, datetime(2026, 6, 18), "0/2", "蓝色预警·即将到期"],
    ]
    assert "年度：年度应在 2000 至 2100 之间。" in client.get(url, {"year": "99999"}).content.decode()


@mid_year
def test_issued_task_table_query_count_is_constant_for_every_filter(client, office_staff, issued, tree, superuser):
    client.force_login(office_staff)
    queries = ["", "status=open", "warning=blue", f"organisation={tree['own'].pk}", "sort=-done", "year=2026"]
    few = {query: queries_for(client, reverse(ISSUED) + "?" + query) for query in queries}
    for number in range(10):
        services.task_issue(
            issuer=tree["own"],
            year=2026,
            item_number=2,
            recipients=[tree["child"]],
            by=superuser,
            title=f"下发{number}",
            quantity=1,
            unit="次",
            deadline=date(2026, 6, 20),
            standard="",
            requirement="",
        )
    assert {query: queries_for(client, reverse(ISSUED) + "?" + query) for query in queries} == few
