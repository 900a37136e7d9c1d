"""The .xlsx form of the results template: a 说明 sheet, one sheet per section, a hidden meta sheet.

Each section sheet: a title row, the Chinese header row (each cell's comment says what to enter),
the rows. Prefilled cells are shaded, reference columns grey; the page (A4 landscape, fit to the
width, header row on every page, borders, footer) is ``export/layout.py``'s.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from export.layout import SheetLayout, fit_widths, footer_line, new_workbook
from scoring.model import CATEGORY_LABELS
from scoring.template_layout import (
    BONUS,
    COLUMN_LABELS,
    DEDUCTIONS,
    EXPLANATION,
    LINES,
    META,
    UNITS,
    explanation_lines,
    headers,
    sections,
    title,
)
from scoring.template_model import TemplateContent

_LIMITS = {"indicator": (30, 40), "target": (14, 24), "ref_item": (24, 40), "reason": (16, 24), "note": (10, 14),
           "unit": (10, 16), "flags": (16, 24), "ref_max": (24, 40), "category": (10, 10), "indicator_id": (8, 8),
           "ref_indicator_id": (6, 7), "": (2, 2)}  # fmt: skip
_FILL_IN = (7, 8)  # an empty column to fill: its header takes two lines
_NUMBER_FORMAT = "0.0##"
_NUMBER_COLUMNS = {"points", "actual", "completion_pct", "qualitative_score", "routine_pct", "highlight_pct",
                   "year_end_pct", "amount", "peer", "superior", "representatives", "public", "ref_points"}  # fmt: skip
_PREFILLED = {"indicator_id", "indicator", "points", "target"}
_PREFILLED_FILL = PatternFill("solid", fgColor="F2F2F2")
_REFERENCE_COLOR = "7F7F7F"
_SIZE = 10


def write_xlsx(content: TemplateContent, path: Path) -> None:
    book = new_workbook()
    footer = footer_line(content.sources)
    about = book.active
    about.title = EXPLANATION
    page = SheetLayout(about, [96], size=_SIZE)
    page.title(title(content, EXPLANATION), size=14)
    for text in explanation_lines(content):
        page.text(text, size=_SIZE)
    page.finish(footer, landscape=False)
    for name, (keys, rows) in sections(content).items():
        sheet = book.create_sheet(name)
        first = _fill(sheet, content, name, keys, rows, footer)
        _validate(sheet, name, keys, first, len(rows))
    meta = book.create_sheet(META)
    meta.append(["key", "value"])
    meta.append(["framework_ids", " ".join(str(i) for i in content.framework_ids)])
    meta.append(["generator", "kaohe template"])
    meta.sheet_state = "hidden"
    book.active = book.sheetnames.index(LINES)
    book.save(path)


def _fill(
    sheet: Worksheet, content: TemplateContent, name: str, keys: list[str], rows: list[list[object]], footer: str
) -> int:
    """Title, header and rows; returns the first data row."""
    names = headers(name)
    limits = {}
    for key, header in zip(keys, names, strict=True):
        empty = not any(r[keys.index(key)] not in (None, "") for r in rows if keys.index(key) < len(r))
        limits[header] = _LIMITS.get(key, _FILL_IN if empty else (6, 30))
    page = SheetLayout(sheet, fit_widths(names, rows, limits, size=_SIZE), size=_SIZE)
    page.title(title(content, name), size=14)
    grey = {i: _REFERENCE_COLOR for i, key in enumerate(keys) if key.startswith("ref_")}
    header_row = page.header(names, colors=grey)
    for col, key in enumerate(keys, start=1):
        if key:
            sheet.cell(row=header_row, column=col).comment = Comment(COLUMN_LABELS.get(key, key), "kaohe")
    prefill = name == LINES
    centered = {i for i, key in enumerate(keys) if key in _NUMBER_COLUMNS or key in ("indicator_id", "category")}
    for row in rows:
        padded = [*row, *[None] * (len(keys) - len(row))]
        number = page.row(padded, center=centered, colors=grey, number_format=_NUMBER_FORMAT)
        for col, key in enumerate(keys, start=1):
            if prefill and key in _PREFILLED:
                sheet.cell(row=number, column=col).fill = _PREFILLED_FILL
            if key in _NUMBER_COLUMNS:
                sheet.cell(row=number, column=col).number_format = _NUMBER_FORMAT
    page.finish(footer, landscape=True)
    return header_row + 1


def _validate(sheet: Worksheet, name: str, keys: list[str], first: int, n_rows: int) -> None:
    last = max(first + n_rows - 1, 200)
    if name == UNITS:
        _list_validation(sheet, keys.index("category") + 1, first, last, list(CATEGORY_LABELS.values()))
    if name == DEDUCTIONS:
        _list_validation(sheet, keys.index("city_imposed") + 1, first, last, ["是", "否"])
    if name == BONUS:
        _list_validation(sheet, keys.index("city_linked") + 1, first, last, ["是", "否"])


def _list_validation(sheet: Worksheet, col: int, first: int, last: int, options: list[str]) -> None:
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        return
    letter = get_column_letter(col)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    sheet.add_data_validation(validation)
    validation.add(f"{letter}{first}:{letter}{last}")
