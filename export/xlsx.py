"""The 一览表 as an .xlsx sheet an office can print as is.

Layout: 附件 label, the title (merged across the table), the header row (frozen, repeated on every
printed page), the rows — the 考核内容 cell merged over its category's rows, text wrapped, points
as numbers — and a 合计 row; in a department grouping, a heading row and a 小计 row per unit. Then
the 说明 lines. Print setup: A4 landscape, fit to one page wide, page numbers in the footer.
Row heights are set from the text (openpyxl cannot measure; Excel does not re-measure merged or
generated rows), so what is printed is what the sheet shows.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from export.breakdown import Breakdown, BreakdownSection, chinese_ordinal
from ingest.report import display_width

BODY_FONT = "仿宋"  # on every Chinese Windows; 仿宋_GB2312 often is not
HEAD_FONT = "黑体"
_WIDTH_LIMITS = {"序号": (6, 6), "考核内容": (12, 14), "考核指标": (30, 48), "分值": (7, 7), "分工": (7, 7),
                 "牵头单位": (14, 24), "配合单位": (12, 22), "来源": (12, 34)}  # fmt: skip
_LINE_HEIGHT = 15.0  # points per wrapped line at 11 pt
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_CENTERED_COLUMNS = {"序号", "考核内容", "分值", "分工"}


def write_xlsx(breakdown: Breakdown, path: Path) -> None:
    """Write the 一览表 to ``path`` (one sheet)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "责任分解一览表"
    headers = breakdown.headers
    widths = _column_widths(breakdown)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _title_rows(sheet, breakdown, len(headers))
    header_row = sheet.max_row + 1
    _write_row(sheet, header_row, headers, widths, font=Font(name=HEAD_FONT, size=11, bold=True), fill=True)
    sheet.freeze_panes = f"A{header_row + 1}"
    for number, section in enumerate(breakdown.sections, start=1):
        if section.department is not None or section.title:
            _heading_row(sheet, f"{chinese_ordinal(number)}、{section.heading()}", len(headers))
        _section_rows(sheet, breakdown, section, widths)
        if section.department is not None:
            _total_row(sheet, "小计（牵头指标）" if breakdown.by == "dept" else "小计", section.carried_points, headers)
    if breakdown.by == "category" or (breakdown.by == "dept" and len(breakdown.sections) > 1):
        _total_row(sheet, "合计", breakdown.total_points, headers)  # one unit's sheet: kinds are never added up
    _notes(sheet, breakdown, widths)
    _print_setup(sheet, header_row)
    workbook.save(path)


def _column_widths(breakdown: Breakdown) -> list[float]:
    widths = []
    for index, header in enumerate(breakdown.headers):
        low, high = _WIDTH_LIMITS.get(header, (8, 30))
        texts = [str(breakdown.cells(r)[index] or "") for s in breakdown.sections for r in s.rows]
        longest = max((display_width(line) for t in texts for line in t.split("\n")), default=0)
        widths.append(float(min(max(longest + 2, low, display_width(header) + 2), high)))
    return widths


def _title_rows(sheet: Worksheet, breakdown: Breakdown, n_cols: int) -> None:
    sheet.append(["附件"])
    sheet["A1"].font = Font(name=HEAD_FONT, size=14)
    sheet.append([breakdown.title])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n_cols)
    sheet["A2"].font = Font(name=HEAD_FONT, size=18, bold=True)
    sheet["A2"].alignment = _CENTER
    sheet.row_dimensions[2].height = 36


def _write_row(
    sheet: Worksheet,
    row: int,
    values: list[str | float | int | None],
    widths: list[float],
    font: Font | None = None,
    fill: bool = False,
    skip_height: set[int] | None = None,
    centered: set[int] | None = None,
) -> None:
    font = font or Font(name=BODY_FONT, size=11)
    lines = 1
    for col, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=col, value=value if value != "" else None)
        cell.font, cell.border = font, _BOX
        cell.alignment = _CENTER if fill or col - 1 in (centered or set()) else _LEFT
        if fill:
            cell.fill = PatternFill("solid", fgColor="D9D9D9")
        if col - 1 not in (skip_height or set()):
            lines = max(lines, _line_count(str(value or ""), widths[col - 1]))
    sheet.row_dimensions[row].height = lines * _LINE_HEIGHT + 4


def _line_count(text: str, width: float) -> int:
    usable = max(width - 1.5, 2)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in text.split("\n"))


def _section_rows(sheet: Worksheet, breakdown: Breakdown, section: BreakdownSection, widths: list[float]) -> None:
    first = sheet.max_row + 1
    centered = {i for i, header in enumerate(breakdown.headers) if header in _CENTERED_COLUMNS}
    merged = {start + i for start, length in section.category_runs() if length > 1 for i in range(length)}
    for offset, row in enumerate(section.rows):
        skip = {1} if offset in merged else set()  # a merged label's lines spread over its rows
        _write_row(sheet, first + offset, breakdown.cells(row), widths, skip_height=skip, centered=centered)
    for start, length in section.category_runs():
        if length > 1:
            sheet.merge_cells(start_row=first + start, start_column=2, end_row=first + start + length - 1, end_column=2)


def _heading_row(sheet: Worksheet, text: str, n_cols: int) -> None:
    row = sheet.max_row + 1
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font = Font(name=HEAD_FONT, size=12, bold=True)
    cell.alignment = _LEFT
    for col in range(1, n_cols + 1):
        sheet.cell(row=row, column=col).border = _BOX
        sheet.cell(row=row, column=col).fill = PatternFill("solid", fgColor="F2F2F2")
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n_cols)
    sheet.row_dimensions[row].height = 22


def _total_row(sheet: Worksheet, label: str, points: float, headers: list[str]) -> None:
    row = sheet.max_row + 1
    at = headers.index("分值") + 1
    value = int(points) if float(points).is_integer() else points
    for col in range(1, len(headers) + 1):
        cell = sheet.cell(row=row, column=col)
        cell.border, cell.font, cell.alignment = _BOX, Font(name=HEAD_FONT, size=11, bold=True), _CENTER
    sheet.cell(row=row, column=1, value=label)
    sheet.cell(row=row, column=at, value=value)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=at - 1)
    sheet.merge_cells(start_row=row, start_column=at + 1, end_row=row, end_column=len(headers))
    sheet.row_dimensions[row].height = 20


def _notes(sheet: Worksheet, breakdown: Breakdown, widths: list[float]) -> None:
    total_width = sum(widths)
    for number, line in enumerate(breakdown.notes(), start=1):
        row = sheet.max_row + 1
        text = f"{'说明：' if number == 1 else '　　　'}{number}. {line}"
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font, cell.alignment = Font(name=BODY_FONT, size=10), Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
        sheet.row_dimensions[row].height = _line_count(text, total_width) * 13.0 + 4


def _print_setup(sheet: Worksheet, header_row: int) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.6
    sheet.page_margins.top, sheet.page_margins.bottom = 0.8, 0.7
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.size = 10
