"""一月一汇总 (issue 18, part 4): units ranked by progress, the colours counted per unit and per category,
the lagging indicators listed; the .xlsx summary of one month with a native bar chart. The quarterly 通报
(.docx) is ``progress.bulletin``, built on the same standings.

Pure writers: the command computes the :class:`~progress.status.StatusRow` rows from the store and calls
:func:`write_summary`.

**进度指数** (a unit's progress figure, :func:`row_score`): the mean over *all* the unit's rows of

- a reported row with a completion and an expected completion: completion ÷ expected × 100, within 0–120
  (being ahead on one indicator hides at most 20 points of another lagging one);
- a reported row without them (qualitative, judged by the progress reported): by its colour, green 100,
  yellow 50, red 0;
- a row not reported (``missing``): 0 — not reporting counts against the unit.

100 means on schedule (按序时进度). Units are ranked by the figure rounded to 0.1; equal figures share a rank
(1, 2, 2, 4) and keep the order in which the units first appear in the rows (the roster order of the store).
The colours are counted per row — one unit and one indicator (考核事项): an indicator two units report on is
counted once for each; a pair given twice is counted once (the first).

The workbook (``export/layout.py``'s page, landscape): 单位排名 with a native bar chart under the table,
分类统计, 滞后指标 (red, then yellow, then 未报送, the 预警 cell filled in its colour). The module loads openpyxl
and python-docx: import it where a report is written.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import regex
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel, ConfigDict, Field

from export.layout import SheetLayout, fit_widths, footer_line, new_workbook
from progress.levels import Level, Period, level_label
from progress.status import StatusRow

log = logging.getLogger(__name__)

PACE_CAP = 120.0  # a row's score at most: 1.2 × the expected pace
STATUS_SCORES: dict[str, float] = {"green": 100.0, "yellow": 50.0, "red": 0.0, "missing": 0.0}
LAGGING: tuple[Level, ...] = ("red", "yellow", "missing")  # the order lagging rows are listed in
COLOURS: dict[str, str] = {"green": "92D050", "yellow": "FFFF00", "red": "FF5050", "missing": "BFBFBF"}
COUNT_HEADERS: dict[str, str] = {"green": "绿色", "yellow": "黄色", "red": "红色", "missing": "未报送"}
RANKING, CATEGORIES, LAGGING_SHEET = "单位排名", "分类统计", "滞后指标"
UNCATEGORISED = "未分类"
INDEX_NOTE = (
    "进度指数为各项指标完成率与应完成进度之比乘以100（单项最高计120）的平均值；未报送的指标计0，"
    "无完成率的定性指标按绿色100、黄色50、红色0计。100表示总体按序时进度推进。"
)
_QUARTER = regex.compile(r"\s*(\d{4})\s*(?:[-_/.]?\s*[Qq]\s*(\d+)|(?:年\s*)?第?\s*([一二三四]|\d+)\s*季度?)\s*")
_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4}
_SIZE = 10  # pt, the workbook's tables
_LIMITS = {"单位": (22, 28), "考核指标": (24, 40), "目标值": (14, 24), "原因": (24, 40), "类别": (16, 24),
           **dict.fromkeys(("名次", "绿色", "黄色", "红色"), (7.0, 8.0)),
           **dict.fromkeys(("指标数", "已报送", "未报送", "考核事项", "进度指数"), (10.0, 11.0))}  # fmt: skip
_CHART_ROW = 20.0  # pt, the rows reserved under the ranking for its chart


class Quarter(BaseModel):
    """One quarter of a year: its three reporting months."""

    model_config = ConfigDict(frozen=True)

    year: int
    quarter: int = Field(ge=1, le=4)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2020Q2``, ``2020-Q2``, ``2020q2``, ``2020年第二季度`` or ``2020年2季度``."""
        found = _QUARTER.fullmatch(text)
        if found is None:
            raise ValueError(f"季度“{text}”无法识别，应写作 年Q季度，如 2020Q2")
        raw = found[2] or found[3]
        number = _NUMERALS.get(raw) or int(raw)
        if not 1 <= number <= 4:
            raise ValueError(f"季度“{text}”有误：季度应为 1 到 4")
        return cls(year=int(found[1]), quarter=number)

    @property
    def months(self) -> list[Period]:
        return [Period(year=self.year, month=m) for m in range(3 * self.quarter - 2, 3 * self.quarter + 1)]

    @property
    def label(self) -> str:
        return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"


class UnitStanding(BaseModel):
    """One unit in one month: its rows counted by colour, its 进度指数 and its rank."""

    rank: int
    unit: str
    indicators: int  # rows: the indicators it reports on
    reported: int  # of which not missing
    green: int = 0
    yellow: int = 0
    red: int = 0
    missing: int = 0
    progress: float  # 进度指数 (see the module docstring), rounded to 0.1

    def count(self, level: str) -> int:
        return int(getattr(self, level))


class CategoryCount(BaseModel):
    """One category's rows counted by colour."""

    category: str  # 未分类 for rows without one
    indicators: int  # distinct indicators
    items: int  # rows: (indicator, unit) pairs
    green: int = 0
    yellow: int = 0
    red: int = 0
    missing: int = 0

    def count(self, level: str) -> int:
        return int(getattr(self, level))


def summary_title(region: str, period: Period) -> str:
    """``佳县2020年6月目标责任考核指标进展汇总``."""
    return f"{region}{period.label}目标责任考核指标进展汇总"


def bulletin_title(region: str, quarter: Quarter) -> str:
    """``关于佳县2020年第二季度目标责任考核指标进展情况的通报``."""
    return f"关于{region}{quarter.label}目标责任考核指标进展情况的通报"


def distinct(rows: Sequence[StatusRow]) -> list[StatusRow]:
    """The rows with each (indicator, unit) pair once (the first)."""
    seen: set[tuple[int, str]] = set()
    out = []
    for row in rows:
        if (row.indicator_id, row.unit) not in seen:
            seen.add((row.indicator_id, row.unit))
            out.append(row)
    return out


def row_score(row: StatusRow) -> float:
    """One row's part of its unit's 进度指数 (0–120; see the module docstring)."""
    if row.level != "missing" and row.completion_pct is not None and row.expected_pct:
        return min(max(row.completion_pct / row.expected_pct * 100, 0.0), PACE_CAP)
    return STATUS_SCORES[row.level]


def rank_units(rows: Sequence[StatusRow]) -> list[UnitStanding]:
    """Every unit of ``rows``, best 进度指数 first; equal figures share a rank (1, 2, 2, 4)."""
    by_unit: dict[str, list[StatusRow]] = {}
    for row in distinct(rows):
        by_unit.setdefault(row.unit, []).append(row)
    standings = []
    for unit, own in by_unit.items():
        counts = {level: sum(r.level == level for r in own) for level in COUNT_HEADERS}
        progress = round(sum(row_score(r) for r in own) / len(own), 1)
        standings.append(UnitStanding(rank=0, unit=unit, indicators=len(own), reported=len(own) - counts["missing"],
                                      progress=progress, **counts))  # fmt: skip
    standings.sort(key=lambda s: -s.progress)  # stable: ties keep the order of appearance
    for position, standing in enumerate(standings):
        tied = position and standing.progress == standings[position - 1].progress
        standing.rank = standings[position - 1].rank if tied else position + 1
    return standings


def category_counts(rows: Sequence[StatusRow]) -> list[CategoryCount]:
    """Each category's rows by colour, in the order the categories first appear."""
    by_category: dict[str, list[StatusRow]] = {}
    for row in distinct(rows):
        by_category.setdefault(row.category or UNCATEGORISED, []).append(row)
    return [
        CategoryCount(category=category, indicators=len({r.indicator_id for r in own}), items=len(own),
                      **{level: sum(r.level == level for r in own) for level in COUNT_HEADERS})
        for category, own in by_category.items()
    ]  # fmt: skip


def lagging_rows(rows: Sequence[StatusRow]) -> list[StatusRow]:
    """The yellow, red and missing rows: red, then yellow, then missing; each by unit rank, then input order."""
    rows = distinct(rows)
    place = {s.unit: n for n, s in enumerate(rank_units(rows))}
    lagging = [r for r in rows if r.level in LAGGING]
    return sorted(lagging, key=lambda r: (LAGGING.index(r.level), place[r.unit]))


def percent(value: float | None) -> str:
    """62.07 → '62.1%', 50 → '50%'; None → '—'."""
    return "—" if value is None else f"{value:.1f}".rstrip("0").rstrip(".") + "%"


# ------------------------------------------------------------------ 一月一汇总 (.xlsx)


def write_summary(
    rows: Sequence[StatusRow], period: Period, path: Path, *, title: str, sources: Sequence[str] = ()
) -> Path:
    """The month's summary workbook: 单位排名 (with a bar chart), 分类统计, 滞后指标. Returns ``path``."""
    rows = distinct(rows)
    standings = rank_units(rows)
    footer = footer_line(sources)
    book = new_workbook()
    book.remove(book.active)
    book.properties.title = title
    lead = f"统计期：截至{period.label}；{len(standings)}个单位，考核指标{len({r.indicator_id for r in rows})}项"
    _ranking_sheet(book.create_sheet(RANKING), standings, f"{title}——{RANKING}", f"{lead}。{INDEX_NOTE}", footer)
    _category_sheet(book.create_sheet(CATEGORIES), rows, f"{title}——{CATEGORIES}", footer)
    _lagging_sheet(book.create_sheet(LAGGING_SHEET), lagging_rows(rows), f"{title}——{LAGGING_SHEET}", footer)
    book.save(path)
    log.info("%s：%d 个单位，%d 项考核事项", path.name, len(standings), len(rows))
    return path


def _sheet(
    sheet: Worksheet, headers: Sequence[str], cells: list[list[object]], title: str, note: str = ""
) -> SheetLayout:
    """A titled sheet (``note`` under the title) with its header row, the colours' headers in their colour."""
    page = SheetLayout(sheet, fit_widths(headers, cells, _LIMITS, size=_SIZE), size=_SIZE)
    page.title(title, size=14)
    if note:
        page.text(note, size=9)
    header = page.header(headers)
    for level, name in COUNT_HEADERS.items():
        if name in headers:
            sheet.cell(row=header, column=headers.index(name) + 1).fill = PatternFill("solid", fgColor=COLOURS[level])
    return page


def _ranking_sheet(sheet: Worksheet, standings: list[UnitStanding], title: str, note: str, footer: str) -> None:
    headers = ["名次", "单位", "指标数", "已报送", *COUNT_HEADERS.values(), "进度指数"]
    cells: list[list[object]] = [[s.rank, s.unit, s.indicators, s.reported, *(s.count(lv) for lv in COUNT_HEADERS),
                                  s.progress] for s in standings]  # fmt: skip
    page = _sheet(sheet, headers, cells, title, note)
    first = page.last_row + 1
    for row in cells:
        page.row(row, number_format="0.0")
    if not cells:
        page.text("无", center=True)
        page.finish(footer, landscape=True)
        return
    page.blank(12)
    anchor = page.last_row + 1
    height = min(max(60 + 22 * len(cells), 180), 380)  # pt
    for _ in range(math.ceil(height / _CHART_ROW)):
        page.blank(_CHART_ROW)  # blank rows are kept together: the chart is never cut by a page break
    page.finish(footer, landscape=True)
    chart = _bar_chart(sheet, first, first + len(cells) - 1, value_column=len(headers), unit_column=2)
    chart.width = max(sum(w * 7 + 5 for w in page.widths) * 2.54 / 96, 20.0)  # cm: the table's width, or 20
    chart.height = height * 2.54 / 72
    sheet.add_chart(chart, f"A{anchor}")


def _bar_chart(sheet: Worksheet, first: int, last: int, *, value_column: int, unit_column: int) -> BarChart:
    """A native horizontal bar chart of the 进度指数, rank 1 on top."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = "各单位进度指数"
    chart.legend = None
    chart.gapWidth = 60
    chart.add_data(Reference(sheet, min_col=value_column, min_row=first, max_row=last))
    chart.set_categories(Reference(sheet, min_col=unit_column, min_row=first, max_row=last))
    chart.x_axis.scaling.orientation = "maxMin"  # the first unit at the top
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.y_axis.crosses = "max"  # with the categories reversed: the value axis at the bottom
    chart.y_axis.scaling.min, chart.y_axis.scaling.max, chart.y_axis.majorUnit = 0, PACE_CAP, 20
    chart.y_axis.number_format = "0"
    chart.dataLabels = DataLabelList(showVal=True, showCatName=False, showSerName=False, showLegendKey=False)
    series = chart.series[0]
    series.graphicalProperties.solidFill = series.graphicalProperties.line.solidFill = "4472C4"
    return chart


def _category_sheet(sheet: Worksheet, rows: list[StatusRow], title: str, footer: str) -> None:
    headers = ["类别", "指标数", "考核事项", *COUNT_HEADERS.values()]
    counts = category_counts(rows)
    cells: list[list[object]] = [[c.category, c.indicators, c.items, *(c.count(lv) for lv in COUNT_HEADERS)]
                                 for c in counts]  # fmt: skip
    page = _sheet(sheet, headers, cells, title)
    for row in cells:
        page.row(row)
    if cells:
        total = ["合计", len({r.indicator_id for r in rows}), len(rows),
                 *(sum(c.count(lv) for c in counts) for lv in COUNT_HEADERS)]  # fmt: skip
        page.row(total, bold=True, center=[0])
    else:
        page.text("无", center=True)
    page.text("考核事项按“单位×指标”计：一项指标由几个单位报送，计几项；各颜色项数同。", size=9)
    page.finish(footer, landscape=True)


def _lagging_sheet(sheet: Worksheet, lagging: list[StatusRow], title: str, footer: str) -> None:
    headers = ["单位", "考核指标", "目标值", "完成值", "完成率(%)", "应完成(%)", "预警", "原因"]
    cells: list[list[object]] = [[r.unit, r.indicator, r.target, "" if r.actual is None else r.actual,
                                  "" if r.completion_pct is None else r.completion_pct,
                                  "" if r.expected_pct is None else r.expected_pct, level_label(r.level), r.reason]
                                 for r in lagging]  # fmt: skip
    page = _sheet(sheet, headers, cells, title)
    at = headers.index("预警") + 1
    for row, values in zip(lagging, cells, strict=True):
        number = page.row(values, center=[at - 1])
        sheet.cell(row=number, column=at).fill = PatternFill("solid", fgColor=COLOURS[row.level])
    if not cells:
        page.text("无黄色、红色预警及未报送的指标。", center=True)
    page.finish(footer, landscape=True)
