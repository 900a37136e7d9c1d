"""The monthly progress report form (工作进展填报表, issue 18): written for each responsible unit, read back.

``write_form``: .xlsx — a 说明 sheet, then one sheet per unit (title, the header row :data:`HEADERS`, one row
per indicator it is assessed on, leads or cooperates on, in that order; the first four columns shaded and
locked, the sheet protected without a password; the page is ``export/layout.py``'s) — or .csv (UTF-8 with BOM,
exactly the header row, then every unit's rows); ``split``: one file per unit.

``read_form`` never raises for a cell: each bad one is a :class:`SheetProblem` (file, sheet, row, column).
指标编号: an integer (full-width digits too). 累计完成值: a number as written (``1,234``, ``12.5``, ``３．２``),
in the target's unit: a unit after it is dropped when the row's 目标值 writes it after a number (``3.2万亩``
against ``≥ 4 万亩`` → 3.2), else a problem (``2.4万亩`` against ``≥ 24000 亩``) — never converted.
完成率(%): 0–1000, ``62`` or ``62%``; a cell Excel formats as a percentage holds 0.62 and is read as 62, a
plain 0.62 is 0.62%. Empty, ``—``, ``-``, ``/``: not reported (None); a row with nothing filled is returned
with every value None. A sheet whose header is missing or has a column renamed or removed: one problem, none
of its rows read (说明 and empty sheets are skipped). A .csv may be UTF-8 or GBK (Excel on Chinese Windows).
No database here: the store and the command pass plain data (``store/progress_queries.py``).
"""

from __future__ import annotations

import csv
import logging
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import regex
from pydantic import BaseModel, Field

from normalize.sheet_cells import cell_text, typed_percent
from parsers.errors import ParseError, UnsupportedFormat
from store.progress_queries import NewReport

log = logging.getLogger(__name__)

HEADERS = ("指标编号", "单位", "考核指标", "目标值", "累计完成值", "完成率(%)", "进展情况", "存在问题", "下步措施")
KEYS = ("indicator_id", "unit", "indicator", "target", "actual", "completion_pct", "progress", "problems", "next_steps")
LOCKED = 4  # the first four columns are written by kaohe, the last five by the unit
EXPLANATION = "说明"
PERCENT_RANGE = (0.0, 1000.0)
ROLE_ORDER = {"被考核": 0, "牵头": 1, "配合": 2}
_BLANK = {"", "—", "——", "-", "--", "/", "\\"}  # after NFKC (－ → -, ／ → /)
_NUMBER = regex.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*(\D*)")
_PERIOD = regex.compile(r"填报期间[:：]\s*(\d{4})-(\d{1,2})")
_TITLE_PERIOD = regex.compile(r"(\d{4})年度?\D{0,30}?(\d{1,2})月")
_UNIT_AFTER_NUMBER = regex.compile(r"\d([^\d\s.;；,，、。()（）]+)")
_FILE_UNSAFE = regex.compile(r'[\\/:*?"<>|\s]+')
_SIZE = 10
_LIMITS = {"指标编号": (8, 8), "单位": (10, 16), "考核指标": (30, 40), "目标值": (14, 22), "累计完成值": (10, 10),
           "完成率(%)": (8, 8), "进展情况": (26, 26), "存在问题": (20, 20), "下步措施": (20, 20)}  # fmt: skip


class FormLine(BaseModel):
    indicator_id: int
    unit: str
    indicator: str
    target: str
    role: str  # 牵头 | 配合 | 被考核


class ProgressForm(BaseModel):
    period: str  # 2020-06
    region: str | None = None
    year: int | None = None
    title: str  # form_title(): 佳县2020年度目标责任考核 6月 工作进展填报表
    lines: list[FormLine] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    deadline: str | None = None  # 报送截止日期, as the office writes it

    def units(self) -> dict[str, list[FormLine]]:
        """Each unit's lines (units in order of appearance; 被考核, 牵头, 配合 rows in turn; an indicator once)."""
        out: dict[str, dict[int, FormLine]] = {line.unit: {} for line in self.lines}
        for line in sorted(self.lines, key=lambda ln: ROLE_ORDER.get(ln.role, 3)):
            out[line.unit].setdefault(line.indicator_id, line)
        return {unit: list(lines.values()) for unit, lines in out.items()}


class ProgressRow(NewReport):
    """A row read from a filled form: what the store keeps (``NewReport``), and the file it came from."""

    file: str
    row: int  # as the spreadsheet shows it (a .csv: its line); ``sheet`` is None in a .csv


class SheetProblem(BaseModel):
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # the Chinese header name
    message: str

    def __str__(self) -> str:
        sheet = f" 工作表「{self.sheet}」" if self.sheet else ""
        row = f"{'' if self.sheet else ' '}第 {self.row} 行" if self.row else ""
        column = f"「{self.column}」" if self.column else ""
        return f"{self.file}{sheet}{row}{column}：{self.message}"


def period_parts(period: str) -> tuple[int, int]:
    year, _, month = period.partition("-")
    return int(year), int(month)


def form_title(region: str | None, year: int | None, period: str) -> str:
    """``佳县2020年度目标责任考核 6月 工作进展填报表`` (``2021年1月`` when the month is in another year)."""
    at_year, month = period_parts(period)
    when = f"{month}月" if year in (None, at_year) else f"{at_year}年{month}月"
    return f"{region or ''}{year or at_year}年度目标责任考核 {when} 工作进展填报表"


# ---------------------------------------------------------------------------------------------
# Writing


def write_form(form: ProgressForm, path: Path, *, split: bool = False) -> list[Path]:
    """Write the form as .xlsx or .csv (by the extension); ``split``: ``<stem>-<unit><ext>`` per unit
    beside ``path``. Returns the files written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UnsupportedFormat(path, f"填报表只能写成 .xlsx 或 .csv，不能是 {path.suffix or '无扩展名'}")
    groups = form.units()
    files = [(_split_path(path, u), {u: ls}) for u, ls in groups.items()] if split else [(path, groups)]
    for target, units in files:
        if suffix == ".xlsx":
            _write_xlsx(form, units, target)
        else:
            _write_csv(units, target)
    log.info("填报表 %s：%d 个单位，%d 行，%d 个文件", path, len(groups), len(form.lines), len(files))
    return [target for target, _ in files]


def _split_path(path: Path, unit: str) -> Path:
    return path.with_name(f"{path.stem}-{_FILE_UNSAFE.sub('_', unit)}{path.suffix}")


def _write_csv(units: dict[str, list[FormLine]], path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for lines in units.values():
            writer.writerows([ln.indicator_id, ln.unit, ln.indicator, ln.target, *[""] * 5] for ln in lines)


def _explanation(form: ProgressForm, units: dict[str, list[FormLine]]) -> list[str]:
    year, month = period_parts(form.period)
    lines = [f"填报期间：{form.period}（填写截至{year}年{month}月底的累计完成情况）"]
    if form.deadline:
        lines.append(f"报送截止日期：{form.deadline}")
    for unit, unit_lines in units.items():
        roles = Counter(ln.role for ln in unit_lines)
        lines.append(f"{unit}：" + "、".join(f"{r} {n} 项" for r, n in roles.items()))
    if not units:
        lines.append("本期没有需要填报的指标。")
    lines += [
        "每个责任单位一张工作表，列出该单位牵头、配合或被考核的全部指标。指标编号、单位、考核指标、目标值"
        "四列已锁定（工作表保护，无密码），请勿改动；不要增删列、改动表头或工作表名称。",
        "累计完成值：填写数字，按目标值的单位（目标为“4 万亩”、已完成 3.2 万亩，填 3.2）；可以带与目标值相同的单位，"
        "可以用千分位逗号；尚无数据的留空或填“—”。",
        "完成率(%)：填写百分数，如 62 或 62%，范围 0–1000；留空表示未报。",
        "进展情况、存在问题、下步措施：填写文字。一行只有指标编号、没有填写任何内容的，视为本月未报送该指标。",
    ]
    if form.sources:
        lines.append("依据：" + "；".join(Path(s).name for s in form.sources))
    return lines


def _write_xlsx(form: ProgressForm, units: dict[str, list[FormLine]], path: Path) -> None:
    from export.layout import SheetLayout, footer_line, new_workbook, sheet_name

    book = new_workbook()
    footer = footer_line(form.sources)
    about = book.active
    about.title = EXPLANATION
    page = SheetLayout(about, [96], size=_SIZE)
    page.title(form.title, size=14)
    for text in _explanation(form, units):
        page.text(text, size=_SIZE)
    page.finish(footer, landscape=False)
    taken = {EXPLANATION}
    for unit, lines in units.items():
        sheet = book.create_sheet(sheet_name(unit, taken))
        taken.add(sheet.title)
        _unit_sheet(sheet, f"{form.title}（{unit}）", lines, footer)
    book.active = 1 if units else 0
    book.save(path)


def _unit_sheet(sheet: Any, title: str, lines: list[FormLine], footer: str) -> None:
    from openpyxl.styles import PatternFill, Protection

    from export.layout import SheetLayout, fit_widths, line_height

    rows = [[ln.indicator_id, ln.unit, ln.indicator, ln.target, *[None] * 5] for ln in lines]
    page = SheetLayout(sheet, fit_widths(HEADERS, rows, _LIMITS, size=_SIZE), size=_SIZE)
    page.title(title, size=14)
    page.header(HEADERS)
    shaded, unlocked = PatternFill("solid", fgColor="F2F2F2"), Protection(locked=False)
    for values in rows:
        number = page.row(values, center={0})
        height = sheet.row_dimensions[number].height or 0
        sheet.row_dimensions[number].height = max(height, 2 * line_height(_SIZE) + 4)  # room to write
        for col in range(1, len(HEADERS) + 1):
            cell = sheet.cell(row=number, column=col)
            if col <= LOCKED:
                cell.fill = shaded
            else:
                cell.protection = unlocked
        sheet.cell(row=number, column=KEYS.index("completion_pct") + 1).number_format = "0.0#"
    page.finish(footer, landscape=True)
    sheet.protection.sheet = True  # no password: a guard against slips, not a lock
    sheet.protection.formatRows = sheet.protection.formatColumns = False  # rows may grow for long text


# ---------------------------------------------------------------------------------------------
# Reading

Numbered = list[tuple[int, list[Any]]]  # (row number as shown, cell values)


def read_form(path: Path, period: str | None = None) -> tuple[list[ProgressRow], list[SheetProblem], str | None]:
    """The rows of a filled form, the problems found in its cells, and the period it states (None in a .csv).
    ``period``: the period expected; a file stating another one is a problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        tables, texts = _xlsx_tables(path)
    elif suffix == ".csv":
        tables, texts = {None: _csv_rows(path)}, []
    else:
        raise UnsupportedFormat(path, f"填报表应为 .xlsx 或 .csv，不能是 {suffix or '无扩展名'}")
    rows: list[ProgressRow] = []
    problems: list[SheetProblem] = []
    for sheet, numbered in tables.items():
        rows.extend(_Reader(str(path), sheet, problems).table(numbered))
    stated = _stated_period(texts)
    if period and stated and stated[0] != period:
        problems.append(SheetProblem(file=str(path), sheet=stated[1], row=stated[2],
                                     message=f"本表填报期间为 {stated[0]}，与指定的 {period} 不符"))  # fmt: skip
    log.info("已读取 %s：%d 行，%d 处问题", path, len(rows), len(problems))
    return rows, problems, stated[0] if stated else None


def _xlsx_tables(path: Path) -> tuple[dict[str | None, Numbered], list[tuple[str, int, str]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError, InvalidFileException…
        raise ParseError(path, f"无法读取工作簿（{e}）", "请用 Excel 或 WPS 重新另存为 .xlsx") from e
    tables: dict[str | None, Numbered] = {}
    texts: list[tuple[str, int, str]] = []  # (sheet, row, text): where a period may be stated
    for sheet in book.worksheets:
        name = sheet.title.strip()
        numbered = [
            (cells[0].row, [typed_percent(c.value, c.number_format) for c in cells])
            for cells in sheet.iter_rows()
            if cells
        ]
        if name == EXPLANATION:
            texts += [(name, n, v) for n, values in numbered for v in values if isinstance(v, str)]
        else:
            texts += [(name, n, v) for n, values in numbered[:1] for v in values if isinstance(v, str)]
            tables[name] = numbered
    return tables, texts


def _csv_rows(path: Path) -> Numbered:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                reader, numbered, start = csv.reader(handle), [], 1
                for record in reader:
                    numbered.append((start, list(record)))
                    start = reader.line_num + 1
                return numbered
        except UnicodeDecodeError:
            continue
    raise ParseError(path, "无法识别 .csv 的编码", "请另存为“CSV UTF-8（逗号分隔）”")


def _stated_period(texts: list[tuple[str, int, str]]) -> tuple[str, str, int] | None:
    for pattern in (_PERIOD, _TITLE_PERIOD):
        for sheet, row, text in texts:
            if found := pattern.search(text):
                return f"{found[1]}-{int(found[2]):02d}", sheet, row
    return None


def _fold(value: Any) -> str:
    return regex.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _text(value: Any) -> str | None:
    """``cell_text``, with the dashes and slashes a form leaves in a cell it means to leave empty."""
    text = cell_text(value)
    return None if text is None or _fold(text) in _BLANK else text


class _Reader:
    """One sheet's rows; a bad cell becomes a problem, never an exception."""

    def __init__(self, file: str, sheet: str | None, problems: list[SheetProblem]) -> None:
        self.file, self.sheet, self.problems = file, sheet, problems

    def problem(self, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(SheetProblem(file=self.file, sheet=self.sheet, row=row, column=column, message=message))

    def table(self, numbered: Numbered) -> list[ProgressRow]:
        filled = [(n, values) for n, values in numbered if any(_text(v) for v in values)]
        if not filled:
            return []
        found = [(n, vs) for n, vs in filled[:10] if sum(_fold(v) in HEADERS for v in vs if v is not None) >= 3]
        if not found:
            self.problem(None, None, "未找到表头（应为：" + "、".join(HEADERS) + "），本表未读取")
            return []
        at, names = found[0]
        index = {_fold(v): i for i, v in enumerate(names) if v is not None}
        missing = [h for h in HEADERS if h not in index]
        if missing:
            self.problem(at, None, f"表头缺少「{'」「'.join(missing)}」（列名被改动或删除），本表未读取")
            return []
        rows = []
        for number, values in filled:
            if number <= at:
                continue
            padded = [*values, *[None] * len(index)]
            cells = {key: padded[index[h]] for key, h in zip(KEYS, HEADERS, strict=True)}
            row = self.row(number, cells)
            if row is not None:
                rows.append(row)
        return rows

    def row(self, number: int, cells: dict[str, Any]) -> ProgressRow | None:
        """The row, or None when a cell of it is bad (each bad cell is a problem)."""
        before = len(self.problems)
        indicator_id, unit = self.integer(number, cells["indicator_id"]), _text(cells["unit"])
        if _text(cells["indicator_id"]) is None:
            self.problem(number, "指标编号", "缺少指标编号")
        if unit is None:
            self.problem(number, "单位", "缺少单位")
        actual = self.number(number, "累计完成值", cells["actual"], _target_units(cells["target"]))
        pct = self.number(number, "完成率(%)", cells["completion_pct"], {"%"})
        if pct is not None and not PERCENT_RANGE[0] <= pct <= PERCENT_RANGE[1]:
            self.problem(number, "完成率(%)", f"{pct:g} 超出 0–1000 的范围")
        if len(self.problems) > before or indicator_id is None or unit is None:
            return None
        texts = {key: _text(cells[key]) for key in ("progress", "problems", "next_steps")}
        return ProgressRow(indicator_id=indicator_id, unit=unit, actual=actual, completion_pct=pct, **texts,
                           file=self.file, sheet=self.sheet, row=number)  # fmt: skip

    def integer(self, number: int, value: Any) -> int | None:
        text = _text(value)
        if text is None:
            return None
        if _fold(text).isdigit():
            return int(_fold(text))
        self.problem(number, "指标编号", f"“{text}”不是指标编号（应为整数）")
        return None

    def number(self, number: int, column: str, value: Any, units: set[str]) -> float | None:
        """A number; a unit written after it must be one of ``units`` (the target's)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        text = _text(value)
        if text is None:
            return None
        found = _NUMBER.fullmatch(_fold(text).replace(",", ""))
        if found is None:
            self.problem(number, column, f"“{text}”不是数字")
            return None
        if found[2] and found[2] not in units:
            self.problem(number, column, f"“{text}”的单位“{found[2]}”与目标值不同：请按目标值的单位只填数字")
            return None
        return float(found[1])


def _target_units(target: Any) -> set[str]:
    """The units written right after a number in a target: ``≥ 4 万亩；≤ 0.12 ‰`` → {万亩, ‰}."""
    return set(_UNIT_AFTER_NUMBER.findall(_fold(target or "")))


def check_rows(rows: list[ProgressRow], known: dict[int, set[str]]) -> list[SheetProblem]:
    """Problems of rows against the store: ``known`` maps each indicator id of the period's frameworks to
    the units that own it (lead, cooperating, assessee). Unknown ids, a unit reporting for an indicator it
    does not own, the same indicator and unit twice."""
    problems: list[SheetProblem] = []
    seen: dict[tuple[int, str], ProgressRow] = {}
    for row in rows:
        owners = known.get(row.indicator_id)
        key = (row.indicator_id, _fold(row.unit))
        if owners is None:
            problems.append(_at(row, "指标编号", f"没有编号为 {row.indicator_id} 的指标"))
        elif key[1] not in {_fold(u) for u in owners}:
            listed = "、".join(sorted(owners)) or "无"
            message = f"“{row.unit}”不是指标 {row.indicator_id} 的牵头、配合或被考核单位（应为：{listed}）"
            problems.append(_at(row, "单位", message))
        elif key in seen:
            problems.append(_at(row, "指标编号", f"本单位的指标 {row.indicator_id} 已在{_place(seen[key])}填报过"))
        else:
            seen[key] = row
    return problems


def _at(row: ProgressRow, column: str, message: str) -> SheetProblem:
    return SheetProblem(file=row.file, sheet=row.sheet, row=row.row, column=column, message=message)


def _place(row: ProgressRow) -> str:
    sheet = f"工作表「{row.sheet}」" if row.sheet else ""
    return f" {Path(row.file).name} {sheet}第 {row.row} 行"


__all__ = [
    "HEADERS",
    "FormLine",
    "ProgressForm",
    "ProgressRow",
    "SheetProblem",
    "check_rows",
    "form_title",
    "read_form",
    "write_form",
]
