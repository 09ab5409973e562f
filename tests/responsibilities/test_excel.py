"""Excel ledger, roll-up, import template, task import and the print view of a list."""

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from core import excel as xlsx
from responsibilities import excel, services
from responsibilities.models import ListKind, ListStatus, ResponsibilityList, Role, Task, TaskStatus
from responsibilities.selectors.exports import lists_with_items
from responsibilities.services.imports import ImportRejected, tasks_import
from tests.helpers import on_day, queries_for
from tests.responsibilities.factories import PersonFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
# The import template's header row, as users see it (written out, not read from excel.IMPORT_COLUMNS).
HEADERS = ["责任事项序号", "具体任务", "数量", "单位", "完成时限(YYYY-MM-DD)", "标准", "要求", "责任人姓名"]
LEDGER_HEADERS = [
    "序号",
    "责任事项",
    "具体任务",
    "数量",
    "单位",
    "完成时限",
    "标准",
    "要求",
    "责任人",
    "状态",
    "最新进度(%)",
    "完成日期",
    "佐证材料数",
]


# ---- Helpers ----------------------------------------------------------------------------------


def committee_list(organisation, by, year=YEAR) -> ResponsibilityList:
    services.lists_generate(organisation=organisation, year=year, by=by)
    return ResponsibilityList.objects.get(organisation=organisation, year=year, kind=ListKind.COMMITTEE)


def add_task(responsibility_list, by, number=1, **fields) -> Task:
    values = {
        "title": "开展专题学习",
        "quantity": Decimal("4"),
        "unit": "次",
        "deadline": date(responsibility_list.year, 12, 31),
        "standard": "",
        "requirement": "",
        "responsible_person": None,
        "status": TaskStatus.NOT_STARTED,
        "completed_on": None,
    } | fields
    return services.task_create(item=responsibility_list.items.get(number=number), by=by, **values)


def xlsx_file(rows, header=HEADERS, name="tasks.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    return SimpleUploadedFile(name, xlsx.workbook_bytes(workbook), content_type=xlsx.CONTENT_TYPE)


def good_row(**changes):
    row = {
        "item": 1,
        "title": "召开党委理论学习中心组学习会",
        "quantity": 12,
        "unit": "次",
        "deadline": f"{YEAR}-12-31",
        "standard": "",
        "requirement": "每月一次",
        "person": "",
    } | changes
    return list(row.values())


def read(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def own_list(tree, superuser):
    return committee_list(tree["own"], superuser)


@pytest.fixture
def sibling_list(tree, superuser):
    return committee_list(tree["sibling"], superuser)


# ---- Cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1:A2)", "'+SUM(A1:A2)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("开展学习=1", "开展学习=1"),
        ("", ""),
        (-5, -5),
        (None, None),
    ],
)
def test_safe_escapes_text_a_spreadsheet_would_evaluate(value, expected):
    assert xlsx.safe(value) == expected


def test_sheet_titles_are_short_unique_and_valid():
    taken = set()
    long_name = "很长的名字" * 10
    first = xlsx.sheet_title(long_name, taken)
    second = xlsx.sheet_title(long_name, taken)
    odd = xlsx.sheet_title("a/b:c[d]", taken)
    assert len(first) == len(second) == 31
    assert first != second and second.endswith("（2）")
    assert odd == "a_b_c_d_"


# ---- Ledger -----------------------------------------------------------------------------------


def test_ledger_export_has_headers_task_row_frozen_header_and_widths(client, tree, office_staff, own_list):
    person = PersonFactory(home_organisation=tree["own"], name="张三")
    add_task(own_list, office_staff, number=2, title="开展纪律教育", responsible_person=person, requirement="全覆盖")
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:ledger_export", args=[tree["own"].pk]), {"year": YEAR})
    assert f"filename*=utf-8''{quote(f'台账-P-C-{YEAR}.xlsx')}" in response["Content-Disposition"]
    workbook = read(response)
    sheet = workbook["党委（党组）"]
    assert "测试市委" in sheet["A1"].value and str(YEAR) in sheet["A1"].value
    assert [cell.value for cell in sheet[2]] == LEDGER_HEADERS
    assert sheet["A2"].font.b and sheet["A2"].fill.fgColor.rgb.endswith("F4D6D6")
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["C"].width == 36
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 15  # every item of the committee list, one with its task
    task_row = next(row for row in rows if row[2] == "开展纪律教育")
    assert task_row[:3] == [2, "严明党的纪律", "开展纪律教育"]
    assert task_row[3] == 4 and task_row[4] == "次"
    assert task_row[5] == datetime(YEAR, 12, 31)
    assert task_row[7:11] == ["全覆盖", "张三", "未开始", 0]
    assert task_row[12] == 0


def test_ledger_escapes_formula_like_task_text(client, tree, office_staff, own_list):
    add_task(own_list, office_staff, title="=1+1", standard="@SUM(1)", requirement="-2+3", quantity=None)
    client.force_login(office_staff)
    workbook = read(client.get(reverse("responsibilities:ledger_export", args=[tree["own"].pk]), {"year": YEAR}))
    row = next(r for r in workbook["党委（党组）"].iter_rows(min_row=3) if r[2].value == "'=1+1")
    assert [cell.value for cell in row[6:8]] == ["'@SUM(1)", "'-2+3"]
    assert all(row[index].data_type == "s" for index in (2, 6, 7))


def test_control_characters_pasted_into_text_do_not_break_the_exports(client, tree, office_staff, own_list):
    # Word's manual line break arrives as a vertical tab; openpyxl refuses it and other control characters.
    add_task(own_list, office_staff, title="会议\x0b纪要\x01", standard="=\x02有记录")
    client.force_login(office_staff)
    workbook = read(client.get(reverse("responsibilities:ledger_export", args=[tree["own"].pk]), {"year": YEAR}))
    row = next(r for r in workbook["党委（党组）"].iter_rows(min_row=3, values_only=True) if r[2] == "会议\n纪要")
    assert row[6] == "'=有记录"
    subtree = client.get(reverse("responsibilities:subtree_tasks_export", args=[tree["own"].pk]), {"year": YEAR})
    assert subtree.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(subtree.streaming_content))).active.iter_rows(values_only=True))
    assert any("会议\n纪要" in row for row in rows)


def test_ledger_marks_overdue_tasks_as_of_today(tree, superuser, own_list):
    add_task(own_list, superuser, title="半年总结", deadline=date(YEAR, 6, 30))
    workbook = excel.ledger_workbook(
        tree["own"], YEAR, lists_with_items([own_list], date(YEAR, 7, 1)), today=date(YEAR, 7, 1)
    )
    row = next(r for r in workbook.active.iter_rows(min_row=3, values_only=True) if r[2] == "半年总结")
    assert row[9] == "未开始（逾期）"


def test_ledger_has_a_sheet_per_visible_list_and_a_note_when_there_is_none(client, tree, superuser, secretary):
    client.force_login(secretary)
    url = reverse("responsibilities:ledger_export", args=[tree["own"].pk])
    empty = read(client.get(url, {"year": YEAR}))
    assert "还没有" in empty.active["A2"].value
    committee_list(tree["own"], superuser)
    titles = read(client.get(url, {"year": YEAR})).sheetnames
    assert titles == ["党委（党组）", "王书记 · 党委（党组）书记"]


# ---- Roll-up ----------------------------------------------------------------------------------


@on_day(date(YEAR, 6, 15))
def test_rollup_export_counts_every_task_of_the_subtree(client, tree, superuser, office_staff, own_list):
    child_list = committee_list(tree["child"], superuser)
    add_task(own_list, superuser)
    add_task(own_list, superuser, status=TaskStatus.DONE, completed_on=date(YEAR, 1, 5))
    add_task(child_list, superuser, status=TaskStatus.IN_PROGRESS)
    add_task(child_list, superuser, deadline=date(YEAR, 3, 31))  # overdue on 15 June
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:rollup_export", args=[tree["own"].pk]), {"year": YEAR})
    assert quote(f"汇总表-P-C-{YEAR}.xlsx") in response["Content-Disposition"]
    sheet = read(response).active
    assert [cell.value for cell in sheet[2]] == [
        "组织",
        "任务总数",
        "已完成",
        "进行中",
        "未开始",
        "逾期",
        "完成率(%)",
        "是否明显落后",
        "督办",
        "督办已反馈",
        "督办已办结",
        "督办逾期",
    ]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=3, max_row=5, values_only=True)}
    total = rows["合计"]
    assert total[1:6] == (4, 1, 1, 2, 1)  # tasks, done, in progress, not started, overdue
    assert total[6] == 25  # 1 of 4 done
    assert rows["测试市委（本级）"][1:3] == (2, 1)
    assert rows["测试县委"][1:3] == (2, 0) and rows["测试县委"][7] == "是"


# ---- Import template --------------------------------------------------------------------------


def test_import_template_has_the_header_and_the_lists_items(client, office_staff, own_list):
    client.force_login(office_staff)
    workbook = read(client.get(reverse("responsibilities:import_template", args=[own_list.pk])))
    assert workbook.sheetnames == ["任务导入", "说明"]
    assert [cell.value for cell in workbook["任务导入"][1]] == HEADERS
    notes = [value for row in workbook["说明"].iter_rows(values_only=True) for value in row if value]
    assert "发挥党的领导核心作用" in notes and "完善抓党建相关制度" in notes
    assert any(f"{YEAR} 年之内" in str(value) for value in notes)


def test_the_template_filled_in_imports(superuser, own_list):
    workbook = excel.import_template_workbook(own_list)
    for column, value in enumerate(good_row(), start=1):
        workbook["任务导入"].cell(row=2, column=column, value=value)
    upload = SimpleUploadedFile("t.xlsx", xlsx.workbook_bytes(workbook))
    rows, errors = excel.parse_task_import(upload, own_list)
    assert errors == [] and [(row.row, row.title) for row in rows] == [(2, "召开党委理论学习中心组学习会")]


# ---- Import: parsing --------------------------------------------------------------------------


@pytest.fixture
def people(tree):
    return {
        "zhang": PersonFactory(home_organisation=tree["own"], name="张三"),
        "li_own": PersonFactory(home_organisation=tree["own"], name="李四"),
        "li_child": PersonFactory(home_organisation=tree["child"], name="李四"),
        "wang_sibling": PersonFactory(home_organisation=tree["sibling"], name="王五"),
    }


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        ({"item": 99}, "责任事项序号", "本清单没有第 99 项责任事项"),
        ({"item": "第一项"}, "责任事项序号", "应为整数序号"),
        ({"item": None}, "责任事项序号", "请填写责任事项序号"),
        ({"title": "  "}, "具体任务", "请填写具体任务"),
        ({"title": "长" * 301}, "具体任务", "不能超过 300 字（现有 301 字）"),
        ({"title": "=1+1"}, "具体任务", "不要使用公式"),
        ({"unit": "单" * 21}, "单位", "不能超过 20 字"),
        ({"deadline": f"{YEAR}/13/01"}, "完成时限(YYYY-MM-DD)", "日期格式不正确"),
        ({"deadline": f"{YEAR}-02-30"}, "完成时限(YYYY-MM-DD)", "日期格式不正确"),
        ({"deadline": datetime(YEAR + 1, 1, 1)}, "完成时限(YYYY-MM-DD)", "必须在清单年度"),
        ({"deadline": f"{YEAR - 1}-12-31"}, "完成时限(YYYY-MM-DD)", "必须在清单年度"),
        ({"deadline": None}, "完成时限(YYYY-MM-DD)", "请填写完成时限"),
        ({"quantity": -1}, "数量", "数量不能为负数"),
        ({"quantity": "许多"}, "数量", "数量应为数字"),
        ({"quantity": 1.234}, "数量", "2 位小数"),
        ({"quantity": None, "standard": ""}, "标准", "未填写数量的任务必须写明标准"),
        ({"person": "查无此人"}, "责任人姓名", "不是本组织或下级单位的在册干部"),
        ({"person": "王五"}, "责任人姓名", "不是本组织或下级单位的在册干部"),
        ({"person": "李四"}, "责任人姓名", "有 2 位干部名叫“李四”"),
    ],
)
def test_each_bad_cell_is_reported_with_row_column_and_reason(own_list, people, changes, column, reason):
    rows, errors = excel.parse_task_import(xlsx_file([good_row(), good_row(**changes)]), own_list)
    assert rows == []
    assert len(errors) == 1
    row, error_column, error_reason = errors[0]
    assert (row, error_column) == (3, column)
    assert reason in error_reason


def test_good_rows_are_parsed_with_excel_dates_text_dates_blank_rows_and_people(own_list, people):
    upload = xlsx_file(
        [
            good_row(person="张三", deadline=datetime(YEAR, 3, 1)),
            [None] * 8,
            ["", " ", None, None, None, None, None, None],
            good_row(item="2", quantity=None, standard="制度健全", deadline=f"{YEAR}-06-30"),
        ]
    )
    rows, errors = excel.parse_task_import(upload, own_list)
    assert errors == []
    assert [(row.row, row.item.number, row.deadline) for row in rows] == [
        (2, 1, date(YEAR, 3, 1)),
        (5, 2, date(YEAR, 6, 30)),
    ]
    assert rows[0].responsible_person == people["zhang"] and rows[0].quantity == 12
    assert rows[1].quantity is None and rows[1].standard == "制度健全"


def test_a_wrong_or_missing_header_is_reported(own_list):
    wrong = list(HEADERS)
    wrong[1] = "任务"
    _rows, errors = excel.parse_task_import(xlsx_file([good_row()], header=wrong), own_list)
    assert errors == [(1, "具体任务", "表头应为“具体任务”，现为“任务”。")]
    _rows, errors = excel.parse_task_import(xlsx_file([good_row()], header=HEADERS[:6]), own_list)
    assert [(row, column) for row, column, _reason in errors] == [(1, "要求"), (1, "责任人姓名")]
    _rows, errors = excel.parse_task_import(xlsx_file([], header=None), own_list)
    assert errors[0].row == 1 and "缺少表头" in errors[0].reason


def test_files_that_are_not_readable_xlsx_are_refused(own_list):
    legacy = SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    text = SimpleUploadedFile("tasks.xlsx", b"just some text, not a workbook")
    broken_zip = io.BytesIO()
    with zipfile.ZipFile(broken_zip, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
        archive.writestr("xl/workbook.xml", "garbage")
    broken = SimpleUploadedFile("broken.xlsx", broken_zip.getvalue())
    empty = xlsx_file([])
    expected = {legacy: "旧版 .xls", text: "不是 Excel", broken: "无法读取", empty: "没有要导入的任务"}
    for upload, reason in expected.items():
        rows, errors = excel.parse_task_import(upload, own_list)
        assert rows == [] and len(errors) == 1, upload.name
        assert errors[0].row is None and reason in errors[0].reason, upload.name


def test_more_than_the_row_limit_is_refused_with_a_clear_message(own_list):
    upload = xlsx_file([good_row()] * (excel.MAX_IMPORT_ROWS + 1))
    rows, errors = excel.parse_task_import(upload, own_list)
    assert rows == []
    assert [(error.row, error.reason) for error in errors] == [(None, errors[0].reason)]
    assert "一次最多导入 1000 行" in errors[0].reason


# ---- Import: service --------------------------------------------------------------------------


def parsed(responsibility_list, *rows):
    parsed_rows, errors = excel.parse_task_import(xlsx_file(list(rows)), responsibility_list)
    assert errors == []
    return parsed_rows


def test_service_imports_every_row_as_not_started_tasks(office_staff, own_list):
    created = tasks_import(
        responsibility_list=own_list, rows=parsed(own_list, good_row(), good_row(item=3)), by=office_staff
    )
    assert len(created) == 2
    assert set(Task.objects.filter(item__responsibility_list=own_list).values_list("item__number", "status")) == {
        (1, TaskStatus.NOT_STARTED),
        (3, TaskStatus.NOT_STARTED),
    }


def test_service_imports_nothing_when_one_row_breaks_a_rule(office_staff, own_list, sibling_list):
    rows = parsed(own_list, good_row(), good_row(item=2))
    rows[1].item = sibling_list.items.get(number=2)  # an item of another list
    with pytest.raises(ImportRejected) as raised:
        tasks_import(responsibility_list=own_list, rows=rows, by=office_staff)
    assert raised.value.row_errors == [(3, "责任事项序号", "该责任事项不属于这份清单。")]
    assert not Task.objects.exists()


def test_service_refuses_a_closed_list_and_keeps_the_reason_on_a_confirmed_one(office_staff, own_list):
    rows = parsed(own_list, good_row())
    ResponsibilityList.objects.filter(pk=own_list.pk).update(status=ListStatus.CONFIRMED)
    with pytest.raises(ValidationError) as raised:
        tasks_import(responsibility_list=own_list, rows=rows, by=office_staff)
    assert "reason" in raised.value.message_dict
    (task,) = tasks_import(responsibility_list=own_list, rows=rows, by=office_staff, reason="补充任务")
    event = task.events.select_related("pgh_context").get()
    assert event.pgh_context.metadata == {"user": office_staff.pk, "reason": "补充任务"}
    ResponsibilityList.objects.filter(pk=own_list.pk).update(status=ListStatus.CLOSED)
    with pytest.raises(ValidationError, match="已关闭"):
        tasks_import(responsibility_list=own_list, rows=rows, by=office_staff, reason="补充任务")
    assert Task.objects.count() == 1


def test_service_refuses_office_staff_of_another_organisation(tree, superuser, own_list):
    rows = parsed(own_list, good_row())
    stranger = get_user_model().objects.create_user(username="stranger", password="x")
    services.assignment_grant(user=stranger, organisation=tree["sibling"], role=Role.OFFICE_STAFF, by=superuser)
    with pytest.raises(PermissionDenied):
        tasks_import(responsibility_list=own_list, rows=rows, by=stranger)


# ---- Import: page -----------------------------------------------------------------------------


def test_import_page_with_one_bad_row_imports_nothing_and_lists_the_error(client, office_staff, own_list):
    client.force_login(office_staff)
    url = reverse("responsibilities:list_import", args=[own_list.pk])
    assert client.get(url).status_code == 200
    upload = xlsx_file([good_row(), good_row(deadline=f"{YEAR + 1}-01-15")])
    response = client.post(url, {"file": upload})
    assert response.status_code == 400
    assert not Task.objects.exists()
    assert response.context["row_errors"] == [
        (3, "完成时限(YYYY-MM-DD)", f"完成时限必须在清单年度（{YEAR} 年）之内。"),
    ]
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page and "未导入任何任务" in page


def test_import_page_with_a_good_file_imports_all_rows_and_says_how_many(client, office_staff, own_list):
    client.force_login(office_staff)
    upload = xlsx_file([good_row(), good_row(item=2, title="开展警示教育")])
    response = client.post(reverse("responsibilities:list_import", args=[own_list.pk]), {"file": upload}, follow=True)
    assert response.redirect_chain[0] == (own_list.get_absolute_url(), 302)
    assert Task.objects.filter(item__responsibility_list=own_list).count() == 2
    assert "已导入 2 项任务" in [str(message) for message in response.context["messages"]][0]


def test_import_page_refuses_a_file_that_is_not_xlsx(client, office_staff, own_list):
    client.force_login(office_staff)
    upload = SimpleUploadedFile("tasks.csv", "责任事项序号,具体任务\n1,学习\n".encode())
    response = client.post(reverse("responsibilities:list_import", args=[own_list.pk]), {"file": upload})
    assert response.status_code == 400
    assert "不是 Excel" in response.content.decode()
    assert not Task.objects.exists()


def test_import_page_of_a_closed_list_takes_no_upload(client, office_staff, own_list):
    ResponsibilityList.objects.filter(pk=own_list.pk).update(status=ListStatus.CLOSED)
    client.force_login(office_staff)
    url = reverse("responsibilities:list_import", args=[own_list.pk])
    page = client.get(url).content.decode()
    assert "不能再导入任务" in page and '<form method="post" enctype' not in page
    response = client.post(url, {"file": xlsx_file([good_row()])})
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_import_page_of_a_confirmed_list_asks_for_a_reason(client, office_staff, own_list):
    ResponsibilityList.objects.filter(pk=own_list.pk).update(status=ListStatus.CONFIRMED)
    client.force_login(office_staff)
    url = reverse("responsibilities:list_import", args=[own_list.pk])
    response = client.post(url, {"file": xlsx_file([good_row()])})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = client.post(url, {"file": xlsx_file([good_row()]), "reason": "年中补充"})
    assert response.status_code == 302 and Task.objects.count() == 1


# ---- Print ------------------------------------------------------------------------------------


def test_print_page_shows_the_list_header_and_its_tasks(client, tree, office_staff, own_list):
    add_task(own_list, office_staff, number=4, title="坚持民主集中制专题研讨", standard="形成纪要", quantity=None)
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:list_print", args=[own_list.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("测试市委", f"{YEAR} 年", "党委（党组）", "草稿", own_list.template.name, "坚持民主集中制专题研讨"):
        assert text in page, text
    assert "css/print.css" in page and "data-print" in page
    assert "style=" not in page and "<script>" not in page


# ---- Access -----------------------------------------------------------------------------------


def new_urls(organisation, responsibility_list):
    return [
        reverse("responsibilities:ledger_export", args=[organisation.pk]),
        reverse("responsibilities:rollup_export", args=[organisation.pk]),
        reverse("responsibilities:import_template", args=[responsibility_list.pk]),
        reverse("responsibilities:list_import", args=[responsibility_list.pk]),
        reverse("responsibilities:list_print", args=[responsibility_list.pk]),
    ]


def test_anonymous_is_sent_to_login_from_every_new_page(client, tree, own_list):
    for url in new_urls(tree["own"], own_list):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_office_staff_of_a_sibling_organisation_get_404_everywhere(client, tree, office_staff, sibling_list):
    client.force_login(office_staff)
    for url in new_urls(tree["sibling"], sibling_list):
        assert client.get(url).status_code == 404, url
    url = reverse("responsibilities:list_import", args=[sibling_list.pk])
    assert client.post(url, {"file": xlsx_file([good_row()])}).status_code == 404
    assert not Task.objects.exists()


def test_readers_may_export_and_print_but_not_import(client, tree, inspector, own_list):
    client.force_login(inspector)
    urls = new_urls(tree["own"], own_list)
    for url in urls[:2] + urls[4:]:
        assert client.get(url).status_code == 200, url
    for url in urls[2:4]:
        assert client.get(url).status_code == 404, url


# ---- Query counts -----------------------------------------------------------------------------


def test_export_and_print_query_counts_do_not_grow_with_tasks(client, tree, superuser, office_staff, own_list):
    person = PersonFactory(home_organisation=tree["own"])
    add_task(own_list, superuser, responsible_person=person)
    client.force_login(office_staff)
    urls = [
        reverse("responsibilities:ledger_export", args=[tree["own"].pk]) + f"?year={YEAR}",
        reverse("responsibilities:rollup_export", args=[tree["own"].pk]) + f"?year={YEAR}",
        reverse("responsibilities:list_print", args=[own_list.pk]),
    ]
    few = [queries_for(client, url) for url in urls]
    for index in range(49):
        add_task(
            own_list,
            superuser,
            number=index % 15 + 1,
            title=f"任务{index}",
            responsible_person=PersonFactory(home_organisation=tree["own"]),
        )
    assert [queries_for(client, url) for url in urls] == few


def test_subtree_ledger_shows_responsible_progress_requirement_and_evidence_with_an_autofilter(
    client, tree, superuser, office_staff, own_list
):
    from tests.responsibilities.list_factories import pdf

    person = PersonFactory(home_organisation=tree["own"], name="钱责任")
    task = add_task(own_list, superuser, title="专题党课", requirement="书记带头讲", responsible_person=person)
    add_task(own_list, superuser, title="谈心谈话")
    services.progress_record(task=task, text="已讲一次", percent=40, by=superuser, files=[pdf(), pdf("照片.pdf")])
    client.force_login(office_staff)
    response = client.get(reverse("responsibilities:subtree_tasks_export", args=[tree["own"].pk]), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][12:] == ("责任人", "进度", "要求", "佐证材料（份）")
    by_title = {row[5]: row[12:] for row in rows[1:]}
    assert by_title == {"专题党课": ("钱责任", "40%", "书记带头讲", 2), "谈心谈话": (None, "0%", None, 0)}
    assert sheet.auto_filter.ref == "A2:P4"
    assert sheet.freeze_panes == "A3"
