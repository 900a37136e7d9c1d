"""The 一览表 as an .xlsx sheet an office can print as is.

Layout: 附件 label, the title (merged across the table), the header row, the rows — the 考核内容
cell merged over its category's rows, text wrapped, points as numbers — and a 合计 row; in a
department grouping, a heading row and a 小计 row per unit. Then the 说明 lines. The page (A4
landscape, fit to the width, header row on every page, a category label repeated where a page
break cuts its merge, footer) is ``export/layout.py``'s.
"""

from __future__ import annotations

from pathlib import Path

from export.breakdown import Breakdown, BreakdownSection, chinese_ordinal
from export.layout import BAND_FILL, SheetLayout, fit_widths, footer_line, new_workbook

_WIDTH_LIMITS = {"序号": (6, 6), "考核内容": (12, 14), "考核指标": (30, 48), "分值": (7, 8), "分工": (7, 7),
                 "牵头单位": (14, 24), "配合单位": (12, 22), "来源": (12, 34)}  # fmt: skip
_CENTERED_COLUMNS = {"序号", "考核内容", "分值", "分工"}


def write_xlsx(breakdown: Breakdown, path: Path) -> None:
    """Write the 一览表 to ``path`` (one sheet)."""
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "责任分解一览表"
    headers = breakdown.headers
    rows = [breakdown.cells(r) for s in breakdown.sections for r in s.rows]
    page = SheetLayout(sheet, fit_widths(headers, rows, _WIDTH_LIMITS))
    page.text("附件", bold=True, size=14, keep_with_next=True)
    page.title(breakdown.title, size=18)
    page.header(headers)
    for number, section in enumerate(breakdown.sections, start=1):
        if section.department is not None or section.title:
            heading = f"{chinese_ordinal(number)}、{section.heading()}"
            page.text(heading, bold=True, size=12, boxed=True, fill=BAND_FILL, keep_with_next=True)
        _section_rows(page, breakdown, section)
        if section.department is not None:
            _total_row(page, "小计（牵头指标）" if breakdown.by == "dept" else "小计", section.carried_points, headers)
    if breakdown.by == "category" or (breakdown.by == "dept" and len(breakdown.sections) > 1):
        _total_row(page, "合计", breakdown.total_points, headers)  # one unit's sheet: kinds are never added up
    for number, line in enumerate(breakdown.notes(), start=1):
        page.text(f"{'说明：' if number == 1 else '　　　'}{number}. {line}", size=10)
    page.finish(footer_line(breakdown.documents), landscape=True)
    workbook.save(path)


def _section_rows(page: SheetLayout, breakdown: Breakdown, section: BreakdownSection) -> None:
    centered = {i for i, header in enumerate(breakdown.headers) if header in _CENTERED_COLUMNS}
    runs = [(start, length) for start, length in section.category_runs() if length > 1]
    merged = {start + i for start, length in runs for i in range(length)}
    first = page.last_row + 1
    for offset, row in enumerate(section.rows):
        skip = {1} if offset in merged else set()  # a merged label's lines spread over its rows
        page.row(breakdown.cells(row), center=centered, skip_height=skip)
    for start, length in runs:
        page.merge_down(1, first + start, first + start + length - 1)


def _total_row(page: SheetLayout, label: str, points: float, headers: list[str]) -> None:
    at = headers.index("分值")
    value = int(points) if float(points).is_integer() else points
    values: list[object] = [label, *[None] * (at - 1), value, *[None] * (len(headers) - at - 1)]
    page.keep_with_next(page.last_row)  # the total never starts a page alone
    row = page.row(values, bold=True, center=range(len(headers)), skip_height={0})
    page.merge_across(row, 0, at - 1)
    page.merge_across(row, at + 1, len(headers) - 1)
