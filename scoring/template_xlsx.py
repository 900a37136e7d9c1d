"""The .xlsx form of the results template: one sheet per section, Chinese header comments, a hidden meta sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.template import TemplateContent, sections
from scoring.template_layout import (
    BONUS,
    CATEGORY_ALIASES,
    COLUMN_LABELS,
    DEDUCTIONS,
    EXPLANATION,
    LINES,
    META,
    UNITS,
    explanation_lines,
)

_WIDTHS = {"indicator": 60, "target": 36, "ref_item": 50, "reason": 30, "note": 20, "unit": 18, "flags": 30,
           "ref_max": 48, "category": 12}  # fmt: skip
_NUMBER_FORMAT = "0.0##"
_NUMBER_COLUMNS = {"points", "actual", "completion_pct", "qualitative_score", "routine_pct", "highlight_pct",
                   "year_end_pct", "amount", "peer", "superior", "representatives", "public", "ref_points"}  # fmt: skip
_PREFILLED = {"indicator_id", "indicator", "points", "target"}
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_PREFILLED_FILL = PatternFill("solid", fgColor="F2F2F2")
_REFERENCE_FONT = Font(color="7F7F7F")


def write_xlsx(content: TemplateContent, path: Path) -> None:
    book = Workbook()
    about = book.active
    about.title = EXPLANATION
    about.column_dimensions["A"].width = 120
    for n, text in enumerate(explanation_lines(content), start=1):
        about.cell(row=n, column=1, value=text).alignment = Alignment(wrap_text=True, vertical="top")
    for name, (header, rows) in sections(content).items():
        sheet = book.create_sheet(name)
        _fill(sheet, header, rows, prefill=name == LINES)
        _validate(sheet, name, header, len(rows))
    meta = book.create_sheet(META)
    meta.append(["key", "value"])
    meta.append(["framework_ids", " ".join(str(i) for i in content.framework_ids)])
    meta.append(["generator", "kaohe template"])
    meta.sheet_state = "hidden"
    book.active = book.sheetnames.index(LINES)
    book.save(path)


def _fill(sheet: Worksheet, header: list[str], rows: list[list[object]], prefill: bool) -> None:
    sheet.append(header)
    for col, key in enumerate(header, start=1):
        cell = sheet.cell(row=1, column=col)
        if not key:
            sheet.column_dimensions[get_column_letter(col)].width = 3
            continue
        cell.font = Font(bold=True, color="7F7F7F" if key.startswith("ref_") else None)
        cell.fill = _HEADER_FILL
        cell.comment = Comment(COLUMN_LABELS.get(key, key), "kaohe")
        sheet.column_dimensions[get_column_letter(col)].width = _WIDTHS.get(key, 14)
    for row in rows:
        sheet.append(row)
    for col, key in enumerate(header, start=1):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
            _style(cell, key, prefill)
    sheet.freeze_panes = "A2"


def _style(cell, key: str, prefill: bool) -> None:
    if key in _NUMBER_COLUMNS:
        cell.number_format = _NUMBER_FORMAT
    if prefill and key in _PREFILLED:
        cell.fill = _PREFILLED_FILL
    if key.startswith("ref_"):
        cell.font = _REFERENCE_FONT
    if key in ("indicator", "target", "ref_item"):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _validate(sheet: Worksheet, name: str, header: list[str], n_rows: int) -> None:
    last = max(n_rows + 1, 200)
    if name == UNITS:
        _list_validation(sheet, header.index("category") + 1, last, list(dict.fromkeys(CATEGORY_ALIASES)))
    if name == DEDUCTIONS:
        _list_validation(sheet, header.index("city_imposed") + 1, last, ["是", "否"])
    if name == BONUS:
        _list_validation(sheet, header.index("city_linked") + 1, last, ["是", "否"])


def _list_validation(sheet: Worksheet, col: int, last: int, options: list[str]) -> None:
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255:  # Excel's limit for an inline list
        return
    letter = get_column_letter(col)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{last}")
