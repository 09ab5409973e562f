"""Excel files of the responsibility lists: the ledger (台账), the roll-up (汇总表) and task import.

Building and reading only: no writes to the database. The import format's headers are fixed Chinese
words, not translated, because a file format is a contract between a download and an upload that
may happen under different interface languages.
"""

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.excel import (
    ALERT_FONT,
    BORDER,
    DATE_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    TITLE_FONT,
    WRAP,
    header_row,
    print_setup,
    put,
    safe,
    sheet_title,
    table_workbook,
    title_row,
)
from core.forms import as_id
from core.uploads import sniff
from responsibilities import rules
from responsibilities.models import ListKind, Person, TaskStatus

# A ledger cell's whole look as one named style: assigning alignment, border and font one by one
# makes openpyxl hash each of them per cell, which was most of the time of a county's ledger.
CELL_STYLE, DATE_STYLE, ALERT_STYLE = "台账", "台账日期", "台账提醒"


def _add_cell_styles(workbook: Workbook) -> None:
    for name, extra in (
        (CELL_STYLE, {}),
        (DATE_STYLE, {"number_format": DATE_FORMAT}),
        (ALERT_STYLE, {"font": ALERT_FONT}),
    ):
        workbook.add_named_style(NamedStyle(name=name, alignment=WRAP, border=BORDER, **extra))


# ---- Ledger (台账) -----------------------------------------------------------------------------


def ledger_columns() -> list[tuple[str, int]]:
    return [
        (_("序号"), 6),
        (_("责任事项"), 24),
        (_("具体任务"), 36),
        (_("数量"), 8),
        (_("单位"), 8),
        (_("完成时限"), 12),
        (_("标准"), 28),
        (_("要求"), 28),
        (_("责任人"), 10),
        (_("状态"), 14),
        (_("最新进度(%)"), 10),
        (_("完成日期"), 12),
        (_("佐证材料数"), 10),
    ]


def list_label(responsibility_list) -> str:
    """A list's name on its sheet tab: 党委（党组）, or 王某 · 党委（党组）书记 for a personal list."""
    kind = responsibility_list.get_kind_display()
    if responsibility_list.person_id:
        return f"{responsibility_list.person.name} · {kind}"
    return kind


def status_text(task, today: date) -> str:
    label = TaskStatus(task.status).label
    if rules.is_overdue(task.status == TaskStatus.DONE, task.deadline, today):
        return _("%(status)s（逾期）") % {"status": label}
    return str(label)


def _ledger_sheet(sheet, organisation, year: int, responsibility_list, items, today: date) -> None:
    columns = ledger_columns()
    title_row(
        sheet,
        _("%(organisation)s %(year)s 年从严治党责任清单台账 · %(list)s（%(status)s，截至 %(today)s）")
        % {
            "organisation": organisation.name,
            "year": year,
            "list": list_label(responsibility_list),
            "status": responsibility_list.get_status_display(),
            "today": today.isoformat(),
        },
        len(columns),
    )
    header_row(sheet, 2, columns)
    row = 3
    for item in items:
        for task in item.active_tasks or [None]:
            values = [item.number, item.title]
            overdue = False
            if task is not None:
                overdue = rules.is_overdue(task.status == TaskStatus.DONE, task.deadline, today)
                values += [
                    task.title,
                    task.quantity,
                    task.unit,
                    task.deadline,
                    task.standard,
                    task.requirement,
                    task.responsible_person.name if task.responsible_person else "",
                    status_text(task, today),
                    getattr(task, "latest_percent", 0),
                    task.completed_on,
                    getattr(task, "evidence_count", 0),
                ]
            values += [None] * (len(columns) - len(values))
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=row, column=column, value=safe(value))
                if column in (6, 12):
                    cell.style = DATE_STYLE
                elif column == 10 and overdue:
                    cell.style = ALERT_STYLE
                else:
                    cell.style = CELL_STYLE
            row += 1
    print_setup(sheet, header_row=2)


def ledger_workbook(organisation, year: int, lists_with_items, today: date | None = None) -> Workbook:
    """An organisation's lists of a year, one sheet per list, each with its items and active tasks.

    ``lists_with_items`` holds (list, items) pairs; each item carries ``active_tasks`` annotated with
    ``latest_percent`` and ``evidence_count`` (see ``selectors.exports.lists_with_items``).
    """
    today = today or timezone.localdate()
    workbook = Workbook()
    workbook.remove(workbook.active)
    _add_cell_styles(workbook)
    taken: set[str] = set()
    for responsibility_list, items in lists_with_items:
        sheet = workbook.create_sheet(sheet_title(list_label(responsibility_list), taken))
        _ledger_sheet(sheet, organisation, year, responsibility_list, items, today)
    if not workbook.worksheets:
        sheet = workbook.create_sheet(sheet_title(_("台账"), taken))
        title_row(
            sheet,
            _("%(organisation)s %(year)s 年从严治党责任清单台账") % {"organisation": organisation.name, "year": year},
            len(ledger_columns()),
        )
        put(sheet, 2, 1, _("该年度还没有您可查看的责任清单。"), font=NOTE_FONT)
    return workbook


# ---- Roll-up (汇总表) ---------------------------------------------------------------------------


def rollup_columns() -> list[tuple[str, int]]:
    return [
        (_("组织"), 30),
        (_("任务总数"), 10),
        (_("已完成"), 10),
        (_("进行中"), 10),
        (_("未开始"), 10),
        (_("逾期"), 10),
        (_("完成率(%)"), 11),
        (_("是否明显落后"), 13),
        (_("督办"), 8),
        (_("督办已反馈"), 11),
        (_("督办已办结"), 11),
        (_("督办逾期"), 10),
    ]


def _rollup_row(
    sheet, row: int, label: str, counts: rules.Counts, orders: rules.OrderCounts, lagging: bool | None, font=None
) -> None:
    values = [label, counts.total, counts.done, counts.in_progress, counts.not_started, counts.overdue, counts.rate]
    for column, value in enumerate(values, start=1):
        put(sheet, row, column, value, number_format="0.0" if column == 7 else None, font=font)
    flag = "" if lagging is None else (_("是") if lagging else _("否"))
    put(sheet, row, 8, flag, font=ALERT_FONT if lagging else font)
    for column, value in enumerate((orders.issued, orders.answered, orders.closed), start=9):
        put(sheet, row, column, value, font=font)
    put(sheet, row, 12, orders.overdue, font=ALERT_FONT if orders.overdue else font)
    for column in range(1, 13):
        sheet.cell(row=row, column=column).border = BORDER


def rollup_workbook(organisation, rollup, today: date | None = None) -> Workbook:
    """The subtree summary: the organisation's own lists (本级), each child's subtree, and the total."""
    today = today or timezone.localdate()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("汇总表"), set())
    columns = rollup_columns()
    title_row(
        sheet,
        _("%(organisation)s %(year)s 年责任清单落实情况汇总表（截至 %(today)s）")
        % {"organisation": organisation.name, "year": rollup.year, "today": today.isoformat()},
        len(columns),
    )
    header_row(sheet, 2, columns)
    _rollup_row(sheet, 3, _("%(name)s（本级）") % {"name": organisation.name}, rollup.own, rollup.own_orders, None)
    row = 4
    for entry in rollup.rows:
        _rollup_row(sheet, row, entry.organisation.name, entry.counts, entry.orders, entry.lagging)
        row += 1
    _rollup_row(sheet, row, _("合计"), rollup.subtree, rollup.subtree_orders, None, font=HEADER_FONT)
    put(
        sheet,
        row + 2,
        1,
        _(
            "完成率 = 已完成 ÷ 任务总数；“明显落后”：完成率比全辖区低 %(points)s 个百分点及以上；"
            "逾期：未完成且已过完成时限。督办：反馈期限在本年度的督办（含下级收到的），"
            "督办逾期：已过反馈期限仍未反馈或被退回。"
        )
        % {"points": rules.LAG_THRESHOLD_POINTS},
        font=NOTE_FONT,
    )
    print_setup(sheet, header_row=2, landscape=False)
    return workbook


# ---- Import -----------------------------------------------------------------------------------

# (field, header) of the import format, in column order. Fixed words: see the module docstring.
IMPORT_COLUMNS = [
    ("item_number", "责任事项序号"),
    ("title", "具体任务"),
    ("quantity", "数量"),
    ("unit", "单位"),
    ("deadline", "完成时限(YYYY-MM-DD)"),
    ("standard", "标准"),
    ("requirement", "要求"),
    ("responsible_person", "责任人姓名"),
]
HEADER_OF = dict(IMPORT_COLUMNS)
IMPORT_WIDTHS = [12, 40, 8, 8, 20, 30, 30, 12]
MAX_IMPORT_ROWS = 1000
# Rows read at most, blank ones included: a file of a million styled empty rows is refused early.
MAX_SCANNED_ROWS = 10 * MAX_IMPORT_ROWS
MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 30 * 1024 * 1024
MAX_LENGTH = {"title": 300, "unit": 20}
QUANTITY_MAX = Decimal("99999999.99")  # the model's 10 digits, 2 of them decimals


def import_template_workbook(responsibility_list) -> Workbook:
    """A file to fill in and upload: the import header, and a sheet 说明 with the list's items and the rules."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务导入"
    header_row(
        sheet, 1, [(header, width) for (_field, header), width in zip(IMPORT_COLUMNS, IMPORT_WIDTHS, strict=True)]
    )
    items = list(responsibility_list.items.order_by("number").values_list("number", "title"))
    numbers = ",".join(str(number) for number, _title in items)
    if numbers and len(numbers) < 250:  # Excel's limit for an inline list
        validation = DataValidation(type="list", formula1=f'"{numbers}"', allow_blank=True)
        validation.error = _("请填写本清单的责任事项序号，见“说明”工作表。")
        validation.errorTitle = _("责任事项序号")
        sheet.add_data_validation(validation)
        validation.add(f"A2:A{MAX_IMPORT_ROWS + 1}")
    for row in range(2, MAX_IMPORT_ROWS + 2):
        sheet.cell(row=row, column=5).number_format = "@"  # keep typed dates as text YYYY-MM-DD

    notes = workbook.create_sheet("说明")
    notes.column_dimensions["A"].width = 12
    notes.column_dimensions["B"].width = 80
    organisation = responsibility_list.organisation
    put(
        notes,
        1,
        1,
        _("%(organisation)s %(year)s 年 · %(list)s：任务导入说明")
        % {
            "organisation": organisation.name,
            "year": responsibility_list.year,
            "list": list_label(responsibility_list),
        },
        font=TITLE_FONT,
    )
    rules_text = [
        _("在“任务导入”工作表第 2 行起逐行填写，每行一项具体任务；不要修改第 1 行表头。空行会被跳过。"),
        _("责任事项序号：填写下表中的序号。"),
        _("具体任务：必填，不超过 %(n)s 字。") % {"n": MAX_LENGTH["title"]},
        _("数量：不小于 0 的数字；定性任务可不填数量，但必须填写“标准”。"),
        _("单位：例如 次、篇、人次，不超过 %(n)s 字。") % {"n": MAX_LENGTH["unit"]},
        _("完成时限：必填，格式 YYYY-MM-DD，必须在 %(year)s 年之内。") % {"year": responsibility_list.year},
        _("责任人姓名：可不填；填写时必须是本组织或下级单位的干部，且姓名在其中唯一（重名的请在系统中逐条添加）。"),
        _("一次最多导入 %(n)s 行。任何一行有错误时，整个文件都不会导入，请按提示修改后重新上传。")
        % {"n": MAX_IMPORT_ROWS},
        _("导入的任务状态均为“未开始”。清单已确认的，导入时须填写修改原因；年度已关闭的清单不能导入。"),
    ]
    for row, text in enumerate(rules_text, start=3):
        put(notes, row, 1, f"{row - 2}.")
        put(notes, row, 2, text).alignment = WRAP
    start = len(rules_text) + 4
    header_row(notes, start, [(_("序号"), 12), (_("责任事项"), 80)])
    notes.freeze_panes = None
    for offset, (number, title) in enumerate(items, start=1):
        put(notes, start + offset, 1, number)
        put(notes, start + offset, 2, title)
    workbook.active = 0
    return workbook


@dataclass
class TaskRow:
    """One valid row of an import file."""

    row: int
    item: object  # ListItem
    title: str
    quantity: Decimal | None
    unit: str
    deadline: date
    standard: str
    requirement: str
    responsible_person: Person | None


class RowError(NamedTuple):
    """Why a row (or the whole file, when ``row`` is None) cannot be imported: (row, column header, reason)."""

    row: int | None
    column: str
    reason: str

    def __str__(self):
        if self.row is None:
            return self.reason
        if self.column:
            return _("第 %(row)s 行“%(column)s”：%(reason)s") % {
                "row": self.row,
                "column": self.column,
                "reason": self.reason,
            }
        return _("第 %(row)s 行：%(reason)s") % {"row": self.row, "reason": self.reason}


class _CellError(Exception):
    pass


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _item_number(value) -> int:
    if isinstance(value, bool):
        raise _CellError(_("应为整数序号。"))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and (number := as_id(value.strip())) is not None:
        return number
    raise _CellError(_("应为整数序号。"))


def _quantity(value) -> Decimal | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, datetime | date):
        raise _CellError(_("数量应为数字。"))
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise _CellError(_("数量应为数字。")) from None
    if not number.is_finite():
        raise _CellError(_("数量应为数字。"))
    if number > QUANTITY_MAX or number != number.quantize(Decimal("0.01")):
        raise _CellError(_("数量最多 8 位整数、2 位小数。"))
    return number


def _deadline(value, year: int) -> date:
    if _is_blank(value):
        raise _CellError(_("请填写完成时限。"))
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = datetime.strptime(value.strip(), "%Y-%m-%d").date()
        except ValueError:
            raise _CellError(_("日期格式不正确，应为 YYYY-MM-DD，例如 %(year)s-06-30。") % {"year": year}) from None
    else:
        raise _CellError(_("日期格式不正确，应为 YYYY-MM-DD，例如 %(year)s-06-30。") % {"year": year})
    if problem := rules.deadline_problem(day, year):
        raise _CellError(problem)
    return day


def _people_by_name(responsibility_list, names: set[str]) -> dict[str, list[Person]]:
    """Active cadres of the list's organisation and below with these names: one query."""
    found: dict[str, list[Person]] = {name: [] for name in names}
    if not names:
        return found
    people = Person.objects.active().filter(
        name__in=names, home_organisation__path__startswith=responsibility_list.organisation.path
    )
    for person in people.select_related("home_organisation"):
        found[person.name].append(person)
    return found


def _file_error(reason: str) -> RowError:
    return RowError(None, "", reason)


def _unreadable() -> RowError:
    return _file_error(_("无法读取该 Excel 文件，文件可能已损坏，请重新另存为 .xlsx 后上传。"))


def _open_sheet(upload):
    """The workbook and its first worksheet, or a RowError saying why the upload cannot be read."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        return None, _file_error(_("文件过大：导入文件不能超过 %(mb)s MB。") % {"mb": MAX_IMPORT_BYTES // 2**20})
    if size == 0:
        return None, _file_error(_("文件是空的。"))
    kind = sniff(upload)
    if kind == "ole":
        return None, _file_error(_("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。"))
    if kind != "xlsx":
        return None, _file_error(_("文件不是 Excel（.xlsx）文件，请下载导入模板填写后上传。"))
    try:
        # A small file that unpacks to gigabytes (a zip bomb) is refused before openpyxl reads it.
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        upload.seek(0)
        if unpacked > MAX_UNPACKED_BYTES:
            return None, _file_error(_("文件内容过大，请删除多余的内容或分批导入。"))
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds of errors on a broken or crafted file
        return None, _unreadable()
    if not workbook.worksheets:
        workbook.close()
        return None, _unreadable()
    return (workbook, workbook.worksheets[0]), None


def _check_header(cells) -> list[RowError]:
    values = [_text(cell.value) for cell in cells] if cells else []
    values += [""] * (len(IMPORT_COLUMNS) - len(values))
    errors = []
    if not any(values):
        return [RowError(1, "", _("缺少表头：第 1 行应为导入模板的表头，请使用导入模板。"))]
    for (_field, header), value in zip(IMPORT_COLUMNS, values, strict=False):
        if value != header:
            reason = _("缺少表头“%(header)s”。") if not value else _("表头应为“%(header)s”，现为“%(value)s”。")
            errors.append(RowError(1, header, reason % {"header": header, "value": value}))
    return errors


def parse_task_import(upload, responsibility_list) -> tuple[list[TaskRow], list[RowError]]:
    """Read and check every row of an uploaded .xlsx against the list; rows are usable only without errors.

    Errors are RowError(row, column header, reason): the row number as Excel shows it, and None
    for an error of the whole file. Two queries: the list's items and the named cadres.
    """
    opened, error = _open_sheet(upload)
    if error:
        return [], [error]
    workbook, sheet = opened
    try:
        return _parse_rows(sheet, responsibility_list)
    except Exception:  # a file that opens but breaks while its rows are streamed
        return [], [_unreadable()]
    finally:
        workbook.close()


def _parse_rows(sheet, responsibility_list) -> tuple[list[TaskRow], list[RowError]]:
    width = len(IMPORT_COLUMNS)
    rows_iter = sheet.iter_rows(min_row=1, max_col=width)
    header_errors = _check_header(next(rows_iter, None))
    if header_errors:
        return [], header_errors

    raw: list[tuple[int, dict, set]] = []
    for number, cells in enumerate(rows_iter, start=2):
        if number > MAX_SCANNED_ROWS:
            reason = _("文件行数过多（含空行超过 %(n)s 行），请删除多余的行后重新上传。")
            return [], [_file_error(reason % {"n": MAX_SCANNED_ROWS})]
        values = dict.fromkeys(HEADER_OF)
        formulas = set()
        for (field, _header), cell in zip(IMPORT_COLUMNS, cells, strict=False):
            values[field] = cell.value
            if getattr(cell, "data_type", None) == "f":
                formulas.add(field)
        if all(_is_blank(value) for value in values.values()):
            continue
        if len(raw) >= MAX_IMPORT_ROWS:
            reason = _("一次最多导入 %(n)s 行任务，该文件超过了这个数量，请分成几个文件导入。")
            return [], [_file_error(reason % {"n": MAX_IMPORT_ROWS})]
        raw.append((number, values, formulas))
    if not raw:
        return [], [_file_error(_("文件中没有要导入的任务：请从第 2 行起填写。"))]

    items = {item.number: item for item in responsibility_list.items.all()}
    names = {_text(values["responsible_person"]) for _number, values, formulas in raw if not formulas} - {""}
    people = _people_by_name(responsibility_list, names)
    rows: list[TaskRow] = []
    errors: list[RowError] = []
    for number, values, formulas in raw:
        row_errors, task_row = _check_row(number, values, formulas, items, people, responsibility_list.year)
        errors.extend(row_errors)
        if task_row is not None:
            rows.append(task_row)
    return (rows if not errors else []), errors


def _numbers_text(numbers: list[int]) -> str:
    """A run of numbers as 1–15, others as 1、3、4."""
    if not numbers:
        return "—"
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return "、".join(str(number) for number in numbers)


def _check_row(number: int, values: dict, formulas: set, items: dict, people: dict, year: int):
    """The row's errors in column order, or the TaskRow it describes."""
    errors: list[RowError] = []
    # A formula cell's stored text is not what the user saw: say so, and judge nothing else in that cell.
    for field, header in IMPORT_COLUMNS:
        if field in formulas:
            errors.append(RowError(number, header, _("请直接填写内容，不要使用公式。")))

    def fail(field, reason):
        if field not in formulas:
            errors.append(RowError(number, HEADER_OF[field], reason))

    item = None
    if _is_blank(values["item_number"]):
        fail("item_number", _("请填写责任事项序号。"))
    else:
        try:
            item_number = _item_number(values["item_number"])
        except _CellError as error:
            fail("item_number", str(error))
        else:
            item = items.get(item_number)
            if item is None:
                fail(
                    "item_number",
                    _("本清单没有第 %(n)s 项责任事项（可填 %(numbers)s）。")
                    % {"n": item_number, "numbers": _numbers_text(sorted(items))},
                )

    title = _text(values["title"])
    if not title:
        fail("title", _("请填写具体任务。"))
    unit = _text(values["unit"])
    for field, text in (("title", title), ("unit", unit)):
        if len(text) > MAX_LENGTH[field]:
            fail(
                field,
                _("不能超过 %(max)s 字（现有 %(n)s 字）。") % {"max": MAX_LENGTH[field], "n": len(text)},
            )

    quantity, quantity_read = None, True
    try:
        quantity = _quantity(values["quantity"])
    except _CellError as error:
        quantity_read = False
        fail("quantity", str(error))
    standard = _text(values["standard"])
    if quantity_read:  # the deadline is judged below with its cell's format
        for field, message in rules.task_problems(
            quantity=quantity, unit=unit, standard=standard, deadline=None, year=year
        ).items():
            fail(field, message)

    deadline = None
    try:
        deadline = _deadline(values["deadline"], year)
    except _CellError as error:
        fail("deadline", str(error))

    person = None
    name = _text(values["responsible_person"])
    if name:
        matches = people.get(name, [])
        if not matches:
            fail("responsible_person", _("“%(name)s”不是本组织或下级单位的在册干部。") % {"name": name})
        elif len(matches) > 1:
            fail(
                "responsible_person",
                _("本组织及下级有 %(n)s 位干部名叫“%(name)s”，无法确定是哪一位，请在系统中逐条添加该任务。")
                % {"n": len(matches), "name": name},
            )
        else:
            person = matches[0]

    if errors:
        order = [header for _field, header in IMPORT_COLUMNS]
        return sorted(errors, key=lambda error: order.index(error.column)), None
    return [], TaskRow(
        row=number,
        item=item,
        title=title,
        quantity=quantity,
        unit=unit,
        deadline=deadline,
        standard=standard,
        requirement=_text(values["requirement"]),
        responsible_person=person,
    )


# ---- The subtree's task ledger (全辖区任务台账), streamed --------------------------------------


def subtree_columns() -> list[tuple[str, int]]:
    return [
        (_("组织"), 28),
        (_("组织代码"), 14),
        (_("清单"), 22),
        (_("序号"), 6),
        (_("责任事项"), 24),
        (_("具体任务"), 36),
        (_("数量"), 8),
        (_("单位"), 8),
        (_("完成时限"), 12),
        (_("标准"), 28),
        (_("状态"), 14),
        (_("完成日期"), 12),
        (_("责任人"), 10),
        (_("进度"), 8),
        (_("要求"), 28),
        (_("佐证材料（份）"), 10),
    ]


def write_subtree_ledger(output, organisation, year: int, rows, today: date) -> int:
    """Write every task of a subtree's lists to ``output`` as a write-only workbook; returns the row count.

    ``rows`` is an iterator of value tuples (see ``selectors.exports.subtree_task_rows``); openpyxl's
    write-only mode streams each row to a temporary file, so memory stays flat however many rows.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title(_("全辖区任务台账"), set()))
    columns = subtree_columns()
    for index, (_header, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    title = WriteOnlyCell(
        sheet, value=safe(_("%(name)s %(year)s 年全辖区责任清单任务台账") % {"name": organisation.name, "year": year})
    )
    title.font = TITLE_FONT
    sheet.append([title])
    headers = []
    for header, _width in columns:
        cell = WriteOnlyCell(sheet, value=safe(str(header)))
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BORDER
        headers.append(cell)
    sheet.append(headers)
    count = 0
    # Labels looked up once, not per row: a province's export has half a million rows.
    kinds = {kind: str(kind.label) for kind in ListKind}
    statuses = {status: str(status.label) for status in TaskStatus}
    late = str(_("（逾期）"))
    for (
        org_name,
        org_code,
        kind,
        person,
        number,
        item,
        title_text,
        quantity,
        unit,
        deadline,
        standard,
        status,
        completed_on,
        responsible,
        progress,
        requirement,
        evidence,
    ) in rows:
        label = kinds[kind] if not person else f"{person} · {kinds[kind]}"
        overdue = rules.is_overdue(status == TaskStatus.DONE, deadline, today)
        status_label = statuses[status] + (late if overdue else "")
        deadline_cell = WriteOnlyCell(sheet, value=deadline)
        deadline_cell.number_format = DATE_FORMAT
        completed_cell = WriteOnlyCell(sheet, value=completed_on)
        completed_cell.number_format = DATE_FORMAT
        sheet.append(
            [
                safe(org_name),
                safe(org_code),
                safe(label),
                number,
                safe(item),
                safe(title_text),
                quantity,
                safe(unit),
                deadline_cell,
                safe(standard),
                status_label,
                completed_cell,
                safe(responsible or ""),
                f"{progress}%",
                safe(requirement),
                evidence,
            ]
        )
        count += 1
    # Written when the sheet closes, so the range can name the last row.
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{count + 2}"
    workbook.save(output)
    return count


def order_workbook(replies, today: date) -> Workbook:
    """The 督办台账: one row per recipient of each 督办, as the list page shows them."""
    columns = [
        (_("编号"), 16),
        (_("督办事项"), 40),
        (_("督办单位"), 24),
        (_("承办单位"), 24),
        (_("反馈期限"), 12),
        (_("状态"), 10),
        (_("预警"), 8),
        (_("反馈时间"), 18),
    ]
    rows = [
        (
            reply.order.number,
            reply.order.title,
            reply.order.issuer.name,
            reply.organisation.name,
            reply.order.reply_by,
            reply.get_status_display(),
            _("逾期") if reply.is_overdue(today) else "",
            timezone.localtime(reply.answered_at).strftime("%Y-%m-%d %H:%M") if reply.answered_at else "",
        )
        for reply in replies
    ]
    return table_workbook(_("督办台账"), _("督办"), columns, rows)
