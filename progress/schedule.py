"""The office's own plan of how far each indicator should be by each month (``--schedule FILE``).

A sheet (.xlsx, its first sheet, or .csv in UTF-8/GB18030) with the column 指标编号 and either the quarters
(一季度 二季度 三季度 四季度, or Q1–Q4) or the months (1月 … 12月), each the share of the year's target
planned **by the end** of that period, in % (25, 50, 80, 100). An optional 单位 column gives one unit's
plan; without it the plan holds for every unit of the indicator. Between quarter ends the plan is
interpolated month by month (a quarter's 30 % after 0 %: 10, 20, 30); a month left empty takes the
share of the year elapsed, as without a schedule.
"""

from __future__ import annotations

import csv
from pathlib import Path

import regex

from progress.levels import Period

QUARTERS = {"一季度": 3, "二季度": 6, "三季度": 9, "四季度": 12, "Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12}
_MONTH = regex.compile(r"^(1[0-2]|[1-9])\s*月$")


class ScheduleError(ValueError):
    """A schedule that cannot be used; the message is Chinese and names the file, row and column."""


class Schedule:
    """Planned cumulative % by (indicator id, unit or None) and month end."""

    def __init__(self, plans: dict[tuple[int, str | None], dict[int, float]]) -> None:
        self.plans = plans

    def expected(self, indicator_id: int, unit: str, period: Period) -> float | None:
        plan = self.plans.get((indicator_id, unit)) or self.plans.get((indicator_id, None))
        if not plan:
            return None
        if period.month in plan:
            return plan[period.month]
        before = max((m for m in plan if m < period.month), default=0)
        after = min((m for m in plan if m > period.month), default=None)
        if after is None:
            return None
        start = plan.get(before, 0.0)
        return start + (plan[after] - start) * (period.month - before) / (after - before)


def read_schedule(path: Path) -> Schedule:
    rows = _rows(path)
    if not rows:
        raise ScheduleError(f"{path}：是空的")
    header = ["".join(str(h or "").split()) for h in rows[0]]
    if "指标编号" not in header:
        raise ScheduleError(f"{path}：第 1 行没有「指标编号」列")
    months = _period_columns(header)
    if not months:
        raise ScheduleError(f"{path}：没有季度（一季度…四季度）或月份（1月…12月）列")
    id_col, unit_col = header.index("指标编号"), header.index("单位") if "单位" in header else None
    plans: dict[tuple[int, str | None], dict[int, float]] = {}
    for number, row in enumerate(rows[1:], start=2):
        cells = [str(c).strip() if c is not None else "" for c in row] + [""] * len(header)
        if not cells[id_col]:
            continue
        try:
            indicator = int(float(cells[id_col]))
        except ValueError:
            raise ScheduleError(f"{path} 第 {number} 行「指标编号」：{cells[id_col]} 不是编号") from None
        unit = cells[unit_col] if unit_col is not None and cells[unit_col] else None
        where = f"{path} 第 {number} 行"
        plans[(indicator, unit)] = {
            month: value
            for col, month in months.items()
            if (value := _planned(cells[col], f"{where}「{header[col]}」")) is not None
        }
    return Schedule(plans)


def _period_columns(header: list[str]) -> dict[int, int]:
    """Column → the month its plan is for (a quarter's last month)."""
    months = {}
    for col, name in enumerate(header):
        if name.upper() in QUARTERS:
            months[col] = QUARTERS[name.upper()]
        elif name in QUARTERS:
            months[col] = QUARTERS[name]
        elif found := _MONTH.match(name):
            months[col] = int(found[1])
    return months


def _planned(cell: str, where: str) -> float | None:
    text = cell.rstrip("%％")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ScheduleError(f"{where}：{cell} 不是数字") from None
    if not 0 <= value <= 1000:
        raise ScheduleError(f"{where}：{value:g} 不在 0–1000 之间")
    return value


def _rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as handle:
                return [list(r) for r in csv.reader(handle)]
        except UnicodeDecodeError:
            continue
    raise ScheduleError(f"{path}：编码无法识别（请存为 UTF-8 或 GBK 的 .csv，或 .xlsx）")
