"""Read a filled results sheet (.xlsx or .csv, as ``kaohe template`` writes it) and check it against the store.

``read_results`` only parses: a cell that should be a number and is not becomes a ``SheetError``
(sheet, row, column), never an exception. ``check_results`` compares with the indicators the sheet
is for: unknown ids (resolved by unit + indicator text when the sheet comes from another store),
units that do not carry the indicator, implausible percentages, qualitative scores outside
0..points, duplicates, events naming no unit or an unknown one. It fills a deduction's amount
from its negative-list item. The checks live in ``scoring/results_check.py``.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import regex

from normalize.sheet_cells import cell_text, typed_percent
from parsers.errors import ParseError, UnsupportedFormat
from scoring.model import (
    BonusEvent,
    DeductionEvent,
    LineResult,
    ResultsSheet,
    SheetError,
    SocialScore,
    UnitEntry,
    VetoEvent,
)
from scoring.results_check import check_results
from scoring.template_layout import (
    BONUS,
    CATEGORY_ALIASES,
    DEDUCTIONS,
    FLAG_ALIASES,
    LINES,
    META,
    SECTION_COLUMNS,
    SOCIAL,
    UNITS,
    VETOES,
    header_key,
)

log = logging.getLogger(__name__)

Row = tuple[int, dict[str, Any]]  # (row number as the spreadsheet shows it, key → cell value)
_MARKER = regex.compile(r"^\[(.+)\]$")
_FLAG_SPLIT = regex.compile(r"[,，、;；\s]+")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "x"}
_FALSE = {"否", "n", "no", "false", "0", ""}


class _Reader:
    """Cell conversions that record errors instead of raising."""

    def __init__(self, sheet: str, errors: list[SheetError]) -> None:
        self.sheet, self.errors = sheet, errors

    def error(self, row: int, column: str | None, message: str) -> None:
        self.errors.append(SheetError(sheet=self.sheet, row=row, column=column, message=message))

    def number(self, row: int, cells: dict[str, Any], key: str) -> float | None:
        value = cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float):
            return float(value)
        text = str(value).strip().replace(",", "").replace("，", "")
        text = text.translate(str.maketrans("０１２３４５６７８９．－％", "0123456789.-%"))
        try:
            return float(text.removesuffix("%").strip())
        except ValueError:
            self.error(row, key, f"“{value}”不是数字")
            return None

    def integer(self, row: int, cells: dict[str, Any], key: str) -> int | None:
        number = self.number(row, cells, key)
        if number is not None and not number.is_integer():
            self.error(row, key, f"“{cells.get(key)}”不是整数编号")
            return None
        return None if number is None else int(number)

    def flag(self, row: int, cells: dict[str, Any], key: str) -> bool:
        text = cell_text(cells.get(key)) or ""
        if text.lower() in _TRUE:
            return True
        if text.lower() not in _FALSE:
            self.error(row, key, f"“{text}”应为 是 或 否")
        return False


# ---------------------------------------------------------------------------------------------
# Files → sections


def _xlsx_sections(path: Path) -> dict[str, list[list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True, read_only=False)
    except Exception as e:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise ParseError(path, f"cannot read the workbook: {e}", "save it again as .xlsx") from e
    out = {}
    for sheet in book.worksheets:
        rows = []
        for cells in sheet.iter_rows():
            rows.append([typed_percent(c.value, c.number_format) for c in cells])
        out[sheet.title.strip()] = rows
    return out


def _csv_sections(path: Path) -> dict[str, list[list[Any]]]:
    """Sections of a .csv: a marker line ``[名称]`` opens each; rows keep their file line numbers
    (stored as the first item of each row). A file without a first marker is the lines section."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        records = list(_numbered(csv.reader(handle)))
        handle.close()
    except UnicodeDecodeError as e:
        raise ParseError(path, "the .csv is not UTF-8", "save it as CSV UTF-8 (带 BOM)") from e
    out: dict[str, list[list[Any]]] = {}
    current = LINES
    for line_no, record in records:
        marker = _MARKER.match(record[0].strip()) if record and len(record[0]) > 2 else None
        if marker and not any(c.strip() for c in record[1:]):
            current = marker.group(1).strip()
            out.setdefault(current, [])
            continue
        out.setdefault(current, []).append([line_no, *record])
    return out


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    start = 1
    for record in reader:
        yield start, record
        start = reader.line_num + 1


def _rows(raw: list[list[Any]], numbered: bool, section: str | None = None) -> tuple[list[str], list[Row]]:
    """(header keys, rows with their numbers); blank rows dropped. The header is the first row that
    names at least two of the section's columns (Chinese names or English keys: ``header_key``), so
    a title row above it is skipped; without one, the first non-blank row."""
    numbered_rows = []
    for index, cells in enumerate(raw, start=1):
        number, values = (cells[0], cells[1:]) if numbered else (index, cells)
        if any(cell_text(v) is not None for v in values):
            numbered_rows.append((number, values))
    at = 0
    if section in SECTION_COLUMNS:
        found = [n for n, (_, values) in enumerate(numbered_rows) if _named(section, values) >= 2]
        at = found[0] if found else 0
    if not numbered_rows:
        return [], []
    values = numbered_rows[at][1]
    if section in SECTION_COLUMNS:
        header = [header_key(section, v) or (cell_text(v) or "").lower() for v in values]
    else:
        header = [(cell_text(v) or "").lower() for v in values]
    rows = [(number, dict(zip(header, cells, strict=False))) for number, cells in numbered_rows[at + 1 :]]
    return header, rows


def _named(section: str, values: list[Any]) -> int:
    return sum(1 for v in values if header_key(section, v))


# ---------------------------------------------------------------------------------------------
# Sections → entries


def read_results(path: Path | str) -> ResultsSheet:
    """Parse a filled results sheet; problems with cells are in ``errors`` (row numbers as shown)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        raw, numbered = _xlsx_sections(path), False
    elif suffix == ".csv":
        raw, numbered = _csv_sections(path), True
    else:
        raise UnsupportedFormat(path, f"results sheets are .xlsx or .csv, not {suffix or 'no extension'}")
    sheet = ResultsSheet(path=str(path))
    if LINES not in raw:
        sheet.errors.append(SheetError(sheet=LINES, row=1, message="缺少指标完成情况表"))
    for name, parse in _PARSERS.items():
        if name in raw:
            header, rows = _rows(raw[name], numbered, name)
            _check_header(name, header, sheet.errors)
            parse(sheet, rows, _Reader(name, sheet.errors))
    if META in raw:
        sheet.framework_ids = _framework_ids(_rows(raw[META], numbered)[1])
    log.info("已读取 %s：%d 行，%d 处错误", path, len(sheet.lines), len(sheet.errors))
    return sheet


def _check_header(name: str, header: list[str], errors: list[SheetError]) -> None:
    required = [c for c in SECTION_COLUMNS[name] if c and not c.startswith("ref_")]
    required = required[:2] if name != LINES else ["indicator_id", "unit"]
    missing = [c for c in required if c not in header]
    if missing:
        errors.append(SheetError(sheet=name, row=1, message=f"缺少列 {', '.join(missing)}"))


def _framework_ids(rows: list[Row]) -> list[int]:
    for _, cells in rows:
        if cell_text(cells.get("key")) == "framework_ids":
            return [int(p) for p in regex.findall(r"\d+", cell_text(cells.get("value")) or "")]
    return []


def _lines(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    for number, cells in rows:
        indicator_id = read.integer(number, cells, "indicator_id")
        text = cell_text(cells.get("indicator"))
        unit = cell_text(cells.get("unit"))
        if indicator_id is None and not text:
            read.error(number, "indicator_id", "缺少指标编号和指标内容")
            continue
        if not unit:
            read.error(number, "unit", "缺少单位")
            continue
        values = {
            key: read.number(number, cells, key)
            for key in ("actual", "completion_pct", "qualitative_score", "routine_pct", "highlight_pct", "year_end_pct")
        }
        sheet.lines.append(
            LineResult(
                row=number,
                indicator_id=indicator_id if indicator_id is not None else 0,  # 0: resolved by text in check_results
                unit=unit,
                indicator=text,
                note=cell_text(cells.get("note")),
                **values,
            )
        )


def _deductions(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    items = _reference_items(rows)
    for number, cells in rows:
        if not _filled(cells, ("unit", "indicator_id", "amount", "reason")):
            continue
        indicator_id = read.integer(number, cells, "indicator_id")
        amount = read.number(number, cells, "amount")
        event = DeductionEvent(
            row=number,
            unit=cell_text(cells.get("unit")) or "",
            amount=abs(amount) if amount is not None else None,
            indicator_id=indicator_id,
            city_imposed=read.flag(number, cells, "city_imposed"),
            reason=cell_text(cells.get("reason")),
            item=cell_text(cells.get("item")) or items.get(indicator_id),
        )
        sheet.deductions.append(event)


def _bonuses(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    for number, cells in rows:
        if not _filled(cells, ("unit", "amount", "reason")):
            continue
        amount = read.number(number, cells, "amount")
        if amount is None:
            if cell_text(cells.get("amount")) is None:
                read.error(number, "amount", "加分须填写分值")
            continue
        sheet.bonuses.append(
            BonusEvent(
                row=number,
                unit=cell_text(cells.get("unit")) or "",
                amount=abs(amount),
                city_linked=read.flag(number, cells, "city_linked"),
                reason=cell_text(cells.get("reason")),
            )
        )


def _vetoes(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    items = _reference_items(rows)
    for number, cells in rows:
        if not _filled(cells, ("unit", "indicator_id", "reason")):
            continue
        indicator_id = read.integer(number, cells, "indicator_id")
        sheet.vetoes.append(
            VetoEvent(
                row=number,
                unit=cell_text(cells.get("unit")) or "",
                indicator_id=indicator_id,
                reason=cell_text(cells.get("reason")),
                item=cell_text(cells.get("item")) or items.get(indicator_id),
            )
        )


def _social(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    for number, cells in rows:
        unit = cell_text(cells.get("unit"))
        parts = {k: read.number(number, cells, k) for k in ("peer", "superior", "representatives", "public")}
        if not any(v is not None for v in parts.values()):
            continue  # a prefilled row left empty: no social evaluation for that unit
        sheet.social.append(SocialScore(row=number, unit=unit or "", **parts))


def _units(sheet: ResultsSheet, rows: list[Row], read: _Reader) -> None:
    for number, cells in rows:
        unit = cell_text(cells.get("unit"))
        if unit is None:
            if _filled(cells, ("category", "flags", "note")):
                read.error(number, "unit", "缺少单位")
            continue
        category_text = cell_text(cells.get("category"))
        category = CATEGORY_ALIASES.get(category_text or "")
        if category_text and category is None:
            read.error(
                number,
                "category",
                f"“{category_text}”不是可识别的类别（town/dept/resident 或 镇（办）/县直部门/驻县单位）",
            )
        flags = []
        for part in _FLAG_SPLIT.split(cell_text(cells.get("flags")) or ""):
            if part and part not in FLAG_ALIASES:
                read.error(number, "flags", f"“{part}”不是可识别的特殊情形")
            elif part:
                flags.append(FLAG_ALIASES[part])
        entry = UnitEntry(row=number, unit=unit, category=category, flags=list(dict.fromkeys(flags)))
        entry.note = cell_text(cells.get("note"))
        sheet.units.append(entry)


def _filled(cells: dict[str, Any], keys: tuple[str, ...]) -> bool:
    return any(cell_text(cells.get(k)) is not None for k in keys)


def _reference_items(rows: list[Row]) -> dict[int | None, str]:
    """The sheet's own reference list (ref_indicator_id → ref_item), to resolve foreign ids."""
    out: dict[int | None, str] = {}
    for _, cells in rows:
        ref_id, item = cell_text(cells.get("ref_indicator_id")), cell_text(cells.get("ref_item"))
        if ref_id and item and ref_id.isdigit():
            out[int(ref_id)] = item
    return out


_PARSERS: dict[str, Callable[[ResultsSheet, list[Row], _Reader], None]] = {
    LINES: _lines,
    DEDUCTIONS: _deductions,
    BONUS: _bonuses,
    VETOES: _vetoes,
    SOCIAL: _social,
    UNITS: _units,
}

__all__ = ["check_results", "read_results"]
