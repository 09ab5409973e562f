"""The Excel writer every export uses: safe cells, styled headers, A4 print set-up, one-sheet tables,
and the download response."""

import re
from datetime import date
from io import BytesIO

from django.http import FileResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---- Cells ------------------------------------------------------------------------------------

# Text starting with one of these is read as a formula (or DDE payload) by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# Control characters a workbook cannot hold (openpyxl refuses them). Word's manual line break
# arrives as a vertical tab when text is pasted, and a form feed is a page break: both become a
# line break; the rest are dropped.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def safe(value):
    """A cell value that a spreadsheet will never evaluate (risky text gets a leading single quote)
    and that a workbook can hold (no control characters)."""
    if isinstance(value, Promise):  # a lazily translated label
        value = str(value)
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            value = ILLEGAL_CHARACTERS_RE.sub("", value.translate(_BREAKS))
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="F4D6D6")
TITLE_FONT = Font(bold=True, size=14)
NOTE_FONT = Font(italic=True, color="666666")
ALERT_FONT = Font(color="B71C1C", bold=True)
THIN = Side(style="thin", color="BBBBBB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE_FORMAT = "yyyy-mm-dd"


def put(sheet, row: int, column: int, value, *, number_format: str | None = None, font=None):
    """Write one cell through ``safe``: the only way values reach a worksheet in every export."""
    cell = sheet.cell(row=row, column=column, value=safe(value))
    if number_format:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def title_row(sheet, text: str, width: int) -> None:
    put(sheet, 1, 1, text, font=TITLE_FONT)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 24


def header_row(sheet, row: int, columns: list[tuple[str, int]]) -> None:
    """Bold filled headers, column widths, and the panes frozen below the header row."""
    for index, (header, width) in enumerate(columns, start=1):
        cell = put(sheet, row, index, header, font=HEADER_FONT)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=row + 1, column=1)


def print_setup(sheet, header_row: int, landscape: bool = True) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


# Characters Excel refuses in sheet titles, and its length limit.
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_MAX = 31


def sheet_title(wanted: str, taken: set[str]) -> str:
    """A valid, unique (case-insensitively, as Excel compares) sheet title of at most 31 characters."""
    base = _SHEET_TITLE_FORBIDDEN.sub("_", wanted).strip("'").strip() or _("清单")
    base = base[:SHEET_TITLE_MAX]
    title, number = base, 1
    while title.lower() in taken:
        number += 1
        suffix = f"（{number}）"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file's bytes."""
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, sheet_name: str, columns: list[tuple[str, int]], rows) -> Workbook:
    """A one-sheet workbook: a title row, the styled header frozen in place, then one row per item.

    For the other apps' exports (eligibility screening, assessment results); every cell goes
    through ``safe``.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_table_sheet(workbook, title, sheet_name, columns, rows)
    return workbook


def add_table_sheet(workbook: Workbook, title: str, sheet_name: str, columns: list[tuple[str, int]], rows) -> None:
    """Another sheet like ``table_workbook``'s in an existing workbook: the header carries an
    autofilter over the rows, so the reader sorts and filters in Excel too."""
    sheet = workbook.create_sheet(sheet_title(sheet_name, {s.title.lower() for s in workbook.worksheets}))
    title_row(sheet, title, len(columns))
    header_row(sheet, 2, columns)
    for row_number, values in enumerate(rows, start=3):
        for column, value in enumerate(values, start=1):
            cell = put(sheet, row_number, column, value, number_format=DATE_FORMAT if isinstance(value, date) else None)
            cell.border = BORDER
            cell.alignment = WRAP
    last_row = max(sheet.max_row, 2)
    sheet.auto_filter.ref = f"A2:{get_column_letter(len(columns))}{last_row}"
    print_setup(sheet, 2)


def download(workbook: Workbook, filename: str) -> FileResponse:
    """The workbook as an .xlsx attachment, never cached (exports hold what only the reader may see);
    FileResponse writes the Chinese file name RFC 5987-encoded."""
    response = FileResponse(
        BytesIO(workbook_bytes(workbook)), as_attachment=True, filename=filename, content_type=CONTENT_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response
