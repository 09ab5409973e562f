"""Responsibility lists in the browser: office staff, the secretary, the annual roll-over, a refusal."""

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from playwright.sync_api import expect

from responsibilities import services
from responsibilities.models import (
    Evidence,
    ListKind,
    ProgressEntry,
    ResponsibilityList,
    RolloverJob,
    SupervisionNote,
    Task,
    TaskStatus,
    TeamRole,
)
from tests.e2e.conftest import menu_link
from tests.helpers import on_day
from tests.responsibilities.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A real (if tiny) PDF: the upload check recognises files by their first bytes.
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def section_of_item(page, number: int, title: str):
    return page.locator("main section.card", has=page.get_by_role("heading", name=f"{number}. {title}", exact=True))


# ---- 1. Office staff: generate, add a task, evidence, progress ----------------------------------


def test_office_staff_generates_lists_adds_a_task_with_evidence_and_completes_it(
    page, live_server, login, shoot, tree, office_staff, tmp_path
):
    year = timezone.localdate().year
    good_pdf = tmp_path / "学习记录.pdf"
    good_pdf.write_bytes(PDF_BYTES)
    program = tmp_path / "tool.exe"
    program.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    fake_pdf = tmp_path / "notes.pdf"
    fake_pdf.write_text("这只是一个改了扩展名的文本文件。\n", encoding="utf-8")

    login("office")
    menu_link(page, "组织架构").click()
    page.get_by_test_id("org-tree").get_by_role("link", name="测试市委", exact=True).click()
    expect(page.locator("h1")).to_contain_text("测试市委")
    shoot("lists-01-organisation")

    page.get_by_test_id("open-lists").click()
    expect(page.locator("h1")).to_contain_text("测试市委 · 责任清单")
    expect(page.get_by_test_id("lists-table")).to_contain_text(f"{year} 年还没有生成责任清单")
    shoot("lists-02-no-lists-yet")

    page.get_by_test_id("generate-lists").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已生成 {year} 年责任清单：新建 1 份")
    lists_table = page.get_by_test_id("lists-table")
    expect(lists_table).to_contain_text("党委（党组）")
    expect(lists_table).to_contain_text("草稿")
    shoot("lists-03-generated")

    lists_table.get_by_role("link", name="党委（党组）", exact=True).click()
    expect(page.locator("h1")).to_contain_text(f"{year} 年 · 党委（党组）责任清单")
    expect(page.locator("main section.card h2")).to_have_count(15)
    expect(page.get_by_role("heading", name="15. 完善抓党建相关制度", exact=True)).to_be_visible()
    shoot("lists-04-committee-list")

    section_of_item(page, 1, "发挥党的领导核心作用").get_by_role("link", name="添加任务").click()
    expect(page.locator("h1")).to_contain_text("添加任务")
    page.fill("#id_title", "党委理论学习中心组专题学习")
    page.fill("#id_quantity", "12")
    page.fill("#id_unit", "次")
    page.fill("#id_deadline", f"{year}-12-31")
    page.fill("#id_standard", "每月至少一次，每次不少于半天，有记录")
    page.fill("#id_requirement", "书记主持，班子成员交流发言")
    shoot("lists-05-task-form")
    page.get_by_role("button", name="保存").click()

    expect(page.locator(".alert-success")).to_contain_text("已添加任务。")
    first_item = section_of_item(page, 1, "发挥党的领导核心作用")
    for text in ("党委理论学习中心组专题学习", "12 次", f"{year}-12-31", "每月至少一次", "书记主持", "未开始", "0%"):
        expect(first_item).to_contain_text(text)
    shoot("lists-06-task-in-list")

    first_item.get_by_role("link", name="党委理论学习中心组专题学习").click()
    expect(page.locator("h1")).to_have_text("党委理论学习中心组专题学习")
    evidence_form = page.get_by_test_id("evidence-form")
    evidence_list = page.get_by_test_id("evidence-list")

    evidence_form.locator("#id_file").set_input_files(str(good_pdf))
    evidence_form.locator("#id_description").fill("第一次学习的签到表")
    evidence_form.get_by_role("button", name="上传").click()
    expect(page.locator(".alert-success")).to_contain_text("已上传佐证材料。")
    expect(evidence_list).to_contain_text("学习记录.pdf")
    expect(evidence_list).to_contain_text("第一次学习的签到表")
    shoot("lists-07-evidence-uploaded")

    evidence_form.locator("#id_file").set_input_files(str(program))
    evidence_form.get_by_role("button", name="上传").click()
    expect(page.locator("[data-field-error=file]")).to_contain_text("不支持的文件类型“.exe”")
    # Refused, the browser is back on the task's page, not on the upload's POST URL.
    expect(page).to_have_url(re.compile(r"/tasks/\d+/#evidence-form$"))
    expect(evidence_list.locator("li")).to_have_count(1)
    shoot("lists-08-exe-refused")

    evidence_form.locator("#id_file").set_input_files(str(fake_pdf))
    evidence_form.get_by_role("button", name="上传").click()
    expect(page.locator("[data-field-error=file]")).to_contain_text("文件内容与扩展名“.pdf”不符")
    expect(evidence_list.locator("li")).to_have_count(1)
    shoot("lists-09-fake-pdf-refused")
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["学习记录.pdf"]

    progress_form = page.get_by_test_id("progress-form")
    progress_form.locator("#id_percent").fill("100")
    progress_form.locator("#id_text").fill("全年 12 次专题学习已全部完成")
    progress_form.get_by_role("button", name="记录进展").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录进展。")
    expect(page.locator("main h1 + div .badge", has_text="已完成")).to_be_visible()
    expect(page.locator("main h1 + div")).not_to_contain_text("未开始")
    expect(page.get_by_test_id("progress-list")).to_contain_text("100%")
    expect(page.get_by_test_id("progress-list")).to_contain_text("全年 12 次专题学习已全部完成")
    shoot("lists-10-task-done")
    task = Task.objects.get(title="党委理论学习中心组专题学习")
    assert task.status == TaskStatus.DONE
    assert task.completed_on == timezone.localdate()

    # The ledger (台账) of the year, downloaded from the organisation's lists page, holds the task.
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/lists/?year={year}")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-ledger").click()
    download = download_info.value
    assert download.suggested_filename == f"台账-P-C-{year}.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    cells = {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row}
    assert {"党委理论学习中心组专题学习", "每月至少一次，每次不少于半天，有记录"} <= cells


# ---- 2. The secretary: supervision of the team and inline progress -----------------------------


@on_day(date(timezone.localdate().year, 6, 15))
def test_secretary_urges_a_team_member_and_reports_own_progress_in_place(
    page, live_server, login, shoot, tree, superuser, secretary
):
    today = timezone.localdate()
    year = today.year
    member = PersonFactory(home_organisation=tree["own"], name="赵委员", post="市委常委")
    services.membership_add(
        organisation=tree["own"], person=member, role=TeamRole.MEMBER, start_date=date(year - 1, 1, 1), by=superuser
    )
    services.lists_generate(organisation=tree["own"], year=year, by=superuser)
    member_list = ResponsibilityList.objects.get(organisation=tree["own"], year=year, person=member)
    services.task_create(
        item=member_list.items.get(number=1),
        by=superuser,
        title="督促分管部门落实意识形态工作责任制",
        quantity=Decimal("2"),
        unit="次",
        deadline=today - timedelta(days=1),
        standard="每半年专题听取一次汇报",
    )
    own_list = ResponsibilityList.objects.get(organisation=tree["own"], year=year, kind=ListKind.SECRETARY)
    own_task = services.task_create(
        item=own_list.items.get(number=1),
        by=superuser,
        title="主持召开全面从严治党专题会议",
        quantity=Decimal("4"),
        unit="次",
        deadline=date(year, 12, 31),
        standard="每季度一次",
    )

    login("secretary")
    menu_link(page, "我的责任清单").click()
    expect(page.locator("h1")).to_contain_text(f"我的责任清单 · {year} 年")
    team = page.get_by_test_id("team-lists")
    member_row = team.locator("tbody tr", has_text="赵委员")
    expect(member_row).to_have_count(1)
    cells = member_row.locator("td")
    expect(cells.nth(1)).to_have_text("班子其他成员")
    expect(cells.nth(2)).to_have_text("1")  # tasks
    expect(cells.nth(4)).to_have_text("1")  # overdue
    expect(member_row).to_have_class(re.compile(r"\btable-warning\b"))
    expect(cells.nth(5)).to_have_text("0")  # supervision notes
    shoot("lists-11-my-checklist")

    member_row.get_by_role("textbox", name="督促内容").fill("意识形态工作汇报已逾期，请本周内报送")
    member_row.get_by_role("button", name="记录").click()
    expect(page.locator(".alert-success")).to_contain_text("已记录督促情况。")
    expect(page).to_have_url(re.compile(r"/my/checklist/"))
    member_row = page.get_by_test_id("team-lists").locator("tbody tr", has_text="赵委员")
    expect(member_row.locator("td").nth(5)).to_have_text("1")
    shoot("lists-12-note-recorded")
    assert SupervisionNote.objects.filter(responsibility_list=member_list).count() == 1

    member_row.get_by_role("link", name="班子其他成员").click()
    expect(page.locator("h1")).to_contain_text(f"{year} 年 · 班子其他成员责任清单")
    expect(page.locator("#notes-heading")).to_have_text("书记督促记录")
    expect(page.get_by_test_id("supervision-notes")).to_contain_text("意识形态工作汇报已逾期，请本周内报送")
    shoot("lists-13-member-list-with-note")

    menu_link(page, "我的责任清单").click()
    row = page.locator(f"#task-row-{own_task.pk}")
    expect(row).to_contain_text("主持召开全面从严治党专题会议")
    expect(row.locator("td").nth(3)).to_have_text("0%")
    # A marker on the window survives only if the page is not reloaded.
    page.evaluate("window.sameDocument = true")
    inline = page.get_by_test_id(f"inline-progress-{own_task.pk}")
    inline.get_by_role("spinbutton", name="完成百分比").fill("60")
    # Blanks pass the browser's "required" but not the server: the row says why, in place, and
    # keeps what was typed.
    inline.get_by_role("textbox", name="进展情况").fill("   ")
    inline.get_by_role("button", name="填报").click()
    row = page.locator(f"#task-row-{own_task.pk}")
    expect(row.get_by_role("alert")).to_contain_text("进展情况")
    expect(row.get_by_role("spinbutton", name="完成百分比")).to_have_value("60")
    assert not ProgressEntry.objects.filter(task=own_task).exists()
    shoot("lists-14a-inline-progress-refused")
    inline = page.get_by_test_id(f"inline-progress-{own_task.pk}")
    inline.get_by_role("textbox", name="进展情况").fill("已召开三次专题会议")
    inline.get_by_role("button", name="填报").click()
    expect(row).to_contain_text("已记录进展。")
    expect(row.locator("td").nth(3)).to_have_text("60%")
    expect(row).to_contain_text("进行中")
    assert page.evaluate("window.sameDocument") is True
    shoot("lists-14-inline-progress")
    entry = ProgressEntry.objects.get(task=own_task)
    assert (entry.percent, entry.recorded_by_id) == (60, secretary.pk)


# ---- 3. Annual roll-over on the task queue, run by a real worker ------------------------------------------------


def test_office_staff_rolls_over_next_years_lists_for_the_whole_subtree(
    page, live_server, worker, login, shoot, tree, office_staff, secretary
):
    # The page queues the job; a real worker process runs it on the test database.
    assert not django_settings.JOBS_INLINE
    next_year = timezone.localdate().year + 1
    login("office")
    page.goto(f"{live_server.url}/orgs/{tree['own'].pk}/lists/")
    page.get_by_role("link", name="年度清单生成（含全部下级）").click()
    expect(page.locator("h1")).to_have_text("年度清单生成（含全部下级）")
    expect(page.locator("main")).to_contain_text("共 2 个")
    expect(page.locator("#id_year")).to_have_value(str(next_year))
    shoot("lists-20-rollover-form")
    page.get_by_test_id("start-rollover").click()

    expect(page).to_have_url(re.compile(r"/rollover/\d+/$"))
    expect(page.locator("h1")).to_contain_text(f"{next_year} 年清单生成 · 测试市委")
    # The page polls every second; wait for the end, then say why if the job failed.
    status = page.get_by_test_id("rollover-status")
    expect(status).to_have_text(re.compile(r"^(已完成|失败)$"), timeout=30_000)
    progress = page.get_by_test_id("rollover-progress")
    assert status.inner_text() == "已完成", progress.inner_text()
    expect(progress).to_contain_text("已处理 2 / 2 个组织")
    # City: committee list and the secretary's list; county: committee list.
    expect(page.get_by_test_id("rollover-summary")).to_have_text("新建清单 3 份；已存在、跳过 0 份。")
    shoot("lists-21-rollover-done")
    job = RolloverJob.objects.get()
    assert (job.status, job.year, job.lists_created) == ("done", next_year, 3)
    assert ResponsibilityList.objects.filter(year=next_year).count() == 3

    page.get_by_role("link", name="查看本组织的清单").click()
    lists_table = page.get_by_test_id("lists-table")
    expect(lists_table.locator("tbody tr")).to_have_count(2)
    expect(lists_table).to_contain_text("党委（党组）书记")
    expect(lists_table).to_contain_text("王书记")
    shoot("lists-22-next-year-lists")


# ---- 4. Refusal: nobody sees sideways -----------------------------------------------------------


def test_office_staff_cannot_open_a_sibling_organisations_list(
    page, live_server, login, shoot, tree, superuser, office_staff
):
    year = timezone.localdate().year
    services.lists_generate(organisation=tree["sibling"], year=year, by=superuser)
    sibling_list = ResponsibilityList.objects.get(organisation=tree["sibling"], year=year, kind=ListKind.COMMITTEE)
    task = services.task_create(
        item=sibling_list.items.get(number=1),
        by=superuser,
        title="兄弟市的任务",
        quantity=Decimal("1"),
        unit="次",
        deadline=date(year, 12, 31),
    )

    login("office")
    for path in (f"/lists/{sibling_list.pk}/", f"/orgs/{tree['sibling'].pk}/lists/", f"/tasks/{task.pk}/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404, path
        expect(page.locator("h1")).to_have_text("页面不存在")
        expect(page.locator("main")).not_to_contain_text("兄弟市")
    shoot("lists-30-sibling-list-404")
